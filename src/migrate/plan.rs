//! What migrate would do, computed without touching the disk: the files it writes and
//! the lists it shows.

use std::path::Path;

use crate::iac::EmitService;

/// One file migrate writes: its path relative to the project root, the text it has now
/// (`None`: it does not exist) and the text it gets (`None`: it is removed, kept as `.orig`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub(crate) path: String,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

/// Everything migrate would do, computed without touching the disk.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// (name, root) of every service migrated.
    pub(crate) services: Vec<(String, String)>,
    pub(crate) changes: Vec<FileChange>,
    pub(crate) applied: Vec<String>,
    pub(crate) refused: Vec<String>,
    /// Keys left behind because neither Railpack nor Railway has such a setting.
    pub(crate) dropped: Vec<String>,
    /// Settings written differently in two files, and which one was kept.
    pub(crate) conflicts: Vec<String>,
    /// What must be done in Railway itself: variables, config-file paths.
    pub(crate) in_railway: Vec<String>,
    /// Why the plan must not be written at all, even with `--force`: writing it would
    /// remove the only copy of settings migrate could not place.
    pub(crate) blocking: Vec<String>,
    /// The services `.railway/railway.ts` declares, in service order.
    pub(super) iac_services: Vec<EmitService>,
    /// Config-as-Code files whose settings moved to railway.ts: removed (kept as `.orig`)
    /// when railway.ts is written.
    pub(super) retired: Vec<FileChange>,
}

/// Where migrate puts the service map and how paths are seen from outside the project.
pub(crate) struct Target<'a> {
    /// The `railcheck.toml` in force (found or given), if any.
    pub(crate) config_file: Option<&'a Path>,
}
