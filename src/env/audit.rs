//! The audit: each variable classified for what the build can see, findings reusing the
//! rules' codes.

use crate::diagnostic::Severity;
use crate::settings::Settings;

use crate::facts::references;
use crate::facts::secrets;
use crate::facts::varclass::{self, VarClass};
use crate::model::{Origin, Service};
use crate::rules::RuleMeta;
use crate::rules::references::{deprecated_railway_variable, private_network_at_build, reference_syntax};
use crate::rules::secrets::{
    build_secret_not_allowed, hardcoded_secret, runtime_secret_at_build, too_many_build_variables,
};

use super::*;

/// The steps of a service's native `railpack.json`, as far as secrets go.
#[derive(Clone, Debug, Default)]
pub(crate) struct StepSecrets {
    pub(crate) service: String,
    /// `(step, its secrets list)`; `None` when the step mounts every variable.
    pub(crate) steps: Vec<(String, Option<Vec<String>>)>,
}

/// Steps every provider generates; they mount every variable unless railpack.json
/// redefines them with a `secrets` list.
pub(super) const GENERATED_STEPS: &[&str] = &["install", "build"];

impl StepSecrets {
    /// The build steps of a service that Railpack runs: the native railpack.json's steps
    /// (the guide's `build.steps` never run) and the generated ones it does not redefine.
    pub(crate) fn of(service: &Service) -> StepSecrets {
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
pub(crate) struct Finding {
    pub(crate) rule: &'static RuleMeta,
    pub(crate) severity: Severity,
    /// The variable it is about; `None` for the whole set.
    pub(crate) variable: Option<String>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) note: Option<String>,
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
pub(crate) struct Row {
    pub(crate) name: String,
    pub(crate) at: Place,
    pub(crate) overrides: Vec<Place>,
    pub(crate) class: VarClass,
    /// The kind of credential the value looks like (`"OpenAI-style API key"`).
    pub(crate) credential: Option<&'static str>,
    pub(crate) empty: bool,
    pub(crate) references: usize,
    pub(crate) reference_errors: Vec<String>,
    pub(crate) build_visible: bool,
    /// With a service: the steps that mount it and the steps whose `secrets` leave it out.
    pub(crate) mounted_by: Vec<String>,
    pub(crate) restricted_by: Vec<String>,
}

pub(crate) struct Audit {
    pub(crate) sources: Vec<(String, String)>,
    pub(crate) service: Option<String>,
    pub(crate) rows: Vec<Row>,
    pub(crate) findings: Vec<Finding>,
    pub(crate) problems: Vec<InputProblem>,
    pub(crate) limit: usize,
}

impl Audit {
    /// railcheck.toml's rule selection and severity overrides, as `validate` applies them.
    pub(crate) fn apply(&mut self, settings: &Settings) {
        self.findings
            .retain_mut(|f| match settings.reported_severity(f.rule, f.severity) {
                Some(level) => {
                    f.severity = level;
                    true
                }
                None => false,
            });
    }

    pub(crate) fn failing(&self, level: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= level)
    }

    /// Build-visible names that the user sets (Railway's own variables are always there).
    pub(crate) fn build_visible_user_set(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.build_visible && r.class != VarClass::RailwayProvided)
            .count()
    }
}

/// Audits merged variables; `steps` ties the audit to a service's railpack.json.
pub(crate) fn audit(inputs: Inputs, steps: Option<&StepSecrets>, settings: &Settings) -> Audit {
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

pub(super) fn check_variable(
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
            .help("if the build does not read it, keep it out of the steps' `secrets` lists; if it does, add it to `build-allowlist` under `[secrets]` in railcheck.toml")
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

pub(super) fn verb(names: &[String], one: &'static str, many: &'static str) -> &'static str {
    if names.len() == 1 { one } else { many }
}

pub(super) fn join(names: &[String]) -> String {
    names
        .iter()
        .map(|n| match n.strip_suffix(" (generated)") {
            Some(step) => format!("the generated `{step}`"),
            None => format!("`{n}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
