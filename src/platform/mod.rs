//! What Railpack and Railway read: the bundled schemas and the key lists they imply.

pub mod keys;
pub mod read;
pub mod schema;
