//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// The file is not valid JSON with comments (JWCC) or TOML.
    ///
    /// ## What it checks
    /// The first syntax error in a `railpack.json`, `railway.json` or `railway.toml`: a missing comma,
    /// an unterminated string, a number out of range (a JSON number that is not a finite 64-bit float,
    /// a TOML integer outside 64 bits), a raw control character inside a string (JSON requires
    /// `\u0000`-style escapes), nesting deeper than 512 levels (80 in TOML), an empty file.
    /// Comments and trailing commas are not errors: Railpack accepts them (RC103 notes them).
    ///
    /// ## Why it matters on Railway
    /// Railpack stops the build with "Failed to read config file"; Railway rejects an unreadable
    /// config-as-code file before building. Other files of the repository are still checked.
    ///
    /// ## Example
    /// ```json
    /// { "provider": "node" "packages": {} }
    /// ```
    /// Fix: add the missing comma after `"node"`.
    code: RC101,
    name: "parse-error",
    severity: Error,
    reported_by: loader,
}
