//! Suppressions, baselines, fixes and introspection (issue 16, "features users expect").
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

mod common;

use common::{railcheck, write};

const SECRET: &str = "sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn concise(dir: &std::path::Path, extra: &[&str]) -> (String, String, Option<i32>) {
    let out = railcheck()
        .current_dir(dir)
        .args(["validate", "--format", "concise"])
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn toml_suppressions_use_hash_comments_and_names_work_like_codes() {
    let dir = project();
    write(
        dir.path(),
        "railway.toml",
        "[deploy]\n# railcheck-ignore ignored-key: checked by our deploy script\nhealthCheckPath = \"/health\"\nhealthCheckTimeout = 30\n",
    );
    let (out, _, _) = concise(dir.path(), &["--select", "RC2,RC12"]);
    assert!(!out.contains(":3:"), "line 3 is suppressed: {out}");
    assert!(out.contains("railway.toml:4:1: warning[RC202"), "line 4 is not: {out}");
    assert!(!out.contains("RC120") && !out.contains("RC121"), "{out}");
}

#[test]
fn unknown_and_stale_suppressions_are_reported_but_not_for_rules_that_do_not_run() {
    let dir = project();
    write(
        dir.path(),
        "railpack.json",
        "{\n  \"provider\": \"node\", // railcheck-ignore RC20: typo\n  \"deploy\": { \"startCommand\": \"node -v\" } // railcheck-ignore RC202: stale\n}\n",
    );
    let (out, _, _) = concise(dir.path(), &["--select", "RC2,RC12"]);
    assert!(
        out.contains(
            "railpack.json:2:43: warning[RC120 unused-suppression] `railcheck-ignore` names `RC20`, which is no rule"
        ),
        "{out}"
    );
    assert!(out.contains("unused suppression: no RC202 finding on line 3"), "{out}");
    // RC202 does not run: its suppression is not "unused".
    let (out, _, _) = concise(dir.path(), &["--select", "RC12"]);
    assert!(!out.contains("no RC202 finding"), "{out}");
    assert!(out.contains("RC20`, which is no rule"), "{out}");
}

