//! RC6xx: services and layout.

pub mod dockerfile_overrides;
pub mod manifest_mismatch;
pub mod root_unknown;
pub mod service_config_missing;
pub mod service_name_invalid;
pub mod service_root_missing;
pub mod workspace_root_mismatch;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &service_root_missing::RULE,
    &service_config_missing::RULE,
    &manifest_mismatch::RULE,
    &dockerfile_overrides::RULE,
    &service_name_invalid::RULE,
    &workspace_root_mismatch::RULE,
    &root_unknown::RULE,
];
