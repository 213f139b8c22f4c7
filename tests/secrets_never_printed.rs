//! A repository full of runtime secrets in build scope and literal credentials fails with
//! RC302 and RC304, and no output format prints any 8-character piece of any credential.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use assert_cmd::Command;

mod common;
use common::write;

// Planted credentials: shaped like the real thing, valid for nothing.
const OPENAI: &str = "sk-proj-Q7wErTy8uIoP1aSdFgH2jKlZ3xCvBn4M";
const ANTHROPIC: &str = "sk-ant-api03-Zx9Cv8Bn7Mq6Wf5Er4Ty3Ui2Op1As0D";
const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyYWlsY2hlY2stdGVzdCJ9.Qm9ndXNTaWduYXR1cmVGb3JUZXN0aW5nMQ";
const PG_PASSWORD: &str = "Vx7Kq2Lm9Pz4Rt8W";
const ENTROPY: &str = "q8Vz3Lm1Xp0Rt7Yb2Nc5Wk9J";
const ENTROPY_2: &str = "Hn4Tq9Zr2Lw7Xc5Vb8Mk3Pd";

fn plant(root: &Path) {
    let pg = format!("postgres://app:{PG_PASSWORD}@db.example.com:5432/app");
    write(
        root,
        "railpack.json",
        &format!(
            r#"{{
  "version": "1",
  "services": {{
    "api": {{
      "root": "./api",
      "build": {{
        "provider": "python",
        "secrets": ["PYTHONPATH", "OPENAI_API_KEY", "DATABASE_URL", "JWT_SECRET_KEY"]
      }},
      "deploy": {{
        "startCommand": "uvicorn main:app --port $PORT",
        "environment": {{
          "OPENAI_API_KEY": "{OPENAI}",
          "ANTHROPIC_API_KEY": "{ANTHROPIC}",
          "DATABASE_URL": "{pg}",
          "JWT_SECRET_KEY": "{ENTROPY}",
          "AUTH_TOKEN": "{JWT}"
        }}
      }}
    }}
  }}
}}
"#
        ),
    );
    write(
        root,
        "api/railpack.json",
        &format!(
            r#"{{
  "provider": "python",
  "secrets": ["STRIPE_SECRET_KEY"],
  "steps": {{
    "build": {{
      "secrets": ["GROQ_API_KEY", "PYTHONPATH"],
      "variables": {{ "SESSION_SECRET": "{ENTROPY_2}", "ANTHROPIC_API_KEY": "{ANTHROPIC}" }},
      "commands": ["curl -H 'Authorization: Bearer {OPENAI}' https://api.example.com/warm", "psql {pg} -c 'select 1'"]
    }}
  }},
  "deploy": {{
    "startCommand": "OPENAI_API_KEY={OPENAI} uvicorn main:app --port $PORT",
    "variables": {{ "DATABASE_URL": "{pg}", "JWT": "{JWT}" }}
  }}
}}
"#
        ),
    );
    write(
        root,
        "api/railway.json",
        &format!(
            r#"{{
  "build": {{ "buildCommand": "ANTHROPIC_API_KEY={ANTHROPIC} python build.py" }},
  "deploy": {{ "startCommand": "uvicorn main:app --port $PORT --header x-token:{JWT}", "healthcheckPath": "/health" }}
}}
"#
        ),
    );
    write(root, "api/main.py", "print('api')\n");
}

fn run(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    run_command("validate", root, args)
}

fn run_command(command: &str, root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .env_remove("GITHUB_ACTIONS")
        .env_remove("CLICOLOR_FORCE")
        .arg(command)
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

#[test]
fn secrets_fail_the_check_and_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    plant(dir.path());

    let (code, json) = run(dir.path(), &["--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"RC302"), "{codes:?}");
    let hardcoded = codes.iter().filter(|c| **c == "RC304").count();
    assert!(
        hardcoded >= 12,
        "every planted credential is reported: {hardcoded}\n{json}"
    );

    let outputs = [
        json,
        run(dir.path(), &["--format", "human", "--color", "never"]).1,
        run(dir.path(), &["--format", "concise"]).1,
        // `plan` prints commands, values and variables: masked like every report.
        run_command("plan", dir.path(), &["--format", "human", "--color", "never"]).1,
        run_command("plan", dir.path(), &["--format", "json"]).1,
        run(dir.path(), &["--diff"]).1,
        run(dir.path(), &["--statistics"]).1,
        run(dir.path(), &["--show-settings"]).1,
    ];
    for secret in [OPENAI, ANTHROPIC, JWT, PG_PASSWORD, ENTROPY, ENTROPY_2] {
        for window in secret.as_bytes().windows(8) {
            let piece = std::str::from_utf8(window).unwrap();
            for (i, out) in outputs.iter().enumerate() {
                assert!(!out.contains(piece), "format #{i} prints `{piece}`:\n{out}");
            }
        }
    }
}
