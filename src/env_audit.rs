//! `railcheck env`: audits a service's variables (from dotenv files, the JSON that
//! `railway variables --json` prints, or this process's environment) for what the build
//! can see. Replaces the guide's `filter_build_vars.sh`.
//!
//! Names are classified by [`crate::varclass`], values by [`crate::secrets`] (credential
//! shape) and [`crate::references`] (`${{...}}`). **No value, nor any part of one, is
//! ever put into a row, a finding or a problem**: everything printed is a name, a file
//! name, a line number, or text written here.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use crate::config::Settings;
use crate::diagnostic::Severity;
use crate::dotenv;
use crate::model::{Origin, Service};
use crate::references;
use crate::rules::RuleMeta;
use crate::rules::references::{deprecated_railway_variable, private_network_at_build, reference_syntax};
use crate::rules::secrets::{
    build_secret_not_allowed, hardcoded_secret, runtime_secret_at_build, too_many_build_variables,
};
use crate::secrets;
use crate::varclass::{self, VarClass};

/// Inputs larger than this are refused (the same bound as config files).
const MAX_INPUT_BYTES: u64 = 10 * 1024 * 1024;

/// Where variables come from, in command-line order (later sources win).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceSpec {
    Dotenv(PathBuf),
    RailwayJson(PathBuf),
    Environment,
}

impl SourceSpec {
    fn kind(&self) -> &'static str {
        match self {
            SourceSpec::Dotenv(_) => "dotenv",
            SourceSpec::RailwayJson(_) => "railway-json",
            SourceSpec::Environment => "environment",
        }
    }

    fn label(&self) -> String {
        match self {
            SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) if p.as_os_str() == "-" => "<stdin>".to_string(),
            SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) => p.display().to_string(),
            SourceSpec::Environment => "environment".to_string(),
        }
    }
}

/// Where one assignment was read: a source and, for dotenv files, a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub source: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.source),
            None => f.write_str(&self.source),
        }
    }
}

/// A variable after merging the sources. `value` never leaves this module.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub name: String,
    value: String,
    pub at: Place,
    /// Earlier assignments of the same name that this one overrides.
    pub overrides: Vec<Place>,
}

/// Something in an input that is not a variable: reported, never fatal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputProblem {
    #[serde(flatten)]
    pub at: Place,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Inputs {
    pub sources: Vec<(String, String)>,
    pub variables: Vec<Loaded>,
    pub problems: Vec<InputProblem>,
}

/// Reads every source in order; a later assignment of a name overrides an earlier one.
/// Fails (a usage error) only when a file cannot be read or is not the expected shape.
pub fn load(specs: &[SourceSpec]) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for spec in specs {
        let label = spec.label();
        inputs.sources.push((spec.kind().to_string(), label.clone()));
        let assignments: Vec<(String, String, Option<usize>)> = match spec {
            SourceSpec::Dotenv(path) => {
                let text = read_input(path)?;
                let parsed = dotenv::parse(&text);
                inputs
                    .problems
                    .extend(parsed.problems.into_iter().map(|p| InputProblem {
                        at: Place {
                            source: label.clone(),
                            line: Some(p.line),
                        },
                        message: p.message,
                    }));
                if parsed.omitted_problems > 0 {
                    inputs.problems.push(InputProblem {
                        at: Place {
                            source: label.clone(),
                            line: None,
                        },
                        message: format!("{} more problems not listed", parsed.omitted_problems),
                    });
                }
                parsed
                    .entries
                    .into_iter()
                    .map(|e| (e.name, e.value, Some(e.line)))
                    .collect()
            }
            SourceSpec::RailwayJson(path) => {
                let text = read_input(path)?;
                railway_json(&text, &label, &mut inputs.problems)?
                    .into_iter()
                    .map(|(n, v)| (n, v, None))
                    .collect()
            }
            SourceSpec::Environment => {
                let mut vars = Vec::new();
                for (name, value) in std::env::vars_os() {
                    match (name.into_string(), value.into_string()) {
                        (Ok(name), Ok(value)) => vars.push((name, value, None)),
                        (name, _) => inputs.problems.push(InputProblem {
                            at: Place {
                                source: label.clone(),
                                line: None,
                            },
                            message: match name {
                                Ok(name) => format!("`{name}` has a value that is not UTF-8; skipped"),
                                Err(_) => "a variable whose name is not UTF-8 was skipped".to_string(),
                            },
                        }),
                    }
                }
                vars.sort_by(|a, b| a.0.cmp(&b.0));
                vars
            }
        };
        for (name, value, line) in assignments {
            let at = Place {
                source: label.clone(),
                line,
            };
            match by_name.get(&name) {
                Some(&i) => {
                    let var = &mut inputs.variables[i];
                    let previous = std::mem::replace(&mut var.at, at);
                    var.overrides.push(previous);
                    var.value = value;
                }
                None => {
                    by_name.insert(name.clone(), inputs.variables.len());
                    inputs.variables.push(Loaded {
                        name,
                        value,
                        at,
                        overrides: Vec::new(),
                    });
                }
            }
        }
    }
    inputs.variables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(inputs)
}

