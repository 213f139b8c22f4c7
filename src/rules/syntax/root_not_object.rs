//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// The top-level value is not an object.
    ///
    /// ## What it checks
    /// A config file whose top-level value is an array, a string, a number, `true`/`false` or `null`.
    ///
    /// ## Why it matters on Railway
    /// Railpack decodes the file into its config struct and fails the build with "Failed to read
    /// config file"; Railway rejects a config-as-code file that is not an object.
    ///
    /// ## Example
    /// ```json
    /// [{ "provider": "node" }]
    /// ```
    /// Fix: `{ "provider": "node" }`.
    code: RC104,
    name: "root-not-object",
    severity: Error,
    reported_by: loader,
}
