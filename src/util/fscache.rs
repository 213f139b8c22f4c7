//! A per-run memo of the file system, so that rules asking the same questions about the
//! same service folders cost no system calls after the first.
//!
//! One [`FsCache`] lives for one run: `pipeline::validate_with` starts it from the folders
//! the discovery walk listed and hands it to everything that looks at the disk (the model's
//! root facts, the rules through `rules::Context::fs`, the route scan). "Does
//! `apps/web/Dockerfile` exist?" is then answered from the listing of `apps/web` without a
//! `stat`, a file read by three rules is read once, a package.json is decoded once, and a
//! folder walked by two rules is listed once. Code outside a run (plan, migrate, tests)
//! passes a fresh `FsCache::default()`, which memoizes the same way.
//!
//! The answers are those of the moment each folder was first listed: a run is a snapshot.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Maps keyed by a path's bytes: hashing a `Path` parses its components and SipHash is
/// built against hostile keys, which local paths are not. Together they were 13% of a
/// 1,000-service run.
type FastMap<V> = HashMap<Box<[u8]>, V, BuildHasherDefault<FxHasher>>;

/// The multiply-rotate hash of rustc's `FxHasher`.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The key of a path: its bytes without trailing separators, so that `root/` (as given on
/// the command line) and `root/x`'s parent agree.
fn key(path: &Path) -> &[u8] {
    let bytes = path.as_os_str().as_encoded_bytes();
    let trimmed = bytes.len() - bytes.iter().rev().take_while(|&&b| b == b'/').count();
    &bytes[..trimmed.max(1).min(bytes.len())]
}

/// A path's parent key and file name, when both are plain (no `.`/`..` at the end).
fn split(path: &Path) -> Option<(&[u8], &[u8])> {
    let bytes = key(path);
    let cut = bytes.iter().rposition(|&b| b == b'/')?;
    let name = &bytes[cut + 1..];
    if name.is_empty() || name == b"." || name == b".." {
        return None;
    }
    let parent = &bytes[..cut];
    let parent_len = parent.len() - parent.iter().rev().take_while(|&&b| b == b'/').count();
    // `/c`: the parent is the file system root itself.
    Some((&bytes[..parent_len.max(1)], name))
}

/// What a folder entry is, without following symlinks (like `DirEntry::file_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryKind {
    File,
    Dir,
    Symlink,
    /// FIFO, socket, device.
    Other,
}

impl EntryKind {
    pub(crate) fn of(file_type: fs::FileType) -> EntryKind {
        if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_dir() {
            EntryKind::Dir
        } else if file_type.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) name: OsString,
    pub(crate) kind: EntryKind,
}

/// One folder's entries in the order the operating system lists them.
#[derive(Default)]
pub(crate) struct Listing {
    pub(crate) entries: Vec<Entry>,
    index: FastMap<usize>,
}

impl Listing {
    pub(crate) fn push(&mut self, name: OsString, kind: EntryKind) {
        self.index.insert(name.as_encoded_bytes().into(), self.entries.len());
        self.entries.push(Entry { name, kind });
    }

    pub(crate) fn get(&self, name: &OsStr) -> Option<EntryKind> {
        self.get_bytes(name.as_encoded_bytes())
    }

    fn get_bytes(&self, name: &[u8]) -> Option<EntryKind> {
        self.index.get(name).map(|&i| self.entries[i].kind)
    }

    fn read(dir: &Path) -> Option<Listing> {
        let mut listing = Listing::default();
        for entry in fs::read_dir(dir).ok()? {
            // A listing with a hole would answer "missing" wrongly: give up instead.
            let entry = entry.ok()?;
            listing.push(entry.file_name(), EntryKind::of(entry.file_type().ok()?));
        }
        Some(listing)
    }
}

/// Folders listed by the discovery walk, to start a cache from.
#[derive(Default)]
pub(crate) struct Listings(FastMap<Listing>);

