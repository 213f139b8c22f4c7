//! `docs/rules/*.md` are generated from the rule declarations. This test fails when a page
//! is missing, stale or left over; `UPDATE_DOCS=1 cargo test --test rule_docs` rewrites them.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

#[test]
fn rule_pages_are_in_sync_with_the_rule_declarations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(railcheck::report::docs::RULE_DOCS_DIR);
    let pages = railcheck::report::docs::pages();
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, text) in &pages {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            std::fs::write(&path, text).unwrap();
        } else {
            problems.push(format!(
                "{name} is {}",
                if current.is_some() { "out of date" } else { "missing" }
            ));
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !pages.iter().any(|(n, _)| *n == name) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                problems.push(format!("{name} names no rule"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/rules is out of sync with src/rules: {}\nrun `UPDATE_DOCS=1 cargo test --test rule_docs`",
        problems.join("; ")
    );
}

#[test]
fn every_rule_url_points_at_its_page() {
    for rule in railcheck::rules::all() {
        let url = rule.meta.docs_url();
        assert!(url.ends_with(&format!("/docs/rules/{}.md", rule.meta.code)), "{url}");
        assert!(url.starts_with(railcheck::diagnostic::RULE_DOCS_BASE));
    }
}
