//! `railcheck.toml`: discovery, every key, positioned errors, and how the command line
//! overrides it. Every key documented in docs/configuration.md is exercised here.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

mod common;
use common::{railcheck, write};

/// A top-level array (RC104, error), comments (RC103, info) and guide-format keys (RC204, warning).
const DUPLICATE: &str = "[\"provider\", \"node\"]\n";
const COMMENTED: &str = "{\n  // comment\n  \"provider\": \"node\"\n}\n";

/// A repository (a folder with `.git`) holding one service with an RC104 error.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "api/railpack.json", DUPLICATE);
    dir
}

/// Runs `validate` with the concise format; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = railcheck()
        .current_dir(dir)
        .arg("validate")
        .args(args)
        .args(["--format", "concise"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn codes(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|l| l.split_once('[').map(|(_, rest)| rest[..5].to_string()))
        .collect()
}

#[test]
fn config_in_the_target_folder_applies() {
    let dir = repo();
    assert_eq!(run(dir.path(), &[]).0, 1);
    write(dir.path(), "railcheck.toml", "[rules]\nignore = [\"RC104\"]\n");
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn config_in_an_ancestor_up_to_the_repository_root_applies() {
    let dir = repo();
    write(
        dir.path(),
        "railcheck.toml",
        "[rules]\nignore = [\"root-not-object\"]\n",
    );
    let (code, stdout, _) = run(dir.path(), &["api"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn config_above_the_repository_root_is_not_used() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path(), "railcheck.toml", "[rules]\nignore = [\"RC104\"]\n");
    std::fs::create_dir_all(outer.path().join("repo/.git")).unwrap();
    write(outer.path(), "repo/api/railpack.json", DUPLICATE);
    let (code, stdout, _) = run(&outer.path().join("repo"), &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&stdout), ["RC104"]);
}

#[test]
fn nearest_config_wins() {
    let dir = repo();
    write(dir.path(), "railcheck.toml", "[rules]\nignore = [\"RC104\"]\n");
    write(dir.path(), "api/railcheck.toml", "[rules]\nselect = [\"RC1\"]\n");
    assert_eq!(
        run(dir.path(), &["api"]).0,
        1,
        "api/railcheck.toml is used, not the root one"
    );
}

#[test]
fn explicit_config_and_isolated() {
    let dir = repo();
    write(dir.path(), "railcheck.toml", "[rules]\nignore = [\"RC104\"]\n");
    write(dir.path(), "ci/strict.toml", "[rules.severity]\nRC103 = \"error\"\n");
    write(dir.path(), "web/railpack.json", COMMENTED);
    // --config replaces the discovered file: RC104 is back, RC103 is an error.
    let (code, stdout, _) = run(dir.path(), &["--config", "ci/strict.toml"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&stdout), ["RC104", "RC103"]);
    assert!(stdout.contains("error[RC103"), "{stdout}");
    // --isolated ignores every file.
    let (code, stdout, _) = run(dir.path(), &["--isolated"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("info[RC103"), "{stdout}");
    let (code, _, stderr) = run(dir.path(), &["--config", "missing.toml"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("config file `missing.toml` does not exist"), "{stderr}");
    assert_eq!(run(dir.path(), &["--config", "ci/strict.toml", "--isolated"]).0, 2);
}

#[test]
fn unknown_keys_and_wrong_types_are_errors_with_a_position() {
    let cases = [
        (
            "[rules]\nselect = [\"RC1\"]\nslect = []\n",
            "railcheck.toml:3:1: unknown field `slect`, expected one of `select`, `ignore`, `severity`",
        ),
        ("[rule]\n", "railcheck.toml:1:2: unknown field `rule`"),
        (
            "[secrets]\nmax-build-variables = \"ten\"\n",
            "railcheck.toml:2:23: invalid type: string \"ten\", expected usize",
        ),
        (
            "[secrets]\nmax-build-variables = -1\n",
            "railcheck.toml:2:23: invalid value: integer `-1`, expected usize",
        ),
        (
            "[secrets]\nbuild-allowlist = \"SENTRY_RELEASE\"\n",
            "railcheck.toml:2:19: invalid type: string \"SENTRY_RELEASE\", expected a sequence",
        ),
        (
            "[secrets]\nruntime-only = [1]\n",
            "railcheck.toml:2:17: invalid type: integer `1`, expected a string",
        ),
        (
            "[secrets]\nbuild_allowlist = []\n",
            "railcheck.toml:2:1: unknown field `build_allowlist`",
        ),
        (
            "[rules.severity]\nRC202 = \"fatal\"\n",
            "railcheck.toml:2:9: unknown variant `fatal`, expected one of `info`, `warn`, `warning`, `error`",
        ),
        (
            "[rules.severity]\nRC999 = \"error\"\n",
            "railcheck.toml:2:1: unknown rule `RC999`",
        ),
        (
            "[rules]\nignore = [\"RC1\", \"duplicate_key\"]\n",
            "railcheck.toml:2:18: unknown rule selector `duplicate_key`",
        ),
        (
            "[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"RC202\"]\nselect = []\n",
            "railcheck.toml:4:1: unknown field `select`",
        ),
        (
            "[[overrides]]\npaths = [\"a/{b\"]\n",
            "railcheck.toml:2:10: invalid glob",
        ),
        (
            "[services.api]\nsmoke = \"true\"\n",
            "railcheck.toml:2:9: invalid type: string \"true\", expected a sequence",
        ),
        (
            "[services.api]\nsmok = []\n",
            "railcheck.toml:2:1: unknown field `smok`",
        ),
        ("[rules\n", "railcheck.toml:1:7:"),
    ];
    for (text, expected) in cases {
        let dir = repo();
        write(dir.path(), "railcheck.toml", text);
        let (code, stdout, stderr) = run(dir.path(), &[]);
        assert_eq!(code, 2, "{text:?}: {stderr}");
        assert!(stdout.is_empty());
        let path = dir.path().canonicalize().unwrap().join("railcheck.toml");
        let expected = format!(
            "railcheck: error: {}{}",
            path.display(),
            expected.trim_start_matches("railcheck.toml")
        );
        assert!(
            stderr.starts_with(&expected),
            "{text:?}\nwant: {expected}\ngot:  {stderr}"
        );
    }
}

#[test]
fn command_line_select_replaces_the_file_selection_and_ignore_adds() {
    let dir = repo();
    write(dir.path(), "web/railpack.json", COMMENTED);
    write(dir.path(), "railcheck.toml", "[rules]\nignore = [\"RC104\"]\n");
    assert_eq!(codes(&run(dir.path(), &[]).1), ["RC103"]);
    // --select replaces the file's select and ignore.
    assert_eq!(codes(&run(dir.path(), &["--select", "RC104"]).1), ["RC104"]);
    assert_eq!(codes(&run(dir.path(), &["--select", "RC1"]).1), ["RC104", "RC103"]);
    // --ignore adds to the file's ignores.
    assert!(codes(&run(dir.path(), &["--ignore", "RC103"]).1).is_empty());
    // The file's select and ignore combine: RC1 minus RC103.
    write(
        dir.path(),
        "railcheck.toml",
        "[rules]\nselect = [\"RC1\"]\nignore = [\"non-portable-json\"]\n",
    );
    assert_eq!(codes(&run(dir.path(), &[]).1), ["RC104"]);
    // Selectors on the command line are checked too.
    let (code, _, stderr) = run(dir.path(), &["--select", "RC10x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown rule selector `RC10x`"), "{stderr}");
}

#[test]
fn severity_overrides_by_code_or_name_and_the_failing_level() {
    let dir = repo();
    write(dir.path(), "web/railpack.json", COMMENTED);
    write(
        dir.path(),
        "railcheck.toml",
        "[rules.severity]\nroot-not-object = \"warning\"\n",
    );
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 0, "RC104 is only a warning now: {stdout}");
    assert!(stdout.contains("warning[RC104"), "{stdout}");
    assert_eq!(run(dir.path(), &["--deny", "warnings"]).0, 1);
    assert_eq!(run(dir.path(), &["--deny", "warnings", "--exit-zero"]).0, 0);
    write(
        dir.path(),
        "railcheck.toml",
        "[rules.severity]\nRC104 = \"warn\"\nrc103 = \"error\"\n",
    );
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("warning[RC104") && stdout.contains("error[RC103"),
        "{stdout}"
    );
}

#[test]
fn overrides_ignore_rules_under_paths_relative_to_the_config_file() {
    let dir = repo();
    write(dir.path(), "legacy/old/railpack.json", DUPLICATE);
    write(
        dir.path(),
        "railcheck.toml",
        "[[overrides]]\npaths = [\"legacy/**\", \"nowhere/*\"]\nignore = [\"RC104\"]\n",
    );
    let (code, stdout, _) = run(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("api/railpack.json:1:"), "{stdout}");
    // Checking only `legacy`, found through the ancestor: the glob still means <repo>/legacy.
    let (code, stdout, _) = run(&dir.path().join("legacy"), &[]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // `*` does not cross folders.
    write(
        dir.path(),
        "railcheck.toml",
        "[[overrides]]\npaths = [\"legacy/*\"]\nignore = [\"RC1\"]\n",
    );
    assert_eq!(run(dir.path(), &[]).1.lines().count(), 2);
}

/// A copy of `fixtures/rules/<CODE>/fire` inside a fresh repository.
fn fixture_repo(code: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(code)
        .join("fire");
    copy(&fixture, dir.path());
    dir
}

#[test]
fn secrets_max_build_variables() {
    let dir = fixture_repo("RC303");
    assert!(codes(&run(dir.path(), &[]).1).contains(&"RC303".to_string()));
    write(dir.path(), "railcheck.toml", "[secrets]\nmax-build-variables = 11\n");
    assert!(!codes(&run(dir.path(), &[]).1).contains(&"RC303".to_string()));
}

#[test]
fn secrets_build_allowlist_and_runtime_only() {
    let dir = fixture_repo("RC301");
    assert!(
        codes(&run(dir.path(), &[]).1).contains(&"RC301".to_string()),
        "LOG_LEVEL is not allowed"
    );
    write(
        dir.path(),
        "railcheck.toml",
        "[secrets]\nbuild-allowlist = [\"LOG_*\"]\n",
    );
    assert!(
        !codes(&run(dir.path(), &[]).1).contains(&"RC301".to_string()),
        "a trailing * allows a prefix"
    );
    write(
        dir.path(),
        "railcheck.toml",
        "[secrets]\nruntime-only = [\"LOG_LEVEL\"]\n",
    );
    let (_, stdout, _) = run(dir.path(), &[]);
    assert!(
        stdout.contains("RC302") && stdout.contains("LOG_LEVEL"),
        "runtime-only adds names: {stdout}"
    );
    let dir = fixture_repo("RC302");
    assert!(codes(&run(dir.path(), &[]).1).contains(&"RC302".to_string()));
    write(
        dir.path(),
        "railcheck.toml",
        "[secrets]\nbuild-allowlist = [\"OPENAI_API_KEY\"]\n",
    );
    assert!(
        !codes(&run(dir.path(), &[]).1).contains(&"RC302".to_string()),
        "the allowlist exempts from RC302"
    );
}

#[test]
fn services_smoke_runs_only_with_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "api/railpack.json", "{ \"provider\": \"node\" }\n");
    write(
        dir.path(),
        "railcheck.toml",
        "[services.api]\nsmoke = [\"true\", \"exit 3\"]\n",
    );
    assert!(!codes(&run(dir.path(), &[]).1).contains(&"RC890".to_string()));
    let (code, stdout, _) = run(dir.path(), &["--smoke"]);
    assert_eq!(code, 1);
    assert_eq!(codes(&stdout), ["RC890"], "only the failing command: {stdout}");
}

/// The example in docs/configuration.md is a complete, valid railcheck.toml, and the page
/// documents every key the parser accepts.
#[test]
fn documentation_example_is_valid_and_complete() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/configuration.md")).unwrap();
    let start = docs.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let example = &docs[start..start + docs[start..].find("```").unwrap()];
    let dir = repo();
    write(dir.path(), "railcheck.toml", example);
    let (code, _, stderr) = run(dir.path(), &[]);
    assert!(code < 2, "{stderr}");
    for key in [
        "[rules]",
        "select",
        "ignore",
        "[rules.severity]",
        "[[overrides]]",
        "paths",
        "[secrets]",
        "build-allowlist",
        "runtime-only",
        "max-build-variables",
        "[services.",
        "smoke",
    ] {
        assert!(example.contains(key), "example lacks `{key}`");
        assert!(
            docs.contains(&format!("`{key}")),
            "docs/configuration.md does not document `{key}`"
        );
    }
}
