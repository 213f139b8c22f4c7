//! `railcheck migrate` on copies of `fixtures/guide-monorepo` in temporary folders.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use predicates::prelude::*;

mod common;
use common::railcheck;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// A copy of the guide's monorepo in a fresh temporary folder (outside any repository).
fn guide_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("guide-monorepo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/guide-monorepo"),
        &root,
    );
    (dir, root)
}

fn has_git() -> bool {
    Process::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(root: &Path, args: &[&str]) {
    let status = Process::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn commit_all(root: &Path) {
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "guide layout"]);
}

/// Every file under `root` (but `.git`) and its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let rel = entry.path().strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

fn json(root: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&read(root, rel)).unwrap()
}

fn migrate(root: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    railcheck().arg("migrate").arg(root).args(extra).assert()
}

#[test]
fn dry_run_prints_diffs_and_changes_nothing() {
    let (_tmp, root) = guide_copy();
    let before = tree(&root);
    migrate(&root, &[])
        .code(0)
        .stdout(predicate::str::contains(
            "railcheck migrate: 2 service(s): backend (.), frontend (packages/web)",
        ))
        .stdout(predicate::str::contains("--- a/railpack.json\n+++ b/railpack.json\n"))
        .stdout(predicate::str::contains("--- /dev/null\n+++ b/.railway/railway.ts\n"))
        .stdout(predicate::str::contains("+    healthcheck: \"/api/health\","))
        .stdout(predicate::str::contains(
            "+      NEXT_PUBLIC_API_URL: \"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}\",",
        ))
        .stdout(predicate::str::contains("railway.json").not())
        .stdout(predicate::str::contains("not in a git repository: skipped the check"))
        .stdout(predicate::str::ends_with(
            "Dry run: nothing written. Run `railcheck migrate --write` to write these files.\n",
        ));
    assert_eq!(tree(&root), before, "a dry run must not change any file");
}

#[test]
fn write_then_validate_has_no_guide_findings_and_keeps_both_health_checks() {
    let (_tmp, root) = guide_copy();
    if has_git() {
        commit_all(&root);
    }
    let before = tree(&root);
    migrate(&root, &["--write"])
        .code(0)
        .stdout(predicate::str::contains(
            "kept railpack.json.orig\nreplaced railpack.json\n",
        ))
        .stdout(predicate::str::contains("created .railway/railway.ts\n"));

    // The originals are kept byte for byte.
    assert_eq!(
        read(&root, "railpack.json.orig").as_bytes(),
        before["railpack.json"].as_slice()
    );
    assert_eq!(
        read(&root, "packages/web/railpack.json.orig").as_bytes(),
        before["packages/web/railpack.json"].as_slice()
    );

    // Both health checks, where Railway reads them: `.railway/railway.ts`, no railway.json.
    let ts = read(&root, ".railway/railway.ts");
    assert!(
        ts.contains("service(\"backend\", {\n    healthcheck: \"/health\",\n    healthcheckTimeout: 300,\n"),
        "{ts}"
    );
    assert!(
        ts.contains("root: \"packages/web\",\n    build: {\n      watchPatterns: [\"packages/web/**\"],\n    },\n    healthcheck: \"/api/health\","),
        "{ts}"
    );
    assert!(!root.join("railway.json").exists() && !root.join("packages/web/railway.json").exists());

    // Native railpack.json: `$schema` first, secrets on every step, fixes applied.
    let text = read(&root, "packages/web/railpack.json");
    assert!(
        text.starts_with("{\n  \"$schema\": \"https://schema.railpack.com\",\n  \"provider\": \"node\",\n"),
        "{text}"
    );
    let web = json(&root, "packages/web/railpack.json");
    for step in ["install", "build"] {
        assert_eq!(
            web["steps"][step]["secrets"],
            serde_json::json!(["RAILWAY_ENVIRONMENT", "NEXT_PUBLIC_API_URL"]),
            "{step}"
        );
    }
    assert_eq!(
        web["steps"]["build"]["commands"][0],
        "RAILWAY_ENVIRONMENT=production yarn build"
    );
    assert_eq!(
        web["steps"]["install"]["commands"][2],
        "cd /app && yarn install --immutable"
    );
    assert_eq!(web["deploy"]["startCommand"], "yarn start");
    assert!(web.get("version").is_none() && web.get("build").is_none());
    let api = json(&root, "railpack.json");
    assert_eq!(api["provider"], "python");
    assert_eq!(
        api["steps"]["install"]["secrets"],
        serde_json::json!(["RAILWAY_ENVIRONMENT", "PYTHONPATH"])
    );
    assert!(api.get("services").is_none());

    // The service map.
    let toml = read(&root, "railcheck.toml");
    assert!(toml.contains("[services.backend]\nroot = \".\"\n"), "{toml}");
    assert!(
        toml.contains(
            "[services.frontend]\nroot = \"packages/web\"\nvariables = { NEXT_PUBLIC_API_URL = \"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}\" }\n"
        ),
        "{toml}"
    );

    // validate: nothing left of the guide's dialect, and the services keep their names.
    let output = railcheck()
        .args(["validate", "--format", "json"])
        .arg(&root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for code in ["RC202", "RC204", "RC405", "RC701", "RC704", "RC508", "RC206"] {
        assert!(!codes.contains(&code), "{code} still fires after migrate: {codes:?}");
    }
    // validate reads the health checks from railway.ts, as Railway does.
    for service in report["services"].as_array().unwrap() {
        assert_eq!(service["health_check"]["file"], ".railway/railway.ts", "{service}");
        assert_eq!(service["health_check"]["read_by_railway"], true, "{service}");
    }
    let names: Vec<&str> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["backend", "frontend"]);

    // A second run finds nothing to do.
    migrate(&root, &[])
        .code(0)
        .stdout(predicate::str::contains("nothing to migrate"));
}

