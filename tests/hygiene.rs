//! Secrets never printed, nothing written, byte-identical output: checked on the binary.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// Every output format `validate` has; `every_format_is_covered` fails when one is added.
const FORMATS: &[&str] = &["human", "concise", "json", "sarif", "github"];

#[test]
fn every_format_is_covered() {
    use clap::ValueEnum;
    let names: Vec<String> = railcheck::report::Format::value_variants()
        .iter()
        .map(|f| f.to_possible_value().unwrap().get_name().to_string())
        .collect();
    assert_eq!(names, FORMATS);
}

fn railcheck(tmp: &Path) -> Command {
    let mut cmd = Command::cargo_bin("railcheck").unwrap();
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR")
        // Anything railcheck writes to a temp folder would show up here.
        .env("TMPDIR", tmp)
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn output(tmp: &Path, args: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let out = railcheck(tmp).args(args).output().unwrap();
    (out.status.code(), out.stdout, out.stderr)
}

// ---------------------------------------------------------------- secrets

const OPENAI: &str = "sk-Q7vXw2LmN9pR4tY8zK3bH6cJ1dF5gS0aPq";
const ANTHROPIC: &str = "sk-ant-api03-Zx8Cv7Bn6Mm5Ll4Kk3Jj2Hh1Gg0Ff9Dd";
const GITHUB: &str = "ghp_R2d2C3poBb8Yoda1Luke2Leia3Han4Solo5Chewie";
const STRIPE: &str = "sk_live_51HqLmNoPqRsTuVwXyZa0b1c2d3";
const AWS: &str = "AKIAIOSFODNN7EXAMPLQ";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbjEyMyJ9.Xk3vP9qL2mN8rT5wY1zB4cF7hJ0dG6sA";
const DB_PASSWORD: &str = "Tr0ub4dor-And-3-Horses";
const ENTROPY: &str = "q8Vz3Lm1Xp0Rt7Yb2Nc5Wk9";
const ALL: &[&str] = &[OPENAI, ANTHROPIC, GITHUB, STRIPE, AWS, JWT, DB_PASSWORD, ENTROPY];

/// A project with a credential in every place a value can be, each next to a finding so
/// that code frames show it: manifest environment, step variables and commands, deploy
/// variables, start commands, railway.json, railway.toml, a comment, a key, a broken file.
fn planted() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: String| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(
        "railpack.json",
        format!(
            r#"{{
  "version": "1",
  "services": {{
    "web": {{
      "root": "./apps/web",
      "build": {{
        "provider": "node",
        "steps": {{
          "build": {{
            "commands": ["curl -H 'Authorization: Bearer {OPENAI}' https://api.example.com", {{"cmd": "echo {GITHUB}", "oops": 1}}],
            "variables": {{"STRIPE_KEY": "{STRIPE}", "bogus": 1}}
          }}
        }}
      }},
      "deploy": {{
        "startCommand": "ANTHROPIC_API_KEY={ANTHROPIC} node server.js",
        "environment": {{"DATABASE_URL": "postgres://app:{DB_PASSWORD}@db.internal:5432/app", "JWT_SECRET": "{ENTROPY}"}},
        "unknownDeployKey": true
      }}
    }}
  }}
}}"#
        ),
    );
    write(
        "apps/web/railpack.json",
        format!(
            r#"{{
  // old key {OPENAI} do not use
  "provider": "node",
  "{AWS}": "key pasted as a key",
  "steps": {{"build": {{"commands": ["npm ci"], "variables": {{"TOKEN": "{JWT}"}}, "nope": 1}}}},
  "deploy": {{"startCommand": "node server.js --token {GITHUB}", "variables": {{"AWS_ACCESS_KEY_ID": "{AWS}", "SESSION_SECRET": "{ENTROPY}"}}, "bad": 1}},
}}"#
        ),
    );
    write(
        "apps/web/railway.json",
        format!(
            r#"{{"deploy": {{"startCommand": "STRIPE={STRIPE} node server.js", "healthcheckPath": "/health?key={OPENAI}", "wrong": 1}},
 "build": {{"buildCommand": "DB=postgres://u:{DB_PASSWORD}@h/x yarn build", "nope": true}}}}"#
        ),
    );
    write(
        "apps/api/railway.toml",
        format!("[deploy]\nstartCommand = \"node api.js {ANTHROPIC}\"\nunknown = \"{JWT}\"\n"),
    );
    write(
        "apps/broken/railpack.json",
        format!("{{\"deploy\": {{\"startCommand\": \"{OPENAI} {ANTHROPIC}\", \"x\": postgres://u:{DB_PASSWORD}@h/x"),
    );
    dir
}

fn assert_no_secret(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for secret in ALL {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(8) {
            let window: String = window.iter().collect();
            assert!(
                !text.contains(&window),
                "{what}: `{window}` of a planted secret printed:\n{text}"
            );
        }
    }
}

