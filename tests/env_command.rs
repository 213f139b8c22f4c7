//! `railcheck env` end to end: sources, order, --service, formats, exit codes, and the
//! promise that no part of a value longer than 4 characters is ever printed.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn railcheck() -> Command {
    let mut cmd = Command::cargo_bin("railcheck").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Values planted in the inputs. None of their 5-character windows may appear in any
/// output. For values holding references only the literal parts are planted: the
/// referenced names (`RAILWAY_PUBLIC_DOMAIN`) are variable names, which are printed.
const PLANTED: &[&str] = &[
    "sk-proj-Q9wErTyUiOpAsDfGhJkLzXcV",
    "Zq8xWv7uTs",
    "Kd93LmQpW8vXz2RtY6bN",
    "MIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8",
    "ghp_Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2",
    "verbose-tracing-mode",
    "mlt9 lnx vqz\nsxc0nd lxne",
    "tqb\tsxp4r\tvvl",
    "qv7 wkth \"esc4pes\"",
    "sgl qtd $NQT_EXPNDD",
    "Qbackend",
    "pguser:Zq8xWv7uTs@",
    "envq-Wm4Np7Qs2Rv9",
    "stdq-Hx5Jk8Lp3Mn6",
    "sk_live_Pp0Oo9Ii8Uu7Yy6Tt5Rr4",
];

const DOTENV: &str = "# service variables, exported from a shell\r\n\
export OPENAI_API_KEY=sk-proj-Q9wErTyUiOpAsDfGhJkLzXcV\r\n\
LOG_LEVEL='verbose-tracing-mode'\r\n\
EMPTY=\r\n\
NOTES=\"mlt9 lnx vqz\nsxc0nd lxne\"\r\n\
TABS=\"tqb\\tsxp4r\\tvvl\"\r\n\
QUOTED=\"qv7 wkth \\\"esc4pes\\\"\"\r\n\
SINGLE='sgl qtd $NQT_EXPNDD' # a comment\r\n\
this line has no equals sign Kd93LmQpW8vXz2RtY6bN\r\n\
NEXT_PUBLIC_API_URL=https://${{Qbackend.RAILWAY_PUBLIC_DOMAIN}}/v1\r\n\
DATABASE_URL=postgresql://pguser:Zq8xWv7uTs@${{Qpg.RAILWAY_PRIVATE_DOMAIN}}:5432/railway\r\n\
GITHUB_TOKEN=ghp_Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2\r\n\
NEXT_PUBLIC_STRIPE=sk_live_Pp0Oo9Ii8Uu7Yy6Tt5Rr4\r\n\
BROKEN=${{Qpg.PORT\r\n";

const RAILWAY_JSON: &str = r#"{
  "PORT": "8080",
  "RAILWAY_PUBLIC_DOMAIN": "api-production.up.railway.app",
  "LOG_LEVEL": "info",
  "JWT_SECRET_KEY": "Kd93LmQpW8vXz2RtY6bN",
  "PRIVATE_PEM": "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n-----END PRIVATE KEY-----",
  "RETRIES": 3,
  "NESTED": {"a": "b"}
}"#;

struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn new() -> Inputs {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), DOTENV).unwrap();
        std::fs::write(dir.path().join("vars.json"), RAILWAY_JSON).unwrap();
        let project = dir.path().join("project");
        std::fs::create_dir(&project).unwrap();
        std::fs::write(
            project.join("railpack.json"),
            r#"{
  "provider": "node",
  "steps": {
    "install": { "commands": ["npm ci"], "secrets": [] },
    "build": { "inputs": [{ "step": "install" }], "commands": ["npm run build"], "secrets": ["NEXT_PUBLIC_API_URL"] },
    "migrate": { "inputs": [{ "step": "build" }], "commands": ["npm run migrate"] }
  }
}"#,
        )
        .unwrap();
        Inputs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = railcheck()
            .current_dir(self.dir.path())
            .arg("env")
            .args(args)
            .env("RC_TEST_ENV_ONLY", "envq-Wm4Np7Qs2Rv9")
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    }
}

fn assert_no_value_leaks(output: &str, context: &str) {
    for value in PLANTED {
        let chars: Vec<char> = value.chars().collect();
        for window in chars.windows(5) {
            let needle: String = window.iter().collect();
            assert!(
                !output.contains(&needle),
                "{context}: output contains `{needle}` from a planted value:\n{output}"
            );
        }
    }
}

