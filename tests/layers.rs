//! The layers of `src/` hold: a module imports only from layers below it (the order
//! `src/lib.rs` lists them in), and the subcommand layers (`env`, `probe`, `migrate`, `plan`) do
//! not import each other. With a strict order there can be no cycle between layers.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

/// Bottom-up, as in `src/lib.rs`. Layers on one line share a rank and may not import
/// each other.
const LAYERS: &[&[&str]] = &[
    &["util", "iac"],
    &["diagnostic"],
    &["settings"],
    &["facts"],
    &["source"],
    &["platform"],
    &["model"],
    &["rules"],
    &["pipeline"],
    &["config"],
    &["report"],
    &["env", "probe", "migrate", "plan"],
    &["cli"],
];

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|group| group.contains(&layer))
}

/// The layer a source file belongs to: its first folder under `src/`, or its file stem.
fn layer_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::<layer>` a file's code names (comments skipped).
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push((n + 1, name));
            rest = after;
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_module_imports_a_layer_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&src).unwrap();
        let layer = layer_of(rel);
        if layer == "lib" || layer == "main" {
            continue;
        }
        let Some(own) = rank(&layer) else {
            problems.push(format!(
                "{}: layer `{layer}` is not listed in tests/layers.rs",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, target) in imports(&text) {
            if target == layer {
                continue;
            }
            match rank(&target) {
                Some(r) if r < own => {}
                Some(_) => problems.push(format!(
                    "{}:{line}: `{layer}` imports `{target}`, which is not below it",
                    rel.display()
                )),
                None => problems.push(format!("{}:{line}: unknown layer `{target}`", rel.display())),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn lib_lists_the_layers_in_order() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let listed: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    let expected: Vec<&str> = LAYERS.iter().flat_map(|group| group.iter().copied()).collect();
    assert_eq!(listed, expected);
}