#[test]
fn planted_secrets_never_reach_any_output() {
    let dir = planted();
    let tmp = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let mut findings = 0;
    for format in FORMATS {
        for extra in [&[][..], &["--deny", "warnings"], &["--quiet"], &["--color", "always"]] {
            let mut args = vec!["validate", root, "--format", format];
            args.extend_from_slice(extra);
            let (code, stdout, stderr) = output(tmp.path(), &args);
            assert_eq!(code, Some(1), "{args:?}: {}", String::from_utf8_lossy(&stderr));
            assert_no_secret(&format!("{args:?} stdout"), &stdout);
            assert_no_secret(&format!("{args:?} stderr"), &stderr);
            findings += String::from_utf8_lossy(&stdout).matches("RC").count();
        }
        // File arguments: the report restricted to one file.
        let file = dir.path().join("apps/web/railpack.json");
        let (_, stdout, stderr) = output(tmp.path(), &["validate", file.to_str().unwrap(), "--format", format]);
        assert_no_secret("file argument", &stdout);
        assert_no_secret("file argument", &stderr);
        // --output-file writes the same report to a file.
        let out_dir = tempfile::tempdir().unwrap();
        let out_file = out_dir.path().join("report.out");
        let (_, stdout, _) = output(
            tmp.path(),
            &[
                "validate",
                root,
                "--format",
                format,
                "--output-file",
                out_file.to_str().unwrap(),
            ],
        );
        let written = std::fs::read(&out_file).unwrap();
        assert!(!written.is_empty(), "{format}: --output-file wrote nothing");
        assert_no_secret("--output-file", &written);
        assert_no_secret("--output-file stdout", &stdout);
    }
    // The planted project really produces findings whose frames show the planted lines.
    assert!(findings > 50, "only {findings} findings");
    let (_, human, _) = output(tmp.path(), &["validate", root]);
    let human = String::from_utf8_lossy(&human);
    for masked in ["sk-Q", "ghp_", "AKIA", "eyJh", "sk_l", "sk-a", "Tr0u", "q8Vz"] {
        assert!(human.contains(masked), "no masked `{masked}…` frame in:\n{human}");
    }
}

// ---------------------------------------------------------------- read-only

/// Path -> (length, FNV-1a hash, read-only bit) of every entry below `root`.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u64, u64, bool)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            let path = entry.path();
            if meta.is_dir() {
                stack.push(path.clone());
                out.insert(path, (0, 0, meta.permissions().readonly()));
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
                });
                out.insert(path, (meta.len(), hash, meta.permissions().readonly()));
            }
        }
    }
    out
}

#[test]
fn no_subcommand_writes_anything() {
    let fixtures = fixtures();
    let planted = planted();
    let tmp = tempfile::tempdir().unwrap();
    let before = (snapshot(&fixtures), snapshot(planted.path()));
    let planted_root = planted.path().to_str().unwrap();
    let guide = fixtures.join("guide-monorepo");
    let guide = guide.to_str().unwrap();
    let guide_file = fixtures.join("guide-monorepo/railpack.json");
    let fixtures_root = fixtures.to_str().unwrap();
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in FORMATS {
        for target in [guide, planted_root, fixtures_root, guide_file.to_str().unwrap()] {
            runs.push(vec!["validate", target, "--format", format]);
        }
    }
    runs.push(vec!["rules"]);
    runs.push(vec!["explain", "RC202"]);
    runs.push(vec!["explain", "ignored-key"]);
    for schema in ["railpack", "services", "railway"] {
        runs.push(vec!["schema", schema]);
    }
    for args in &runs {
        let (code, _, stderr) = output(tmp.path(), args);
        assert!(
            matches!(code, Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&stderr)
        );
    }
    let after = (snapshot(&fixtures), snapshot(planted.path()));
    assert!(before == after, "a subcommand changed the checked trees");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "temp files left behind: {left:?}");
}

// ---------------------------------------------------------------- determinism

#[test]
fn output_is_byte_identical_across_runs() {
    let planted = planted();
    let tmp = tempfile::tempdir().unwrap();
    let targets = [
        fixtures().join("guide-monorepo"),
        fixtures().join("ready-monorepo"),
        fixtures(),
        planted.path().to_path_buf(),
    ];
    for target in &targets {
        let target = target.to_str().unwrap();
        let mut per_format = Vec::new();
        for format in FORMATS {
            let args = ["validate", target, "--format", format];
            let first = output(tmp.path(), &args);
            let second = output(tmp.path(), &args);
            assert!(first == second, "{args:?} differs between runs");
            assert!(
                matches!(*format, "concise" | "github") || !first.1.is_empty(),
                "{args:?} printed nothing"
            );
            per_format.push(first);
        }
        // Every format reports the same verdict (github: annotations only, same exit code).
        let codes: Vec<_> = per_format.iter().map(|o| o.0).collect();
        assert!(codes.windows(2).all(|w| w[0] == w[1]), "{target}: exit codes {codes:?}");
    }
}

fn fingerprints(sarif: &[u8]) -> Vec<(String, String)> {
    let doc: serde_json::Value = serde_json::from_slice(sarif).unwrap();
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fp = r["partialFingerprints"].as_object().unwrap().values().next().unwrap();
            (
                r["ruleId"].as_str().unwrap().to_string(),
                fp.as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_survive_runs_and_unrelated_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("railpack.json");
    let original = "{\n  \"provider\": \"node\",\n  \"nope\": 1,\n  \"deploy\": {\"startCommand\": \"node x.js\", \"bad\": true}\n}\n";
    std::fs::write(&file, original).unwrap();
    let root = dir.path().to_str().unwrap();
    let args = ["validate", root, "--format", "sarif"];
    let first = fingerprints(&output(tmp.path(), &args).1);
    assert!(first.len() >= 2, "{first:?}");
    assert_eq!(first, fingerprints(&output(tmp.path(), &args).1));
    // Unrelated edits: lines added above, a comment, re-indentation. Same findings, same prints.
    let edited = "{\n  // added a comment\n\n    \"provider\":   \"node\",\n    \"nope\": 1,\n    \"deploy\": {\n      \"startCommand\": \"node x.js\",\n      \"bad\": true\n    }\n}\n";
    std::fs::write(&file, edited).unwrap();
    let after: Vec<_> = fingerprints(&output(tmp.path(), &args).1)
        .into_iter()
        .filter(|(rule, _)| rule != "RC103")
        .collect();
    assert_eq!(first, after);
}
