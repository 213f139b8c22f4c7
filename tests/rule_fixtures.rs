//! Every rule has a fixture that fires it and one that must not:
//! `fixtures/rules/<CODE>/fire/` and `fixtures/rules/<CODE>/pass/`, each a project folder.
//! An optional `ARGS` file in a case folder holds extra `validate` arguments, one per line.

use std::path::Path;

use assert_cmd::Command;

fn codes_in(case: &Path) -> Vec<String> {
    let mut cmd = Command::cargo_bin("railcheck").unwrap();
    cmd.arg("validate").arg(case).args(["--format", "json"]);
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
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_rule_fires_on_its_fixture_and_not_on_its_pass_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut problems = Vec::new();
    for rule in railcheck::rules::all() {
        let code = rule.meta.code;
        let fire = root.join(code).join("fire");
        let pass = root.join(code).join("pass");
        if !fire.is_dir() || !pass.is_dir() {
            problems.push(format!("{code}: missing fixtures/rules/{code}/fire or /pass"));
            continue;
        }
        if !codes_in(&fire).iter().any(|c| c == code) {
            problems.push(format!("{code}: does not fire on {}", fire.display()));
        }
        if codes_in(&pass).iter().any(|c| c == code) {
            problems.push(format!("{code}: fires on {}", pass.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
