//! reported by the pipeline with the suppressions.

use crate::rules::declare_rule;

declare_rule! {
    /// A `railcheck-ignore` comment that does not say why (`: reason`).
    ///
    /// ## What it checks
    /// `// railcheck-ignore CODE` comments (`#` in TOML) with no reason after a colon. The
    /// suppression still works; this is a policy finding, off with `--ignore RC121`.
    ///
    /// ## Why it matters on Railway
    /// Whoever reads the config next cannot tell a deliberate exception ("Railway's service
    /// settings set the health check") from a finding someone wanted gone before a deploy.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "steps": {
    ///     "build": {
    ///       "env": { "NODE_ENV": "production" } // railcheck-ignore RC202
    ///     }
    ///   }
    /// }
    /// ```
    /// Fix: `// railcheck-ignore RC202: read by our wrapper script, not by Railpack`.
    code: RC121,
    name: "suppression-without-reason",
    severity: Info,
    reported_by: loader,
}
