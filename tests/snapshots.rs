//! The rendered reports, as a user sees them. Review changes with care: a diff here is a
//! change in what railcheck tells people.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use assert_cmd::Command;

fn report(fixture: &str, format: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(fixture);
    let out = Command::cargo_bin("railcheck")
        .unwrap()
        .current_dir(dir.parent().unwrap())
        .args([
            "validate",
            dir.file_name().unwrap().to_str().unwrap(),
            "--format",
            format,
            "--color",
            "never",
        ])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn guide_monorepo_human() {
    insta::assert_snapshot!(report("guide-monorepo", "human"));
}

#[test]
fn guide_monorepo_concise() {
    insta::assert_snapshot!(report("guide-monorepo", "concise"));
}

#[test]
fn ready_monorepo_human() {
    insta::assert_snapshot!(report("ready-monorepo", "human"));
}

/// Services, a database, references and a partial, all from `.railway/railway.ts`.
#[test]
fn iac_project_human() {
    insta::assert_snapshot!(report("iac-project", "human"));
}

/// `validate --format json` names `.railway/railway.ts` as the file the health checks come from.
#[test]
fn iac_project_json() {
    insta::assert_snapshot!(report("iac-project", "json"));
}

/// Dropped keys, a backtick `${{`, an undeclared service, a literal secret.
#[test]
fn iac_mistakes_human() {
    insta::assert_snapshot!(report("iac-mistakes", "human"));
}

/// railway.ts plus a leftover railway.json in the service's root.
#[test]
fn iac_leftover_human() {
    insta::assert_snapshot!(report("iac-leftover", "human"));
}

#[test]
fn parse_error_human() {
    insta::assert_snapshot!(report("rules/RC101/fire", "human"));
}

#[test]
fn duplicate_key_human() {
    insta::assert_snapshot!(report("rules/RC102/fire", "human"));
}