#[test]
fn refuses_files_with_uncommitted_changes_unless_forced() {
    if !has_git() {
        eprintln!("git not installed: skipped");
        return;
    }
    let (_tmp, root) = guide_copy();
    commit_all(&root);
    let edited = read(&root, "packages/web/railpack.json").replace("yarn build", "yarn build:prod");
    std::fs::write(root.join("packages/web/railpack.json"), edited).unwrap();
    let before = tree(&root);
    migrate(&root, &[]).code(0).stdout(predicate::str::contains(
        "--write would refuse: `packages/web/railpack.json` has uncommitted changes",
    ));
    migrate(&root, &["--write"])
        .code(2)
        .stderr(predicate::str::contains("nothing written"))
        .stderr(predicate::str::contains(
            "`packages/web/railpack.json` has uncommitted changes",
        ))
        .stderr(predicate::str::contains("`railpack.json` has").not());
    assert_eq!(tree(&root), before, "a refused run must not change any file");
    migrate(&root, &["--write", "--force"]).code(0);
    assert!(root.join(".railway/railway.ts").is_file());
}

#[test]
fn refuses_to_overwrite_an_existing_orig_unless_forced() {
    let (_tmp, root) = guide_copy();
    std::fs::write(root.join("railpack.json.orig"), "an older backup\n").unwrap();
    let before = tree(&root);
    migrate(&root, &["--write"])
        .code(2)
        .stderr(predicate::str::contains("`railpack.json.orig` already exists"));
    assert_eq!(tree(&root), before);
    migrate(&root, &["--write", "--force"]).code(0);
    assert!(read(&root, "railpack.json.orig").contains("\"services\""));
}

#[test]
fn completes_an_existing_railcheck_toml() {
    let (_tmp, root) = guide_copy();
    let original = "# team settings\n[rules]\nignore = [\"RC103\"]\n\n[services.backend]\nsmoke = [\"python -c 'import monkey_coder'\"]\n";
    std::fs::write(root.join("railcheck.toml"), original).unwrap();
    migrate(&root, &["--write"]).code(0);
    let toml = read(&root, "railcheck.toml");
    assert!(
        toml.starts_with(
            "# team settings\n[rules]\nignore = [\"RC103\"]\n\n[services.backend]\nroot = \".\"\nsmoke = "
        ),
        "{toml}"
    );
    assert!(
        toml.contains("[services.frontend]\nroot = \"packages/web\"\n"),
        "{toml}"
    );
    assert_eq!(read(&root, "railcheck.toml.orig"), original);
    // The file still loads (validate exits 2 on a bad railcheck.toml).
    railcheck()
        .arg("validate")
        .arg(&root)
        .assert()
        .code(predicate::in_iter([0, 1]));
}