impl Listings {
    /// Records the complete listing of a folder.
    pub(crate) fn insert(&mut self, dir: &Path, listing: Listing) {
        self.0.insert(key(dir).into(), listing);
    }
}

/// What `fs::metadata` (following symlinks) says about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    File(u64),
    Dir,
    Other,
    Missing,
}

/// Listings (from the discovery walk) and memoized answers for one run.
#[derive(Default)]
pub struct FsCache {
    /// `None`: the folder could not be listed (missing, not a folder, unreadable).
    dirs: RwLock<FastMap<Option<Arc<Listing>>>>,
    stats: RwLock<FastMap<Kind>>,
    /// Keyed by path; the size limit is part of the value.
    reads: RwLock<FastMap<(u64, Option<Arc<str>>)>>,
    /// Files decoded as JSON (package.json), keyed by path; the size limit is part of the value.
    json: RwLock<FastMap<(u64, Option<Arc<serde_json::Value>>)>>,
}

impl FsCache {
    /// A cache that starts from folders already listed (complete listings only).
    pub(crate) fn with_listings(listings: Listings) -> FsCache {
        let dirs = listings
            .0
            .into_iter()
            .map(|(dir, listing)| (dir, Some(Arc::new(listing))))
            .collect();
        FsCache {
            dirs: RwLock::new(dirs),
            ..FsCache::default()
        }
    }

    /// The entries of a folder, listed once per run.
    pub(crate) fn read_dir(&self, dir: &Path) -> Option<Arc<Listing>> {
        if let Some(known) = read(&self.dirs).get(key(dir)) {
            return known.clone();
        }
        let listing = Listing::read(dir).map(Arc::new);
        write(&self.dirs).insert(key(dir).into(), listing.clone());
        listing
    }

    /// The parent's listing, when it is already known: an unknown parent is not listed just
    /// to answer one question (a `stat` is cheaper than reading a folder).
    fn entry(&self, path: &Path) -> Option<Option<EntryKind>> {
        let (parent, name) = split(path)?;
        let dirs = read(&self.dirs);
        let listing = dirs.get(parent)?.as_ref()?;
        Some(listing.get_bytes(name))
    }

    fn kind(&self, path: &Path) -> Kind {
        match self.entry(path) {
            Some(None) => return Kind::Missing,
            Some(Some(EntryKind::Dir)) => return Kind::Dir,
            Some(Some(EntryKind::Other)) => return Kind::Other,
            // Files need their size (for reads) and symlinks their target: ask once.
            Some(Some(EntryKind::File | EntryKind::Symlink)) | None => {}
        }
        if let Some(kind) = read(&self.stats).get(key(path)) {
            return *kind;
        }
        let kind = stat(path);
        write(&self.stats).insert(key(path).into(), kind);
        kind
    }

    /// Is `name` (one path segment) certainly absent from folder `dir`? True only when the
    /// folder's listing says so: a probe for a file that is not there then costs no path to
    /// build. False when it may be there, or for a name with a separator.
    pub(crate) fn lacks(&self, dir: &Path, name: &str) -> bool {
        !name.contains('/')
            && self
                .read_dir(dir)
                .is_some_and(|listing| listing.get(OsStr::new(name)).is_none())
    }

    /// `path.is_dir()`, memoized.
    pub(crate) fn is_dir(&self, path: &Path) -> bool {
        match self.entry(path) {
            Some(None | Some(EntryKind::File | EntryKind::Other)) => false,
            Some(Some(EntryKind::Dir)) => true,
            Some(Some(EntryKind::Symlink)) | None => self.kind(path) == Kind::Dir,
        }
    }

    /// `path.exists()`, memoized.
    pub(crate) fn exists(&self, path: &Path) -> bool {
        match self.entry(path) {
            Some(None) => false,
            Some(Some(EntryKind::File | EntryKind::Dir | EntryKind::Other)) => true,
            // A dangling symlink does not exist for `Path::exists`.
            Some(Some(EntryKind::Symlink)) | None => self.kind(path) != Kind::Missing,
        }
    }

