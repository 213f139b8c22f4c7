//! RC2xx: schema and keys.

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
];

/// Top-level keys of Railpack's own format (`railpack.json`).
pub const RAILPACK_ROOT: &[&str] = &[
    "$schema",
    "provider",
    "buildAptPackages",
    "packages",
    "caches",
    "secrets",
    "steps",
    "deploy",
    "exclude",
];
/// `deploy` keys of Railpack's own format.
pub const RAILPACK_DEPLOY: &[&str] = &["base", "inputs", "startCommand", "variables", "paths", "aptPackages"];
/// Step keys of Railpack's own format.
pub const RAILPACK_STEP: &[&str] = &[
    "inputs",
    "commands",
    "secrets",
    "assets",
    "variables",
    "caches",
    "deployOutputs",
];

/// Edit distance, for did-you-mean suggestions.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// The closest candidate within a distance of 2 (case-insensitive), if any.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (levenshtein(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}
