//! The binary's contract: exit codes, formats, colour, pipes.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use predicates::prelude::*;

mod common;
use common::railcheck;

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
        .display()
        .to_string()
}

#[test]
fn clean_project_exits_zero_and_says_ready() {
    railcheck()
        .args(["validate", &fixture("rules/RC103/pass")])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("READY\n"));
}

#[test]
fn error_finding_exits_one() {
    railcheck()
        .args(["validate", &fixture("rules/RC101/fire")])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("error[RC101 parse-error]")
                .and(predicate::str::contains("--> railpack.json:2:21"))
                .and(predicate::str::contains("NOT READY")),
        );
}

#[test]
fn exit_zero_overrides_findings() {
    railcheck()
        .args(["validate", &fixture("rules/RC101/fire"), "--exit-zero"])
        .assert()
        .code(0);
}

#[test]
fn deny_warnings_fails_on_warnings_only_then() {
    let case = fixture("rules/RC202/fire");
    railcheck().args(["validate", &case]).assert().code(0);
    railcheck()
        .args(["validate", &case, "--deny", "warnings"])
        .assert()
        .code(1);
}

#[test]
fn ignore_and_select_filter_rules() {
    let case = fixture("rules/RC101/fire");
    railcheck()
        .args(["validate", &case, "--ignore", "RC101"])
        .assert()
        .code(0);
    railcheck()
        .args(["validate", &case, "--select", "RC2"])
        .assert()
        .code(0);
    railcheck()
        .args(["validate", &case, "--select", "parse-error"])
        .assert()
        .code(1);
}

#[test]
fn missing_path_is_a_usage_error() {
    railcheck()
        .args(["validate", "/nonexistent/railcheck/path"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    railcheck().args(["validate", "--no-such-flag"]).assert().code(2);
}

#[test]
fn concise_format_is_one_line_per_finding() {
    railcheck()
        .args(["validate", &fixture("rules/RC102/fire"), "--format", "concise"])
        .assert()
        .code(0)
        .stdout(
            "railpack.json:4:3: warning[RC102 duplicate-key] key `deploy` is repeated: Railpack merges both blocks \
             (keys of both are read; a key set in both takes the later value)\n\
             railpack.json:5:3: warning[RC102 duplicate-key] key `provider` is repeated: only the last value is read, \
             the first one is ignored\n",
        );
}

#[test]
fn json_format_has_the_documented_shape() {
    let out = railcheck()
        .args(["validate", &fixture("rules/RC101/fire"), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["ready"], false);
    let d = &doc["diagnostics"][0];
    for key in [
        "code",
        "name",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "pointer",
        "message",
        "help",
    ] {
        assert!(d.get(key).is_some(), "missing {key} in {d}");
    }
    assert_eq!(d["code"], "RC101");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(21)));
    assert_eq!(doc["summary"]["errors"], 1);
}

#[test]
fn colour_only_when_asked_and_never_in_machine_formats() {
    let case = fixture("rules/RC101/fire");
    let plain = railcheck().args(["validate", &case]).output().unwrap();
    assert!(!plain.stdout.contains(&0x1b), "escape code without a terminal");
    let forced = railcheck()
        .args(["validate", &case, "--color", "always"])
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b), "no colour with --color always");
    for format in ["json", "concise"] {
        let out = railcheck()
            .args(["validate", &case, "--color", "always", "--format", format])
            .output()
            .unwrap();
        assert!(!out.stdout.contains(&0x1b), "escape code in {format}");
    }
}

#[test]
fn a_parse_error_does_not_stop_other_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("api")).unwrap();
    std::fs::create_dir_all(dir.path().join("web")).unwrap();
    std::fs::write(
        dir.path().join("api/railpack.json"),
        "{\n  \"provider\": \"python\",,\n}",
    )
    .unwrap();
    std::fs::write(dir.path().join("web/railpack.json"), "{ \"provider\": \"go\" }").unwrap();
    let out = railcheck()
        .args(["validate", dir.path().to_str().unwrap(), "--format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("api/railpack.json:2:24: error[RC101 parse-error]"),
        "{text}"
    );
    assert!(
        text.contains("web/railpack.json:1:15: error[RC203 unknown-provider]"),
        "{text}"
    );
}

#[test]
fn rules_lists_every_rule_and_survives_a_closed_pipe() {
    let out = railcheck().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), railcheck::rules::all().len());
    assert!(text.starts_with("RC101  parse-error"));
    // `railcheck rules | head -1`: the reader goes away first; railcheck must not report an error.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("railcheck"))
        .arg("rules")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn explain_by_code_or_name() {
    railcheck().args(["explain", "rc202"]).assert().success().stdout(
        predicate::str::contains("RC202 ignored-key").and(predicate::str::contains("## Why it matters on Railway")),
    );
    railcheck().args(["explain", "ignored-key"]).assert().success();
    railcheck().args(["explain", "RC999"]).assert().code(2);
}

#[test]
fn schema_prints_valid_json() {
    for name in ["railpack", "services", "railway"] {
        let out = railcheck().args(["schema", name]).output().unwrap();
        assert!(out.status.success());
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(schema.is_object());
    }
}

#[test]
fn version_flag() {
    railcheck()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("railcheck "));
}

#[test]
fn quiet_keeps_findings_and_summary_only() {
    let out = railcheck()
        .args(["validate", &fixture("rules/RC102/fire"), "--quiet"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("warning[RC102 duplicate-key]"), "{text}");
    assert!(!text.contains("── service"), "{text}");
    assert!(
        text.ends_with("0 errors, 2 warnings, 0 infos in 1 file (1 service)\nREADY\n"),
        "{text}"
    );
}