    /// `path.is_file()`, memoized.
    pub fn is_file(&self, path: &Path) -> bool {
        match self.entry(path) {
            Some(None) => false,
            Some(Some(EntryKind::File)) => true,
            Some(Some(EntryKind::Dir | EntryKind::Other)) => false,
            Some(Some(EntryKind::Symlink)) | None => matches!(self.kind(path), Kind::File(_)),
        }
    }

    /// A regular file of at most `max` bytes as text (`None` if missing, not a regular file,
    /// larger, or not UTF-8), read once per run; shared, not copied.
    pub(crate) fn read_shared(&self, path: &Path, max: u64) -> Option<Arc<str>> {
        // Never opened unless a regular file: opening a FIFO would block.
        if !matches!(self.kind(path), Kind::File(len) if len <= max) {
            return None;
        }
        memo(&self.reads, path, max, || read_open(path, max).map(Arc::from))
    }
}

impl FsCache {
    /// [`FsCache::read_shared`] as a `String` of its own.
    pub(crate) fn read_text(&self, path: &Path, max: u64) -> Option<String> {
        self.read_shared(path, max).map(|text| text.to_string())
    }

    /// A regular file of at most `max` bytes decoded as JSON (`None` if it cannot be read, as
    /// for [`FsCache::read_text`], or is not JSON), decoded once per run however many rules
    /// ask: the one place package.json is parsed.
    pub(crate) fn read_json(&self, path: &Path, max: u64) -> Option<Arc<serde_json::Value>> {
        memo(&self.json, path, max, || {
            self.read_shared(path, max)
                .and_then(|text| serde_json::from_str(&text).ok())
                .map(Arc::new)
        })
    }
}

/// What `map` holds for `path` read with this size limit, else `compute()`'s answer, kept.
fn memo<V: Clone>(map: &RwLock<FastMap<(u64, V)>>, path: &Path, max: u64, compute: impl FnOnce() -> V) -> V {
    if let Some((limit, value)) = read(map).get(key(path))
        && *limit == max
    {
        return value.clone();
    }
    let value = compute();
    write(map).insert(key(path).into(), (max, value.clone()));
    value
}

// Read-mostly maps: threads asking at once do not wait for each other. A panic while
// holding a lock leaves a consistent map (inserts are single calls).
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn stat(path: &Path) -> Kind {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Kind::File(meta.len()),
        Ok(meta) if meta.is_dir() => Kind::Dir,
        Ok(_) => Kind::Other,
        Err(_) => Kind::Missing,
    }
}

/// Reads a file already known to be a regular file of at most `max` bytes.
fn read_open(path: &Path, max: u64) -> Option<String> {
    let file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len().min(max);
    let mut text = String::with_capacity(size as usize + 1);
    // `take` bounds a file that grows while it is read.
    file.take(max + 1).read_to_string(&mut text).ok()?;
    (text.len() as u64 <= max).then_some(text)
}

/// A file or folder found by [`FsCache::walk`].
#[derive(Debug)]
pub(crate) struct Walked {
    pub(crate) path: PathBuf,
    pub(crate) kind: EntryKind,
}

impl Walked {
    pub(crate) fn file_name(&self) -> &OsStr {
        self.path.file_name().unwrap_or(self.path.as_os_str())
    }
}

impl FsCache {
    /// What `walkdir::WalkDir::new(root).max_depth(max_depth)` with
    /// `.filter_entry(|e| keep(e))` and `.filter_map(Result::ok)` yields, in the same order,
    /// from the run's listings: the root first (unless it is missing), then depth first. Like
    /// walkdir, the root is followed if it is a symlink; other symlinks are not.
    pub(crate) fn walk(&self, root: &Path, max_depth: usize, keep: &dyn Fn(&Walked) -> bool) -> Vec<Walked> {
        let mut out = Vec::new();
        let root_kind = match self.kind_of_root(root) {
            Some(kind) => kind,
            None => return out,
        };
        let root_entry = Walked {
            path: root.to_path_buf(),
            kind: root_kind,
        };
        if !keep(&root_entry) {
            return out;
        }
        let descend = root_entry.kind == EntryKind::Dir;
        out.push(root_entry);
        if descend && max_depth > 0 {
            self.walk_into(root, 1, max_depth, keep, &mut out);
        }
        out
    }

