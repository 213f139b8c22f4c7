//! The rule registry. Each rule lives in its own file with its metadata and docs;
//! areas group them by code range.

pub mod commands;
pub mod guide;
pub mod health;
pub mod references;
pub mod schema;
pub mod secrets;
pub mod services;
pub mod syntax;

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;
use crate::schema::Schemas;

/// What a rule is, independent of any finding.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `RCnnn`. Never reused.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    /// One line for `railcheck rules`.
    pub summary: &'static str,
    /// Markdown in three parts: `## What it checks`, `## Why it matters on Railway`,
    /// `## Example` (with the fix).
    pub docs: &'static str,
}

/// Everything a rule may look at. Rules never print and never fail: they push findings.
pub struct Context<'a> {
    pub project: &'a Project,
    pub settings: &'a Settings,
    pub schemas: &'a Schemas,
}

pub type CheckFn = fn(&Context<'_>, &mut Vec<Diagnostic>);

pub struct Rule {
    pub meta: &'static RuleMeta,
    /// `None` for rules reported while loading (RC1xx), which have no pass of their own.
    pub check: Option<CheckFn>,
}

impl Rule {
    /// A withdrawn rule: its code stays reserved and documented, and it never fires.
    pub fn is_retired(&self) -> bool {
        retired().iter().any(|r| std::ptr::eq(*r, self))
    }
}

/// Withdrawn rules, each area's `RETIRED` list.
fn retired() -> Vec<&'static Rule> {
    [secrets::RETIRED].concat()
}

/// Every rule, sorted by code, retired ones included (so their codes stay reserved and
/// `explain` and `railcheck.toml` still know them).
pub fn all() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = [
        retired().as_slice(),
        syntax::RULES,
        schema::RULES,
        secrets::RULES,
        health::RULES,
        references::RULES,
        services::RULES,
        commands::RULES,
        guide::RULES,
    ]
    .concat();
    rules.sort_by_key(|r| r.meta.code);
    rules
}

/// Looks a rule up by code (`RC202`, case-insensitive) or name (`ignored-key`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    all()
        .into_iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// Largest source file (package.json, app code) a rule reads.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// Reads a project source file that is not a config (package.json, next.config.mjs, app
/// code) for a heuristic rule: only regular files under [`MAX_SOURCE_BYTES`], so a FIFO,
/// a device or a huge file named like one never blocks or floods the run.
pub fn read_source(path: &std::path::Path) -> Option<String> {
    // Read once per run, however many rules ask.
    crate::fscache::read_text(path, MAX_SOURCE_BYTES)
}

/// Runs every rule pass over the project.
pub fn run(cx: &Context<'_>) -> Vec<Diagnostic> {
    let checks: Vec<_> = all().into_iter().filter_map(|rule| rule.check).collect();
    // Rules are independent: on big projects they run on all cores, each rule on one
    // thread, and the results are concatenated in rule order as if run one by one.
    let threads = crate::parallel::threads_for(cx.project.services.len().max(cx.project.files.len()));
    crate::parallel::map(checks.len(), threads, |i| {
        let mut out = Vec::new();
        checks[i](cx, &mut out);
        out
    })
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_sorted_and_documented() {
        let rules = all();
        for pair in rules.windows(2) {
            assert!(
                pair[0].meta.code < pair[1].meta.code,
                "duplicate or unsorted code {}",
                pair[1].meta.code
            );
        }
        let mut names: Vec<_> = rules.iter().map(|r| r.meta.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules.len(), "duplicate rule name");
        for rule in rules {
            let m = rule.meta;
            assert!(m.code.len() == 5 && m.code.starts_with("RC"), "bad code {}", m.code);
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} name not kebab-case",
                m.code
            );
            assert!(!m.summary.is_empty() && !m.summary.contains('\n'), "{} summary", m.code);
            for section in ["## What it checks", "## Why it matters on Railway", "## Example"] {
                assert!(m.docs.contains(section), "{} docs lack `{section}`", m.code);
            }
        }
    }

    #[test]
    fn retired_rules_have_no_check_and_say_so() {
        let retired: Vec<_> = all().into_iter().filter(|r| r.is_retired()).collect();
        assert!(retired.iter().any(|r| r.meta.code == "RC305"));
        for rule in retired {
            assert!(rule.check.is_none(), "{} is retired but still checks", rule.meta.code);
            assert!(rule.meta.docs.starts_with("**Retired on "), "{} docs", rule.meta.code);
        }
        assert!(!find("RC306").unwrap().is_retired());
    }
}
