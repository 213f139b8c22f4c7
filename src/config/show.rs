//! `validate --show-settings`: the resolved configuration, one setting a line, each with
//! where its value comes from (`default`, `railcheck.toml:LINE`, a flag). Service
//! variables are listed by name only: their values may be credentials.

use std::collections::HashMap;
use std::path::Path;

use super::{ConfigSource, Flags, Resolved};
use crate::settings::{DEFAULT_MAX_BUILD_VARIABLES, DEFAULT_SMOKE_TIMEOUT_SECS};

/// The 1-based line of each `table.key` a railcheck.toml sets (`[[overrides]]` tables are
/// numbered: `overrides.0.paths`). Keys in inline tables are not found (the file is named
/// without a line then).
pub(crate) fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let mut table = String::new();
    let mut overrides = 0usize;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
            let header = header.trim();
            table = if header == "overrides" {
                overrides += 1;
                format!("overrides.{}", overrides - 1)
            } else {
                header.to_string()
            };
            lines.entry(table.clone()).or_insert(n + 1);
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            table = unquote_dotted(header.trim());
            lines.entry(table.clone()).or_insert(n + 1);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if let Some((key, _)) = line.split_once('=') {
            let key = unquote_dotted(key.trim());
            let full = if table.is_empty() {
                key
            } else {
                format!("{table}.{key}")
            };
            lines.entry(full).or_insert(n + 1);
        }
    }
    lines
}

