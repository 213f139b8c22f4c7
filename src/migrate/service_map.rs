//! The service map migrate writes in `railcheck.toml`: a `[services.<name>]` table per
//! migrated service, added to the existing file's text or in a new file.

use std::path::Path;

use anyhow::{Result, bail};

use crate::model::Project;

use super::{FileChange, Plan, Target, join};

/// A service's entry in `railcheck.toml`.
pub(super) struct ServiceEntry {
    pub(super) name: String,
    pub(super) root: String,
    pub(super) variables: Vec<(String, String)>,
}

/// A TOML key, bare when it can be.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `railcheck.toml` with a `[services.<name>]` table per migrated service: the
/// existing file (its text kept, tables added or completed) or a new one.
pub(super) fn railcheck_toml(
    project: &Project,
    target: &Target<'_>,
    entries: &[ServiceEntry],
    plan: &mut Plan,
) -> Result<FileChange> {
    let (path, old) = match target.config_file {
        Some(file) => (file.to_path_buf(), Some(std::fs::read_to_string(file)?)),
        None => (project.root.join(crate::config::CONFIG_FILE), None),
    };
    let base = crate::config::base_of(&project.root, &path);
    let existing: toml::Table = match &old {
        Some(text) => match text.parse() {
            Ok(table) => table,
            Err(err) => bail!("cannot read `{}`: {}", path.display(), err.message()),
        },
        None => toml::Table::new(),
    };
    let tables = existing.get("services").and_then(toml::Value::as_table);
    let mut text = old.clone().unwrap_or_default();
    for entry in entries {
        let root = join(&base, &entry.root);
        let root = if root.is_empty() { ".".to_string() } else { root };
        let mut lines = Vec::new();
        let current = tables.and_then(|t| t.get(&entry.name)).and_then(toml::Value::as_table);
        match current.and_then(|t| t.get("root")) {
            None => lines.push(format!("root = {}", toml_string(&root))),
            Some(toml::Value::String(r))
                if crate::model::normalize_root("", r) == crate::model::normalize_root("", &root) => {}
            Some(_) => plan.conflicts.push(format!(
                "{}: kept the `root` already in railcheck.toml; the manifest says `{root}`",
                entry.name
            )),
        }
        if !entry.variables.is_empty() {
            if current.is_some_and(|t| t.contains_key("variables")) {
                plan.refused.push(format!(
                    "{}: railcheck.toml already has `variables` for this service; add the ones above by hand",
                    entry.name
                ));
            } else {
                let vars: Vec<String> = entry
                    .variables
                    .iter()
                    .map(|(k, v)| format!("{} = {}", toml_key(k), toml_string(v)))
                    .collect();
                lines.push(format!("variables = {{ {} }}", vars.join(", ")));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let header = format!("[services.{}]", toml_key(&entry.name));
        let at = text
            .lines()
            .scan(0usize, |offset, line| {
                let start = *offset;
                *offset += line.len() + 1;
                Some((start + line.len(), line.trim() == header))
            })
            .find(|(_, is_header)| *is_header)
            .map(|(end, _)| end);
        match (current, at) {
            (Some(_), Some(end)) => {
                let insert = format!("\n{}", lines.join("\n"));
                text.insert_str(end.min(text.len()), &insert);
            }
            (Some(_), None) => plan.refused.push(format!(
                "{}: railcheck.toml defines this service without a `{header}` line; add by hand: {}",
                entry.name,
                lines.join("; ")
            )),
            (None, _) => {
                if !text.is_empty() && !text.ends_with("\n\n") {
                    text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
                }
                text.push_str(&format!("{header}\n{}\n", lines.join("\n")));
            }
        }
    }
    // What migrate writes must load.
    if let Err(err) = crate::config::parse(&text, "railcheck.toml") {
        bail!("internal error: the railcheck.toml migrate would write does not load: {err:#}");
    }
    let rel = path
        .strip_prefix(&project.root)
        .map(|p| crate::source::display_path(Path::new(""), p))
        .unwrap_or_else(|_| path.display().to_string());
    Ok(FileChange {
        path: rel,
        old,
        new: Some(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_keys_are_bare_when_they_can_be() {
        assert_eq!(toml_key("frontend"), "frontend");
        assert_eq!(toml_key("my.api"), "\"my.api\"");
    }
}
