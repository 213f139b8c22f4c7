//! Finds config files under the target folder: pruned walk, no symlinks followed out of
//! the tree, nothing but regular files opened, deterministic order.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::diagnostic::Severity;
use crate::source::{FileKind, display_path};
use crate::util::fscache::{EntryKind, Listing, Listings};
use crate::util::parallel;

/// Files larger than this are refused (RC106), never read.
pub(crate) const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Folders never descended into: dependencies, build output, VCS data.
pub(crate) const PRUNED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".next",
];

#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) abs_path: PathBuf,
    /// Relative to the root, `/`-separated.
    pub(crate) rel_path: String,
    pub(crate) kind: FileKind,
    /// Why the file is not read, when it is not.
    pub(crate) refused: Option<Refusal>,
}

/// Why a config file is not read (RC106).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// A folder named like a config file.
    Folder,
    /// A symlink to a folder.
    LinksToFolder,
    DanglingSymlink,
    /// A symlink whose target is outside the repository.
    SymlinkOutside,
    /// A FIFO, socket or device; `opened` when found only once open (swapped in after the walk).
    NotRegular {
        opened: bool,
    },
    TooLarge(u64),
    GrewTooLarge,
    /// The operating system's error.
    Io(String),
}

impl Refusal {
    /// Nothing is lost by skipping a folder named like a config; anything else is.
    pub(crate) fn severity(&self) -> Severity {
        match self {
            Refusal::Folder => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Folder => {
                f.write_str("this is a folder, not a file; Railpack and Railway look for a file of this name")
            }
            Refusal::LinksToFolder => f.write_str("is a directory"),
            Refusal::DanglingSymlink => f.write_str("symlink is dangling or loops"),
            Refusal::SymlinkOutside => {
                f.write_str("symlink points outside the repository, where Railway cannot see it")
            }
            Refusal::NotRegular { opened: false } => {
                f.write_str("not a regular file (FIFO, socket or device); never opened")
            }
            Refusal::NotRegular { opened: true } => {
                f.write_str("not a regular file (FIFO, socket or device); never read")
            }
            Refusal::TooLarge(len) => write!(f, "file is {len} bytes, over the 10 MiB limit; never read"),
            Refusal::GrewTooLarge => f.write_str("file grew over the 10 MiB limit while read"),
            Refusal::Io(err) => write!(f, "cannot read file: {err}"),
        }
    }
}

/// A path the walk did not look into, and why (`--show-files`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Skipped {
    /// Relative to the root, `/`-separated.
    pub(crate) rel_path: String,
    pub(crate) reason: &'static str,
}

pub(crate) const PRUNED: &str = "pruned folder (dependencies, build output or VCS data)";
pub(crate) const EXCLUDED: &str = "matches an --exclude glob";

pub(crate) struct Walk<'a> {
    pub(crate) root: &'a Path,
    pub(crate) excludes: &'a GlobSet,
}

pub(crate) fn build_globs(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).with_context(|| format!("invalid glob `{pattern}`"))?;
        builder.add(glob);
        // `legacy` should also exclude everything below it.
        if !pattern.ends_with("/**") {
            builder.add(Glob::new(&format!("{}/**", pattern.trim_end_matches('/')))?);
        }
    }
    Ok(builder.build()?)
}