/// A file, or standard input for `-`, bounded in size and decoded as UTF-8.
fn read_input(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        if !path.is_file() {
            bail!("`{}` is not a readable file", path.display());
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read `{}`", path.display()))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!("`{}` is over the 10 MiB limit", path.display());
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The flat `{"NAME": "value"}` object `railway variables --json` prints. Numbers and
/// booleans are taken as their JSON text; nested values and nulls are skipped.
fn railway_json(text: &str, label: &str, problems: &mut Vec<InputProblem>) -> Result<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        // serde_json's message for an untyped parse names the problem, not the text.
        anyhow::anyhow!("`{label}` is not valid JSON (line {}, column {})", e.line(), e.column())
    })?;
    let serde_json::Value::Object(object) = value else {
        bail!("`{label}` is not the JSON object `railway variables --json` prints (a flat object of name -> string)");
    };
    let mut out = Vec::new();
    for (name, value) in object {
        let value = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            other => {
                let kind = match other {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                };
                problems.push(InputProblem {
                    at: Place {
                        source: label.to_string(),
                        line: None,
                    },
                    message: format!("`{name}` is {kind}, not a string; skipped"),
                });
                continue;
            }
        };
        out.push((name, value));
    }
    Ok(out)
}

/// The steps of a service's native `railpack.json`, as far as secrets go.
#[derive(Clone, Debug, Default)]
pub struct StepSecrets {
    pub service: String,
    /// `(step, its secrets list)`; `None` when the step mounts every variable.
    pub steps: Vec<(String, Option<Vec<String>>)>,
}

/// Steps every provider generates; they mount every variable unless railpack.json
/// redefines them with a `secrets` list.
const GENERATED_STEPS: &[&str] = &["install", "build"];

impl StepSecrets {
    /// The build steps of a service that Railpack runs: the native railpack.json's steps
    /// (the guide's `build.steps` never run) and the generated ones it does not redefine.
    pub fn of(service: &Service) -> StepSecrets {
        let mut steps: Vec<(String, Option<Vec<String>>)> = service
            .steps
            .iter()
            .filter(|s| s.origin == Origin::Railpack)
            .map(|s| {
                let list = s.secrets.as_ref().map(|_| {
                    service
                        .variables
                        .iter()
                        .filter(|v| v.origin == Origin::Railpack && v.step.as_deref() == Some(s.name.as_str()))
                        .filter(|v| v.scope == crate::model::Scope::BuildSecret)
                        .map(|v| v.name.clone())
                        .collect()
                });
                (s.name.clone(), list)
            })
            .collect();
        for generated in GENERATED_STEPS {
            if !steps.iter().any(|(name, _)| name == generated) {
                steps.push((format!("{generated} (generated)"), None));
            }
        }
        StepSecrets {
            service: service.name.clone(),
            steps,
        }
    }

    /// (steps that mount `name`, steps whose `secrets` list leaves it out).
    fn visibility(&self, name: &str) -> (Vec<String>, Vec<String>) {
        let mut mounting = Vec::new();
        let mut restricting = Vec::new();
        for (step, list) in &self.steps {
            match list {
                Some(list) if !list.iter().any(|n| n == name || n == "*") => restricting.push(step.clone()),
                _ => mounting.push(step.clone()),
            }
        }
        (mounting, restricting)
    }
}

