//! The resolved configuration: `railcheck.toml` merged with command-line flags.
//! Rules read `Settings`; they never see clap's types (`commands.rs` translates them
//! into `Flags`).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow, bail};
use serde::Deserialize;
use toml::Spanned;

pub(crate) mod show;

use crate::diagnostic::Severity;
use crate::rules;
use crate::settings::{ServiceMap, Settings};

/// The configuration file's name, looked up from the project root to the repository root.
pub(crate) const CONFIG_FILE: &str = "railcheck.toml";

/// Why a selector is not one: `ALL`, a rule name, or a code or code prefix (`RC` and 1 to
/// 3 digits) matching at least one rule. A typo must not silently select nothing.
fn check_selector(selector: &str) -> std::result::Result<(), String> {
    let upper = selector.to_ascii_uppercase();
    let is_code_prefix = upper.len() > 2
        && upper.len() <= 5
        && upper.starts_with("RC")
        && upper[2..].bytes().all(|b| b.is_ascii_digit());
    let all = rules::all();
    if upper == "ALL"
        || all.iter().any(|r| r.meta.name == selector)
        || (is_code_prefix && all.iter().any(|r| r.meta.code.starts_with(&upper)))
    {
        return Ok(());
    }
    let what = if is_code_prefix && upper.len() < 5 {
        format!("unknown rule selector `{selector}`: no rule code starts with {upper}")
    } else {
        format!("unknown rule selector `{selector}`")
    };
    Err(format!(
        "{what}; expected a code (RC202), a code prefix (RC2), a rule name (ignored-key) or ALL{}",
        did_you_mean(selector)
    ))
}

/// `; did you mean `X`?` (or `X` or `Y`) for the rule codes and names nearest to a
/// mistyped selector; `; `railcheck rules` lists them` when none is close.
pub(crate) fn did_you_mean(selector: &str) -> String {
    let words: Vec<&'static str> = rules::all().iter().flat_map(|r| [r.meta.code, r.meta.name]).collect();
    let near = nearest(selector, &words);
    if near.is_empty() {
        return "; `railcheck rules` lists them".to_string();
    }
    let list: Vec<String> = near.iter().map(|w| format!("`{w}`")).collect();
    format!("; did you mean {}?", list.join(" or "))
}

/// Up to three candidates nearest to `word` (case-insensitive; a swap of two neighbouring
/// characters counts as one edit), within 2 edits and under half the word's length.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let word = word.to_ascii_lowercase();
    let limit = 2.min(word.chars().count().saturating_sub(1) / 2).max(1);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .filter(|(d, _)| *d == best)
        .take(3)
        .map(|(_, c)| c)
        .collect()
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// What the command line says, free of clap's types. Command-line values win over the file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Flags {
    /// `--select`: when given, replaces the file's whole selection (its `select` and `ignore`).
    pub(crate) select: Vec<String>,
    /// `--ignore`: added to the ignores.
    pub(crate) ignore: Vec<String>,
    /// `--deny warnings`.
    pub(crate) deny_warnings: bool,
    pub(crate) exit_zero: bool,
    /// `--smoke`: run the `[services.NAME] smoke` commands.
    pub(crate) run_smoke: bool,
    /// `--smoke-timeout`.
    pub(crate) smoke_timeout: Option<std::time::Duration>,
}

/// Where the configuration comes from.
#[derive(Clone, Debug)]
pub(crate) enum ConfigSource {
    /// `railcheck.toml` in the project root or its nearest ancestor up to the repository root.
    Discover,
    /// `--config FILE`.
    File(PathBuf),
    /// `--isolated`: no file at all.
    Isolated,
}

/// The resolved settings and the file they came from, if any.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) settings: Settings,
    pub(crate) file: Option<PathBuf>,
}

