//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// The file is not UTF-8 (or starts with a byte order mark).
    ///
    /// ## What it checks
    /// Invalid UTF-8, UTF-16 text (with a byte order mark), and, as a warning, a UTF-8 byte order
    /// mark.
    ///
    /// ## Why it matters on Railway
    /// Go's JSON decoder only reads UTF-8 and treats a BOM as an invalid character, so the build
    /// fails with "Failed to read config file". Editors on Windows sometimes save files this way.
    ///
    /// ## Example
    /// A `railpack.json` saved as "UTF-16 LE" by an editor.
    /// Fix: save it as UTF-8 without BOM (`iconv -f UTF-16 -t UTF-8`).
    code: RC105,
    name: "bad-encoding",
    severity: Error,
    reported_by: loader,
}
