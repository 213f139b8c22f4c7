//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// Comments or trailing commas: valid for Railpack, rejected by jq and plain JSON tools.
    ///
    /// ## What it checks
    /// `//` or `/* */` comments and trailing commas in a JSON config file.
    ///
    /// ## Why it matters on Railway
    /// Railpack reads JWCC (it standardizes the text with hujson), so the build works. But jq,
    /// `python -m json.tool`, and most validators reject the file: the guide's own project broke its
    /// jq check with one stray trailing comma. `railway.json` is read by Railway, which expects JSON.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   // the web service
    ///   "provider": "node",
    /// }
    /// ```
    /// Fix: keep it if only Railpack reads the file, else remove the comment and the last comma.
    code: RC103,
    name: "non-portable-json",
    severity: Info,
    reported_by: loader,
}