/// Reads the configuration for the project at `root` and lays the flags over it.
pub(crate) fn resolve(root: &Path, source: &ConfigSource, flags: &Flags) -> Result<Resolved> {
    let file = match source {
        ConfigSource::Discover => find(root),
        ConfigSource::File(path) => {
            if !path.is_file() {
                bail!("config file `{}` does not exist", path.display());
            }
            Some(path.clone())
        }
        ConfigSource::Isolated => None,
    };
    let mut settings = match &file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
            let mut settings = parse(&text, &path.display().to_string())?;
            settings.overrides_base = base_of(root, path);
            settings
        }
        None => Settings::default(),
    };
    for selector in flags.select.iter().chain(&flags.ignore) {
        check_selector(selector).map_err(|e| anyhow!("{e}"))?;
    }
    if !flags.select.is_empty() {
        settings.select = flags.select.clone();
        settings.ignore.clear();
    }
    settings.ignore.extend(flags.ignore.iter().cloned());
    if flags.deny_warnings {
        settings.fail_level = Severity::Warning;
    }
    settings.exit_zero |= flags.exit_zero;
    settings.run_smoke = flags.run_smoke;
    if let Some(timeout) = flags.smoke_timeout {
        settings.smoke_timeout = timeout;
    }
    Ok(Resolved { settings, file })
}

/// `railcheck.toml` in `root` or the nearest ancestor, stopping at the repository root
/// (a folder holding `.git`).
pub(crate) fn find(root: &Path) -> Option<PathBuf> {
    let start = root.canonicalize().ok()?;
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The project root relative to the config file's folder, or "" when it is not below it.
pub(crate) fn base_of(root: &Path, config: &Path) -> String {
    let (Ok(root), Some(Ok(dir))) = (root.canonicalize(), config.parent().map(absolute_dir)) else {
        return String::new();
    };
    match root.strip_prefix(&dir) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => crate::source::display_path(Path::new(""), rel),
        Err(_) => String::new(),
    }
}

fn absolute_dir(dir: &Path) -> std::io::Result<PathBuf> {
    if dir.as_os_str().is_empty() {
        Path::new(".").canonicalize()
    } else {
        dir.canonicalize()
    }
}

