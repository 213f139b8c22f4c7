//! Rendering the audit (human, json). Everything printed passes `secrets::redact` as a last
//! safety net.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::util::text::plural;

use crate::facts::secrets;

use super::*;

// ---------------------------------------------------------------------------------------
// Rendering. Everything printed passes `secrets::redact` as a last safety net.

#[derive(Serialize)]
pub(super) struct JsonDocument<'a> {
    schema_version: u32,
    service: Option<&'a str>,
    sources: Vec<JsonSource<'a>>,
    variables: Vec<JsonVariable<'a>>,
    findings: Vec<JsonFinding<'a>>,
    input_problems: &'a [InputProblem],
    summary: JsonSummary,
}

#[derive(Serialize)]
pub(super) struct JsonSource<'a> {
    kind: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
pub(super) struct JsonVariable<'a> {
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
pub(super) struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    variable: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct JsonSummary {
    variables: usize,
    build_visible: usize,
    build_visible_user_set: usize,
    limit: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

pub(crate) const JSON_SCHEMA_VERSION: u32 = 1;

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
    pub(super) fn codes_of(&self, name: &str) -> Vec<&'static str> {
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

    pub(crate) fn render_json(&self) -> String {
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

    pub(crate) fn render_human(&self) -> String {
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
