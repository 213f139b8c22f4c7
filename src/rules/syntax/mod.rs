//! RC1xx: syntax and files. These are reported by the loader, not by a rule pass.

pub mod bad_encoding;
pub mod duplicate_key;
pub mod non_portable_json;
pub mod parse_error;
pub mod root_not_object;
pub mod unreadable_file;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &parse_error::RULE,
    &duplicate_key::RULE,
    &non_portable_json::RULE,
    &root_not_object::RULE,
    &bad_encoding::RULE,
    &unreadable_file::RULE,
];
