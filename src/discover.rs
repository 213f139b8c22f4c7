//! Finds config files under the target folder: pruned walk, no symlinks followed out of
//! the tree, nothing but regular files opened, deterministic order.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::fscache::{EntryKind, Listing, Listings};
use crate::parallel;
use crate::source::{FileKind, display_path};

/// Files larger than this are refused (RC106), never read.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Folders never descended into: dependencies, build output, VCS data.
pub const PRUNED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".next",
];

#[derive(Debug)]
pub struct Found {
    pub abs_path: PathBuf,
    /// Relative to the root, `/`-separated.
    pub rel_path: String,
    pub kind: FileKind,
    /// Why the file is not read, when it is not.
    pub refused: Option<String>,
}

pub struct Walk<'a> {
    pub root: &'a Path,
    pub excludes: &'a GlobSet,
}

pub fn build_globs(patterns: &[String]) -> Result<GlobSet> {
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
    pub fn run(&self) -> Result<Vec<Found>> {
        Ok(self.run_with_listings()?.0)
    }

    /// Also returns the complete listing of every folder the walk read, for
    /// [`crate::fscache`]: rules asking about files in those folders then need no `stat`.
    pub fn run_with_listings(&self) -> Result<(Vec<Found>, Listings)> {
        let root_meta =
            std::fs::metadata(self.root).with_context(|| format!("cannot read `{}`", self.root.display()))?;
        if !root_meta.is_dir() {
            bail!("`{}` is not a directory", self.root.display());
        }
        let canonical_root = self.root.canonicalize()?;
        let mut found = Vec::new();
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
                next.extend(folder.subdirs);
            }
            level = next;
        }
        found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        Ok((found, listings))
    }

    /// Lists one folder: its config files, the subfolders to descend into (not pruned, not
    /// excluded, not symlinks) and its complete listing (`None` if an entry was unreadable).
    fn read_folder(&self, dir: &Path, canonical_root: &Path) -> Option<Folder> {
        let mut folder = Folder {
            listing: Some(Listing::default()),
            found: Vec::new(),
            subdirs: Vec::new(),
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
                continue;
            }
            let path = dir.join(&name);
            if !self.excludes.is_empty() && self.excludes.is_match(display_path(self.root, &path)) {
                continue;
            }
            if kind == EntryKind::Dir {
                folder.subdirs.push(path);
                continue;
            }
            let Some(file_kind) = name.to_str().and_then(FileKind::from_file_name) else {
                continue;
            };
            let refused = refusal(&path, kind == EntryKind::Symlink, canonical_root);
            folder.found.push(Found {
                rel_path: display_path(self.root, &path),
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
}

/// Decides, without opening it, whether a file may be read.
pub fn refusal(path: &Path, is_symlink: bool, canonical_root: &Path) -> Option<String> {
    if is_symlink {
        let Ok(target) = path.canonicalize() else {
            return Some("symlink is dangling or loops".to_string());
        };
        if !target.starts_with(canonical_root) {
            return Some("symlink points outside the repository, where Railway cannot see it".to_string());
        }
    }
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(err) => return Some(format!("cannot read file: {err}")),
    };
    if !meta.is_file() {
        return Some(if meta.is_dir() {
            "is a directory".to_string()
        } else {
            "not a regular file (FIFO, socket or device); never opened".to_string()
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Some(format!("file is {} bytes, over the 10 MiB limit", meta.len()));
    }
    None
}

/// Reads at most `MAX_FILE_BYTES + 1` bytes, so a file that grows while read is still bounded.
pub fn read_bounded(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    // Sized from the start: growing from 32 bytes costs a `read` call per doubling.
    let size = file.metadata().map_or(0, |m| m.len().min(MAX_FILE_BYTES));
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err("file is over the 10 MiB limit".to_string());
    }
    Ok(bytes)
}
