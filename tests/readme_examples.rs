//! The README's examples run here, so that they stay true. A fenced block after
//! `<!-- example NAME FILE -->` is written to FILE in project NAME (a fresh temporary git
//! repository per NAME, kept across its blocks, in README order); a `console` block after
//! `<!-- example NAME run -->` holds `$ railcheck ...` commands, each followed by lines its
//! output (stdout, then stderr) must contain in that order, compared with runs of spaces
//! collapsed. The findings (`[RCnnn`) an example shows must be exactly those printed.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

mod common;

use std::collections::BTreeMap;
use std::path::Path;

fn normalize(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_output(name: &str, command: &str, expected: &[String], actual: &str, problems: &mut Vec<String>) {
    let actual_lines: Vec<String> = actual.lines().map(normalize).filter(|l| !l.is_empty()).collect();
    let mut at = 0;
    for want in expected.iter().map(|l| normalize(l)).filter(|l| !l.is_empty()) {
        match actual_lines[at..].iter().position(|l| *l == want) {
            Some(i) => at += i + 1,
            None => problems.push(format!(
                "example `{name}`, `{command}`: expected line not printed (in order): {want}\n--- output ---\n{actual}"
            )),
        }
    }
    let findings = |lines: Vec<String>| -> Vec<String> {
        let mut found: Vec<String> = lines.into_iter().filter(|l| l.contains("[RC")).collect();
        found.sort();
        found
    };
    let shown = findings(expected.iter().map(|l| normalize(l)).collect());
    let printed = findings(actual_lines.clone());
    if shown != printed {
        problems.push(format!(
            "example `{name}`, `{command}`: the README shows findings {shown:?}, railcheck printed {printed:?}"
        ));
    }
}

fn run_commands(name: &str, dir: &Path, block: &str, problems: &mut Vec<String>) {
    let mut current: Option<(String, Vec<String>)> = None;
    let flush = |current: Option<(String, Vec<String>)>, problems: &mut Vec<String>| {
        let Some((command, expected)) = current else { return };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let output = common::railcheck().current_dir(dir).args(&args).output().unwrap();
        let actual = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if !matches!(output.status.code(), Some(0 | 1)) {
            problems.push(format!(
                "example `{name}`, `{command}`: exit {:?}\n{actual}",
                output.status.code()
            ));
        }
        check_output(name, &command, &expected, &actual, problems);
    };
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            assert!(
                command.starts_with("railcheck "),
                "README examples run railcheck only: {command}"
            );
            flush(current.take(), problems);
            current = Some((command.to_string(), Vec::new()));
        } else if let Some((_, expected)) = &mut current {
            expected.push(line.to_string());
        }
    }
    flush(current.take(), problems);
}

#[test]
fn readme_examples_print_what_the_readme_says() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut projects: BTreeMap<String, tempfile::TempDir> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut ran = 0;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(spec) = line
            .trim()
            .strip_prefix("<!-- example ")
            .and_then(|l| l.strip_suffix("-->"))
        else {
            continue;
        };
        let mut words = spec.split_whitespace();
        let (Some(name), Some(what)) = (words.next(), words.next()) else {
            panic!("bad example marker: {line}");
        };
        // The fenced block that follows.
        let fence = lines
            .by_ref()
            .find(|l| l.starts_with("```"))
            .expect("a fenced block after the marker");
        assert!(fence.starts_with("```"));
        let mut block = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        let dir = projects.entry(name.to_string()).or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join(".git")).unwrap();
            dir
        });
        if what == "run" {
            run_commands(name, dir.path(), &block, &mut problems);
            ran += 1;
        } else {
            common::write(dir.path(), what, &block);
        }
    }
    assert!(ran >= 4, "the README's examples were not found ({ran} runs)");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