    fn kind_of_root(&self, root: &Path) -> Option<EntryKind> {
        // Known from its parent's listing: no system call for a folder that is not there.
        match self.entry(root) {
            Some(None) => return None,
            Some(Some(kind @ (EntryKind::File | EntryKind::Other))) => return Some(kind),
            _ => {}
        }
        // The root is followed when it is a symlink, as walkdir does by default.
        if self.read_dir(root).is_some() {
            return Some(EntryKind::Dir);
        }
        let meta = fs::symlink_metadata(root).ok()?;
        Some(EntryKind::of(meta.file_type()))
    }

    fn walk_into(
        &self,
        dir: &Path,
        depth: usize,
        max_depth: usize,
        keep: &dyn Fn(&Walked) -> bool,
        out: &mut Vec<Walked>,
    ) {
        let Some(listing) = self.read_dir(dir) else { return };
        for entry in &listing.entries {
            let walked = Walked {
                path: dir.join(&entry.name),
                kind: entry.kind,
            };
            if !keep(&walked) {
                continue;
            }
            let child = (walked.kind == EntryKind::Dir && depth < max_depth).then(|| walked.path.clone());
            out.push(walked);
            if let Some(child) = child {
                self.walk_into(&child, depth + 1, max_depth, keep, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a/b/c")).unwrap();
        fs::create_dir_all(dir.path().join("a/node_modules/x")).unwrap();
        fs::write(dir.path().join("a/f.txt"), "hello").unwrap();
        fs::write(dir.path().join("a/b/c/g.ts"), "x").unwrap();
        fs::write(dir.path().join("a/node_modules/x/h.js"), "x").unwrap();
        fs::write(dir.path().join("big.txt"), "0123456789").unwrap();
        dir
    }

    fn walkdir_paths(root: &Path, max_depth: usize) -> Vec<(PathBuf, usize, bool)> {
        walkdir::WalkDir::new(root)
            .max_depth(max_depth)
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules")
            .filter_map(Result::ok)
            .map(|e| (e.path().to_path_buf(), e.depth(), e.file_type().is_file()))
            .collect()
    }

    fn walk_paths(cache: &FsCache, root: &Path, max_depth: usize) -> Vec<(PathBuf, usize, bool)> {
        cache
            .walk(root, max_depth, &|e| e.file_name() != "node_modules")
            .into_iter()
            .map(|e| {
                let depth = e.path.strip_prefix(root).map_or(0, |rel| rel.components().count());
                (e.path, depth, e.kind == EntryKind::File)
            })
            .collect()
    }

    #[test]
    fn walk_matches_walkdir_with_and_without_listings() {
        let dir = tree();
        for depth in [0, 1, 2, 10] {
            let want = walkdir_paths(dir.path(), depth);
            assert_eq!(
                walk_paths(&FsCache::default(), dir.path(), depth),
                want,
                "depth {depth}"
            );
            let mut listings = Listings::default();
            listings.insert(dir.path(), Listing::read(dir.path()).unwrap());
            listings.insert(&dir.path().join("a"), Listing::read(&dir.path().join("a")).unwrap());
            let cache = FsCache::with_listings(listings);
            assert_eq!(walk_paths(&cache, dir.path(), depth), want, "depth {depth}");
        }
        let cache = FsCache::default();
        assert!(walk_paths(&cache, &dir.path().join("missing"), 5).is_empty());
        let file = walk_paths(&cache, &dir.path().join("big.txt"), 5);
        assert_eq!(file.len(), 1);
        assert!(file[0].2);
    }

    #[test]
    fn answers_match_the_file_system() {
        let dir = tree();
        let root = dir.path();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(root.join("a/f.txt"), root.join("a/to_file")).unwrap();
            symlink(root.join("a/b"), root.join("a/to_dir")).unwrap();
            symlink(root.join("a/nowhere"), root.join("a/dangling")).unwrap();
        }
        let mut listings = Listings::default();
        listings.insert(&root.join("a/"), Listing::read(&root.join("a")).unwrap());
        let cache = FsCache::with_listings(listings);
        {
            for rel in [
                "a",
                "a/f.txt",
                "a/b",
                "a/missing",
                "a/b/c/g.ts",
                "a/b/c/nope",
                "big.txt",
                "nope/x",
                "a/to_file",
                "a/to_dir",
                "a/dangling",
                "a/to_dir/c/g.ts",
            ] {
                let path = root.join(rel);
                assert_eq!(cache.is_file(&path), path.is_file(), "{rel}");
                assert_eq!(cache.is_dir(&path), path.is_dir(), "{rel}");
                assert_eq!(cache.exists(&path), path.exists(), "{rel}");
            }
            assert_eq!(cache.read_text(&root.join("a/f.txt"), 100).as_deref(), Some("hello"));
            assert_eq!(cache.read_text(&root.join("big.txt"), 5), None);
            assert_eq!(
                cache.read_text(&root.join("big.txt"), 10).as_deref(),
                Some("0123456789")
            );
            assert_eq!(cache.read_text(&root.join("a/b"), 100), None);
            assert_eq!(cache.read_text(&root.join("a/missing"), 100), None);
            assert!(cache.lacks(&root.join("a"), "missing"));
            assert!(!cache.lacks(&root.join("a"), "f.txt"));
            assert!(!cache.lacks(&root.join("a"), "b/c"), "not one segment: not known");
            assert!(
                !cache.lacks(&root.join("nope"), "x"),
                "a folder that cannot be listed: not known"
            );
        }
    }

    #[test]
    fn keys_ignore_trailing_separators() {
        assert_eq!(key(Path::new("a/b/")), b"a/b");
        assert_eq!(key(Path::new("/")), b"/");
        assert_eq!(split(Path::new("a/b//c")), Some((&b"a/b"[..], &b"c"[..])));
        assert_eq!(split(Path::new("/c")), Some((&b"/"[..], &b"c"[..])));
        assert_eq!(split(Path::new("a/..")), None);
        assert_eq!(split(Path::new("c")), None);
    }

    #[test]
    fn a_run_is_a_snapshot() {
        let dir = tree();
        let path = dir.path().join("later.txt");
        let cache = FsCache::default();
        assert!(!cache.is_file(&path));
        fs::write(&path, "x").unwrap();
        assert!(!cache.is_file(&path), "answers are memoized for the run");
        assert!(
            FsCache::default().is_file(&path),
            "a new cache asks the file system again"
        );
    }

    #[test]
    fn json_is_decoded_once_and_only_when_it_is_json() {
        let dir = tree();
        let root = dir.path();
        fs::write(
            root.join("package.json"),
            r#"{"name": "web", "scripts": {"start": "next start"}}"#,
        )
        .unwrap();
        fs::write(root.join("broken.json"), "{").unwrap();
        let cache = FsCache::default();
        let first = cache.read_json(&root.join("package.json"), 1000).expect("decoded");
        assert_eq!(first["scripts"]["start"], "next start");
        let again = cache.read_json(&root.join("package.json"), 1000).expect("decoded");
        assert!(Arc::ptr_eq(&first, &again), "one decoding per run");
        assert!(
            cache.read_json(&root.join("package.json"), 10).is_none(),
            "over the limit"
        );
        assert!(cache.read_json(&root.join("broken.json"), 1000).is_none());
        assert!(cache.read_json(&root.join("missing.json"), 1000).is_none());
    }
}
