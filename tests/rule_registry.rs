//! A rule is declared once, in its own file, with `declare_rule!`; this test makes the rest
//! impossible to forget: every declared rule is registered (runs and is listed), its file is
//! named after it, and it sits in the folder of its code's area.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

/// Code area digit -> folder under `src/rules/`.
const AREAS: &[(char, &str)] = &[
    ('1', "syntax"),
    ('2', "schema"),
    ('3', "secrets"),
    ('4', "health"),
    ('5', "references"),
    ('6', "services"),
    ('7', "commands"),
    ('8', "guide"),
];

/// (code, name) of the `declare_rule!` in a file's text, if it has one.
fn declared(text: &str) -> Option<(String, String)> {
    let start = text.find("declare_rule! {")?;
    let body = &text[start..];
    let code = body.split("code: ").nth(1)?.split(',').next()?.trim().to_string();
    let name = body.split("name: \"").nth(1)?.split('"').next()?.to_string();
    Some((code, name))
}

#[test]
fn every_declared_rule_is_registered_named_after_its_file_and_in_its_area() {
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let registered: Vec<(&str, &str)> = railcheck::rules::all()
        .iter()
        .map(|r| (r.meta.code, r.meta.name))
        .collect();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for area in std::fs::read_dir(&rules_dir).unwrap() {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        let folder = area.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&area).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let Some((code, name)) = declared(&text) else { continue };
            let stem = path.file_stem().unwrap().to_string_lossy().replace('_', "-");
            if stem != name {
                problems.push(format!(
                    "{}: declares `{name}`; name the file after the rule",
                    path.display()
                ));
            }
            let digit = code.chars().nth(2).unwrap_or('?');
            match AREAS.iter().find(|(d, _)| *d == digit) {
                Some((_, expected)) if *expected == folder => {}
                _ => problems.push(format!(
                    "{code} is in src/rules/{folder}/, not in the folder of its area"
                )),
            }
            if !registered.contains(&(code.as_str(), name.as_str())) {
                problems.push(format!("{code} {name} is declared but missing from its area's RULES"));
            }
            found.push(code);
        }
    }
    for (code, _) in &registered {
        if !found.iter().any(|c| c == code) {
            problems.push(format!(
                "{code} is registered but no file declares it with declare_rule!"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
