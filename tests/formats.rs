//! Machine formats (SARIF, GitHub annotations), `--output-file`, colour rules, completions.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

mod common;
use common::{railcheck, write};

const DUPLICATE: &str = "{\n  \"provider\": \"node\",\n  \"provider\": \"python\"\n}\n";

/// A repository with a project in `deploy/`: one RC102 warning (with a related location)
/// and one RC103 info. Runs pass `--deny warnings`, so it fails.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "deploy/api/railpack.json", DUPLICATE);
    write(
        dir.path(),
        "deploy/web/railpack.json",
        "{\n  // web\n  \"provider\": \"node\"\n}\n",
    );
    dir
}

fn output(dir: &Path, args: &[&str]) -> (i32, Vec<u8>) {
    let out = railcheck()
        .current_dir(dir)
        .arg("validate")
        .args(args)
        .args(["--deny", "warnings"])
        .output()
        .unwrap();
    (out.status.code().unwrap(), out.stdout)
}

fn sarif(dir: &Path, target: &str) -> serde_json::Value {
    let (code, stdout) = output(dir, &[target, "--format", "sarif"]);
    assert_eq!(code, 1);
    serde_json::from_slice(&stdout).unwrap()
}

#[test]
fn sarif_has_the_driver_every_rule_and_located_results() {
    let dir = repo();
    let doc = sarif(dir.path(), "deploy");
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-schema-2.1.0"));
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "railcheck");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), railcheck::rules::all().len());
    for (rule, meta) in rules.iter().zip(railcheck::rules::all()) {
        let meta = meta.meta;
        assert_eq!(rule["id"], meta.code);
        assert_eq!(rule["name"], meta.name);
        assert_eq!(rule["shortDescription"]["text"], meta.summary());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert_eq!(rule["help"]["markdown"], meta.docs());
        let text = rule["help"]["text"].as_str().unwrap();
        assert!(text.contains("Why it matters on Railway") && !text.contains("## ") && !text.contains("```"));
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let dup = &results[0];
    assert_eq!(dup["ruleId"], "RC102");
    assert_eq!(rules[dup["ruleIndex"].as_u64().unwrap() as usize]["id"], "RC102");
    assert_eq!(dup["level"], "warning");
    assert!(
        dup["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("key `provider` is repeated")
    );
    let loc = &dup["locations"][0]["physicalLocation"];
    // Relative to the repository root, not to the checked folder.
    assert_eq!(loc["artifactLocation"]["uri"], "deploy/api/railpack.json");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 13})
    );
    assert_eq!(dup["relatedLocations"][0]["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(results[1]["ruleId"], "RC103");
    assert_eq!(results[1]["level"], "note");
}

fn fingerprints(doc: &serde_json::Value) -> Vec<String> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partialFingerprints"]["railcheck/v1"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let dir = repo();
    let before = sarif(dir.path(), "deploy");
    let first = fingerprints(&before);
    assert_eq!(first.len(), 2);
    assert_ne!(first[0], first[1]);
    assert_eq!(
        first,
        fingerprints(&sarif(dir.path(), "deploy")),
        "same tree, same fingerprints"
    );
    // Lines added above the finding move it, and do not change its fingerprint.
    write(
        dir.path(),
        "deploy/api/railpack.json",
        "{\n\n  \"packages\": { \"node\": \"22\" },\n  \"provider\": \"node\",\n  \"provider\": \"python\"\n}\n",
    );
    let after = sarif(dir.path(), "deploy");
    let region = &after["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 5);
    assert_eq!(fingerprints(&after)[0], first[0]);
    // The same finding in another file is another finding.
    write(dir.path(), "deploy/web/railpack.json", DUPLICATE);
    let both = fingerprints(&sarif(dir.path(), "deploy"));
    assert_eq!(both[0], first[0]);
    assert_ne!(both[1], first[0]);
}

#[test]
fn github_annotations_are_escaped_and_repo_relative() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    // A folder name with `,` and `:`; a key with `%` and a newline, reported in the message.
    write(
        dir.path(),
        "svc/a,b:c/railpack.json",
        "{\n  \"x%\\ny\": 1,\n  \"x%\\ny\": 2\n}\n",
    );
    write(
        dir.path(),
        "svc/web/railpack.json",
        "{\n  // web\n  \"provider\": \"node\"\n}\n",
    );
    let (code, stdout) = output(dir.path(), &["svc", "--format", "github", "--select", "RC1"]);
    assert_eq!(code, 1);
    let text = String::from_utf8(stdout).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0],
        "::warning file=svc/a%2Cb%3Ac/railpack.json,line=3,endLine=3,col=3,endColumn=9,title=RC102 duplicate-key::\
         key `x%25%0Ay` is repeated: only the last value is read, the first one is ignored%0Ahelp: write the key once, with everything it should hold"
    );
    // Info findings are notices; the end column is inclusive (`// web` is columns 3 to 8).
    assert!(
        lines[1].starts_with(
            "::notice file=svc/web/railpack.json,line=2,endLine=2,col=3,endColumn=8,title=RC103 non-portable-json::"
        ),
        "{}",
        lines[1]
    );
}

