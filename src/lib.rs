//! railcheck: checks a repository's Railway and Railpack deployment configs.
//!
//! The modules are layers, listed bottom-up: a module imports only from the layers above
//! it in this list (`tests/layers.rs` enforces it). See ARCHITECTURE.md.

/// Leaf helpers: atomic writes, bounded reads, the per-run file cache, the thread pool.
pub mod util;
/// Reading and writing `.railway/railway.ts` (Railway's IaC); imports nothing from the crate.
pub mod iac;
/// The finding every stage produces: `Diagnostic`, `Severity`, `Label`, `RuleMeta`, `FileId`.
pub mod diagnostic;
/// The resolved options rules read (selection, severities, allowlists); no file reading.
pub mod settings;
/// Knowledge independent of config formats: shell text, references, secret shapes, routes.
pub mod facts;
/// Loading a config file into a spanned tree (JSON/JWCC, TOML), with typed load issues.
pub mod source;
/// What Railpack and Railway read: bundled schemas and their key lists.
pub mod platform;
/// The project model: services and every setting with the place it comes from.
pub mod model;
/// The rules: one file each, grouped by code area; the registry.
pub mod rules;
/// discover -> load -> schema -> model -> rules -> settings: one `validate` run.
pub mod pipeline;
/// Reading `railcheck.toml` and flags into `Settings`.
pub mod config;
/// Renderers: human, concise, json, sarif, github. They decide nothing.
pub mod report;
/// `railcheck env`: the variable audit.
pub mod env;
/// `railcheck probe`: the live health-check probe.
pub mod probe;
/// `railcheck migrate`: the guide's layout to native files.
pub mod migrate;
/// `railcheck plan`: what Railway and Railpack will do with each service, and why.
pub mod plan;
/// The command line: clap arguments and one handler per subcommand.
pub mod cli;

pub use cli::{is_broken_pipe, run};

/// Runs the whole pipeline (load, schema validation, every rule, every report format) on one
/// file's bytes, in memory. The fuzzing entry point; returns the reports, one per format.
pub fn fuzz_one(bytes: &[u8], kind: source::FileKind) -> Vec<String> {
    let name = match kind {
        source::FileKind::Railpack => "railpack.json",
        source::FileKind::RailwayJson => "railway.json",
        source::FileKind::RailwayToml => "railway.toml",
        source::FileKind::RailwayTs => source::IAC_PATH,
    };
    let settings = settings::Settings::default();
    let root = std::path::Path::new("/nonexistent/railcheck-fuzz");
    let files = vec![(name.to_string(), bytes.to_vec())];
    static SCHEMAS: std::sync::OnceLock<platform::schema::Schemas> = std::sync::OnceLock::new();
    let schemas = SCHEMAS.get_or_init(|| platform::schema::Schemas::compile().expect("bundled schemas compile"));
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