#[test]
fn baseline_never_holds_a_secret_and_a_missing_or_broken_one_is_an_error() {
    let dir = project();
    write(
        dir.path(),
        "railpack.json",
        &format!(
            "{{ \"provider\": \"node\", \"deploy\": {{ \"variables\": {{ \"OPENAI_API_KEY\": \"{SECRET}\" }} }} }}\n"
        ),
    );
    let (_, err, code) = concise(dir.path(), &["--baseline", "base.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--write-baseline"), "{err}");
    assert!(
        !dir.path().join("base.json").exists(),
        "a missing baseline is never created implicitly"
    );

    let (before, _, code) = concise(dir.path(), &[]);
    assert_eq!(code, Some(1), "the secret is an error: {before}");
    let (_, _, code) = concise(dir.path(), &["--baseline", "base.json", "--write-baseline"]);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(dir.path().join("base.json")).unwrap();
    assert!(text.contains("\"RC301\"") || text.contains("\"RC3"), "{text}");
    assert!(!text.contains("sk-proj") && !text.contains("Abc123"), "{text}");
    assert!(
        !text.contains("OPENAI_API_KEY"),
        "no pointer or message is stored: {text}"
    );

    let (out, err, code) = concise(dir.path(), &["--baseline", "base.json"]);
    // Only the summary line: every finding is in the baseline.
    assert_eq!(
        (out.as_str(), code),
        ("0 errors, 0 warnings, 0 infos in 1 file (1 service): READY\n", Some(0)),
        "{err}"
    );

    write(dir.path(), "bad.json", "{\"version\": 9}");
    let (_, err, code) = concise(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a railcheck baseline"), "{err}");
}

#[test]
fn diff_changes_nothing_and_masks_secrets_and_fix_keeps_comments() {
    let dir = project();
    let text = format!(
        "{{\n  // build settings\n  \"provider\": \"node\",\n  \"steps\": {{ \"build\": {{ \"env\": {{ \"OPENAI_API_KEY\": \"{SECRET}\" }},   \"cache\": [] }} }}\n}}\n"
    );
    write(dir.path(), "railpack.json", &text);
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--diff"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("+  \"steps\": { \"build\": { \"variables\": {"),
        "{stdout}"
    );
    assert!(!stdout.contains("Abc123Def456"), "the diff masks credentials: {stdout}");
    assert_eq!(std::fs::read_to_string(dir.path().join("railpack.json")).unwrap(), text);

    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--fix", "--format", "concise", "--select", "RC2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("applied 2 fixes in 1 file"), "{stderr}");
    assert!(!stderr.contains("Abc123Def456"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "nothing of RC2 remains: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("railpack.json")).unwrap(),
        text.replace("\"env\"", "\"variables\"")
            .replace("\"cache\"", "\"caches\""),
        "only the two keys change; the comment and the spacing stay"
    );
    // Nothing left to fix.
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--diff"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn fixes_are_not_offered_where_they_would_not_be_certain() {
    let dir = project();
    // `variables` exists already; `cache` is not a list; a top-level `startCmd` is a move.
    write(
        dir.path(),
        "railpack.json",
        "{ \"startCmd\": \"a\", \"steps\": { \"build\": { \"env\": {}, \"variables\": {}, \"cache\": \"npm\" } } }\n",
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--statistics", "--format", "json", "--select", "RC202"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["code"], "RC202");
    assert_eq!(rows[0]["count"], 3);
    assert_eq!(rows[0]["fixable"], 0, "{rows}");
}

#[test]
fn show_settings_names_each_source() {
    let dir = project();
    write(
        dir.path(),
        "railcheck.toml",
        &format!(
            "[rules]\nignore = [\"RC103\"]\n\n[secrets]\nmax-build-variables = 12\n\n[services.api]\nroot = \"api\"\nvariables = {{ OPENAI_API_KEY = \"{SECRET}\" }}\n"
        ),
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--show-settings", "--ignore", "RC704"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("rules.ignore").ends_with("# railcheck.toml:2 + --ignore"),
        "{text}"
    );
    assert!(line("rules.ignore").contains("[\"RC103\", \"RC704\"]"), "{text}");
    assert!(
        line("secrets.max-build-variables").ends_with("# railcheck.toml:5"),
        "{text}"
    );
    assert!(line("rules.select").ends_with("# default: every rule"), "{text}");
    assert!(line("fail-level").ends_with("# default"), "{text}");
    assert!(line("services.api.root").ends_with("# railcheck.toml:8"), "{text}");
    assert!(
        line("services.api.variables").contains("[\"OPENAI_API_KEY\"] (names only)"),
        "{text}"
    );
    assert!(!text.contains("Abc123"), "a variable's value is never printed: {text}");
}

#[cfg(unix)]
#[test]
fn show_files_says_what_was_skipped_and_why() {
    let dir = project();
    write(dir.path(), "railpack.json", "{}");
    write(dir.path(), "node_modules/x/railpack.json", "{}");
    write(dir.path(), "legacy/railpack.json", "{}");
    std::fs::create_dir(dir.path().join("pipe")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe/railpack.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--show-files", "--exclude", "legacy"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("checked  railpack.json (Railpack config)"), "{text}");
    assert!(
        text.contains("refused  pipe/railpack.json: not a regular file"),
        "{text}"
    );
    assert!(text.contains("skipped  node_modules/: pruned folder"), "{text}");
    assert!(text.contains("skipped  legacy/: matches an --exclude glob"), "{text}");
    assert!(
        text.contains("1 config file checked, 1 refused, 3 paths skipped"),
        "{text}"
    );
}

#[test]
fn json_and_sarif_link_each_rule_page() {
    let dir = project();
    write(
        dir.path(),
        "railpack.json",
        "{ \"provider\": \"node\", \"steps\": { \"b\": { \"env\": {} } } }\n",
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "RC202")
        .unwrap();
    assert_eq!(
        finding["url"],
        format!("{}RC202.md", railcheck::diagnostic::RULE_DOCS_BASE)
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--format", "sarif"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| {
        r["helpUri"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("docs/rules/{}.md", r["id"].as_str().unwrap())))
    }));
}

#[test]
fn yarn_berry_flag_and_case_only_keys_are_fixed() {
    let dir = project();
    write(dir.path(), "package.json", "{\"packageManager\": \"yarn@4.1.0\"}\n");
    write(dir.path(), "yarn.lock", "");
    write(
        dir.path(),
        "railpack.json",
        "{\n  \"provider\": \"node\",\n  \"steps\": { \"install\": { \"commands\": [\"yarn install --frozen-lockfile\"] } },\n  \"deploy\": { \"StartCmd\": 1, \"Variables\": { \"A\": \"b\" } }\n}\n",
    );
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "--diff", "--select", "RC202,RC704"])
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("+  \"steps\": { \"install\": { \"commands\": [\"yarn install --immutable\"] } },"),
        "{diff}"
    );
    assert!(
        diff.contains("\"Variables\"") && diff.contains("+  \"deploy\": { \"StartCmd\": 1, \"variables\": {"),
        "{diff}"
    );
}

#[test]
fn given_files_only_those_are_fixed() {
    let dir = project();
    let text = "{ \"provider\": \"node\", \"steps\": { \"build\": { \"env\": {} } } }\n";
    write(dir.path(), "a/railpack.json", text);
    write(dir.path(), "b/railpack.json", text);
    let out = railcheck()
        .current_dir(dir.path())
        .args(["validate", "a/railpack.json", "--fix", "--select", "RC202"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
    assert_eq!(read("a/railpack.json"), text.replace("\"env\"", "\"variables\""));
    assert_eq!(read("b/railpack.json"), text, "a file not given is never written");
}
