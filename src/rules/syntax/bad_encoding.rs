//! reported while loading a file.

use crate::rules::declare_rule;

declare_rule! {
    /// The file is not UTF-8 (or starts with a byte order mark).
    ///
    /// ## What it checks
    /// Invalid UTF-8, UTF-16 text (with a byte order mark), and a UTF-8 byte order mark: an error
    /// in `railpack.json` (and a file named by `RAILPACK_CONFIG_FILE`), a warning in other files.
    ///
    /// ## Why it matters on Railway
    /// Railpack standardizes `railpack.json` with tailscale/hujson before Go's `encoding/json`;
    /// hujson rejects a byte order mark, so the build fails with "Failed to read config file"
    /// (domain.md section 1). Go's decoder and jq only read UTF-8 without a BOM either. Editors on
    /// Windows sometimes save files this way.
    ///
    /// ## Example
    /// A `railpack.json` saved as "UTF-16 LE" by an editor.
    /// Fix: save it as UTF-8 without BOM (`iconv -f UTF-16 -t UTF-8`).
    code: RC105,
    name: "bad-encoding",
    severity: Error,
    reported_by: loader,
}