#[test]
fn no_format_ever_prints_a_value() {
    let inputs = Inputs::new();
    let env = inputs.path(".env");
    let json = inputs.path("vars.json");
    let variants: Vec<Vec<&str>> = vec![
        vec!["--dotenv", &env],
        vec!["--railway-json", &json],
        vec!["--dotenv", &env, "--railway-json", &json, "--from-env"],
        vec!["--dotenv", &env, "--service", "project", "--project", "project"],
        vec!["--dotenv", &env, "--railway-json", &json, "--check"],
    ];
    let mut runs = 0;
    for args in variants {
        for format in ["human", "json"] {
            let mut all = args.clone();
            all.extend(["--format", format]);
            let (_, stdout, stderr) = inputs.run(&all);
            assert!(!stdout.is_empty());
            assert_no_value_leaks(&stdout, &format!("{all:?} stdout"));
            assert_no_value_leaks(&stderr, &format!("{all:?} stderr"));
            runs += 1;
        }
    }
    // Standard input as a source.
    let output = railcheck()
        .args(["env", "--dotenv", "-", "--format", "json"])
        .write_stdin("STDIN_API_KEY=stdq-Hx5Jk8Lp3Mn6\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("\"STDIN_API_KEY\""));
    assert_no_value_leaks(&stdout, "stdin");
    assert_eq!(runs, 10);
}

#[test]
fn reports_classes_findings_and_input_problems() {
    let inputs = Inputs::new();
    let (code, stdout, _) = inputs.run(&["--dotenv", &inputs.path(".env"), "--format", "json"]);
    assert_eq!(code, 0, "without --check the audit exits 0");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let var = |name: &str| {
        doc["variables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing"))
            .clone()
    };
    assert_eq!(var("OPENAI_API_KEY")["class"], "runtime-secret");
    assert_eq!(var("OPENAI_API_KEY")["credential"], "OpenAI-style API key");
    assert_eq!(var("OPENAI_API_KEY")["findings"], serde_json::json!(["RC302"]));
    assert_eq!(var("EMPTY")["empty"], true);
    assert_eq!(var("LOG_LEVEL")["line"], 3);
    assert_eq!(var("NEXT_PUBLIC_API_URL")["class"], "build-needed");
    assert_eq!(var("NEXT_PUBLIC_API_URL")["references"], 1);
    assert_eq!(var("DATABASE_URL")["findings"], serde_json::json!(["RC302", "RC304"]));
    assert_eq!(var("NEXT_PUBLIC_STRIPE")["findings"], serde_json::json!(["RC304"]));
    assert_eq!(var("BROKEN")["reference_errors"].as_array().unwrap().len(), 1);
    assert!(var("BROKEN")["findings"].as_array().unwrap().contains(&"RC501".into()));
    let problems = doc["input_problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["line"], 10);
    assert_eq!(doc["summary"]["variables"], 12);
}

#[test]
fn later_sources_win_in_command_line_order() {
    let inputs = Inputs::new();
    let env = inputs.path(".env");
    let json = inputs.path("vars.json");
    let source_of_log_level = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let (_, stdout, _) = inputs.run(&all);
        let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let v = doc["variables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == "LOG_LEVEL")
            .unwrap()
            .clone();
        (v["source"].as_str().unwrap().to_string(), v["overrides"].clone())
    };
    let (source, overrides) = source_of_log_level(&["--dotenv", &env, "--railway-json", &json]);
    assert_eq!(source, json);
    assert_eq!(overrides, serde_json::json!([format!("{env}:3")]));
    let (source, overrides) = source_of_log_level(&["--railway-json", &json, "--dotenv", &env]);
    assert_eq!(source, env);
    assert_eq!(overrides, serde_json::json!([json]));
}

#[test]
fn from_env_reads_the_environment() {
    let inputs = Inputs::new();
    let (_, stdout, _) = inputs.run(&["--from-env", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let v = doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "RC_TEST_ENV_ONLY")
        .unwrap()
        .clone();
    assert_eq!(v["source"], "environment");
    assert_eq!(v["line"], serde_json::Value::Null);
}

#[test]
fn service_steps_decide_what_the_build_sees() {
    let inputs = Inputs::new();
    let (_, stdout, _) = inputs.run(&[
        "--dotenv",
        &inputs.path(".env"),
        "--service",
        "project",
        "--project",
        &inputs.path("project"),
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["service"], "project");
    let key = doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "OPENAI_API_KEY")
        .unwrap()
        .clone();
    assert_eq!(key["mounted_by"], serde_json::json!(["migrate"]));
    assert_eq!(key["restricted_by"], serde_json::json!(["install", "build"]));
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "RC302" && f["variable"] == "OPENAI_API_KEY")
        .unwrap()
        .clone();
    let note = finding["note"].as_str().unwrap();
    assert!(note.contains("`migrate` has no `secrets` list"), "{note}");
    assert!(note.contains("`install`, `build` restrict their secrets"), "{note}");
}

