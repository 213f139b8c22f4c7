//! railcheck: checks a repository's Railway and Railpack deployment configs.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod dotenv;
pub mod env_audit;
pub mod fscache;
pub mod migrate;
pub mod model;
pub mod parallel;
pub mod pipeline;
pub mod probe;
pub mod references;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod shell;
pub mod source;
pub mod varclass;

pub use commands::{is_broken_pipe, run};
