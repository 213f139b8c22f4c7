//! Hostile inputs: every case ends in time, with exit 0, 1 or 2, a clear message naming the
//! rule (or the usage error), and never a panic. Limits are documented in docs/limits.md.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// A hang guard, not a speed test (speed is measured in bench/run): generous for a debug
/// build on a 2-core machine busy with other builds.
const TIMEOUT: Duration = Duration::from_secs(180);

fn railcheck() -> Command {
    let mut cmd = Command::cargo_bin("railcheck").unwrap();
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .timeout(TIMEOUT);
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let Output { status, stdout, stderr } = railcheck().args(args).output().unwrap();
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        took: start.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "panic on {args:?}: {}",
        run.stderr
    );
    assert!(run.code.is_some(), "killed (timeout?) on {args:?} after {:?}", run.took);
    run
}

/// `validate DIR` must exit with `code` and print every one of `expected`.
fn expect(dir: &Path, code: i32, expected: &[&str]) -> Run {
    expect_args(&["validate", dir.to_str().unwrap()], code, expected)
}

fn expect_args(args: &[&str], code: i32, expected: &[&str]) -> Run {
    let run = run(args);
    assert_eq!(
        run.code,
        Some(code),
        "{args:?}\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    for text in expected {
        assert!(
            run.stdout.contains(text) || run.stderr.contains(text),
            "{args:?}: expected {text:?} in\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn file_arg(dir: &TempDir, rel: &str) -> String {
    dir.path().join(rel).display().to_string()
}

#[cfg(unix)]
mod special_files {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success());
    }

    #[test]
    fn fifo_named_railpack_json_is_never_opened() {
        let dir = project(&[]);
        mkfifo(&dir.path().join("railpack.json"));
        let expected = ["error[RC106 unreadable-file]", "FIFO"];
        expect(dir.path(), 1, &expected);
        // Given as a file argument (a pre-commit hook passes changed files) it must not hang either.
        expect_args(&["validate", &file_arg(&dir, "railpack.json")], 1, &expected);
    }

    #[test]
    fn symlink_to_dev_zero_is_not_read() {
        let dir = project(&[]);
        symlink("/dev/zero", dir.path().join("railpack.json")).unwrap();
        let expected = ["error[RC106 unreadable-file]", "outside the repository"];
        expect(dir.path(), 1, &expected);
        expect_args(&["validate", &file_arg(&dir, "railpack.json")], 1, &expected);
    }

    #[test]
    fn symlink_to_a_file_outside_the_tree_is_refused() {
        let outside = project(&[("real.json", br#"{"provider": "node"}"#)]);
        let dir = project(&[]);
        symlink(outside.path().join("real.json"), dir.path().join("railway.json")).unwrap();
        let expected = ["error[RC106 unreadable-file]", "outside the repository"];
        expect(dir.path(), 1, &expected);
        expect_args(&["validate", &file_arg(&dir, "railway.json")], 1, &expected);
    }

    #[test]
    fn symlink_inside_the_tree_is_read() {
        let dir = project(&[("shared/railpack.json", br#"{"provider": "node"}"#)]);
        std::fs::create_dir(dir.path().join("web")).unwrap();
        symlink("../shared/railpack.json", dir.path().join("web/railpack.json")).unwrap();
        let run = expect(dir.path(), 0, &["READY"]);
        assert!(!run.stdout.contains("RC106"), "{}", run.stdout);
    }

    #[test]
    fn symlink_loops_and_dangling_links_are_findings() {
        let dir = project(&[]);
        symlink("railpack.json", dir.path().join("railpack.json")).unwrap();
        symlink("b", dir.path().join("railway.json")).unwrap();
        symlink("railway.json", dir.path().join("b")).unwrap();
        std::fs::create_dir(dir.path().join("api")).unwrap();
        symlink("missing.json", dir.path().join("api/railpack.json")).unwrap();
        let run = expect(
            dir.path(),
            1,
            &["dangling or loops", "railway.json", "api/railpack.json"],
        );
        assert_eq!(run.stdout.matches("error[RC106").count(), 3, "{}", run.stdout);
        // As file arguments: a finding, not "does not exist".
        expect_args(
            &["validate", &file_arg(&dir, "railpack.json")],
            1,
            &["error[RC106 unreadable-file]", "dangling or loops"],
        );
    }

    #[test]
    fn folder_symlink_loop_does_not_hang_the_walk() {
        let dir = project(&[("app/railpack.json", br#"{"provider": "node"}"#)]);
        symlink("..", dir.path().join("app/up")).unwrap();
        symlink(dir.path(), dir.path().join("app/root")).unwrap();
        expect(dir.path(), 0, &["READY", "1 file"]);
    }
}

#[test]
fn directory_named_railpack_json_is_a_warning() {
    let dir = project(&[("railpack.json/inner.txt", b"x")]);
    expect(dir.path(), 0, &["warning[RC106 unreadable-file]", "is a folder"]);
}

#[test]
fn file_over_the_size_limit_is_refused_unread() {
    let mut bytes = br#"{"provider": "node", "x": ""#.to_vec();
    bytes.resize(20 * 1024 * 1024, b'a');
    bytes.extend_from_slice(b"\"}");
    let dir = project(&[("railpack.json", &bytes)]);
    expect(dir.path(), 1, &["error[RC106 unreadable-file]", "10 MiB"]);
}

#[test]
fn deep_nesting_is_a_parse_error_not_a_stack_overflow() {
    let arrays = "[".repeat(200_000) + &"]".repeat(200_000);
    let objects = "{\"a\":".repeat(100_000) + "1" + &"}".repeat(100_000);
    let toml = "a = ".to_string() + &"[".repeat(100_000) + &"]".repeat(100_000);
    let dir = project(&[
        ("arrays/railpack.json", arrays.as_bytes()),
        ("objects/railway.json", objects.as_bytes()),
        ("toml/railway.toml", toml.as_bytes()),
    ]);
    let run = expect(dir.path(), 1, &["nesting deeper than 512 levels", "recursion"]);
    assert_eq!(
        run.stdout.matches("error[RC101 parse-error]").count(),
        3,
        "{}",
        run.stdout
    );
}

#[test]
fn nesting_just_under_the_limit_is_checked() {
    // 500 levels parse, validate and model without overflowing a debug build's stack.
    let text = format!(
        "{{\"deploy\": {{\"variables\": {{\"X\": {}1{}}}}}}}",
        "[".repeat(500),
        "]".repeat(500)
    );
    let dir = project(&[("railpack.json", text.as_bytes())]);
    let run = run(&["validate", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    assert!(!run.stdout.contains("RC101"), "{}", run.stdout);
}

#[test]
fn encodings_are_reported() {
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "{\"provider\": \"node\"}".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = project(&[
        ("bad/railpack.json", b"{\"provider\": \"no\xffde\"}"),
        ("utf16/railpack.json", &utf16),
    ]);
    expect(
        dir.path(),
        1,
        &["error[RC105 bad-encoding]", "invalid UTF-8 at byte 16", "UTF-16"],
    );
    let bom = project(&[("railpack.json", b"\xEF\xBB\xBF{\"provider\": \"node\"}")]);
    // hujson rejects a BOM: Railpack fails to read railpack.json.
    expect(bom.path(), 1, &["error[RC105 bad-encoding]", "byte order mark"]);
}

#[test]
fn nul_bytes_empty_files_and_unterminated_strings_are_parse_errors() {
    let dir = project(&[
        ("nul/railpack.json", b"{\"provider\": \"node\"}\0"),
        ("nul-in-string/railpack.json", b"{\"provider\": \"no\0de\"}"),
        ("empty/railpack.json", b""),
        ("blank/railway.json", b"  \n\t\n"),
        ("unterminated/railpack.json", b"{\"provider\": \"node}"),
    ]);
    let run = expect(
        dir.path(),
        1,
        &["file is empty", "unterminated", "raw control character U+0000"],
    );
    assert_eq!(
        run.stdout.matches("error[RC101 parse-error]").count(),
        5,
        "{}",
        run.stdout
    );
}

#[test]
fn non_object_roots_are_reported() {
    let dir = project(&[
        ("null/railpack.json", b"null"),
        ("array/railpack.json", b"[1, 2]"),
        ("number/railway.json", b"42"),
        ("string/railway.json", b"\"x\""),
    ]);
    let run = expect(dir.path(), 1, &["a null", "an array", "a number", "a string"]);
    assert_eq!(
        run.stdout.matches("error[RC104 root-not-object]").count(),
        4,
        "{}",
        run.stdout
    );
}

#[test]
fn huge_numbers_where_numbers_are_expected() {
    let dir = project(&[
        (
            "a/railway.json",
            br#"{"deploy": {"healthcheckTimeout": 1e400, "numReplicas": 123456789012345678901234567890}}"#,
        ),
        (
            "b/railpack.json",
            br#"{"steps": {"build": {"commands": [{"src": "a", "dest": "b", "mode": 1e400}, {"path": "p", "name": "n", "mode": 123456789012345678901234567890}]}}}"#,
        ),
        (
            "c/railway.toml",
            b"[deploy]\nhealthcheckTimeout = 123456789012345678901234567890\n",
        ),
    ]);
    let run = expect(dir.path(), 1, &["number `1e400` is out of range"]);
    assert_eq!(run.stdout.matches("is out of range").count(), 2, "{}", run.stdout);
    // TOML integers are 64-bit: the 30-digit one is a parse error there.
    assert!(
        run.stdout
            .contains("integer does not fit in 64 bits\n --> c/railway.toml:2:22"),
        "{}",
        run.stdout
    );
}

#[test]
fn five_megabyte_single_line() {
    let text = format!(
        "{{\"provider\": \"node\", \"deploy\": {{\"startCommand\": \"{}\"}}}}",
        "x".repeat(5 << 20)
    );
    let dir = project(&[("railpack.json", text.as_bytes())]);
    expect(dir.path(), 0, &["READY"]);
}

#[test]
fn too_many_values_are_refused_before_parsing() {
    // 8 MiB of `0,` would cost most of a gigabyte to parse; over 250,000 values is refused.
    let many = format!("{{\"provider\": \"node\", \"exclude\": [{}0]}}", "0,".repeat(4 << 20));
    let toml = "[deploy]\n".to_string() + &"x = 1\n".repeat(300_000);
    let dir = project(&[
        ("a/railpack.json", many.as_bytes()),
        ("b/railway.toml", toml.as_bytes()),
    ]);
    let run = expect(dir.path(), 1, &["more than 250000 values; not parsed"]);
    assert_eq!(
        run.stdout.matches("error[RC106 unreadable-file]").count(),
        2,
        "{}",
        run.stdout
    );
}

#[test]
fn wide_objects_stay_linear() {
    // 100,000 variables: each is located by pointer; a linear member scan made this quadratic.
    let vars: Vec<String> = (0..100_000).map(|i| format!("\"V{i}\": \"value {i}\"")).collect();
    let text = format!(
        "{{\"provider\": \"node\", \"deploy\": {{\"variables\": {{{}}}}}}}",
        vars.join(",")
    );
    let dir = project(&[("railpack.json", text.as_bytes())]);
    expect(dir.path(), 0, &["READY"]);
}

#[test]
fn three_thousand_service_folders() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        let folder = dir.path().join(format!("svc{i:04}"));
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("railpack.json"), br#"{"provider": "node"}"#).unwrap();
    }
    expect(dir.path(), 0, &["3000 files (3000 services)", "READY"]);
}

#[test]
fn manifest_with_three_thousand_services() {
    let entries: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                "\"svc{i}\": {{\"root\": \"./svc{i}\", \"build\": {{\"provider\": \"node\"}}, \"deploy\": {{\"startCommand\": \"node index.js\", \"environment\": {{\"PORT\": \"{i}\"}}}}}}"
            )
        })
        .collect();
    let text = format!("{{\"version\": \"1\", \"services\": {{{}}}}}", entries.join(","));
    let dir = project(&[("railpack.json", text.as_bytes())]);
    let run = run(&["validate", dir.path().to_str().unwrap(), "--format", "json"]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["services"], 3000);
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let dir = project(&[
        (".git/HEAD", b""),
        (
            "my app/ünïcödé 服务/railpack.json",
            br#"{"provider": "node", "nope": 1}"#,
        ),
        (
            "my app/ünïcödé 服务/railway.json",
            br#"{"deploy": {"startCommand": "node index.js"}}"#,
        ),
    ]);
    let run = expect(dir.path(), 0, &["my app/ünïcödé 服务/railpack.json:1:", "RC202"]);
    assert!(run.stdout.contains("service ünïcödé 服务"), "{}", run.stdout);
    let file = file_arg(&dir, "my app/ünïcödé 服务/railpack.json");
    expect_args(
        &["validate", &file, "--format", "concise"],
        0,
        &["my app/ünïcödé 服务/railpack.json:1:"],
    );
}

#[test]
fn fifty_thousand_reference_openers() {
    let value = "${{".repeat(50_000);
    let text = format!(
        "{{\"provider\": \"node\", \"deploy\": {{\"startCommand\": \"{value}\", \"variables\": {{\"A\": \"{value}\"}}}}}}"
    );
    let dir = project(&[("railpack.json", text.as_bytes())]);
    let run = run(&["validate", dir.path().to_str().unwrap()]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
}

#[test]
fn missing_paths_are_usage_errors() {
    let dir = project(&[]);
    let missing = file_arg(&dir, "nope");
    expect_args(&["validate", &missing], 2, &["does not exist"]);
    let missing_file = file_arg(&dir, "nope/railpack.json");
    expect_args(&["validate", &missing_file], 2, &["does not exist"]);
}

#[test]
fn file_arguments_in_two_folders_report_both() {
    let dir = project(&[
        ("a/railpack.json", b"{\"nope\": 1}"),
        ("b/railway.json", b"{\"bad\": 1}"),
        ("c/railpack.json", b"{\"other\": 1}"),
    ]);
    let run = expect_args(
        &[
            "validate",
            &file_arg(&dir, "a/railpack.json"),
            &file_arg(&dir, "b/railway.json"),
            "--format",
            "concise",
        ],
        0,
        &["a/railpack.json:1:2", "b/railway.json:1:2"],
    );
    assert!(!run.stdout.contains("c/railpack.json"), "{}", run.stdout);
}

#[test]
fn excluded_file_argument_says_it_was_not_checked() {
    let dir = project(&[(".git/HEAD", b""), ("node_modules/x/railpack.json", b"{\"nope\": 1}")]);
    let file = file_arg(&dir, "node_modules/x/railpack.json");
    let run = run(&["validate", &file]);
    assert_eq!(run.code, Some(0));
    assert!(run.stderr.contains("was not checked"), "{}", run.stderr);
}