/// One finding of the audit, with a reused rule's code and name.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// The variable it is about; `None` for the whole set.
    pub variable: Option<String>,
    pub message: String,
    pub help: Option<String>,
    pub note: Option<String>,
}

impl Finding {
    fn new(rule: &'static RuleMeta, variable: Option<&str>, message: String) -> Finding {
        Finding {
            rule,
            severity: rule.severity,
            variable: variable.map(str::to_string),
            message,
            help: None,
            note: None,
        }
    }

    fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// What the audit says about one variable. Holds no part of its value.
#[derive(Clone, Debug)]
pub struct Row {
    pub name: String,
    pub at: Place,
    pub overrides: Vec<Place>,
    pub class: VarClass,
    /// The kind of credential the value looks like (`"OpenAI-style API key"`).
    pub credential: Option<&'static str>,
    pub empty: bool,
    pub references: usize,
    pub reference_errors: Vec<String>,
    pub build_visible: bool,
    /// With a service: the steps that mount it and the steps whose `secrets` leave it out.
    pub mounted_by: Vec<String>,
    pub restricted_by: Vec<String>,
}

pub struct Audit {
    pub sources: Vec<(String, String)>,
    pub service: Option<String>,
    pub rows: Vec<Row>,
    pub findings: Vec<Finding>,
    pub problems: Vec<InputProblem>,
    pub limit: usize,
}

impl Audit {
    /// railcheck.toml's rule selection and severity overrides, as `validate` applies them.
    pub fn apply(&mut self, settings: &Settings) {
        self.findings.retain(|f| settings.rule_enabled(f.rule));
        for f in &mut self.findings {
            if let Some(level) = settings
                .severity
                .get(f.rule.code)
                .or_else(|| settings.severity.get(f.rule.name))
            {
                f.severity = *level;
            }
        }
    }

    pub fn failing(&self, level: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= level)
    }

    /// Build-visible names that the user sets (Railway's own variables are always there).
    pub fn build_visible_user_set(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.build_visible && r.class != VarClass::RailwayProvided)
            .count()
    }
}

/// Audits merged variables; `steps` ties the audit to a service's railpack.json.
pub fn audit(inputs: Inputs, steps: Option<&StepSecrets>, settings: &Settings) -> Audit {
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for var in &inputs.variables {
        let class = varclass::classify_with(&var.name, settings);
        let credential = (!var.value.is_empty())
            .then(|| secrets::classify_value(Some(&var.name), &var.value))
            .flatten();
        let parsed = references::parse(&var.value);
        let (mounted_by, restricted_by) = steps.map(|s| s.visibility(&var.name)).unwrap_or_default();
        let build_visible = steps.is_none() || !mounted_by.is_empty();
        let row = Row {
            name: var.name.clone(),
            at: var.at.clone(),
            overrides: var.overrides.clone(),
            class,
            credential,
            empty: var.value.is_empty(),
            references: parsed.references.len(),
            reference_errors: parsed.errors.iter().map(|e| e.describe()).collect(),
            build_visible,
            mounted_by,
            restricted_by,
        };
        check_variable(&row, var, &parsed, steps, &mut findings);
        rows.push(row);
    }
    let mut audit = Audit {
        sources: inputs.sources,
        service: steps.map(|s| s.service.clone()),
        rows,
        findings,
        problems: inputs.problems,
        limit: settings.max_build_variables,
    };
    let visible = audit.build_visible_user_set();
    if visible > audit.limit {
        audit.findings.push(
            Finding::new(
                &too_many_build_variables::META,
                None,
                format!(
                    "{visible} variables you set are visible to the build; the guide's limit is {}",
                    audit.limit
                ),
            )
            .help("keep runtime-only variables out of the build: give each step in railpack.json a `secrets` list naming only what it reads")
            .note("Railway's own variables (PORT, RAILWAY_*) are not counted: you cannot remove them"),
        );
    }
    audit
}

