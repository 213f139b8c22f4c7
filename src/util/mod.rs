//! Leaf helpers with no knowledge of Railway, Railpack or rules: file I/O, the per-run
//! file-system cache, and the thread pool.

pub mod fs;
pub mod fscache;
pub mod parallel;
