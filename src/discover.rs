//! Finds config files under the target folder: pruned walk, no symlinks followed out of
//! the tree, nothing but regular files opened, deterministic order.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

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
        let root_meta =
            std::fs::metadata(self.root).with_context(|| format!("cannot read `{}`", self.root.display()))?;
        if !root_meta.is_dir() {
            bail!("`{}` is not a directory", self.root.display());
        }
        let canonical_root = self.root.canonicalize()?;
        let mut found = Vec::new();
        let walker = WalkDir::new(self.root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|entry| {
                if entry.depth() == 0 {
                    return true;
                }
                // Cheapest test first: a pruned folder costs one name comparison, and nothing
                // below it is ever listed.
                if entry.file_type().is_dir() && PRUNED_DIRS.iter().any(|d| entry.file_name() == *d) {
                    return false;
                }
                self.excludes.is_empty() || !self.excludes.is_match(display_path(self.root, entry.path()))
            });
        for entry in walker {
            // An unreadable folder is skipped; the rest of the tree is still checked.
            let Ok(entry) = entry else { continue };
            let Some(kind) = entry.file_name().to_str().and_then(FileKind::from_file_name) else {
                continue;
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let refused = refusal(entry.path(), entry.path_is_symlink(), &canonical_root);
            found.push(Found {
                abs_path: entry.path().to_path_buf(),
                rel_path: display_path(self.root, entry.path()),
                kind,
                refused,
            });
        }
        found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        Ok(found)
    }
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
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err("file is over the 10 MiB limit".to_string());
    }
    Ok(bytes)
}
