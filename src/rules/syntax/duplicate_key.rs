//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// An object defines the same key twice.
    ///
    /// ## What it checks
    /// An object in which a key appears more than once. The finding points at the later key and
    /// labels the first one.
    ///
    /// ## Why it matters on Railway
    /// Go's JSON decoder keeps only the last value, silently: the first block (often the one you
    /// edited) is never used.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "yarn start" }, "deploy": { "inputs": ["."] } }
    /// ```
    /// Fix: merge both into one `deploy` object.
    code: RC102,
    name: "duplicate-key",
    severity: Error,
    reported_by: loader,
}
