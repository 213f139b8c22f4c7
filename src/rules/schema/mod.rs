//! RC2xx: schema and keys.

pub mod config_as_code_retired;
pub mod deprecated_setting;
pub mod guide_dialect;
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
];
