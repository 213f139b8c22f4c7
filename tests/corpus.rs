//! Real configs from `../shared/corpus` (beside the repository). Skipped when the corpus
//! is absent, unless `RAILCHECK_REQUIRE_CORPUS=1` (as `.ci/run` sets).
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use railcheck::source::{FileId, Node, parse_json};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("RAILCHECK_REQUIRE_CORPUS").is_none(),
        "corpus missing at {}",
        dir.display()
    );
    None
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("railpack.schema.generated.json"))
        .collect();
    files.sort();
    files
}

/// Runs railcheck on one corpus file placed in a temp project under `name`.
fn run_as(file: &Path, name: &str) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(file, dir.path().join(name)).unwrap();
    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .args(["validate", dir.path().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "{}: exit {code}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (code, serde_json::from_slice(&out.stdout).unwrap())
}

fn target_name(file: &Path) -> &'static str {
    let name = file.file_name().unwrap().to_string_lossy();
    if name.ends_with("railway.json") {
        "railway.json"
    } else {
        "railpack.json"
    }
}

fn diagnostics(doc: &serde_json::Value) -> Vec<(String, String, u64)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn valid_railpack_examples_get_no_finding_but_comment_notes() {
    let Some(corpus) = corpus() else { return };
    let mut checked = 0;
    for file in json_files(&corpus.join("railpack-examples")) {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if name.contains("invalid") || name.contains("malformed") {
            continue;
        }
        let (_, doc) = run_as(&file, "railpack.json");
        // Comments are legal for Railpack; RC103 notes them for other tools (info). RC306 tells
        // (info) that a top-level `secrets` list limits nothing (the `secrets` example has one).
        // Nothing else fires.
        let findings: Vec<_> = diagnostics(&doc)
            .into_iter()
            .filter(|d| !(d.1 == "info" && (d.0 == "RC103" || d.0 == "RC306")))
            .collect();
        assert!(findings.is_empty(), "{name}: {findings:?}\n{doc:#}");
        checked += 1;
    }
    assert_eq!(checked, 16, "expected the 16 valid upstream examples");
}

#[test]
fn broken_railpack_examples_are_errors() {
    let Some(corpus) = corpus() else { return };
    for (name, code) in [
        ("config-file.railpack.invalid.json", "RC201"),
        ("config-file.railpack.malformed.json", "RC101"),
    ] {
        let (exit, doc) = run_as(&corpus.join("railpack-examples").join(name), "railpack.json");
        assert_eq!(exit, 1, "{name}");
        assert!(diagnostics(&doc).iter().any(|d| d.0 == code), "{name}: {doc:#}");
    }
}

#[test]
fn every_corpus_file_is_handled_without_crash_or_usage_error() {
    let Some(corpus) = corpus() else { return };
    for file in json_files(&corpus) {
        run_as(&file, target_name(&file));
    }
}

/// Keys Railpack ignores, at the places real repositories put them.
fn ignored_keys(tree: &Node, text: &str) -> Vec<(String, u64, bool)> {
    let line = |offset: usize| text[..offset].matches('\n').count() as u64 + 1;
    let mut found = Vec::new();
    let Some(root) = tree.as_object() else { return found };
    for m in root {
        if [
            "build",
            "version",
            "metadata",
            "startCmd",
            "buildCommand",
            "startCommand",
            "buildCmd",
            "installCmd",
        ]
        .contains(&m.key.as_str())
        {
            found.push((format!("/{}", m.key), line(m.key_span.start), true));
        }
    }
    for m in tree.get("deploy").and_then(Node::as_object).unwrap_or_default() {
        if [
            "healthCheckPath",
            "healthCheckTimeout",
            "restartPolicyType",
            "environmentVariables",
        ]
        .contains(&m.key.as_str())
        {
            found.push((format!("/deploy/{}", m.key), line(m.key_span.start), false));
        }
    }
    for step in tree.get("steps").and_then(Node::as_object).unwrap_or_default() {
        for m in step.value.as_object().unwrap_or_default() {
            if ["env", "cache", "name", "dependsOn"].contains(&m.key.as_str()) {
                found.push((format!("/steps/{}/{}", step.key, m.key), line(m.key_span.start), false));
            }
        }
    }
    found
}

#[test]
fn realworld_ignored_keys_are_reported_at_their_line() {
    let Some(corpus) = corpus() else { return };
    let mut reported = 0;
    for file in json_files(&corpus.join("realworld-railpack")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let Some(tree) = parse_json(text.clone(), FileId(0)).tree else {
            continue;
        };
        let keys = ignored_keys(&tree, &text);
        if keys.is_empty() {
            continue;
        }
        let (_, doc) = run_as(&file, "railpack.json");
        let found = diagnostics(&doc);
        for (pointer, line, top_level) in keys {
            // A top-level key of a guide-format file is listed by RC204, once per file; a health
            // check key by RC405 (which carries RC202's word in its note: one cause, one finding).
            let ok = found.iter().any(|d| (d.0 == "RC202" || d.0 == "RC405") && d.2 == line)
                || (top_level && found.iter().any(|d| d.0 == "RC204"))
                || (top_level && found.iter().any(|d| d.0 == "RC202" && d.2 == line));
            assert!(
                ok,
                "{}: {pointer} (line {line}) not reported: {found:?}",
                file.display()
            );
            reported += 1;
        }
    }
    assert!(reported >= 20, "only {reported} ignored keys found in the corpus");
}

#[test]
fn go_provider_gets_rc203() {
    let Some(corpus) = corpus() else { return };
    let mut seen = 0;
    for file in json_files(&corpus.join("realworld-railpack")) {
        let text = std::fs::read_to_string(&file).unwrap();
        if !text.contains("\"provider\": \"go\"") {
            continue;
        }
        let (_, doc) = run_as(&file, "railpack.json");
        assert!(diagnostics(&doc).iter().any(|d| d.0 == "RC203"), "{}", file.display());
        seen += 1;
    }
    assert!(seen >= 1, "no `provider: go` file in the corpus");
}
