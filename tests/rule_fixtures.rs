//! Every rule has a fixture that fires it and one that must not:
//! `fixtures/rules/<CODE>/fire/` and `fixtures/rules/<CODE>/pass/`, each a project folder.
//! A retired rule (its code reserved, `explain` says why) has none, and must fire nowhere.
//! An optional `ARGS` file in a case folder holds extra `validate` arguments, one per line.
//!
//! Each case's full human report (message, frame, help, note) is snapshotted in
//! `tests/snapshots/rules/<CODE>_<fire|pass>.snap`, as ruff snapshots its rule fixtures:
//! a diff there is a change in what railcheck tells people about that rule.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

mod common;

use std::path::Path;

fn run(case: &Path, format: &str) -> std::process::Output {
    let mut cmd = common::railcheck();
    // Run inside the case so every printed path is relative to it, whatever the machine.
    cmd.current_dir(case)
        .args(["validate", ".", "--format", format, "--color", "never"]);
    if let Ok(extra) = std::fs::read_to_string(case.join("ARGS")) {
        cmd.args(extra.lines().filter(|l| !l.trim().is_empty()));
    }
    let output = cmd.output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{}: exit {:?}\n{}",
        case.display(),
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn codes_in(case: &Path) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(&run(case, "json").stdout).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn fixtures_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_pass_case() {
    let root = fixtures_root();
    let mut problems = Vec::new();
    let (retired, active): (Vec<_>, Vec<_>) = railcheck::rules::all().into_iter().partition(|r| r.is_retired());
    let mut fired_anywhere = Vec::new();
    for rule in active {
        let code = rule.meta.code;
        let fire = root.join(code).join("fire");
        let pass = root.join(code).join("pass");
        if !fire.is_dir() || !pass.is_dir() {
            problems.push(format!("{code}: missing fixtures/rules/{code}/fire or /pass"));
            continue;
        }
        let fired = codes_in(&fire);
        if !fired.iter().any(|c| c == code) {
            problems.push(format!("{code}: does not fire on {}", fire.display()));
        }
        let passed = codes_in(&pass);
        if passed.iter().any(|c| c == code) {
            problems.push(format!("{code}: fires on {}", pass.display()));
        }
        fired_anywhere.extend(fired.into_iter().chain(passed));
    }
    // A retired code is reserved, never reported: not even by a case written for another rule.
    for rule in retired {
        let code = rule.meta.code;
        if fired_anywhere.iter().any(|c| c == code) {
            problems.push(format!("{code} is retired but fired on a fixture"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_folder_names_a_registered_rule() {
    // A retired rule has no fixtures: a folder for it would test nothing.
    let codes: Vec<&str> = railcheck::rules::all()
        .iter()
        .filter(|r| !r.is_retired())
        .map(|r| r.meta.code)
        .collect();
    let mut strays = Vec::new();
    for entry in std::fs::read_dir(fixtures_root()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !codes.contains(&name.as_str()) {
            strays.push(name);
        }
    }
    strays.sort();
    assert!(
        strays.is_empty(),
        "fixture folders naming no registered, active rule: {strays:?}"
    );
}

#[test]
fn every_rule_case_prints_what_its_snapshot_says() {
    let root = fixtures_root();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    for code in cases {
        for kind in ["fire", "pass"] {
            let case = root.join(&code).join(kind);
            if !case.is_dir() {
                continue;
            }
            let report = String::from_utf8(run(&case, "human").stdout).unwrap();
            insta::with_settings!({
                snapshot_path => "snapshots/rules",
                prepend_module_to_snapshot => false,
                description => format!("railcheck validate fixtures/rules/{code}/{kind}"),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{code}_{kind}"), report);
            });
        }
    }
}
