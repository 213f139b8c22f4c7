//! RC6xx: services and layout.

pub(crate) mod dockerfile_overrides;
pub(crate) mod manifest_mismatch;
pub(crate) mod root_unknown;
pub(crate) mod service_config_missing;
pub(crate) mod service_name_invalid;
pub(crate) mod service_root_missing;
pub(crate) mod workspace_root_mismatch;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &service_root_missing::RULE,
    &service_config_missing::RULE,
    &manifest_mismatch::RULE,
    &dockerfile_overrides::RULE,
    &service_name_invalid::RULE,
    &workspace_root_mismatch::RULE,
    &root_unknown::RULE,
];
