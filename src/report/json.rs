//! One versioned JSON document. A change to its shape bumps `schema_version`.

use serde::Serialize;

use super::{Counts, Report};
use crate::source::FileKind;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    root: String,
    ready: bool,
    files: Vec<File<'a>>,
    services: Vec<Service<'a>>,
    diagnostics: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    kind: &'static str,
    dialect: &'static str,
}

#[derive(Serialize)]
struct Service<'a> {
    name: &'a str,
    root: &'a str,
    provider: Option<&'a str>,
    ready: bool,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    pointer: Option<&'a str>,
    service: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    services: usize,
}

pub fn render(report: &Report<'_>) -> String {
    let project = report.project;
    let counts = Counts::of(report.diagnostics);
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        root: project.root.display().to_string(),
        ready: report.ready(),
        files: project
            .files
            .iter()
            .map(|f| File {
                path: &f.path,
                kind: match f.kind {
                    FileKind::Railpack => "railpack",
                    FileKind::RailwayJson => "railway-json",
                    FileKind::RailwayToml => "railway-toml",
                },
                dialect: f.dialect.as_str(),
            })
            .collect(),
        services: project
            .services
            .iter()
            .map(|s| {
                let own: Vec<_> = report
                    .diagnostics
                    .iter()
                    .filter(|d| d.service.as_deref() == Some(&s.name))
                    .collect();
                let c = Counts::of(own.iter().copied());
                Service {
                    name: &s.name,
                    root: if s.root.is_empty() { "." } else { &s.root },
                    provider: s.effective_provider().map(|p| p.value.as_str()),
                    ready: !report.failing(own.iter().copied()),
                    errors: c.errors,
                    warnings: c.warnings,
                    infos: c.infos,
                }
            })
            .collect(),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let pos = report.position(d);
                Finding {
                    code: d.rule.code,
                    name: d.rule.name,
                    severity: d.severity.as_str(),
                    file: pos.as_ref().map(|p| p.path.clone()),
                    line: pos.as_ref().map(|p| p.start.0),
                    column: pos.as_ref().map(|p| p.start.1),
                    end_line: pos.as_ref().map(|p| p.end.0),
                    end_column: pos.as_ref().map(|p| p.end.1),
                    pointer: d.pointer.as_deref(),
                    service: d.service.as_deref(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    note: d.note.as_deref(),
                }
            })
            .collect(),
        summary: Summary {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            files: project.files.len(),
            services: project.services.len(),
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).expect("report serializes");
    text.push('\n');
    text
}
