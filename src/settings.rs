//! The resolved settings rules read: which rules run, at what severity, and the options
//! some rules take. Built by `config` from `railcheck.toml` and flags; rules never see
//! where a value came from.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, RuleMeta, Severity};

/// Default limit from the guide ("Reduced build environment variables from 70+ to <10").
pub(crate) const DEFAULT_MAX_BUILD_VARIABLES: usize = 10;

/// The rule smoke failures are reported under (shown whenever `--smoke` is given).
pub(crate) const SMOKE_RULE: &str = "RC890";

/// Seconds a smoke command may run before it is killed.
pub(crate) const DEFAULT_SMOKE_TIMEOUT_SECS: u64 = 120;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Rule selectors (code prefixes, codes or names). Empty selects every rule.
    pub(crate) select: Vec<String>,
    pub(crate) ignore: Vec<String>,
    /// Severity per rule code.
    pub(crate) severity: BTreeMap<String, Severity>,
    /// Per-path ignores: (glob, selectors).
    pub(crate) overrides: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// The project root relative to the folder of `railcheck.toml` (`/`-separated, "" when
    /// they are the same): override globs are written relative to the config file.
    pub(crate) overrides_base: String,
    /// Names added to the default build-secret allowlist.
    pub(crate) build_allowlist: Vec<String>,
    /// Names added to the runtime-only secret list.
    pub(crate) runtime_only: Vec<String>,
    pub(crate) max_build_variables: usize,
    /// Smoke commands per service name (run only with `--smoke`).
    pub(crate) smoke: BTreeMap<String, Vec<String>>,
    /// The service map of `[services.NAME]` tables that give a `root` (what `railcheck
    /// migrate` writes in place of the guide's manifest).
    pub(crate) services: BTreeMap<String, ServiceMap>,
    /// Run the smoke commands (`validate --smoke`); without it nothing is executed.
    pub(crate) run_smoke: bool,
    /// How long one smoke command may run.
    pub(crate) smoke_timeout: std::time::Duration,
    /// Findings at or above this level make the run fail.
    pub fail_level: Severity,
    pub(crate) exit_zero: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            select: Vec::new(),
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            overrides: Vec::new(),
            overrides_base: String::new(),
            build_allowlist: Vec::new(),
            runtime_only: Vec::new(),
            max_build_variables: DEFAULT_MAX_BUILD_VARIABLES,
            smoke: BTreeMap::new(),
            services: BTreeMap::new(),
            run_smoke: false,
            smoke_timeout: std::time::Duration::from_secs(DEFAULT_SMOKE_TIMEOUT_SECS),
            fail_level: Severity::Error,
            exit_zero: false,
        }
    }
}

/// A service as `railcheck.toml` declares it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ServiceMap {
    /// The service root relative to the folder of `railcheck.toml`, normalized (`""` for
    /// that folder itself); `None` when the table gives none.
    pub(crate) root: Option<String>,
    /// The service variables to set in Railway (`NAME = "value"`, references included).
    pub(crate) variables: BTreeMap<String, String>,
}

/// Does a selector (`RC3`, `RC301`, `build-secret-not-allowed`, `ALL`) name this rule?
pub(crate) fn selector_matches(selector: &str, rule: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case("all")
        || rule.name == selector
        || (selector.len() >= 3 && rule.code.starts_with(&selector.to_ascii_uppercase()))
}

impl Settings {
    /// Service names by root (relative to the project root), from `[services.NAME] root`.
    /// Roots outside the project are left out; the first name (sorted) wins a shared root.
    pub(crate) fn service_names(&self) -> BTreeMap<String, String> {
        let mut names = BTreeMap::new();
        for (name, service) in &self.services {
            let Some(root) = &service.root else { continue };
            let root = if self.overrides_base.is_empty() {
                Some(root.as_str())
            } else if *root == self.overrides_base {
                Some("")
            } else {
                root.strip_prefix(&format!("{}/", self.overrides_base))
            };
            if let Some(root) = root {
                names.entry(root.to_string()).or_insert_with(|| name.clone());
            }
        }
        names
    }

    /// `[services.NAME] root` of every table that gives one, relative to the project root:
    /// (name, root). Unlike `service_names`, several names may share a root (a shared
    /// monorepo builds every service from the repository root).
    pub(crate) fn service_roots(&self) -> Vec<(String, String)> {
        self.services
            .iter()
            .filter_map(|(name, service)| {
                let root = service.root.as_deref()?;
                let root = if self.overrides_base.is_empty() {
                    root.to_string()
                } else if root == self.overrides_base {
                    String::new()
                } else {
                    root.strip_prefix(&format!("{}/", self.overrides_base))?.to_string()
                };
                Some((name.clone(), root))
            })
            .collect()
    }

    pub(crate) fn rule_enabled(&self, rule: &RuleMeta) -> bool {
        // Asking for `--smoke` runs commands, with their side effects: their results are
        // always shown, whatever the selection says.
        if self.run_smoke && rule.code == SMOKE_RULE {
            return true;
        }
        let selected = self.select.is_empty() || self.select.iter().any(|s| selector_matches(s, rule));
        selected && !self.ignore.iter().any(|s| selector_matches(s, rule))
    }

    /// The severity a finding of `rule` is reported at: `None` when the rule is not enabled,
    /// else its override in `[rules.severity]` (by code, then by name), else `default`.
    /// The one place that decides it, for `validate` (`apply`) and `env` alike.
    pub(crate) fn reported_severity(&self, rule: &RuleMeta, default: Severity) -> Option<Severity> {
        self.rule_enabled(rule).then(|| self.severity_of(rule, default))
    }

    /// The severity `[rules.severity]` gives `rule` (by code, then by name), else `default`,
    /// whether or not the rule is enabled (`railcheck rules` shows both).
    pub(crate) fn severity_of(&self, rule: &RuleMeta, default: Severity) -> Severity {
        let level = self.severity.get(rule.code).or_else(|| self.severity.get(rule.name));
        level.copied().unwrap_or(default)
    }

    /// Drops disabled findings and applies severity overrides.
    pub(crate) fn apply(
        &self,
        diagnostics: Vec<Diagnostic>,
        path_of: impl Fn(&Diagnostic) -> Option<String>,
    ) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                d.severity = self.reported_severity(d.rule, d.severity)?;
                Some(d)
            })
            .filter(|d| {
                let Some(path) = path_of(d) else { return true };
                let path = if self.overrides_base.is_empty() {
                    path
                } else {
                    format!("{}/{path}", self.overrides_base)
                };
                !self
                    .overrides
                    .iter()
                    .any(|(glob, ignore)| glob.is_match(&path) && ignore.iter().any(|s| selector_matches(s, d.rule)))
            })
            .collect()
    }
}
