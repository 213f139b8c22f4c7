//! In-process hot paths, per file: load + parse, schema validation, the rule pass, and a
//! whole in-process run. `cargo bench` (divan); end-to-end figures against other tools
//! come from `bench/run` (docs/benchmarks.md).

use std::path::{Path, PathBuf};

use divan::{Bencher, black_box};
use railcheck::pipeline::{self, Request};
use railcheck::platform::schema::Schemas;
use railcheck::rules::{self, Context};
use railcheck::settings::Settings;
use railcheck::source::{self, Dialect, FileId, FileKind};

fn main() {
    divan::main();
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).expect("fixture")
}

/// (name, fixture file, kind): a native railpack.json, a railway.json, the guide manifest.
const FILES: &[(&str, &str, FileKind)] = &[
    ("native", "ready-monorepo/apps/web/railpack.json", FileKind::Railpack),
    ("railway", "ready-monorepo/apps/web/railway.json", FileKind::RailwayJson),
    ("guide", "guide-monorepo/railpack.json", FileKind::Railpack),
];

/// Reading a config and building its spanned tree (JWCC parse, duplicate-key and
/// portability checks).
#[divan::bench(args = FILES)]
fn load_and_parse(bencher: Bencher, file: &(&str, &str, FileKind)) {
    let path = fixture(file.1);
    bencher.bench(|| {
        let text = std::fs::read_to_string(black_box(&path)).expect("fixture");
        source::parse_json(text, FileId(0))
    });
}

/// Schema validation of one parsed file (validators compiled once, outside the loop).
#[divan::bench(args = FILES)]
fn schema_validation(bencher: Bencher, file: &(&str, &str, FileKind)) {
    let schemas = Schemas::compile().expect("bundled schemas");
    let tree = source::parse_json(text(file.1), FileId(0)).tree.expect("valid fixture");
    let dialect = railcheck::platform::read::classify(file.2, &tree);
    assert_ne!(dialect, Dialect::Unknown);
    bencher.bench(|| {
        let value = tree.to_value();
        schemas.validate(dialect, black_box(&value), &tree)
    });
}

/// Compiling the three bundled schemas: paid once per run, on first use of each.
#[divan::bench(sample_count = 20)]
fn schema_compile() -> Schemas {
    Schemas::compile().expect("bundled schemas")
}

/// Every rule over an already built project (file probes hit the file system: a new cache
/// per iteration).
#[divan::bench(args = ["ready-monorepo", "guide-monorepo"])]
fn rule_pass(bencher: Bencher, project: &str) {
    let settings = Settings::default();
    let root = fixture(project);
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &[],
        settings: &settings,
    })
    .expect("fixture validates");
    let schemas = Schemas::lazy();
    bencher.bench(|| {
        let fs = railcheck::util::fscache::FsCache::default();
        let cx = Context {
            project: &outcome.project,
            settings: &settings,
            schemas: &schemas,
            fs: &fs,
        };
        rules::run(black_box(&cx))
    });
}

/// A whole in-process run: walk, load, schemas (compiled in every iteration, as in a
/// process), model, rules, settings. Divide by the file count for a per-file figure.
#[divan::bench(args = ["ready-monorepo", "guide-monorepo"], sample_count = 20)]
fn validate(bencher: Bencher, project: &str) {
    let settings = Settings::default();
    let root = fixture(project);
    bencher.bench(|| {
        pipeline::validate(&Request {
            root: black_box(&root),
            excludes: &[],
            settings: &settings,
        })
        .expect("fixture validates")
    });
}

/// Credential detection, run on every string of every file (twice: masking and RC304).
#[divan::bench(args = ["npx next start -H 0.0.0.0 -p ${PORT:-3000}", "sk-proj-abcdefghijklmnopqrstuvwx"])]
fn secret_scan(value: &str) -> usize {
    railcheck::facts::secrets::find_in(black_box(value)).len()
}

/// A file probe answered by the run's file-system cache (after the first `stat`).
#[divan::bench]
fn file_probe_cached(bencher: Bencher) {
    let root = fixture("ready-monorepo/apps/web");
    let cache = railcheck::util::fscache::FsCache::default();
    bencher.bench(|| cache.is_file(black_box(&root.join("Dockerfile"))));
}
