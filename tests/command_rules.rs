//! The command and guide rules (RC7xx, RC8xx) on the guide's project, the corrected one,
//! and `--smoke`, which is the only place railcheck executes anything.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use assert_cmd::Command;

/// The findings of `railcheck validate DIR --format json EXTRA...` (exit 0 or 1 required).
fn diagnostics(dir: &Path, extra: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .arg("validate")
        .arg(dir)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

/// `(code, file, line)` of every finding.
fn findings(dir: &Path, extra: &[&str]) -> Vec<(String, String, u64)> {
    diagnostics(dir, extra)
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

#[test]
fn guide_monorepo_reports_the_guides_command_mistakes() {
    let found = findings(&fixture("guide-monorepo"), &["--select", "RC7,RC8"]);
    let has = |code: &str, file: &str, line: u64| found.iter().any(|f| f.0 == code && f.1 == file && f.2 == line);
    // `cd /app/packages/web` in the frontend, whose root already is packages/web.
    assert!(has("RC701", "railpack.json", 45), "{found:?}");
    // Yarn 4 (corepack prepare yarn@stable, .yarnrc.yml) with --frozen-lockfile, in both files.
    assert!(has("RC704", "railpack.json", 40), "{found:?}");
    assert!(has("RC704", "packages/web/railpack.json", 14), "{found:?}");
    // The workspace's only yarn.lock is at the repo root, outside the frontend's root.
    assert!(has("RC702", "railpack.json", 40), "{found:?}");
    assert!(has("RC702", "packages/web/railpack.json", 14), "{found:?}");
    // `"deploy": {"inputs": [{"step": "build"}]}` without `include` ships no app (Railpack
    // reads a guide-format service file's `deploy.inputs`).
    assert!(has("RC718", "packages/web/railpack.json", 26), "{found:?}");
    assert_eq!(found.len(), 6, "{found:?}");
}

#[test]
fn ready_monorepo_is_clean_of_command_rules() {
    let found = findings(&fixture("ready-monorepo"), &["--select", "RC7,RC8"]);
    assert!(found.is_empty(), "{found:?}");
}

fn smoke_project(marker: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("railpack.json"),
        r#"{ "provider": "python", "deploy": { "startCommand": "python main.py" } }"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("main.py"), "print('hi')\n").unwrap();
    let name = dir.path().file_name().unwrap().to_string_lossy().to_string();
    std::fs::write(
        dir.path().join("railcheck.toml"),
        format!(
            "[services.\"{name}\"]\nsmoke = [\"touch '{}'\", \"echo token sk-ant-abcdefghijklmnopqrstuvwxyz0123; exit 4\"]\n",
            marker.display()
        ),
    )
    .unwrap();
    dir
}

#[test]
fn smoke_commands_run_only_with_the_flag() {
    let scratch = tempfile::tempdir().unwrap();
    let marker = scratch.path().join("ran");
    let project = smoke_project(&marker);
    let found = findings(project.path(), &[]);
    assert!(!marker.exists(), "a smoke command ran without --smoke");
    assert!(found.iter().all(|f| f.0 != "RC890"));

    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .arg("validate")
        .arg(project.path())
        .args(["--format", "json", "--smoke", "--smoke-timeout", "20"])
        .output()
        .unwrap();
    assert!(marker.exists(), "the smoke command did not run with --smoke");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let smoke: Vec<_> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "RC890")
        .collect();
    assert_eq!(smoke.len(), 1, "{text}");
    assert!(smoke[0]["message"].as_str().unwrap().contains("exit 4"), "{text}");
    assert!(
        !text.contains("abcdefghijklmnop"),
        "a secret in the smoke output was not masked: {text}"
    );
}

#[test]
fn config_backups_do_not_count_as_source() {
    // A folder with only configs says nothing about which files exist, so RC701 stays
    // quiet; `migrate --write`'s `.orig` backups must not change that.
    let dir = tempfile::tempdir().unwrap();
    let config = r#"{ "steps": { "build": { "commands": ["cd web && npm run build"] } } }"#;
    std::fs::write(dir.path().join("railpack.json"), config).unwrap();
    std::fs::write(dir.path().join("railpack.json.orig"), config).unwrap();
    assert!(!findings(dir.path(), &[]).iter().any(|f| f.0 == "RC701"));
    std::fs::write(dir.path().join("package.json"), "{}").unwrap();
    assert!(
        findings(dir.path(), &[]).iter().any(|f| f.0 == "RC701"),
        "RC701 should fire once source exists"
    );
}

/// `(code, severity)` of every finding railcheck reports on a project written from `files`.
fn severities(files: &[(&str, &str)], select: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    diagnostics(dir.path(), &["--select", select])
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn build_commands_run_under_sh_but_the_start_command_under_bash() {
    // Start commands run with /bin/bash -c (Railpack buildkit/convert.go 89): no RC705.
    let start_only = severities(
        &[(
            "railpack.json",
            r#"{"deploy": {"startCommand": "source .venv/bin/activate && [[ -n $PORT ]] && python main.py &> log"}}"#,
        )],
        "RC705",
    );
    assert!(start_only.is_empty(), "{start_only:?}");
    // RAILPACK_BUILD_CMD, set as a service variable, runs under sh like a build step.
    let env = severities(
        &[(
            "railpack.json",
            r#"{"services": {"api": {"root": ".", "deploy": {"environment": {"RAILPACK_BUILD_CMD": "source env.sh && make"}}}}}"#,
        )],
        "RC705",
    );
    assert_eq!(env, [("RC705".to_string(), "error".to_string())]);
    // A guide-format step never runs: a warning, not an error.
    let guide = severities(
        &[(
            "railpack.json",
            r#"{"version": "1", "build": {"steps": {"build": {"commands": ["[[ -f x ]] && make"]}}}}"#,
        )],
        "RC705",
    );
    assert_eq!(guide, [("RC705".to_string(), "warning".to_string())]);
}

#[test]
fn single_quotes_in_every_string_command_path() {
    let env = severities(
        &[(
            "railpack.json",
            r#"{"services": {"api": {"root": ".", "deploy": {"environment": {"RAILPACK_INSTALL_CMD": "pip install 'fastapi[all]' 'uvicorn>=0.30'"}}}}}"#,
        )],
        "RC716",
    );
    assert_eq!(env, [("RC716".to_string(), "error".to_string())]);
    let guide = severities(
        &[(
            "railpack.json",
            r#"{"version": "1", "build": {"steps": {"build": {"commands": ["echo 'hello world'"]}}}}"#,
        )],
        "RC716",
    );
    assert_eq!(guide, [("RC716".to_string(), "warning".to_string())]);
    // Railway's buildCommand goes through the same string path.
    let railway = severities(
        &[(
            "railway.json",
            r#"{"build": {"buildCommand": "npm run build && echo 'done building'"}}"#,
        )],
        "RC716",
    );
    assert_eq!(railway, [("RC716".to_string(), "error".to_string())]);
    // Exec commands and start commands are not wrapped.
    let fine = severities(
        &[(
            "railpack.json",
            r#"{"steps": {"build": {"commands": [{"cmd": "echo 'hello world'"}]}}, "deploy": {"startCommand": "echo 'hi there' && node a.js"}}"#,
        )],
        "RC716",
    );
    assert!(fine.is_empty(), "{fine:?}");
}

/// RC404 on a reduced copy of a real layout: a Spring Boot backend (railcheck does not read
/// Java routes) with a Flask service nested in its folder. The Flask file is the nested
/// service's app, not the backend's: the backend gets no finding; the nested service is
/// judged by its own routes.
#[test]
fn health_routes_of_nested_services_and_unknown_stacks() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "backend/railway.json",
        r#"{"deploy": {"healthcheckPath": "/actuator/health"}}"#,
    );
    write(
        "backend/pom.xml",
        "<project><artifactId>spring-boot-starter-actuator</artifactId></project>\n",
    );
    write(
        "backend/nlp/railway.json",
        r#"{"deploy": {"healthcheckPath": "/healthz"}}"#,
    );
    write(
        "backend/nlp/app.py",
        "from flask import Flask\napp = Flask(__name__)\n@app.route('/health')\ndef h(): return 'ok'\n",
    );
    let rc404: Vec<_> = findings(dir.path(), &["--isolated", "--select", "RC404"])
        .into_iter()
        .map(|(_, file, _)| file)
        .collect();
    assert_eq!(rc404, ["backend/nlp/railway.json"], "only the Flask service is judged");
    // Without the pom.xml the backend folder would hold only the nested service's Flask
    // app: still not the backend's, so still no finding for the backend.
    std::fs::remove_file(dir.path().join("backend/pom.xml")).unwrap();
    let rc404: Vec<_> = findings(dir.path(), &["--isolated", "--select", "RC404"])
        .into_iter()
        .map(|(_, file, _)| file)
        .collect();
    assert_eq!(rc404, ["backend/nlp/railway.json"]);
}