// ---- railcheck.toml ----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    rules: RulesTable,
    #[serde(default)]
    overrides: Vec<OverrideTable>,
    #[serde(default)]
    secrets: SecretsTable,
    #[serde(default)]
    services: BTreeMap<String, ServiceTable>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesTable {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideTable {
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SecretsTable {
    #[serde(default)]
    build_allowlist: Vec<String>,
    #[serde(default)]
    runtime_only: Vec<String>,
    max_build_variables: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceTable {
    #[serde(default)]
    smoke: Vec<String>,
    root: Option<Spanned<String>>,
    #[serde(default)]
    variables: BTreeMap<String, String>,
}

/// Parses the text of a `railcheck.toml`. Errors read `NAME:line:col: message`.
pub(crate) fn parse(text: &str, name: &str) -> Result<Settings> {
    let at = |span: Option<Range<usize>>, message: &str| {
        let (line, col) = span.clone().map_or((1, 1), |s| line_col(text, s.start));
        let frame = span.map(|s| code_frame(text, s)).unwrap_or_default();
        anyhow!("{name}:{line}:{col}: {message}{frame}")
    };
    let config: FileConfig =
        toml::from_str(text).map_err(|e| at(e.span(), &plain_words(&with_suggestion(e.message().trim_end()))))?;
    let selectors = |list: Vec<Spanned<String>>| -> Result<Vec<String>> {
        list.into_iter()
            .map(|s| {
                check_selector(s.get_ref()).map_err(|e| at(Some(s.span()), &e))?;
                Ok(s.into_inner())
            })
            .collect()
    };
    let mut settings = Settings {
        select: selectors(config.rules.select)?,
        ignore: selectors(config.rules.ignore)?,
        ..Settings::default()
    };
    for (key, level) in config.rules.severity {
        let Some(rule) = rules::find(key.get_ref()) else {
            return Err(at(
                Some(key.span()),
                &format!(
                    "unknown rule `{}`: expected a rule code (RC303) or name{}",
                    key.get_ref(),
                    did_you_mean(key.get_ref())
                ),
            ));
        };
        if settings.severity.insert(rule.meta.code.to_string(), level).is_some() {
            return Err(at(
                Some(key.span()),
                &format!("the severity of {} is set twice (by code and by name)", rule.meta.code),
            ));
        }
    }
    for table in config.overrides {
        if table.paths.is_empty() {
            return Err(at(None, "`[[overrides]]` needs at least one glob in `paths`"));
        }
        let ignore = selectors(table.ignore)?;
        for pattern in table.paths {
            let glob = globset::GlobBuilder::new(pattern.get_ref())
                .literal_separator(true)
                .build()
                .map_err(|e| at(Some(pattern.span()), &format!("invalid glob: {}", e.kind())))?;
            settings.overrides.push((glob.compile_matcher(), ignore.clone()));
        }
    }
    settings.build_allowlist = config.secrets.build_allowlist;
    settings.runtime_only = config.secrets.runtime_only;
    if let Some(max) = config.secrets.max_build_variables {
        settings.max_build_variables = max;
    }
    for (name, table) in config.services {
        let root = match table.root {
            Some(root) => {
                let written = root.get_ref();
                if written.starts_with('/') || crate::facts::shell::join_path("", written).is_none() {
                    return Err(at(
                        Some(root.span()),
                        &format!("`root` must be a folder relative to railcheck.toml's folder, not `{written}`"),
                    ));
                }
                Some(crate::model::normalize_root("", written))
            }
            None => None,
        };
        if !table.smoke.is_empty() {
            settings.smoke.insert(name.clone(), table.smoke);
        }
        if root.is_some() || !table.variables.is_empty() {
            settings.services.insert(
                name,
                ServiceMap {
                    root,
                    variables: table.variables,
                },
            );
        }
    }
    Ok(settings)
}

/// serde's type names in words a user of railcheck.toml knows.
fn plain_words(message: &str) -> String {
    if !message.starts_with("invalid type:") && !message.starts_with("invalid value:") {
        return message.to_string();
    }
    [
        ("expected usize", "expected a whole number (0 or more, without quotes)"),
        ("expected a sequence", "expected a list, such as [\"...\"]"),
        ("expected a string", "expected text in quotes"),
        ("expected a map", "expected a table, such as { NAME = \"value\" }"),
        ("integer `", "the number `"),
        ("string \"", "the text \""),
        ("boolean `", "the boolean `"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// The line of `text` holding `span`, with carets under the span (one line, at most 80
/// characters of carets), to append to an error message.
fn code_frame(text: &str, span: Range<usize>) -> String {
    let (line, col) = line_col(text, span.start);
    let Some(source) = text.lines().nth(line - 1) else {
        return String::new();
    };
    let width = text
        .get(span.clone())
        .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
        .clamp(1, 80);
    let gutter = line.to_string().len();
    format!(
        "\n{:gutter$} |\n{line} | {source}\n{:gutter$} | {}{}",
        "",
        "",
        " ".repeat(col - 1),
        "^".repeat(width)
    )
}

/// serde's "unknown field `slect`, expected one of `select`, ..." (or "unknown variant")
/// with the nearest expected word added: "did you mean `select`?".
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message.to_string();
    };
    let Some((word, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match nearest(word, &candidates).first() {
        Some(near) => format!("{message}: did you mean `{near}`?"),
        None => message.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        format!("{:#}", parse(text, "railcheck.toml").unwrap_err())
    }

    #[test]
    fn full_example_parses() {
        let s = parse(
            r#"
[rules]
select = ["RC1", "RC2"]
ignore = ["RC103"]
[rules.severity]
RC202 = "error"
guide-dialect = "info"
[[overrides]]
paths = ["legacy/**"]
ignore = ["RC202"]
[secrets]
build-allowlist = ["SENTRY_RELEASE"]
runtime-only = ["MY_VENDOR_TOKEN"]
max-build-variables = 12
[services.backend]
smoke = ["python -c 'import app'"]
root = "./"
[services.frontend]
root = "packages/web/"
variables = { NEXT_PUBLIC_API_URL = "https://${{backend.RAILWAY_PUBLIC_DOMAIN}}" }
"#,
            "railcheck.toml",
        )
        .unwrap();
        assert_eq!(s.select, ["RC1", "RC2"]);
        assert_eq!(s.ignore, ["RC103"]);
        assert_eq!(s.severity.get("RC202"), Some(&Severity::Error));
        assert_eq!(s.severity.get("RC204"), Some(&Severity::Info));
        assert_eq!(s.overrides.len(), 1);
        assert!(s.overrides[0].0.is_match("legacy/railpack.json"));
        assert!(!s.overrides[0].0.is_match("app/legacy/railpack.json"));
        assert_eq!(s.build_allowlist, ["SENTRY_RELEASE"]);
        assert_eq!(s.runtime_only, ["MY_VENDOR_TOKEN"]);
        assert_eq!(s.max_build_variables, 12);
        assert_eq!(s.smoke["backend"], ["python -c 'import app'"]);
        assert!(!s.smoke.contains_key("frontend"));
        assert_eq!(s.services["backend"].root.as_deref(), Some(""));
        assert_eq!(s.services["frontend"].root.as_deref(), Some("packages/web"));
        assert_eq!(
            s.services["frontend"].variables["NEXT_PUBLIC_API_URL"],
            "https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"
        );
        let names = s.service_names();
        assert_eq!(names[""], "backend");
        assert_eq!(names["packages/web"], "frontend");
    }

    #[test]
    fn service_roots_are_relative_to_the_config_file() {
        let mut s = parse(
            "[services.api]\nroot = \"apps/api\"\n[services.site]\nroot = \"site\"\n[services.top]\nroot = \"apps\"\n",
            "railcheck.toml",
        )
        .unwrap();
        s.overrides_base = "apps".into();
        let names = s.service_names();
        assert_eq!(names.get("api").map(String::as_str), Some("api"));
        assert_eq!(names.get("").map(String::as_str), Some("top"));
        assert_eq!(names.len(), 2, "`site` is outside the project: {names:?}");
        assert!(err("[services.api]\nroot = \"../elsewhere\"\n").starts_with("railcheck.toml:2:8: `root` must be"));
        assert!(err("[services.api]\nroot = \"/abs\"\n").contains("`root` must be"));
        assert!(err("[services.api]\nvariables = { A = 1 }\n").starts_with("railcheck.toml:2:"));
        assert!(err("[services.api]\nroots = \"x\"\n").contains("unknown field `roots`"));
    }

    #[test]
    fn errors_carry_line_and_column() {
        assert!(err("[rules]\nselct = []\n").starts_with("railcheck.toml:2:1: unknown field `selct`"));
        assert!(err("[rules]\nselct = []\n").contains("did you mean `select`?\n"));
        assert!(
            err("[rules.severity]\nRC202 = \"eror\"\n")
                .contains("did you mean `error`?\n  |\n2 | RC202 = \"eror\"\n  |         ^^^^^^")
        );
        assert!(
            err("[secrets]\nmax-build-variables = \"ten\"\n")
                .contains("invalid type: the text \"ten\", expected a whole number (0 or more, without quotes)")
        );
        assert!(err("[secrets]\nmax-build-variables = \"ten\"\n").starts_with("railcheck.toml:2:23: invalid type"));
        assert!(
            err("[rules]\nselect = [\"RC1\", \"nope\"]\n")
                .starts_with("railcheck.toml:2:18: unknown rule selector `nope`")
        );
        assert!(err("[rules.severity]\nRC999 = \"error\"\n").starts_with("railcheck.toml:2:1: unknown rule `RC999`"));
        assert!(
            err("[rules.severity]\nRC202 = \"fatal\"\n").starts_with("railcheck.toml:2:9: unknown variant `fatal`")
        );
        assert!(err("[[overrides]]\npaths = [\"a/[\"]\n").starts_with("railcheck.toml:2:10: invalid glob"));
        assert!(err("[[overrides]]\nignore = [\"RC202\"]\n").contains("missing field `paths`"));
        assert!(err("[rules.severity]\nRC202 = \"info\"\nignored-key = \"error\"\n").contains("set twice"));
        assert!(err("x = 1 = 2").starts_with("railcheck.toml:1:"));
    }

    #[test]
    fn selectors_are_checked() {
        assert!(check_selector("RC3").is_ok());
        assert!(check_selector("RC9").is_err(), "no RC9xx rule");
        assert!(check_selector("RC720").unwrap_err().contains("`RC702`"));
        assert!(
            check_selector("lockfile-mising")
                .unwrap_err()
                .ends_with("; did you mean `lockfile-missing`?")
        );
        assert!(check_selector("rc202").is_ok());
        assert!(check_selector("all").is_ok());
        assert!(check_selector("ignored-key").is_ok());
        assert!(check_selector("RC").is_err());
        assert!(check_selector("RC1234").is_err());
        assert!(check_selector("ignored_key").is_err());
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
