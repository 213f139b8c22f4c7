//! The readiness facts per service, in the json format, on the two example monorepos.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn json(fixture: &str) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .args(["validate", dir.to_str().unwrap(), "--format", "json"])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn service<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no service {name}"))
}

fn codes(doc: &Value) -> Vec<&str> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn guide_monorepo_says_where_things_really_come_from() {
    let doc = json("guide-monorepo");
    let backend = service(&doc, "backend");
    assert_eq!(backend["root"], ".");
    assert_eq!(
        backend["provider"],
        Value::Null,
        "the manifest's provider is not read: auto-detected"
    );
    assert_eq!(backend["health_check"]["path"], "/health");
    assert_eq!(backend["health_check"]["file"], "railpack.json");
    assert_eq!(backend["health_check"]["read_by_railway"], false);
    assert_eq!(backend["start_command"]["read"], false);

    let frontend = service(&doc, "frontend");
    assert_eq!(frontend["root"], "packages/web");
    assert_eq!(frontend["health_check"]["file"], "packages/web/railpack.json");
    assert_eq!(frontend["health_check"]["read_by_railway"], false);
    assert_eq!(frontend["start_command"]["file"], "packages/web/railpack.json");
    assert_eq!(
        frontend["start_command"]["read"], true,
        "Railpack reads a guide file's deploy.startCommand"
    );
    assert_eq!(frontend["verdict"], "NOT READY");

    let codes = codes(&doc);
    for expected in ["RC204", "RC405", "RC508"] {
        assert!(codes.contains(&expected), "{expected} missing from {codes:?}");
    }
    let rc508 = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "RC508")
        .unwrap();
    assert_eq!(rc508["severity"], "warning");
    assert!(rc508["message"].as_str().unwrap().contains("NEXT_PUBLIC_API_URL"));
    assert_eq!(rc508["service"], "frontend");
}

#[test]
fn ready_monorepo_is_ready_with_facts_from_native_files() {
    let doc = json("ready-monorepo");
    assert_eq!(doc["ready"], true);
    let findings: Vec<_> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
    let web = service(&doc, "web");
    assert_eq!(web["provider"], "node");
    assert_eq!(web["provider_from"], "apps/web/railpack.json");
    assert_eq!(web["health_check"]["file"], ".railway/railway.ts");
    assert_eq!(web["health_check"]["read_by_railway"], true);
    assert_eq!(web["verdict"], "READY");
}
