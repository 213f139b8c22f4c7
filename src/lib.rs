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

/// Runs the whole pipeline (load, schema validation, every rule, every report format) on one
/// file's bytes, in memory. The fuzzing entry point; returns the reports, one per format.
pub fn fuzz_one(bytes: &[u8], kind: source::FileKind) -> Vec<String> {
    let name = match kind {
        source::FileKind::Railpack => "railpack.json",
        source::FileKind::RailwayJson => "railway.json",
        source::FileKind::RailwayToml => "railway.toml",
    };
    let settings = config::Settings::default();
    let root = std::path::Path::new("/nonexistent/railcheck-fuzz");
    let files = vec![(name.to_string(), bytes.to_vec())];
    static SCHEMAS: std::sync::OnceLock<schema::Schemas> = std::sync::OnceLock::new();
    let schemas = SCHEMAS.get_or_init(|| schema::Schemas::compile().expect("bundled schemas compile"));
    let outcome = pipeline::validate_memory(root, "fuzz", files, &settings, schemas);
    let report = report::Report {
        project: &outcome.project,
        diagnostics: &outcome.diagnostics,
        fail_level: settings.fail_level,
        color: false,
        base: "",
        quiet: false,
    };
    <report::Format as clap::ValueEnum>::value_variants()
        .iter()
        .map(|&format| report.render(format))
        .collect()
}
