//! RC2xx: schema and keys.

pub(crate) mod config_as_code_retired;
pub(crate) mod deprecated_setting;
pub(crate) mod guide_dialect;
pub(crate) mod iac_config_as_code_conflict;
pub(crate) mod iac_dropped_key;
pub(crate) mod iac_enum_case;
pub(crate) mod iac_several_files;
pub(crate) mod iac_unread_values;
pub(crate) mod ignored_key;
pub(crate) mod schema_violation;
pub(crate) mod unknown_provider;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &schema_violation::RULE,
    &ignored_key::RULE,
    &unknown_provider::RULE,
    &guide_dialect::RULE,
    &deprecated_setting::RULE,
    &config_as_code_retired::RULE,
    &iac_dropped_key::RULE,
    &iac_enum_case::RULE,
    &iac_config_as_code_conflict::RULE,
    &iac_unread_values::RULE,
    &iac_several_files::RULE,
];