fn check_variable(
    row: &Row,
    var: &Loaded,
    parsed: &references::Parsed,
    steps: Option<&StepSecrets>,
    out: &mut Vec<Finding>,
) {
    let name = row.name.as_str();
    let why_visible = || {
        match steps {
        None => "on Railway every service variable is a build secret, mounted into every build step that has no `secrets` list of its own".to_string(),
        Some(s) => {
            let lists_it = |step: &String| {
                s.steps
                    .iter()
                    .any(|(name, list)| name == step && list.as_ref().is_some_and(|l| l.contains(&row.name)))
            };
            let (listing, unrestricted): (Vec<String>, Vec<String>) =
                row.mounted_by.iter().cloned().partition(|step| lists_it(step));
            let mut parts = Vec::new();
            if !unrestricted.is_empty() {
                parts.push(format!(
                    "{} {} no `secrets` list, so {} every service variable",
                    join(&unrestricted),
                    if unrestricted.len() == 1 { "has" } else { "have" },
                    if unrestricted.len() == 1 { "it mounts" } else { "they mount" }
                ));
            }
            if !listing.is_empty() {
                parts.push(format!("{} {} it in `secrets`", join(&listing), verb(&listing, "lists", "list")));
            }
            if !row.restricted_by.is_empty() {
                parts.push(format!(
                    "{} {} secrets and {} it out",
                    join(&row.restricted_by),
                    verb(&row.restricted_by, "restricts its", "restrict their"),
                    verb(&row.restricted_by, "leaves", "leave")
                ));
            }
            format!("in `{}`'s railpack.json: {}", s.service, parts.join("; "))
        }
    }
    };
    let fix = match steps {
        None => {
            "give each build step in railpack.json a `secrets` list without it (`\"secrets\": []` when a step needs none); `--service NAME` checks the steps"
        }
        Some(_) => {
            "add a `secrets` list without it to each step that mounts it (`\"secrets\": []` when a step needs none); the running app still gets it"
        }
    };
    let secret_class = row.class == VarClass::RuntimeSecret;
    let value_secret = row.credential.is_some() && row.class == VarClass::Other;
    if row.build_visible && (secret_class || value_secret) {
        let what = if secret_class {
            format!("runtime secret `{name}` is visible to the build")
        } else {
            format!(
                "`{name}` holds what looks like a {} and is visible to the build",
                row.credential.unwrap_or("credential")
            )
        };
        out.push(
            Finding::new(&runtime_secret_at_build::META, Some(name), what)
                .help(fix)
                .note(why_visible()),
        );
    } else if row.build_visible && row.class == VarClass::Other {
        out.push(
            Finding::new(
                &build_secret_not_allowed::META,
                Some(name),
                format!("`{name}` is visible to the build but not on the build allowlist"),
            )
            .severity(Severity::Info)
            .help("if the build does not read it, keep it out of the steps' `secrets` lists; if it does, add it to `build_allowlist` in railcheck.toml")
            .note(why_visible()),
        );
    }
    if let Some(kind) = row.credential
        && varclass::is_public(name)
    {
        out.push(
            Finding::new(
                &hardcoded_secret::META,
                Some(name),
                format!("public variable `{name}` holds what looks like a {kind}"),
            )
            .help("public-prefixed variables are inlined into the browser bundle: rotate the credential and keep it in a server-only variable")
            .note("the value is not shown"),
        );
    }
    if !parsed.references.is_empty() && !varclass::is_public(name) {
        let mut literal = var.value.clone();
        for r in &parsed.references {
            literal.replace_range(r.range.clone(), &" ".repeat(r.range.len()));
        }
        if let Some((_, kind)) = secrets::find_in(&literal).into_iter().next() {
            out.push(
                Finding::new(
                    &hardcoded_secret::META,
                    Some(name),
                    format!("`{name}` mixes a `${{{{...}}}}` reference with a literal {kind}"),
                )
                .help("reference the credential too (for a database: `${{Postgres.PGPASSWORD}}`, or the whole `${{Postgres.DATABASE_URL}}`), so a rotation reaches this variable")
                .note("the value is not shown"),
            );
        }
    }
    if let Some(first) = row.reference_errors.first() {
        let more = match row.reference_errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        out.push(
            Finding::new(
                &reference_syntax::META,
                Some(name),
                format!("`{name}`: {first}{more}"),
            )
            .help("write references as `${{service.VARIABLE}}`, `${{shared.VARIABLE}}` or `${{VARIABLE}}`; Railway passes anything else on as literal text"),
        );
    }
    if varclass::is_public(name)
        && (var.value.contains(".railway.internal")
            || parsed.references.iter().any(|r| r.variable == "RAILWAY_PRIVATE_DOMAIN"))
    {
        out.push(
            Finding::new(
                &private_network_at_build::META,
                Some(name),
                format!("public variable `{name}` points at Railway's private network"),
            )
            .help("browsers and builds cannot reach `*.railway.internal`; use the target's public domain: `https://${{api.RAILWAY_PUBLIC_DOMAIN}}`"),
        );
    }
    let deprecated = varclass::deprecation(name).map(|d| (d, "is")).or_else(|| {
        parsed
            .references
            .iter()
            .find_map(|r| varclass::deprecation(&r.variable))
            .map(|d| (d, "references"))
    });
    if let Some(((hard, replacement), how)) = deprecated {
        let (severity, old) = if hard {
            (Severity::Warning, "a deprecated Railway variable")
        } else {
            (Severity::Info, "an old Railway variable name")
        };
        out.push(
            Finding::new(
                &deprecated_railway_variable::META,
                Some(name),
                format!("`{name}` {how} {old}"),
            )
            .severity(severity)
            .help(format!("use `{replacement}`")),
        );
    }
}

