//! The resolved configuration: `railcheck.toml` merged with command-line flags.
//! Rules read `Settings`; they never see clap's types.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleMeta;

/// Default limit from the guide ("Reduced build environment variables from 70+ to <10").
pub const DEFAULT_MAX_BUILD_VARIABLES: usize = 10;

/// Seconds a smoke command may run before it is killed.
pub const DEFAULT_SMOKE_TIMEOUT_SECS: u64 = 120;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Rule selectors (code prefixes, codes or names). Empty selects every rule.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// Per-path ignores: (glob, selectors).
    pub overrides: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// Names added to the default build-secret allowlist.
    pub build_allowlist: Vec<String>,
    /// Names added to the runtime-only secret list.
    pub runtime_only: Vec<String>,
    pub max_build_variables: usize,
    /// Smoke commands per service name (run only with `--smoke`).
    pub smoke: BTreeMap<String, Vec<String>>,
    /// Run the smoke commands (`validate --smoke`); without it nothing is executed.
    pub run_smoke: bool,
    /// How long one smoke command may run.
    pub smoke_timeout: std::time::Duration,
    /// Findings at or above this level make the run fail.
    pub fail_level: Severity,
    pub exit_zero: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            overrides: Vec::new(),
            build_allowlist: Vec::new(),
            runtime_only: Vec::new(),
            max_build_variables: DEFAULT_MAX_BUILD_VARIABLES,
            smoke: BTreeMap::new(),
            run_smoke: false,
            smoke_timeout: std::time::Duration::from_secs(DEFAULT_SMOKE_TIMEOUT_SECS),
            fail_level: Severity::Error,
            exit_zero: false,
        }
    }
}

/// Does a selector (`RC3`, `RC301`, `build-secret-not-allowed`, `ALL`) name this rule?
pub fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case("all")
        || rule.name == selector
        || (selector.len() >= 3 && rule.code.starts_with(&selector.to_ascii_uppercase()))
}

impl Settings {
    pub fn rule_enabled(&self, rule: &RuleMeta) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, rule));
        selected && !self.ignore.iter().any(|s| selector_matches(s, rule))
    }

    /// Drops disabled findings and applies severity overrides.
    pub fn apply(
        &self,
        diagnostics: Vec<Diagnostic>,
        path_of: impl Fn(&Diagnostic) -> Option<String>,
    ) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| self.rule_enabled(d.rule))
            .filter(|d| {
                let Some(path) = path_of(d) else { return true };
                !self
                    .overrides
                    .iter()
                    .any(|(glob, ignore)| glob.is_match(&path) && ignore.iter().any(|s| selector_matches(s, d.rule)))
            })
            .map(|mut d| {
                if let Some(level) = self
                    .severity
                    .get(d.rule.code)
                    .or_else(|| self.severity.get(d.rule.name))
                {
                    d.severity = *level;
                }
                d
            })
            .collect()
    }
}