#[test]
fn credential_values_are_never_printed_nor_written() {
    let (_tmp, root) = guide_copy();
    let key = "sk-proj-Zq3xV9mB2nL5kP8wR4tY7uI1oA6sD0fG";
    let manifest = read(&root, "railpack.json").replace(
        "\"NEXT_PUBLIC_API_URL\": \"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}\"",
        &format!("\"NEXT_PUBLIC_API_URL\": \"https://${{{{backend.RAILWAY_PUBLIC_DOMAIN}}}}\",\n          \"OPENAI_API_KEY\": \"{key}\""),
    );
    assert!(manifest.contains(key));
    std::fs::write(root.join("railpack.json"), manifest).unwrap();
    let out = migrate(&root, &["--write"]).code(0).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("OPENAI_API_KEY=<set in dashboard>"), "{out}");
    assert!(read(&root, ".railway/railway.ts").contains("OPENAI_API_KEY: preserve(),"));
    assert!(!out.contains(&key[..12]), "{out}");
    for file in [
        "railcheck.toml",
        "railpack.json",
        "packages/web/railpack.json",
        ".railway/railway.ts",
    ] {
        assert!(!read(&root, file).contains(key), "{file}");
    }
}

#[test]
fn a_missing_service_root_blocks_the_write_even_with_force() {
    let (_tmp, root) = guide_copy();
    std::fs::remove_dir_all(root.join("packages/web")).unwrap();
    let before = tree(&root);
    migrate(&root, &[]).code(0).stdout(predicate::str::contains(
        "--write would refuse: frontend: the service root `packages/web` does not exist",
    ));
    migrate(&root, &["--write", "--force"])
        .code(2)
        .stderr(predicate::str::contains(
            "frontend: the service root `packages/web` does not exist",
        ));
    assert_eq!(tree(&root), before);
}

/// Config-as-Code files move into railway.ts with all their settings (restart policy, cron,
/// watch patterns), the originals kept as `.orig`; an existing railway.ts is never overwritten.
#[test]
fn railway_json_settings_move_to_railway_ts_and_an_existing_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    std::fs::create_dir_all(root.join("apps/worker")).unwrap();
    std::fs::write(
        root.join("apps/worker/railway.json"),
        r#"{ "build": { "builder": "railpack", "watchPatterns": ["apps/worker/**"] },
  "deploy": { "startCommand": "node worker.js", "restartPolicyType": "ON_FAILURE",
    "restartPolicyMaxRetries": 5, "cronSchedule": "*/5 * * * *", "healthcheckPath": "/health" } }"#,
    )
    .unwrap();
    migrate(&root, &["--write"]).code(0);
    let ts = read(&root, ".railway/railway.ts");
    for expected in [
        "service(\"worker\", {",
        "root: \"apps/worker\",",
        "builder: \"RAILPACK\",",
        "\"apps/worker/**\"",
        "start: \"node worker.js\",",
        "healthcheck: \"/health\",",
        "restartPolicyType: \"ON_FAILURE\",",
        "restartPolicyMaxRetries: 5,",
        "cronSchedule: \"*/5 * * * *\",",
    ] {
        assert!(ts.contains(expected), "{expected} missing in\n{ts}");
    }
    assert!(!root.join("apps/worker/railway.json").exists());
    assert!(root.join("apps/worker/railway.json.orig").is_file());

    // Another service's railway.json: railway.ts exists now, so it is refused, not clobbered.
    std::fs::create_dir_all(root.join("apps/other")).unwrap();
    std::fs::write(
        root.join("apps/other/railway.json"),
        r#"{ "deploy": { "healthcheckPath": "/ok" } }"#,
    )
    .unwrap();
    migrate(&root, &[]).code(0).stdout(predicate::str::contains(
        "`.railway/railway.ts` exists; migrate never overwrites it",
    ));
    assert_eq!(read(&root, ".railway/railway.ts"), ts);
}
