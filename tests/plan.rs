//! `railcheck plan`: what a user sees, on the guide's layout and on a ready monorepo, in
//! both formats. A diff here is a change in what railcheck tells people Railway will do.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

mod common;

use std::path::Path;

fn plan(fixture: &str, format: &str) -> (String, Option<i32>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let out = common::railcheck()
        .current_dir(&dir)
        .args(["plan", fixture, "--format", format, "--color", "never", "--isolated"])
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn guide_monorepo_human() {
    let (text, code) = plan("guide-monorepo", "human");
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text);
}

#[test]
fn guide_monorepo_json() {
    let (text, code) = plan("guide-monorepo", "json");
    assert_eq!(code, Some(0));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["schema_version"], 1);
    insta::assert_snapshot!(text);
}

#[test]
fn ready_monorepo_human() {
    let (text, code) = plan("ready-monorepo", "human");
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text);
}

#[test]
fn ready_monorepo_json() {
    let (text, code) = plan("ready-monorepo", "json");
    assert_eq!(code, Some(0));
    insta::assert_snapshot!(text);
}

#[test]
fn facts_name_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "api/railpack.json",
        r#"{"steps": {"install": {"commands": ["...", "pip check"]}}, "deploy": {"variables": {"API_KEY": "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789"}}}"#,
    );
    common::write(dir.path(), "api/requirements.txt", "fastapi\n");
    common::write(dir.path(), "tool/Dockerfile", "FROM python:3.12\n");
    common::write(
        dir.path(),
        "tool/railpack.json",
        r#"{"deploy": {"startCommand": "python app.py"}}"#,
    );
    common::write(dir.path(), "worker/Dockerfile", "FROM alpine\n");
    common::write(
        dir.path(),
        "worker/railway.json",
        r#"{"deploy": {"startCommand": "./worker --port $PORT"}}"#,
    );
    let out = common::railcheck()
        .args(["plan", "--format", "json", "--isolated"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("abcdefghijklmnop"),
        "a secret value was printed:\n{text}"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let api = &doc["services"][0];
    assert_eq!(api["name"], "api");
    assert_eq!(api["provider"]["value"], "python");
    assert_eq!(api["provider"]["from"], "auto-detected: requirements.txt in the root");
    assert_eq!(api["root"]["certainty"], "inferred");
    let install = api["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "install")
        .unwrap();
    assert_eq!(
        install["generated_commands"],
        "keeps the generated commands where `\"...\"` stands"
    );
    assert_eq!(install["commands"][1]["shell"], "sh -c (dash)");
    assert_eq!(api["start"]["shell"], "bash -c");
    let tool = &doc["services"][1];
    assert_eq!(tool["builder"]["value"], "dockerfile");
    assert!(
        tool["start"]["command"].is_null(),
        "the Dockerfile builder reads no railpack.json start command"
    );
    assert_eq!(tool["start"]["from"], "the Dockerfile's CMD / ENTRYPOINT");
    let worker = &doc["services"][2];
    assert_eq!(worker["builder"]["value"], "dockerfile");
    assert!(
        worker["provider"].is_null(),
        "no Railpack provider with the Dockerfile builder"
    );
    assert!(worker["steps"].as_array().unwrap().is_empty());
    assert_eq!(worker["root"]["certainty"], "unknown");
    assert_eq!(worker["start"]["command"], "./worker --port $PORT");
    assert!(
        worker["start"]["shell"]
            .as_str()
            .unwrap()
            .starts_with("exec form, no shell")
    );
}

#[test]
fn a_file_is_not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "railpack.json", "{}");
    let out = common::railcheck()
        .arg("plan")
        .arg(dir.path().join("railpack.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a folder"));
}
