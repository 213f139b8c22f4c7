//! reported by the pipeline after suppressions are applied.

use crate::rules::declare_rule;

declare_rule! {
    /// A `railcheck-ignore` comment that silences nothing, or names no rule.
    ///
    /// ## What it checks
    /// `// railcheck-ignore CODE` comments (`#` in TOML) that silence no finding: the rule no
    /// longer fires on that line (the problem was fixed, or the comment moved away from it), or
    /// the comment names no known rule code or name, or none at all. A suppression of a rule
    /// that the configuration does not run (`--select`, `--ignore`, `[[overrides]]`) is not
    /// reported.
    ///
    /// ## Why it matters on Railway
    /// A stale suppression hides the next real problem on that line: the day someone puts a
    /// wrong key back, nothing warns them before the deploy. Keeping suppressions exact keeps
    /// the readiness report honest.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "deploy": {
    ///     // railcheck-ignore RC202: kept for the old builder
    ///     "startCommand": "node server.js"
    ///   }
    /// }
    /// ```
    /// `startCommand` is a key Railpack reads, so RC202 never fires on that line. Fix: delete the
    /// comment.
    code: RC120,
    name: "unused-suppression",
    severity: Warning,
    reported_by: loader,
}