impl Walk<'_> {
    /// Also returns the complete listing of every folder the walk read, for
    /// [`crate::util::fscache`]: rules asking about files in those folders then need no `stat`.
    pub(crate) fn run_with_listings(&self) -> Result<(Vec<Found>, Listings)> {
        self.run_explained().map(|(found, listings, _)| (found, listings))
    }

    /// Also returns what the walk skipped (pruned and excluded paths), sorted.
    pub(crate) fn run_explained(&self) -> Result<(Vec<Found>, Listings, Vec<Skipped>)> {
        let root_meta =
            std::fs::metadata(self.root).with_context(|| format!("cannot read `{}`", self.root.display()))?;
        if !root_meta.is_dir() {
            bail!("`{}` is not a directory", self.root.display());
        }
        let canonical_root = self.root.canonicalize()?;
        let mut found = Vec::new();
        let mut skipped = Vec::new();
        let mut listings = Listings::default();
        // Breadth first, one level at a time; the folders of a level are read on all cores
        // (the walk is mostly system calls). Order does not matter: `found` is sorted, and
        // each listing keeps its folder's own order.
        let mut level = vec![self.root.to_path_buf()];
        while !level.is_empty() {
            let read = parallel::map(level.len(), parallel::threads_for(level.len()), |i| {
                self.read_folder(&level[i], &canonical_root)
            });
            let mut next = Vec::new();
            for (dir, folder) in level.iter().zip(read) {
                // An unreadable folder is skipped; the rest of the tree is still checked.
                let Some(folder) = folder else { continue };
                if let Some(listing) = folder.listing {
                    listings.insert(dir, listing);
                }
                found.extend(folder.found);
                skipped.extend(folder.skipped);
                next.extend(folder.subdirs);
            }
            level = next;
        }
        found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        skipped.sort_by(|a: &Skipped, b: &Skipped| a.rel_path.cmp(&b.rel_path));
        Ok((found, listings, skipped))
    }

    /// Lists one folder: its config files, the subfolders to descend into (not pruned, not
    /// excluded, not symlinks) and its complete listing (`None` if an entry was unreadable).
    fn read_folder(&self, dir: &Path, canonical_root: &Path) -> Option<Folder> {
        let mut folder = Folder {
            listing: Some(Listing::default()),
            found: Vec::new(),
            subdirs: Vec::new(),
            skipped: Vec::new(),
        };
        for entry in std::fs::read_dir(dir).ok()? {
            let Ok((entry, file_type)) = entry.and_then(|e| e.file_type().map(|t| (e, t))) else {
                folder.listing = None;
                continue;
            };
            let name = entry.file_name();
            let kind = EntryKind::of(file_type);
            if let Some(listing) = &mut folder.listing {
                listing.push(name.clone(), kind);
            }
            // Cheapest test first: a pruned folder costs one name comparison, and nothing
            // below it is ever listed.
            if kind == EntryKind::Dir && PRUNED_DIRS.iter().any(|d| name == *d) {
                folder.skipped.push(Skipped {
                    rel_path: display_path(self.root, &dir.join(&name)),
                    reason: PRUNED,
                });
                continue;
            }
            let path = dir.join(&name);
            if !self.excludes.is_empty() && self.excludes.is_match(display_path(self.root, &path)) {
                // Only what would have been looked at: folders and files named like configs.
                if kind == EntryKind::Dir || name.to_str().and_then(FileKind::from_file_name).is_some() {
                    folder.skipped.push(Skipped {
                        rel_path: display_path(self.root, &path),
                        reason: EXCLUDED,
                    });
                }
                continue;
            }
            if kind == EntryKind::Dir {
                // A folder named like a config is reported (a warning), and walked like any other.
                if let Some(file_kind) = name.to_str().and_then(FileKind::from_file_name) {
                    folder.found.push(Found {
                        rel_path: display_path(self.root, &path),
                        abs_path: path.clone(),
                        kind: file_kind,
                        refused: Some(Refusal::Folder),
                    });
                }
                folder.subdirs.push(path);
                continue;
            }
            let rel_path = display_path(self.root, &path);
            let Some(file_kind) = FileKind::from_rel_path(&rel_path) else {
                continue;
            };
            let refused = refusal(&path, kind == EntryKind::Symlink, canonical_root);
            folder.found.push(Found {
                rel_path,
                abs_path: path,
                kind: file_kind,
                refused,
            });
        }
        Some(folder)
    }
}

/// What reading one folder yields.
struct Folder {
    listing: Option<Listing>,
    found: Vec<Found>,
    subdirs: Vec<PathBuf>,
    /// Pruned and excluded entries (few: nothing below them is listed).
    skipped: Vec<Skipped>,
}

