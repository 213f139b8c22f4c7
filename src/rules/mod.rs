//! The rule registry. Each rule lives in its own file with its metadata and docs;
//! areas group them by code range.

pub(crate) mod commands;
pub(crate) mod guide;
pub(crate) mod health;
pub(crate) mod references;
pub(crate) mod schema;
pub(crate) mod secrets;
pub(crate) mod services;
pub(crate) mod syntax;

use crate::diagnostic::Diagnostic;
pub use crate::diagnostic::RuleMeta;
use crate::model::{Project, Service};
use crate::platform::schema::Schemas;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::util::fscache::FsCache;

/// Declares a rule in its file, once: the doc comment (first line: the summary; then the
/// three-part docs that `railcheck explain` prints), the code, the name, the default
/// severity, and the check with its kind (`Project(f)`, `Service(f)` or `File(f)`, see
/// [`Check`]), or `reported_by: loader` / `reported_by: pipeline` for rules reported
/// outside a rule pass.
/// It defines the file's `META` and `RULE`; the area's `RULES` slice lists `RULE`, and
/// `tests/rule_registry.rs` fails when a declared rule is missing there.
macro_rules! declare_rule {
    (
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        code: $code:ident,
        name: $name:literal,
        severity: $severity:ident,
        check: $kind:ident($check:path) $(,)?
    ) => {
        $crate::rules::declare_rule!(@meta [$summary] [$($doc)*] $code $name $severity);
        pub(crate) static RULE: $crate::rules::Rule = $crate::rules::Rule {
            meta: &META,
            check: Some($crate::rules::Check::$kind($check)),
        };
    };
    (
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        code: $code:ident,
        name: $name:literal,
        severity: $severity:ident,
        reported_by: $by:ident $(,)?
    ) => {
        $crate::rules::declare_rule!(@meta [$summary] [$($doc)*] $code $name $severity);
        pub(crate) static RULE: $crate::rules::Rule = $crate::rules::Rule { meta: &META, check: None };
    };
    (
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        code: $code:ident,
        name: $name:literal,
        severity: $severity:ident,
        retired $(,)?
    ) => {
        // A withdrawn rule: its code stays reserved and documented; no check, so it never fires.
        $crate::rules::declare_rule!(@meta [$summary] [$($doc)*] $code $name $severity);
        pub(crate) static RULE: $crate::rules::Rule = $crate::rules::Rule { meta: &META, check: None };
    };
    (@meta [$summary:literal] [$($doc:literal)*] $code:ident $name:literal $severity:ident) => {
        pub(crate) static META: $crate::diagnostic::RuleMeta = $crate::diagnostic::RuleMeta {
            code: stringify!($code),
            name: $name,
            severity: $crate::diagnostic::Severity::$severity,
            doc_summary: $summary,
            doc_body: concat!($($doc, "\n"),*),
        };
    };
}
pub(crate) use declare_rule;

/// Everything a rule may look at. Rules never print and never fail: they push findings.
pub struct Context<'a> {
    pub project: &'a Project,
    pub settings: &'a Settings,
    pub schemas: &'a Schemas,
    /// The run's file cache: every look at the disk beside the configs (a Dockerfile, a
    /// package.json, the app's source) goes through it, so each is asked once per run.
    pub fs: &'a FsCache,
}

/// What a rule looks at, and so how the pipeline calls it. A rule never loops over
/// services or files itself: [`run`] does, and attaches the service to what it reports.
#[derive(Clone, Copy)]
pub(crate) enum Check {
    /// Once per run, for checks across services or files (names, references, manifests).
    Project(fn(&Context<'_>, &mut Vec<Diagnostic>)),
    /// Once per service; findings without a service get this one's name.
    Service(fn(&Context<'_>, &Service, &mut Vec<Diagnostic>)),
    /// Once per loaded file, in path order.
    File(fn(&Context<'_>, &SourceFile, &mut Vec<Diagnostic>)),
}

impl Check {
    /// Runs the check over everything of its kind in the project.
    fn run(self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        match self {
            Check::Project(check) => check(cx, out),
            Check::Service(check) => {
                for service in &cx.project.services {
                    let first = out.len();
                    check(cx, service, out);
                    for d in &mut out[first..] {
                        d.service.get_or_insert_with(|| service.name.clone());
                    }
                }
            }
            Check::File(check) => {
                for file in &cx.project.files {
                    check(cx, file, out);
                }
            }
        }
    }
}

pub struct Rule {
    pub meta: &'static RuleMeta,
    /// `None` for rules reported while loading (RC1xx) or by the pipeline, which have no
    /// pass of their own, and for retired rules.
    pub(crate) check: Option<Check>,
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
pub(crate) fn find(code_or_name: &str) -> Option<&'static Rule> {
    all()
        .into_iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// Runs every rule pass over the project.
pub fn run(cx: &Context<'_>) -> Vec<Diagnostic> {
    let checks: Vec<_> = all().into_iter().filter_map(|rule| rule.check).collect();
    // Rules are independent: on big projects they run on all cores, each rule on one
    // thread, and the results are concatenated in rule order as if run one by one.
    let threads = crate::util::parallel::threads_for(cx.project.services.len().max(cx.project.files.len()));
    crate::util::parallel::map(checks.len(), threads, |i| {
        let mut out = Vec::new();
        checks[i].run(cx, &mut out);
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
            assert!(
                !m.summary().is_empty() && !m.summary().contains('\n'),
                "{} summary",
                m.code
            );
            for section in ["## What it checks", "## Why it matters on Railway", "## Example"] {
                assert!(m.docs().contains(section), "{} docs lack `{section}`", m.code);
            }
        }
    }

    #[test]
    fn retired_rules_have_no_check_and_say_so() {
        let retired: Vec<_> = all().into_iter().filter(|r| r.is_retired()).collect();
        assert!(retired.iter().any(|r| r.meta.code == "RC305"));
        for rule in retired {
            assert!(rule.check.is_none(), "{} is retired but still checks", rule.meta.code);
            assert!(
                rule.meta.docs().trim_start().starts_with("**Retired on "),
                "{} docs",
                rule.meta.code
            );
        }
        assert!(!find("RC306").unwrap().is_retired());
    }
}
