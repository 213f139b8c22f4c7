//! One versioned JSON document. A change to its shape bumps `schema_version`.

use serde::Serialize;

use super::{Counts, Report, ServiceFacts};
use crate::source::FileKind;

pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    root: String,
    ready: bool,
    files: Vec<File<'a>>,
    services: Vec<Service>,
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
struct Service {
    name: String,
    /// Unique per service (its config folder, `.` for the repository root); findings
    /// name it in `service_id`.
    id: String,
    root: String,
    /// `known`, `inferred` or `unknown`; `root_source` says where it is stated or what
    /// it is inferred from.
    root_certainty: &'static str,
    root_source: Vec<String>,
    /// `railpack`, `dockerfile` or `nixpacks`.
    builder: &'static str,
    builder_from: String,
    package_manager: Option<&'static str>,
    package_manager_from: Option<String>,
    /// The provider Railpack uses (`null`: auto-detected) and the file that sets it.
    provider: Option<String>,
    provider_from: Option<String>,
    health_check: Option<HealthCheck>,
    start_command: Option<StartCommand>,
    ready: bool,
    verdict: &'static str,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Where the health check is set; `read_by_railway: false` means it is not applied.
#[derive(Serialize)]
struct HealthCheck {
    path: String,
    file: String,
    read_by_railway: bool,
}

/// Where the start command comes from (never its text, which may hold a credential).
#[derive(Serialize)]
struct StartCommand {
    file: String,
    read: bool,
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
    /// The owning service's `id`: tells apart two services with the same name.
    service_id: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    note: Option<&'a str>,
    /// The rule's page (`docs/rules/RCnnn.md`).
    url: String,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    services: usize,
}

pub(crate) fn render(report: &Report<'_>) -> String {
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
                    FileKind::RailwayTs => "railway-ts",
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
                    .filter(|d| d.service.as_deref() == Some(&s.id))
                    .collect();
                let c = Counts::of(own.iter().copied());
                let facts = ServiceFacts::of(project, s);
                let ready = !report.failing(own.iter().copied());
                Service {
                    health_check: match (facts.health_path, facts.health_from) {
                        (Some(path), Some(file)) => Some(HealthCheck {
                            path,
                            file,
                            read_by_railway: facts.health_read,
                        }),
                        _ => None,
                    },
                    start_command: facts.start_from.map(|file| StartCommand {
                        file,
                        read: facts.start_read,
                    }),
                    name: facts.name,
                    id: facts.id,
                    root: facts.root,
                    root_certainty: facts.root_certainty,
                    root_source: facts.root_source,
                    builder: facts.builder,
                    builder_from: facts.builder_from,
                    package_manager: facts.package_manager,
                    package_manager_from: facts.package_manager_from,
                    provider: facts.provider,
                    provider_from: facts.provider_from,
                    ready,
                    verdict: if ready { "READY" } else { "NOT READY" },
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
                    service: d
                        .service
                        .as_deref()
                        .and_then(|id| project.service_by_id(id))
                        .map(|s| s.name.as_str()),
                    service_id: d.service.as_deref(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    note: d.note.as_deref(),
                    url: d.rule.docs_url(),
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
