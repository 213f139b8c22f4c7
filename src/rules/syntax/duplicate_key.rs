//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// An object defines the same key twice: object blocks merge, otherwise the last value wins.
    ///
    /// ## What it checks
    /// An object in which a key appears more than once (in `railpack.json`, also two spellings of
    /// one field that differ only in case, such as `deploy` and `Deploy`). The finding points at
    /// the later key and labels the first one.
    ///
    /// ## Why it matters on Railway
    /// Railpack parses its config with hujson, which keeps repeated keys, then Go's
    /// `encoding/json`, which decodes each occurrence in turn into the same struct (domain.md
    /// section 1, "How Go's encoding/json decodes"). So two object blocks **merge**: the keys of
    /// both are read, and a key set in both takes the later value. A repeated string, number or
    /// array is simply overwritten: only the last one is read. A repeated step or cache name in
    /// `steps`/`caches` replaces the earlier step. Nothing fails, but a setting you edited in the
    /// first block may be silently overridden by the second.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "yarn start" }, "provider": "node", "provider": "python", "deploy": { "inputs": ["..."] } }
    /// ```
    /// Railpack reads `deploy` with both `startCommand` and `inputs`, and `provider` `python`.
    /// Fix: write each key once: `{ "provider": "node", "deploy": { "startCommand": "yarn start", "inputs": ["..."] } }`.
    code: RC102,
    name: "duplicate-key",
    severity: Warning,
    reported_by: loader,
}