#[test]
fn check_sets_the_exit_code() {
    let inputs = Inputs::new();
    let (code, _, _) = inputs.run(&["--dotenv", &inputs.path(".env"), "--check"]);
    assert_eq!(code, 1);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.env"), "NODE_ENV=production\nLOG_LEVEL=info\n").unwrap();
    railcheck()
        .current_dir(dir.path())
        .args(["env", "--dotenv", "ok.env", "--check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors"));
}

#[test]
fn usage_errors_exit_two() {
    let inputs = Inputs::new();
    for (args, message) in [
        (vec!["--dotenv", "missing.env"], "not a readable file"),
        (vec!["--railway-json", ".env"], "not valid JSON"),
        (
            vec!["--dotenv", ".env", "--service", "nope", "--project", "project"],
            "no service `nope`",
        ),
        (vec!["--dotenv", "-", "--railway-json", "-"], "only once"),
    ] {
        let (code, stdout, stderr) = inputs.run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_no_value_leaks(&stderr, "usage error");
    }
    railcheck().arg("env").assert().code(2);
}

#[test]
fn human_table() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "OPENAI_API_KEY=sk-proj-Q9wErTyUiOpAsDfGhJkLzXcV\nNEXT_PUBLIC_API_URL=https://${{Qbackend.RAILWAY_PUBLIC_DOMAIN}}\nLOG_LEVEL=debug\nRAILPACK_NODE_VERSION=22\nno equals\n",
    )
    .unwrap();
    let output = railcheck()
        .current_dir(dir.path())
        .args(["env", "--dotenv", ".env"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("env_human", stdout);
}

#[test]
fn the_guide_example_has_no_leaks_either() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/multi-service-railway-deployment-guide.md");
    if !guide.exists() {
        return;
    }
    // The guide's env_vars.txt idea: an `env` dump fed as a dotenv file.
    let dir = tempfile::tempdir().unwrap();
    let dump = "OPENAI_API_KEY=sk-proj-Q9wErTyUiOpAsDfGhJkLzXcV\nRAILWAY_ENVIRONMENT=production\nPYTHONPATH=/app\nGROQ_API_KEY=gsk_Kd93LmQpW8vXz2RtY6bNKd93Lm\nSENTRY_DSN=https://Zq8xWv7uTs@o1.ingest.sentry.io/1\nDB_PASSWORD=Kd93LmQpW8vXz2RtY6bN\n";
    std::fs::write(dir.path().join("env_vars.txt"), dump).unwrap();
    let output = railcheck()
        .current_dir(dir.path())
        .args(["env", "--dotenv", "env_vars.txt", "--check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    // Runtime secrets visible to the build are the guide's policy (warnings), not an error:
    // Railpack mounts every service variable into every build command anyway.
    assert_eq!(output.status.code(), Some(0));
    // What filter_build_vars.sh missed: `_PASSWORD`, `_DSN`, `GROQ_`.
    for name in ["GROQ_API_KEY", "SENTRY_DSN", "DB_PASSWORD"] {
        assert!(
            stdout.contains(&format!("runtime secret `{name}` is visible to the build")),
            "{name}:\n{stdout}"
        );
    }
    assert_no_value_leaks(&stdout, "guide dump");
    assert!(!stdout.contains("gsk_Kd93"));
}

#[test]
fn railcheck_toml_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".env"),
        "NPM_TOKEN=npmtokenvalue\nLICENSE_BLOB=opaque\nLOG_LEVEL=debug\nA=1\nB=2\nC=3\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("railcheck.toml"),
        "[secrets]\nbuild-allowlist = [\"NPM_TOKEN\"]\nruntime-only = [\"LICENSE_BLOB\"]\nmax-build-variables = 5\n\n[rules]\nignore = [\"RC301\"]\n",
    )
    .unwrap();
    let output = railcheck()
        .current_dir(dir.path())
        .args(["env", "--dotenv", ".env", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let class = |name: &str| {
        doc["variables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap()["class"]
            .clone()
    };
    assert_eq!(class("NPM_TOKEN"), "build-needed");
    assert_eq!(class("LICENSE_BLOB"), "runtime-secret");
    let codes: Vec<_> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, vec!["RC302", "RC303"], "{doc:#}");
    assert_eq!(doc["summary"]["limit"], 5);
}
