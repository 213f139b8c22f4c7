//! RC2xx: schema and keys.

pub mod config_as_code_retired;
pub mod deprecated_setting;
pub mod guide_dialect;
pub mod iac_config_as_code_conflict;
pub mod iac_dropped_key;
pub mod iac_enum_case;
pub mod iac_several_files;
pub mod iac_unread_values;
pub mod ignored_key;
pub mod schema_violation;
pub mod unknown_provider;

use super::Rule;

pub static RULES: &[&Rule] = &[
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
