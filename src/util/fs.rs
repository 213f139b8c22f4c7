//! File I/O shared by every layer: the atomic writer (`migrate`, `--output-file`) and the
//! bounded reader for project sources that heuristic rules look at.

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use crate::util::fscache::FsCache;

/// Writes a sibling temporary file, then renames it over `path`: readers see the old file
/// or the whole new one, never a part; on failure the temporary file is removed.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else {
        bail!("not a file name");
    };
    if path.is_dir() {
        bail!("is a directory");
    }
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{}.{}.{attempt}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(err) => return Err(err.into()),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(err) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err.into());
    }
    Ok(())
}

/// Largest source file (package.json, app code) a rule reads.
pub(crate) const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

/// Reads a project source file that is not a config (package.json, next.config.mjs, app
/// code) for a heuristic rule: only regular files under [`MAX_SOURCE_BYTES`], so a FIFO,
/// a device or a huge file named like one never blocks or floods the run.
pub(crate) fn read_source(fs: &FsCache, path: &std::path::Path) -> Option<String> {
    // Read once per run, however many rules ask.
    fs.read_text(path, MAX_SOURCE_BYTES)
}

/// A project source file ([`read_source`]'s limits) decoded as JSON, once per run: the one
/// place package.json is parsed, however many facts and rules read it.
pub(crate) fn read_source_json(fs: &FsCache, path: &std::path::Path) -> Option<std::sync::Arc<serde_json::Value>> {
    fs.read_json(path, MAX_SOURCE_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sarif");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.sarif"]);
        // A folder in the way: an error, the folder untouched, no temporary file left.
        std::fs::create_dir(dir.path().join("taken")).unwrap();
        assert!(write_atomically(&dir.path().join("taken"), b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        assert!(write_atomically(&dir.path().join("missing/out.json"), b"x").is_err());
    }
}