fn verb(names: &[String], one: &'static str, many: &'static str) -> &'static str {
    if names.len() == 1 { one } else { many }
}

fn join(names: &[String]) -> String {
    names
        .iter()
        .map(|n| match n.strip_suffix(" (generated)") {
            Some(step) => format!("the generated `{step}`"),
            None => format!("`{n}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------
// Rendering. Everything printed passes `secrets::redact` as a last safety net.

#[derive(Serialize)]
struct JsonDocument<'a> {
    schema_version: u32,
    service: Option<&'a str>,
    sources: Vec<JsonSource<'a>>,
    variables: Vec<JsonVariable<'a>>,
    findings: Vec<JsonFinding<'a>>,
    input_problems: &'a [InputProblem],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    kind: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct JsonVariable<'a> {
    name: &'a str,
    source: &'a str,
    line: Option<usize>,
    overrides: Vec<String>,
    class: &'static str,
    credential: Option<&'static str>,
    empty: bool,
    references: usize,
    reference_errors: &'a [String],
    build_visible: bool,
    mounted_by: &'a [String],
    restricted_by: &'a [String],
    findings: Vec<&'static str>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    variable: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    variables: usize,
    build_visible: usize,
    build_visible_user_set: usize,
    limit: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub const JSON_SCHEMA_VERSION: u32 = 1;

impl Audit {
    /// Codes of the findings about each variable, sorted and deduplicated.
    fn codes_by_variable(&self) -> BTreeMap<&str, Vec<&'static str>> {
        let mut codes: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
        for f in &self.findings {
            if let Some(name) = &f.variable {
                codes.entry(name).or_default().push(f.rule.code);
            }
        }
        for list in codes.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        codes
    }

    #[cfg(test)]
    fn codes_of(&self, name: &str) -> Vec<&'static str> {
        self.codes_by_variable().remove(name).unwrap_or_default()
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    fn summary(&self) -> JsonSummary {
        JsonSummary {
            variables: self.rows.len(),
            build_visible: self.rows.iter().filter(|r| r.build_visible).count(),
            build_visible_user_set: self.build_visible_user_set(),
            limit: self.limit,
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
            infos: self.count(Severity::Info),
        }
    }

    /// Findings in a stable order: severity (worst first), then variable, then code.
    fn sorted_findings(&self) -> Vec<&Finding> {
        let mut findings: Vec<&Finding> = self.findings.iter().collect();
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.variable.is_none().cmp(&b.variable.is_none()))
                .then_with(|| a.variable.cmp(&b.variable))
                .then_with(|| a.rule.code.cmp(b.rule.code))
        });
        findings
    }

    pub fn render_json(&self) -> String {
        let codes = self.codes_by_variable();
        let doc = JsonDocument {
            schema_version: JSON_SCHEMA_VERSION,
            service: self.service.as_deref(),
            sources: self
                .sources
                .iter()
                .map(|(kind, path)| JsonSource { kind, path })
                .collect(),
            variables: self
                .rows
                .iter()
                .map(|r| JsonVariable {
                    name: &r.name,
                    source: &r.at.source,
                    line: r.at.line,
                    overrides: r.overrides.iter().map(ToString::to_string).collect(),
                    class: r.class.as_str(),
                    credential: r.credential,
                    empty: r.empty,
                    references: r.references,
                    reference_errors: &r.reference_errors,
                    build_visible: r.build_visible,
                    mounted_by: &r.mounted_by,
                    restricted_by: &r.restricted_by,
                    findings: codes.get(r.name.as_str()).cloned().unwrap_or_default(),
                })
                .collect(),
            findings: self
                .sorted_findings()
                .into_iter()
                .map(|f| JsonFinding {
                    code: f.rule.code,
                    name: f.rule.name,
                    severity: f.severity.as_str(),
                    variable: f.variable.as_deref(),
                    message: &f.message,
                    help: f.help.as_deref(),
                    note: f.note.as_deref(),
                })
                .collect(),
            input_problems: &self.problems,
            summary: self.summary(),
        };
        let text = serde_json::to_string_pretty(&doc).expect("the document serializes");
        secrets::redact(&(text + "\n"))
    }

    pub fn render_human(&self) -> String {
        let mut out = String::new();
        let sources: Vec<_> = self.sources.iter().map(|(_, label)| label.as_str()).collect();
        out.push_str(&format!(
            "railcheck env: {} from {}",
            plural(self.rows.len(), "variable"),
            sources.join(", ")
        ));
        if let Some(service) = &self.service {
            out.push_str(&format!(
                " (service `{service}`: its railpack.json steps are taken into account)"
            ));
        }
        out.push_str("\n\n");
        if !self.rows.is_empty() {
            let header = ["NAME", "SOURCE", "CLASS", "CREDENTIAL", "BUILD", "FINDINGS"];
            let codes_by_variable = self.codes_by_variable();
            let cells: Vec<[String; 6]> = self
                .rows
                .iter()
                .map(|r| {
                    let mut source = r.at.to_string();
                    if !r.overrides.is_empty() {
                        source.push_str(&format!(" (+{})", r.overrides.len()));
                    }
                    let credential = match (r.credential, r.empty) {
                        (Some(_), _) => "yes",
                        (None, true) => "empty",
                        (None, false) => "-",
                    };
                    let build = match (r.build_visible, r.restricted_by.is_empty()) {
                        (true, true) => "yes",
                        (true, false) => "some steps",
                        (false, _) => "no",
                    };
                    let codes = codes_by_variable.get(r.name.as_str()).cloned().unwrap_or_default();
                    [
                        r.name.clone(),
                        source,
                        r.class.as_str().to_string(),
                        credential.to_string(),
                        build.to_string(),
                        if codes.is_empty() {
                            "-".to_string()
                        } else {
                            codes.join(",")
                        },
                    ]
                })
                .collect();
            let mut widths = header.map(str::len);
            for row in &cells {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let mut text = String::new();
                for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                    if i + 1 == cells.len() {
                        text.push_str(cell);
                    } else {
                        text.push_str(&format!("{cell:<w$}  "));
                    }
                }
                text.trim_end().to_string() + "\n"
            };
            out.push_str(&line(&header.map(str::to_string)));
            for row in &cells {
                out.push_str(&line(row));
            }
            out.push('\n');
        }
        // A help or note shown once is not repeated for the next variable.
        let mut said: Vec<&str> = Vec::new();
        for f in self.sorted_findings() {
            out.push_str(&format!(
                "{}[{} {}]: {}\n",
                f.severity.as_str(),
                f.rule.code,
                f.rule.name,
                f.message
            ));
            for (label, text) in [("note", &f.note), ("help", &f.help)] {
                let Some(text) = text.as_deref() else { continue };
                if !said.contains(&text) {
                    said.push(text);
                    out.push_str(&format!("  {label}: {text}\n"));
                }
            }
        }
        if !self.findings.is_empty() {
            out.push('\n');
        }
        for p in &self.problems {
            out.push_str(&format!("input: {}: {}\n", p.at, p.message));
        }
        if !self.problems.is_empty() {
            out.push('\n');
        }
        let s = self.summary();
        out.push_str(&format!(
            "{} visible to the build ({} set by you, limit {}); {}, {}, {}\n",
            plural(s.build_visible, "variable"),
            s.build_visible_user_set,
            s.limit,
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info")
        ));
        secrets::redact(&out)
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(vars: &[(&str, &str)]) -> Inputs {
        Inputs {
            sources: vec![("dotenv".into(), ".env".into())],
            variables: vars
                .iter()
                .enumerate()
                .map(|(i, (n, v))| Loaded {
                    name: n.to_string(),
                    value: v.to_string(),
                    at: Place {
                        source: ".env".into(),
                        line: Some(i + 1),
                    },
                    overrides: Vec::new(),
                })
                .collect(),
            problems: Vec::new(),
        }
    }

    fn codes(audit: &Audit, name: &str) -> Vec<&'static str> {
        audit.codes_of(name)
    }

    #[test]
    fn classifies_and_flags_without_a_service() {
        let audit = audit(
            inputs(&[
                ("OPENAI_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwx"),
                ("LOG_LEVEL", "debug"),
                ("NEXT_PUBLIC_API_URL", "https://${{api.RAILWAY_PUBLIC_DOMAIN}}"),
                ("PORT", "8080"),
                ("RAILPACK_NODE_VERSION", "22"),
                ("WEIRD", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            ]),
            None,
            &Settings::default(),
        );
        assert_eq!(codes(&audit, "OPENAI_API_KEY"), vec!["RC302"]);
        assert_eq!(codes(&audit, "LOG_LEVEL"), vec!["RC301"]);
        assert!(codes(&audit, "NEXT_PUBLIC_API_URL").is_empty());
        assert!(codes(&audit, "PORT").is_empty());
        assert!(codes(&audit, "RAILPACK_NODE_VERSION").is_empty());
        assert_eq!(codes(&audit, "WEIRD"), vec!["RC302"]);
        assert!(audit.rows.iter().all(|r| r.build_visible));
        // The build-variable allowlist is the guide's policy: a warning at most.
        assert!(audit.failing(Severity::Warning) && !audit.failing(Severity::Error));
        let row = audit.rows.iter().find(|r| r.name == "NEXT_PUBLIC_API_URL").unwrap();
        assert_eq!(row.references, 1);
        assert_eq!(row.class, VarClass::BuildNeeded);
    }

    #[test]
    fn steps_restrict_what_the_build_sees() {
        let steps = StepSecrets {
            service: "api".into(),
            steps: vec![
                ("install".into(), Some(vec![])),
                ("build".into(), Some(vec!["NEXT_PUBLIC_X".into()])),
                ("migrate".into(), None),
            ],
        };
        let a = audit(
            inputs(&[
                ("DATABASE_URL", "postgres://u:${{PGPASSWORD}}@h/db"),
                ("NEXT_PUBLIC_X", "1"),
            ]),
            Some(&steps),
            &Settings::default(),
        );
        let db = a.rows.iter().find(|r| r.name == "DATABASE_URL").unwrap();
        assert!(db.build_visible);
        assert_eq!(db.mounted_by, vec!["migrate"]);
        assert_eq!(db.restricted_by, vec!["install", "build"]);
        let finding = a.findings.iter().find(|f| f.rule.code == "RC302").unwrap();
        assert!(finding.note.as_deref().unwrap().contains("`install`, `build` restrict"));

        let strict = StepSecrets {
            service: "api".into(),
            steps: vec![("install".into(), Some(vec![])), ("build".into(), Some(vec![]))],
        };
        let a = audit(inputs(&[("DATABASE_URL", "x")]), Some(&strict), &Settings::default());
        assert!(!a.rows[0].build_visible);
        assert!(a.findings.is_empty());
    }

    #[test]
    fn too_many_counts_only_user_set_names() {
        let mut vars: Vec<(String, String)> = (0..11).map(|i| (format!("FLAG_{i}"), "1".to_string())).collect();
        vars.push(("RAILWAY_PROJECT_ID".into(), "x".into()));
        let refs: Vec<(&str, &str)> = vars.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let a = audit(inputs(&refs), None, &Settings::default());
        let f = a.findings.iter().find(|f| f.rule.code == "RC303").unwrap();
        assert!(f.message.starts_with("11 variables"), "{}", f.message);
        let a = audit(inputs(&refs[1..]), None, &Settings::default());
        assert!(!a.findings.iter().any(|f| f.rule.code == "RC303"));
    }

    #[test]
    fn references_literal_credentials_and_private_network() {
        let a = audit(
            inputs(&[
                (
                    "DATABASE_URL",
                    "postgresql://postgres:Xy7pQ2rLm9@${{Postgres.RAILWAY_PRIVATE_DOMAIN}}:5432/db",
                ),
                ("NEXT_PUBLIC_API", "http://${{api.RAILWAY_PRIVATE_DOMAIN}}:8000"),
                ("BROKEN", "${{api.PORT"),
                ("OLD", "${{web.RAILWAY_STATIC_URL}}"),
                ("NEXT_PUBLIC_STRIPE", "sk_live_abcdefghijklmnopqrstu"),
            ]),
            None,
            &Settings::default(),
        );
        assert_eq!(codes(&a, "DATABASE_URL"), vec!["RC302", "RC304"]);
        assert_eq!(codes(&a, "NEXT_PUBLIC_API"), vec!["RC505"]);
        assert_eq!(codes(&a, "BROKEN"), vec!["RC301", "RC501"]);
        assert_eq!(codes(&a, "OLD"), vec!["RC301", "RC507"]);
        assert_eq!(codes(&a, "NEXT_PUBLIC_STRIPE"), vec!["RC304"]);
    }

    #[test]
    fn later_sources_win_and_remember_where() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "A=1\nB=2\n").unwrap();
        let json = dir.path().join("vars.json");
        std::fs::write(&json, r#"{"B": "3", "C": 4, "D": null}"#).unwrap();
        let loaded = load(&[SourceSpec::Dotenv(env.clone()), SourceSpec::RailwayJson(json.clone())]).unwrap();
        let names: Vec<_> = loaded.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["A", "B", "C"]);
        let b = &loaded.variables[1];
        assert_eq!(b.at.source, json.display().to_string());
        assert_eq!(b.overrides[0].line, Some(2));
        assert_eq!(b.value, "3");
        assert_eq!(loaded.variables[2].value, "4");
        assert_eq!(loaded.problems.len(), 1);
        assert!(loaded.problems[0].message.contains("`D` is null"));
    }

    #[test]
    fn problems_are_capped_per_source() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "junk\n".repeat(60) + "A=1\n").unwrap();
        let loaded = load(&[SourceSpec::Dotenv(env)]).unwrap();
        assert_eq!(loaded.problems.len(), dotenv::MAX_PROBLEMS + 1);
        assert_eq!(loaded.problems.last().unwrap().message, "10 more problems not listed");
        assert_eq!(loaded.variables.len(), 1);
    }

    #[test]
    fn bad_inputs_are_usage_errors_without_content() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("vars.json");
        std::fs::write(&json, "[\"sk-proj-abcdefghijklmnopqrst\"]").unwrap();
        let err = load(&[SourceSpec::RailwayJson(json.clone())]).unwrap_err();
        assert!(err.to_string().contains("flat object"), "{err}");
        std::fs::write(&json, "{\"A\": \"sk-proj-abcdefghij").unwrap();
        let err = format!("{:#}", load(&[SourceSpec::RailwayJson(json)]).unwrap_err());
        assert!(err.contains("not valid JSON") && !err.contains("abcde"), "{err}");
        assert!(load(&[SourceSpec::Dotenv(dir.path().join("missing"))]).is_err());
    }
}
