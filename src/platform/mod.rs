//! What Railpack and Railway read: the bundled schemas and the key lists they imply.

pub(crate) mod keys;
pub mod read;
pub mod schema;