fn unquote_dotted(key: &str) -> String {
    key.split('.')
        .map(|part| part.trim().trim_matches('"').trim_matches('\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// The path relative to the working folder when it is below it, else as it is.
fn shown_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| cwd.canonicalize().ok())
        .zip(path.canonicalize().ok())
        .and_then(|(cwd, path)| path.strip_prefix(&cwd).ok().map(Path::to_path_buf));
    match relative {
        Some(rel) if !rel.as_os_str().is_empty() => crate::source::display_path(Path::new(""), &rel),
        _ => path.display().to_string(),
    }
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The report: `key = value  # source`.
pub(crate) fn render(
    root: &Path,
    source: &ConfigSource,
    flags: &Flags,
    excludes: &[String],
    resolved: &Resolved,
) -> String {
    let s = &resolved.settings;
    let (text, file_name) = match &resolved.file {
        Some(path) => (std::fs::read_to_string(path).unwrap_or_default(), shown_path(path)),
        None => (String::new(), String::new()),
    };
    let lines = key_lines(&text);
    let from_file = |key: &str| -> Option<String> {
        resolved.file.as_ref()?;
        Some(match lines.get(key) {
            Some(line) => format!("{file_name}:{line}"),
            None => file_name.clone(),
        })
    };
    let from_file_if_set = |key: &str| -> Option<String> { lines.get(key).and_then(|_| from_file(key)) };
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |key: &str, value: String, origin: String| rows.push((format!("{key} = {value}"), origin));

    let config_origin = match (source, &resolved.file) {
        (ConfigSource::Isolated, _) => "--isolated: no railcheck.toml read".to_string(),
        (ConfigSource::File(_), Some(_)) => "--config".to_string(),
        (ConfigSource::Discover, Some(_)) => "found from the project root upwards".to_string(),
        (_, None) => "none found (project root up to the repository root)".to_string(),
    };
    row(
        "project-root",
        format!("{:?}", root.display().to_string()),
        "command line (default: .)".into(),
    );
    row("config-file", format!("{:?}", file_name), config_origin);
    let select_origin = if !flags.select.is_empty() {
        "--select (replaces the file's select and ignore)".to_string()
    } else {
        from_file_if_set("rules.select").unwrap_or_else(|| "default: every rule".to_string())
    };
    row("rules.select", list(&s.select), select_origin);
    let mut ignore_origin: Vec<String> = Vec::new();
    if flags.select.is_empty() {
        ignore_origin.extend(from_file_if_set("rules.ignore"));
    }
    if !flags.ignore.is_empty() {
        ignore_origin.push("--ignore".to_string());
    }
    if ignore_origin.is_empty() {
        ignore_origin.push("default".to_string());
    }
    row("rules.ignore", list(&s.ignore), ignore_origin.join(" + "));
    for (code, level) in &s.severity {
        let origin = crate::rules::find(code)
            .and_then(|r| {
                from_file_if_set(&format!("rules.severity.{}", r.meta.code))
                    .or_else(|| from_file_if_set(&format!("rules.severity.{}", r.meta.name)))
            })
            .or_else(|| from_file("rules.severity"))
            .unwrap_or_default();
        row(
            &format!("rules.severity.{code}"),
            format!("{:?}", level.as_str()),
            origin,
        );
    }
    // Overrides: one entry per glob, numbered as the file's tables are.
    let mut table = 0;
    for (i, (glob, ignore)) in s.overrides.iter().enumerate() {
        let origin = from_file_if_set(&format!("overrides.{table}.paths")).unwrap_or_else(|| file_name.clone());
        row(
            &format!("overrides[{i}]"),
            format!("{{ path = {:?}, ignore = {} }}", glob.glob().glob(), list(ignore)),
            origin,
        );
        let next_same = s.overrides.get(i + 1).is_some_and(|(_, next)| next == ignore);
        if !next_same {
            table += 1;
        }
    }
    let or_default = |key: &str| from_file_if_set(key).unwrap_or_else(|| "default".to_string());
    row(
        "secrets.build-allowlist",
        list(&s.build_allowlist),
        or_default("secrets.build-allowlist"),
    );
    row(
        "secrets.runtime-only",
        list(&s.runtime_only),
        or_default("secrets.runtime-only"),
    );
    row(
        "secrets.max-build-variables",
        s.max_build_variables.to_string(),
        if s.max_build_variables == DEFAULT_MAX_BUILD_VARIABLES && !lines.contains_key("secrets.max-build-variables") {
            "default".to_string()
        } else {
            or_default("secrets.max-build-variables")
        },
    );
    for (name, service) in &s.services {
        if let Some(service_root) = &service.root {
            row(
                &format!("services.{name}.root"),
                format!("{service_root:?}"),
                or_default(&format!("services.{name}.root")),
            );
        }
        if !service.variables.is_empty() {
            let names: Vec<String> = service.variables.keys().cloned().collect();
            row(
                &format!("services.{name}.variables"),
                format!("{} (names only)", list(&names)),
                or_default(&format!("services.{name}.variables")),
            );
        }
    }
    for (name, commands) in &s.smoke {
        row(
            &format!("services.{name}.smoke"),
            format!(
                "{} command{}",
                commands.len(),
                if commands.len() == 1 { "" } else { "s" }
            ),
            or_default(&format!("services.{name}.smoke")),
        );
    }
    row(
        "exclude",
        list(excludes),
        if excludes.is_empty() { "default" } else { "--exclude" }.to_string(),
    );
    row(
        "fail-level",
        format!("{:?}", s.fail_level.as_str()),
        if flags.deny_warnings {
            "--deny warnings"
        } else {
            "default"
        }
        .to_string(),
    );
    row(
        "exit-zero",
        s.exit_zero.to_string(),
        if flags.exit_zero { "--exit-zero" } else { "default" }.to_string(),
    );
    row(
        "smoke.run",
        s.run_smoke.to_string(),
        if flags.run_smoke { "--smoke" } else { "default" }.to_string(),
    );
    let timeout = s.smoke_timeout.as_secs();
    row(
        "smoke.timeout-secs",
        timeout.to_string(),
        if timeout == DEFAULT_SMOKE_TIMEOUT_SECS {
            "default"
        } else {
            "--smoke-timeout"
        }
        .to_string(),
    );
    let width = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (setting, origin) in rows {
        let line = if origin.is_empty() {
            setting
        } else {
            format!("{setting:<width$}  # {origin}")
        };
        out.push_str(&crate::facts::secrets::redact(&line));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_keys_by_table() {
        let text = "[rules]\nselect = [\"RC1\"]\n# ignore = []\n[rules.severity]\nRC202 = \"error\"\n[[overrides]]\npaths = [\"a/**\"]\n[[overrides]]\npaths = [\"b/**\"]\n[services.\"my-api\"]\nroot = \"api\"\n";
        let lines = key_lines(text);
        assert_eq!(lines["rules.select"], 2);
        assert!(!lines.contains_key("rules.ignore"));
        assert_eq!(lines["rules.severity.RC202"], 5);
        assert_eq!(lines["overrides.0.paths"], 7);
        assert_eq!(lines["overrides.1.paths"], 9);
        assert_eq!(lines["services.my-api.root"], 11);
    }
}
