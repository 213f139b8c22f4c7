//! RC1xx: syntax and files. These are reported by the loader, not by a rule pass.

pub(crate) mod bad_encoding;
pub(crate) mod duplicate_key;
pub(crate) mod non_portable_json;
pub(crate) mod parse_error;
pub(crate) mod root_not_object;
pub(crate) mod suppression_without_reason;
pub(crate) mod unreadable_file;
pub(crate) mod unused_suppression;

use super::Rule;
use crate::diagnostic::{Diagnostic, RuleMeta};
use crate::source::{Issue, LoadIssue};

pub(crate) static RULES: &[&Rule] = &[
    &parse_error::RULE,
    &duplicate_key::RULE,
    &non_portable_json::RULE,
    &root_not_object::RULE,
    &bad_encoding::RULE,
    &unreadable_file::RULE,
    &unused_suppression::RULE,
    &suppression_without_reason::RULE,
];

/// The rule that documents a kind of load issue (all RC1xx, but a key spelled in another
/// case, which RC202 documents with the keys Railpack ignores).
pub(crate) fn rule_for(kind: LoadIssue) -> &'static RuleMeta {
    match kind {
        LoadIssue::ParseError => &parse_error::META,
        LoadIssue::DuplicateKey => &duplicate_key::META,
        LoadIssue::NonPortableJson => &non_portable_json::META,
        LoadIssue::RootNotObject => &root_not_object::META,
        LoadIssue::BadEncoding => &bad_encoding::META,
        LoadIssue::UnreadableFile => &unreadable_file::META,
        LoadIssue::KeyCase => &crate::rules::schema::ignored_key::META,
    }
}

/// A load issue as the finding of its rule.
pub(crate) fn diagnostic(issue: Issue) -> Diagnostic {
    let rule = rule_for(issue.kind);
    issue.into_diagnostic(rule)
}
