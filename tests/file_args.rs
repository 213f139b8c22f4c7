//! `railcheck validate FILE...` (what pre-commit runs): the whole project around the files is
//! loaded, and only findings located in the named files are reported.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

mod common;
use common::{railcheck, write};

const DUPLICATE: &str = "{ \"provider\": \"node\", \"provider\": \"python\" }\n";

const MANIFEST: &str = r#"{
  "services": {
    "api": { "root": "./api" },
    "web": { "root": "./web" }
  }
}
"#;

fn run(cwd: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = railcheck()
        .current_dir(cwd)
        .arg("validate")
        .args(args)
        // RC102 (the findings these projects hold) is a warning: fail on it.
        .args(["--format", "json", "--deny", "warnings"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code().unwrap(), doc, stderr)
}

fn places(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["file"].as_str().unwrap_or("-"), d["code"].as_str().unwrap()))
        .collect()
}

/// A repository with a manifest and two services, each with an RC102 warning.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "railpack.json", MANIFEST);
    write(dir.path(), "api/railpack.json", DUPLICATE);
    write(dir.path(), "web/railpack.json", DUPLICATE);
    dir
}

#[test]
fn only_findings_in_the_named_files_are_reported() {
    let dir = repo();
    let (code, doc, _) = run(dir.path(), &["api/railpack.json"]);
    assert_eq!(code, 1);
    assert_eq!(places(&doc), ["api/railpack.json RC102"]);
    // The whole project was loaded: both services and every file.
    assert_eq!(doc["files"].as_array().unwrap().len(), 3);
    let (_, doc, _) = run(dir.path(), &["web/railpack.json", "api/railpack.json"]);
    assert_eq!(places(&doc), ["api/railpack.json RC102", "web/railpack.json RC102"]);
    // A clean file passes even though its neighbours have errors.
    write(dir.path(), "web/railpack.json", "{ \"provider\": \"node\" }\n");
    let (code, doc, _) = run(dir.path(), &["web/railpack.json"]);
    assert_eq!((code, places(&doc).len()), (0, 0));
}

#[test]
fn the_project_is_the_nearest_ancestor_with_a_manifest() {
    // No `.git` anywhere: the manifest marks the project; run from elsewhere.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "mono/railpack.json", MANIFEST);
    write(dir.path(), "mono/web/railpack.json", DUPLICATE);
    let file = dir.path().join("mono/web/railpack.json");
    let (_, doc, _) = run(std::env::temp_dir().as_path(), &[file.to_str().unwrap()]);
    assert_eq!(places(&doc), ["web/railpack.json RC102"]);
    assert!(doc["root"].as_str().unwrap().ends_with("mono"), "{}", doc["root"]);
    // A service's own railpack.json (no `services`) does not mark a project; verdicts only
    // for the service whose file was given.
    let services: Vec<_> = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].clone())
        .collect();
    // Only the services whose files were given get a verdict (issue 14): `api`, declared in
    // the manifest that was not given, is left out.
    assert_eq!(services, ["web"]);
}

#[test]
fn without_markers_the_files_own_folder_is_the_project() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/railpack.json", DUPLICATE);
    write(
        dir.path(),
        "b/railway.json",
        "{ \"build\": { \"builder\": \"NIXPACKS\", \"builder\": \"RAILPACK\" } }\n",
    );
    let (_, doc, _) = run(dir.path(), &["a/railpack.json"]);
    assert_eq!(places(&doc), ["railpack.json RC102"]);
    // Files in two places: their common ancestor.
    let (_, doc, _) = run(dir.path(), &["a/railpack.json", "b/railway.json"]);
    assert_eq!(
        places(&doc),
        ["a/railpack.json RC102", "b/railway.json RC206", "b/railway.json RC102"]
    );
}

#[test]
fn other_files_are_ignored_with_a_note() {
    let dir = repo();
    write(dir.path(), "README.md", "# hi\n");
    let (code, doc, stderr) = run(dir.path(), &["README.md", "api/railpack.json"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("note: `README.md` is not a Railway or Railpack config; ignored"),
        "{stderr}"
    );
    assert_eq!(places(&doc), ["api/railpack.json RC102"]);
    // Nothing to check: said on stderr, no report (never READY), exit 0 for hooks.
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "README.md", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Railway or Railpack configuration"));
}

#[test]
fn folders_and_files_do_not_mix() {
    let dir = repo();
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "api", "web/railpack.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_repository_config_applies_to_file_arguments() {
    let dir = repo();
    write(
        dir.path(),
        "railcheck.toml",
        "[[overrides]]\npaths = [\"web/**\"]\nignore = [\"RC102\"]\n",
    );
    let (code, doc, _) = run(dir.path(), &["web/railpack.json", "api/railpack.json"]);
    assert_eq!(code, 1);
    assert_eq!(places(&doc), ["api/railpack.json RC102"]);
}