#[test]
fn github_format_is_the_default_inside_github_actions() {
    let dir = repo();
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "deploy"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("::warning file=deploy/api/railpack.json,line=3,"),
        "{text}"
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "deploy", "--format", "concise"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("api/railpack.json:3:3: warning[RC102")
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "deploy"])
        .env("GITHUB_ACTIONS", "false")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("── "));
}

#[test]
fn output_file_is_written_whole_and_replaced_atomically() {
    let dir = repo();
    let out = dir.path().join("reports/out.sarif");
    std::fs::create_dir(dir.path().join("reports")).unwrap();
    std::fs::write(&out, "old report").unwrap();
    let (code, stdout) = output(
        dir.path(),
        &["deploy", "--format", "sarif", "--output-file", "reports/out.sarif"],
    );
    assert_eq!(code, 1, "the exit code still reflects the findings");
    assert!(stdout.is_empty(), "nothing on stdout");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["out.sarif"], "no temporary file left behind");
}

#[test]
fn output_file_failure_is_exit_two_and_leaves_nothing() {
    let dir = repo();
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "deploy", "--output-file", "missing/out.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("cannot write the report to `missing/out.json`")
    );
    assert!(!dir.path().join("missing").exists());
    // A folder where the file should go: untouched, and no temporary file beside it.
    std::fs::create_dir(dir.path().join("taken")).unwrap();
    let (code, _) = output(dir.path(), &["deploy", "-o", "taken"]);
    assert_eq!(code, 2);
    assert!(dir.path().join("taken").is_dir());
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn colour_rules() {
    let dir = repo();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = railcheck();
        cmd.current_dir(dir.path()).arg("validate").arg("deploy").args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap().stdout
    };
    let has_esc = |bytes: Vec<u8>| bytes.contains(&0x1b);
    assert!(!has_esc(run(&[], &[])), "not a terminal: no colour");
    assert!(has_esc(run(&[], &[("CLICOLOR_FORCE", "1")])));
    assert!(!has_esc(run(&[], &[("CLICOLOR_FORCE", "0")])));
    assert!(
        !has_esc(run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    assert!(
        has_esc(run(&["--color", "always"], &[("NO_COLOR", "1")])),
        "the flag wins over the environment"
    );
    assert!(!has_esc(run(&["--color", "never"], &[("CLICOLOR_FORCE", "1")])));
    for format in ["json", "sarif", "github", "concise"] {
        let out = run(&["--format", format, "--color", "always"], &[("CLICOLOR_FORCE", "1")]);
        assert!(!has_esc(out), "escape code in {format}");
    }
}

#[test]
fn text_from_files_never_drives_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "railpack.json",
        "{ \"\\u001b[31mx\": 1, \"\\u001b[31mx\": 2 }",
    );
    for format in ["json", "sarif", "github", "concise"] {
        let (code, out) = output(dir.path(), &[".", "--format", format]);
        assert_eq!(code, 1);
        assert!(!out.contains(&0x1b), "raw ESC from the file in {format}");
        assert!(String::from_utf8(out).unwrap().contains("[31mx"), "{format}");
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = railcheck().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("railcheck") && text.contains("validate") && text.contains("output-file"),
            "{shell}"
        );
    }
    railcheck().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page() {
    let out = railcheck().arg("man").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(".ie") || text.starts_with(".TH"),
        "{}",
        &text[..80.min(text.len())]
    );
    assert!(text.contains(".TH railcheck 1") && text.contains("validate") && text.contains("completions"));
}
