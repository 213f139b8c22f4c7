//! Issue 16, "Defects": each test here failed before its fix.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

mod common;
use common::{railcheck, write};

const CLEAN: &str = "{ \"provider\": \"node\" }\n";
/// A repeated key (RC102, warning) whose last value, the one Railpack reads, is not a
/// provider (RC203, error).
const DUPLICATE: &str = "{ \"provider\": \"python\", \"provider\": \"nodejs\" }\n";

fn out(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

// ---- 1. unknown selectors ----

#[test]
fn unknown_selectors_exit_2_with_did_you_mean() {
    let dir = project(&[("railpack.json", CLEAN)]);
    for args in [
        &["--select", "RC720"][..],
        &["--ignore", "lockfile-mising"],
        &["--select", "RC9"],
        &["--ignore", "RC1,RC299"],
    ] {
        let (code, stdout, stderr) = out(railcheck().current_dir(dir.path()).arg("validate").args(args));
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(!stdout.contains("READY"), "{args:?}: {stdout}");
        assert!(stderr.contains("unknown rule"), "{args:?}: {stderr}");
    }
    let (_, _, stderr) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--select", "RC720"]));
    assert!(stderr.contains("did you mean") && stderr.contains("RC702"), "{stderr}");
    let (_, _, stderr) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--ignore", "lockfile-mising"]));
    assert!(stderr.contains("did you mean `lockfile-missing`"), "{stderr}");

    write(dir.path(), "railcheck.toml", "[rules]\nselect = [\"RC299\"]\n");
    let (code, _, stderr) = out(railcheck().current_dir(dir.path()).arg("validate"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("railcheck.toml:2:") && stderr.contains("did you mean"),
        "{stderr}"
    );

    let (code, _, stderr) = out(railcheck().args(["explain", "RC720"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean") && stderr.contains("RC702"), "{stderr}");
    let (code, _, stderr) = out(railcheck().args(["explain", "lockfile-mising"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("lockfile-missing"), "{stderr}");
}

// ---- 2. nothing checked ----

#[test]
fn nothing_found_is_said_and_never_ready() {
    let empty = project(&[("README.md", "# hi\n")]);
    let (code, stdout, stderr) = out(railcheck().current_dir(empty.path()).arg("validate"));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(!stdout.contains("READY"), "{stdout}");
    assert!(
        stderr.contains("no Railway or Railpack configuration found"),
        "{stderr}"
    );
    // --exclude removing every file: same.
    let dir = project(&[("railpack.json", CLEAN)]);
    let (code, stdout, stderr) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--exclude", "**"]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(!stdout.contains("READY"));
    assert!(
        stderr.contains("no Railway or Railpack configuration found"),
        "{stderr}"
    );
    assert!(stderr.contains("--exclude"), "{stderr}");
    // File-argument mode (pre-commit passing unrelated files): said, not READY, exit 0.
    write(dir.path(), "notes.txt", "root:x:0:0:root:/root:/bin/bash\n");
    let (code, stdout, stderr) = out(railcheck().current_dir(dir.path()).args(["validate", "notes.txt"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stdout.contains("READY"), "{stdout}");
    assert!(stderr.contains("no Railway or Railpack configuration"), "{stderr}");
}

// ---- 3. paths relative to the working folder ----

#[test]
fn human_and_concise_paths_are_relative_to_the_working_folder() {
    let dir = project(&[("apps/site/railpack.json", DUPLICATE)]);
    let (code, stdout, _) = out(railcheck().current_dir(dir.path()).args(["validate", "apps/site"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("--> apps/site/railpack.json:1:"), "{stdout}");
    let (_, stdout, _) =
        out(railcheck()
            .current_dir(dir.path())
            .args(["validate", "apps/site", "--format", "concise"]));
    assert!(stdout.starts_with("apps/site/railpack.json:1:"), "{stdout}");
    // json keeps the project-relative path.
    let (_, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "apps/site", "--format", "json"]));
    assert!(stdout.contains("\"file\": \"railpack.json\""), "{stdout}");
}

// ---- 4. --smoke results always shown ----

#[test]
fn smoke_failures_show_even_when_rc890_is_not_selected() {
    let dir = project(&[
        ("railpack.json", CLEAN),
        (
            "railcheck.toml",
            "[rules]\nselect = [\"RC1\"]\n[services.app]\nroot = \".\"\nsmoke = [\"exit 3\"]\n",
        ),
    ]);
    let (code, stdout, stderr) = out(railcheck().current_dir(dir.path()).args(["validate", "--smoke"]));
    assert!(stdout.contains("RC890"), "{stdout}{stderr}");
    assert_eq!(code, 1);
}

// ---- 5. probe masks what the endpoint returns ----

#[test]
fn probe_masks_credentials_from_the_endpoint() {
    let token = format!("ghp_{}", "A1b2C3d4E5".repeat(4).get(..36).unwrap());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    let body = format!(r#"{{"status":"{token}","timestamp":"{token}","service":"{token}","version":"{token}"}}"#);
    let served = body.clone();
    let header_token = token.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {header_token}/json\r\nX-Token: {header_token}\r\nContent-Length: {}\r\n\r\n{served}",
                served.len()
            );
        }
    });
    for format in ["human", "json"] {
        let (_, stdout, stderr) = out(railcheck().args(["probe", &url, "--format", format]));
        let all = format!("{stdout}{stderr}");
        assert!(!all.contains(&token[..12]), "{format}: {all}");
        assert!(
            all.contains("ghp_"),
            "{format}: the masked token still shows its start: {all}"
        );
    }
}

// ---- 6. a config named otherwise, given as an argument ----

#[test]
fn a_config_file_with_another_name_is_checked_when_given() {
    let dir = project(&[(
        "infra/railway.prod.json",
        "{ \"deploy\": { \"startCommand\": \"node s.js\", \"startCommand\": \"x\" } }\n",
    )]);
    let (code, stdout, stderr) =
        out(railcheck()
            .current_dir(dir.path())
            .args(["validate", "infra/railway.prod.json", "--format", "concise"]));
    // A repeated scalar key is a warning (the last value is read): exit 0, but reported.
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("railway.prod.json:1:") && stdout.contains("RC102"),
        "{stdout}"
    );
    let (code, stdout, stderr) = out(railcheck().current_dir(dir.path()).args([
        "validate",
        "infra/railway.prod.json",
        "--kind",
        "railway",
        "--format",
        "concise",
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("RC102"), "{stdout}");
}

#[test]
fn railpack_config_file_from_railcheck_toml_is_followed() {
    let dir = project(&[
        (
            "railcheck.toml",
            "[services.app]\nroot = \".\"\nvariables = { RAILPACK_CONFIG_FILE = \"deploy/rp.json\" }\n",
        ),
        ("railway.json", "{ \"deploy\": { \"startCommand\": \"node s.js\" } }\n"),
        ("deploy/rp.json", DUPLICATE),
    ]);
    let (code, stdout, stderr) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--format", "concise"]));
    assert!(
        stdout.contains("deploy/rp.json:1:") && stdout.contains("RC102"),
        "{stdout}{stderr}"
    );
    assert_eq!(code, 1);
}

// ---- 7. files from two repositories ----

#[test]
fn files_from_two_repositories_are_refused_not_walked_from_root() {
    let a = project(&[("railpack.json", CLEAN)]);
    let b = project(&[("railpack.json", CLEAN)]);
    let (code, stdout, stderr) = out(railcheck().args([
        "validate",
        a.path().join("railpack.json").to_str().unwrap(),
        b.path().join("railpack.json").to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("outside the project"), "{stderr}");
}

// ---- 8. man page ----

#[test]
fn man_page_documents_every_subcommand() {
    let (code, stdout, _) = out(railcheck().arg("man"));
    assert_eq!(code, 0);
    for sub in [
        "validate",
        "env",
        "probe",
        "rules",
        "explain",
        "schema",
        "migrate",
        "completions",
        "man",
    ] {
        assert!(
            stdout.contains(&format!("railcheck\\-{sub}")) || stdout.contains(&format!("railcheck {sub}")),
            "{sub}"
        );
    }
    for section in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "EXAMPLES",
        "\\-\\-select",
        "\\-\\-dotenv",
        "\\-\\-base\\-url",
    ] {
        assert!(stdout.contains(section), "{section} missing");
    }
}

// ---- 9. env names the key as written ----

#[test]
fn env_says_build_allowlist_with_a_dash() {
    let dir = project(&[(
        "railpack.json",
        "{ \"steps\": { \"build\": { \"commands\": [\"npm run build\"] } } }\n",
    )]);
    write(
        dir.path(),
        "vars.env",
        "STRIPE_SECRET_KEY=sk_live_abcdefghijklmnopqrstuvwx\n",
    );
    let (_, stdout, stderr) =
        out(railcheck()
            .current_dir(dir.path())
            .args(["env", "--dotenv", "vars.env", "--service", "railpack"]));
    let all = format!("{stdout}{stderr}");
    assert!(!all.contains("build_allowlist"), "{all}");
}

#[test]
fn env_source_has_no_underscored_key() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/env/audit.rs")).unwrap();
    assert!(!text.contains("`build_allowlist`"));
}

// ---- 10. file-argument mode ----

#[test]
fn file_mode_gives_verdicts_only_for_the_named_services_and_names_the_project() {
    let dir = project(&[
        (
            "railpack.json",
            "{ \"services\": { \"api\": { \"root\": \"./api\" }, \"web\": { \"root\": \"./web\" } } }\n",
        ),
        ("api/railpack.json", CLEAN),
        ("web/railpack.json", CLEAN),
    ]);
    let (code, stdout, stderr) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "api/railpack.json"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("api"), "{stdout}");
    assert!(!stdout.contains("web"), "{stdout}");
    // Inside the service folder: the same project (the manifest above is read).
    let (_, here, here_err) = out(railcheck().current_dir(dir.path().join("api")).arg("validate"));
    let (_, file, file_err) = out(railcheck()
        .current_dir(dir.path().join("api"))
        .args(["validate", "railpack.json"]));
    assert_eq!(here, file);
    assert!(
        here.contains("from railpack.json"),
        "paths relative to the working folder: {here}"
    );
    let name = dir.path().canonicalize().unwrap();
    let name = name.to_str().unwrap();
    for stderr in [here_err, file_err] {
        assert!(stderr.contains(&format!("checked project `{name}`")), "{stderr}");
    }
}

// ---- 11. papercuts ----

#[test]
fn output_format_alias_and_output_file_papercuts() {
    let dir = project(&[("railpack.json", CLEAN)]);
    let (code, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--output-format", "json"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("\"schema_version\""));
    let (code, _, stderr) =
        out(railcheck()
            .current_dir(dir.path())
            .args(["validate", "--format", "json", "-o", "reports/deep/out.json"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.path().join("reports/deep/out.json").is_file());
    let (code, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--format", "json", "-o", "-"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("\"schema_version\""));
    assert!(!dir.path().join("-").exists());
}

#[test]
fn clean_concise_run_prints_one_summary_line() {
    let dir = project(&[("railpack.json", CLEAN)]);
    let (code, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--format", "concise"]));
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
}

#[test]
fn github_format_ends_with_the_verdict_and_writes_a_job_summary() {
    let dir = project(&[("railpack.json", DUPLICATE)]);
    let summary = dir.path().join("summary.md");
    let (code, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["validate", "--format", "github"]));
    assert_eq!(code, 1);
    assert!(
        stdout.trim_end().lines().last().unwrap().contains("NOT READY"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("RC102") && text.contains("NOT READY"), "{text}");
}

#[test]
fn rules_json_and_effective_severity() {
    let dir = project(&[("railcheck.toml", "[rules.severity]\nRC202 = \"error\"\n")]);
    let (code, stdout, _) = out(railcheck().current_dir(dir.path()).args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rc202 = doc.as_array().unwrap().iter().find(|r| r["code"] == "RC202").unwrap();
    assert_eq!(rc202["severity"], "error");
    assert_eq!(rc202["default_severity"], "warning");
}

#[test]
fn completions_offer_rule_codes() {
    let (_, stdout, _) = out(railcheck().args(["completions", "fish"]));
    assert!(stdout.contains("RC202"), "no rule codes in completions");
}

#[test]
fn railcheck_toml_typos_get_did_you_mean() {
    let dir = project(&[("railpack.json", CLEAN), ("railcheck.toml", "[rules]\nslect = []\n")]);
    let (code, _, stderr) = out(railcheck().current_dir(dir.path()).arg("validate"));
    assert_eq!(code, 2);
    assert!(stderr.contains("did you mean `select`"), "{stderr}");
}

#[test]
fn a_service_root_matching_nothing_is_warned_about() {
    let dir = project(&[
        ("railpack.json", CLEAN),
        (
            "railcheck.toml",
            "[services.api]\nroot = \"apps/api\"\n[[overrides]]\npaths = [\"legacy/**\"]\nignore = [\"RC202\"]\n",
        ),
    ]);
    let (_, _, stderr) = out(railcheck().current_dir(dir.path()).arg("validate"));
    assert!(stderr.contains("apps/api") && stderr.contains("legacy/**"), "{stderr}");
}

#[test]
fn colours_are_reset_before_every_newline() {
    let dir = project(&[("railpack.json", DUPLICATE)]);
    let (_, stdout, _) = out(railcheck()
        .current_dir(dir.path())
        .args(["validate", "--color", "always"]));
    assert!(stdout.contains('\u{1b}'), "coloured: {stdout}");
    for line in stdout.lines() {
        if let Some(last) = line.rfind('\u{1b}') {
            assert!(
                line[last..].starts_with("\u{1b}[0m"),
                "colour left open at the end of {line:?}"
            );
        }
    }
}