/// Decides, without opening it, whether a file may be read.
pub(crate) fn refusal(path: &Path, is_symlink: bool, canonical_root: &Path) -> Option<Refusal> {
    if is_symlink {
        let Ok(target) = path.canonicalize() else {
            return Some(Refusal::DanglingSymlink);
        };
        if !target.starts_with(canonical_root) {
            return Some(Refusal::SymlinkOutside);
        }
    }
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) => return Some(Refusal::Io(err.to_string())),
    };
    if !meta.is_file() {
        return Some(if meta.is_dir() {
            Refusal::LinksToFolder
        } else {
            Refusal::NotRegular { opened: false }
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Some(Refusal::TooLarge(meta.len()));
    }
    None
}

/// Reads at most `MAX_FILE_BYTES + 1` bytes, so a file that grows while read is still bounded.
/// Opened without blocking and checked again once open, so a file swapped for a FIFO after
/// `refusal` looked at it cannot hang the run.
pub(crate) fn read_bounded(path: &Path) -> std::result::Result<Vec<u8>, Refusal> {
    let io = |e: std::io::Error| Refusal::Io(e.to_string());
    let file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Refusal::NotRegular { opened: true });
    }
    // Sized from the start: growing from 32 bytes costs a `read` call per doubling.
    let size = meta.len().min(MAX_FILE_BYTES);
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::GrewTooLarge);
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const O_NONBLOCK: i32 = 0o4000;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const O_NONBLOCK: i32 = 0x0004;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "{}").unwrap();
    }

    fn walk(root: &Path, excludes: &[&str]) -> (Vec<Found>, Listings) {
        let globs = build_globs(&excludes.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        Walk { root, excludes: &globs }.run_with_listings().unwrap()
    }

    #[test]
    fn finds_configs_sorted_and_skips_pruned_and_excluded_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "railpack.json",
            "apps/web/railway.json",
            "apps/web/railpack.json",
            "apps/api/railway.toml",
            "apps/web/node_modules/pkg/railpack.json",
            "apps/web/.next/railpack.json",
            "legacy/old/railpack.json",
            "apps/web/src/app/page.tsx",
        ] {
            write(root, rel);
        }
        fs::create_dir_all(root.join("apps/dir/railpack.json")).unwrap();
        // Enough folders on one level for the walk to read them on several threads.
        for i in 0..40 {
            write(root, &format!("services/s{i:02}/railpack.json"));
        }
        let (found, _) = walk(root, &["legacy"]);
        let (folders, found): (Vec<Found>, Vec<Found>) =
            found.into_iter().partition(|f| f.refused == Some(Refusal::Folder));
        assert_eq!(folders.len(), 1);
        assert_eq!(folders[0].rel_path, "apps/dir/railpack.json");
        assert_eq!(folders[0].refused, Some(Refusal::Folder));
        let paths: Vec<&str> = found.iter().map(|f| f.rel_path.as_str()).collect();
        let mut want = vec![
            "apps/api/railway.toml",
            "apps/web/railpack.json",
            "apps/web/railway.json",
            "railpack.json",
        ];
        let services: Vec<String> = (0..40).map(|i| format!("services/s{i:02}/railpack.json")).collect();
        want.extend(services.iter().map(String::as_str));
        assert_eq!(paths, want);
        assert!(found.iter().all(|f| f.refused.is_none()));
        assert_eq!(found[0].kind, FileKind::RailwayToml);
    }

    #[test]
    fn listings_answer_for_walked_folders_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "apps/web/railpack.json");
        write(root, "apps/web/node_modules/x/package.json");
        let (_, listings) = walk(root, &[]);
        let cache = crate::util::fscache::FsCache::with_listings(listings);
        let web = root.join("apps/web");
        assert!(cache.is_file(&web.join("railpack.json")));
        assert!(!cache.is_file(&web.join("Dockerfile")));
        assert!(cache.is_dir(&web.join("node_modules")));
        // Below a pruned folder the file system answers.
        assert!(cache.is_file(&web.join("node_modules/x/package.json")));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_tree_and_fifos_are_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(outside.path(), "railpack.json");
        fs::create_dir_all(root.join("a")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("railpack.json"), root.join("a/railpack.json")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).unwrap();
        let fifo = root.join("railway.json");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        let (found, _) = walk(root, &[]);
        let a = found.iter().find(|f| f.rel_path == "a/railpack.json").unwrap();
        assert!(a.refused == Some(Refusal::SymlinkOutside), "{a:?}");
        assert!(
            found.iter().all(|f| !f.rel_path.starts_with("linked/")),
            "symlinked folders are not followed"
        );
        if status.is_ok_and(|s| s.success()) {
            let f = found.iter().find(|f| f.rel_path == "railway.json").unwrap();
            assert_eq!(f.refused, Some(Refusal::NotRegular { opened: false }), "{f:?}");
        }
    }
}
