//! Leaf helpers with no knowledge of Railway, Railpack or rules: file I/O, the per-run
//! file-system cache, the thread pool, did-you-mean and plurals.

pub(crate) mod fs;
pub mod fscache;
pub(crate) mod parallel;
pub(crate) mod text;
