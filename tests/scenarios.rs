//! Multi-rule scenario projects under `fixtures/scenarios/<name>/`: where each service's
//! root really is, which builder builds it, which package manager installs it, and one
//! finding per cause. Each scenario's human and JSON reports are snapshotted in
//! `tests/snapshots/scenarios/`; the assertions below pin what each scenario is for, so
//! that a snapshot accepted by mistake still fails here.

#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

mod common;

use std::path::{Path, PathBuf};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios")
        .join(name)
}

fn run(name: &str, format: &str) -> String {
    let output = common::railcheck()
        .current_dir(scenario(name))
        .args(["validate", ".", "--format", format, "--color", "never"])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    assert!(matches!(output.status.code(), Some(0 | 1)), "{name}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&run(name, "json")).unwrap()
}

/// (code, severity, service_id) of every finding.
fn findings(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["service_id"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn service<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no service {id}: {doc}"))
}

fn codes(doc: &serde_json::Value) -> Vec<String> {
    findings(doc).into_iter().map(|f| f.0).collect()
}

#[test]
fn every_scenario_is_snapshotted_in_human_and_json() {
    let mut names: Vec<String> = std::fs::read_dir(scenario(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 7, "{names:?}");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/scenarios");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for name in &names {
            insta::assert_snapshot!(format!("{name}_human"), run(name, "human"));
            insta::assert_snapshot!(format!("{name}_json"), run(name, "json"));
        }
    });
}

#[test]
fn a_shared_pnpm_monorepo_is_built_from_the_repository_root() {
    let doc = json("pnpm-shared");
    for id in ["apps/web", "apps/api"] {
        let s = service(&doc, id);
        assert_eq!(
            (s["root"].as_str(), s["root_certainty"].as_str()),
            (Some("."), Some("inferred")),
            "{s}"
        );
        assert_eq!(s["package_manager"], "pnpm", "{s}");
    }
    let codes = codes(&doc);
    assert!(
        !codes.iter().any(|c| c == "RC606" || c == "RC702" || c == "RC703"),
        "{codes:?}"
    );
}

#[test]
fn a_dockerfile_service_gets_no_railpack_findings() {
    let doc = json("dockerfile-root-path");
    let s = service(&doc, "apps/api");
    assert_eq!(s["builder"], "dockerfile");
    assert_eq!(s["root"], ".");
    // Only: the railpack.json there is unused, and the railway.json that sets the builder
    // stops being read on 2026-12-01 (RC206).
    assert_eq!(codes(&doc), ["RC604", "RC206"]);
}

#[test]
fn an_isolated_root_stated_in_railcheck_toml_keeps_rc606_as_one_error() {
    let doc = json("isolated-known-root");
    let s = service(&doc, "packages/web");
    assert_eq!(
        (s["root"].as_str(), s["root_certainty"].as_str()),
        (Some("packages/web"), Some("known"))
    );
    let errors: Vec<_> = findings(&doc).into_iter().filter(|f| f.1 == "error").collect();
    assert_eq!(
        errors,
        [("RC606".to_string(), "error".to_string(), "packages/web".to_string())]
    );
    // RC702 (the frozen install without the lockfile) is the same cause: in RC606's note.
    let note = doc["diagnostics"][0]["note"].as_str().unwrap_or_default();
    assert!(note.contains("RC702"), "{doc}");
}

#[test]
fn two_services_named_web_stay_apart() {
    let doc = json("two-webs");
    let apps = service(&doc, "apps/web");
    let legacy = service(&doc, "legacy/web");
    assert_eq!(
        (apps["name"].as_str(), legacy["name"].as_str()),
        (Some("web"), Some("web"))
    );
    assert_eq!(
        (apps["ready"].as_bool(), legacy["ready"].as_bool()),
        (Some(false), Some(true))
    );
    assert!(findings(&doc).iter().all(|f| f.2 == "apps/web"), "{doc}");
    let human = run("two-webs", "human");
    assert_eq!(human.matches("── service web [apps/web]").count(), 1, "{human}");
    assert_eq!(human.matches("── service web [legacy/web]").count(), 1, "{human}");
    // Each finding is printed once, under its own service.
    assert_eq!(human.matches("error[RC701").count(), 1, "{human}");
    let sarif: serde_json::Value = serde_json::from_str(&run("two-webs", "sarif")).unwrap();
    let ids: Vec<_> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["properties"]["serviceId"].clone())
        .collect();
    assert_eq!(ids, ["apps/web"]);
}

#[test]
fn yarn_1_and_berry_are_told_apart_per_service() {
    let doc = json("yarn-flavours");
    assert_eq!(service(&doc, "services/classic")["package_manager"], "npm");
    assert_eq!(service(&doc, "services/berry")["package_manager"], "yarn-berry");
    assert_eq!(service(&doc, "services/classic-locked")["package_manager"], "yarn1");
    // A Berry lockfile (`__metadata`) makes Berry without `packageManager`.
    assert_eq!(service(&doc, "services/modern")["package_manager"], "yarn-berry");
    let found = findings(&doc);
    // Yarn 1's `--frozen-lockfile` without yarn.lock passes; the root's `yarn@4` does not
    // make the classic service Berry.
    assert!(found.iter().all(|f| f.2 == "services/berry"), "{found:?}");
    assert!(found.iter().any(|f| f.0 == "RC702" && f.1 == "error"), "{found:?}");
    assert!(found.iter().any(|f| f.0 == "RC704"), "{found:?}");
}

#[test]
fn stating_the_root_in_railcheck_toml_changes_the_verdict() {
    let unstated = json("root-unstated");
    assert_eq!(unstated["ready"], true, "{unstated}");
    assert_eq!(service(&unstated, "apps/web")["root_certainty"], "unknown");
    // One info says what was skipped and how to state the root.
    assert_eq!(codes(&unstated), ["RC607"]);
    let stated = json("root-stated");
    assert_eq!(stated["ready"], false, "{stated}");
    assert_eq!(service(&stated, "apps/web")["root_certainty"], "known");
    assert!(codes(&stated).contains(&"RC606".to_string()), "{stated}");
}
