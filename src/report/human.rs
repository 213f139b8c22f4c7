//! The terminal report: findings grouped by service, each with a code frame and help,
//! then a verdict per service and one summary line.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use colored::Colorize;

use super::{Counts, Report, ServiceFacts, summary_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Service;

pub(crate) fn render(report: &Report<'_>) -> String {
    let renderer = if report.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let texts: Vec<_> = report.project.files.iter().map(|f| f.display_text()).collect();
    let mut out = String::new();
    let project = report.project;

    let mut sections: Vec<(Option<&Service>, Vec<&Diagnostic>)> = project
        .services
        .iter()
        .map(|s| {
            (
                Some(s),
                report
                    .diagnostics
                    .iter()
                    .filter(|d| d.service.as_deref() == Some(&s.id))
                    .collect(),
            )
        })
        .collect();
    let unowned: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.service.as_ref().is_none_or(|id| project.service_by_id(id).is_none()))
        .collect();
    if !unowned.is_empty() {
        sections.push((None, unowned));
    }

    for (service, findings) in &sections {
        let header = match service {
            Some(s) => service_header(s, report),
            None => format!("project {}", project.name),
        };
        if !report.quiet {
            let _ = writeln!(out, "{}", paint(&format!("── {header}"), report.color, |s| s.bold()));
        }
        for d in findings {
            out.push_str(&renderer.render(&[group(d, report, &texts)]));
            out.push_str("\n\n");
        }
        if report.quiet {
            continue;
        }
        if let Some(s) = service {
            let ready = !report.failing(findings.iter().copied());
            let counts = Counts::of(findings.iter().copied());
            let verdict = verdict(ready, report.color);
            let _ = writeln!(
                out,
                "{} {verdict} ({})\n",
                ServiceFacts::label(project, s),
                counts.describe()
            );
        } else {
            out.push('\n');
        }
    }

    let counts = Counts::of(report.diagnostics);
    let _ = writeln!(
        out,
        "{}",
        summary_line(counts, project.files.len(), project.services.len())
    );
    let _ = writeln!(out, "{}", verdict(report.ready(), report.color));
    out
}

fn service_header(s: &Service, report: &Report<'_>) -> String {
    let facts = ServiceFacts::of(report.project, s);
    let provider = match (&facts.provider, &facts.provider_from) {
        (Some(p), Some(from)) => format!("provider {p} from {from}"),
        _ => "provider auto-detected".to_string(),
    };
    let health = match (&facts.health_path, &facts.health_from) {
        (Some(p), Some(from)) if facts.health_read => format!("health {p} from {from}"),
        (Some(p), Some(from)) if facts.health_retired => format!("health {p} in {from}, not read after 2026-12-01"),
        (Some(p), Some(from)) => format!("health {p} in {from}, not read by Railway"),
        _ => "no health check".to_string(),
    };
    let start = match &facts.start_from {
        Some(from) if facts.start_read => format!("start command from {from}"),
        Some(from) => format!("start command in {from}, not read"),
        None => "start command auto-detected".to_string(),
    };
    // The root as railcheck knows it; the plain `root .` for a config at the repository root.
    let mut root = match facts.root_certainty {
        "unknown" => "root unknown".to_string(),
        "known" if facts.id == "." && facts.root == "." => "root .".to_string(),
        certainty => format!("root {}, {certainty}", facts.root),
    };
    if facts.id != facts.root && facts.id != "." {
        root = format!("config in {}; {root}", facts.id);
    }
    let builder = if facts.builder == "railpack" {
        String::new()
    } else {
        format!("; builds with {}", facts.builder)
    };
    format!(
        "service {} ({root}{builder}; {provider}; {health}; {start})",
        facts.label
    )
}

fn verdict(ready: bool, color: bool) -> String {
    if ready {
        paint("READY", color, |s| s.green().bold())
    } else {
        paint("NOT READY", color, |s| s.red().bold())
    }
}

fn paint(text: &str, color: bool, style: impl Fn(&str) -> colored::ColoredString) -> String {
    if color {
        style(text).to_string()
    } else {
        text.to_string()
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

fn group<'a>(d: &'a Diagnostic, report: &'a Report<'_>, texts: &'a [std::borrow::Cow<'_, str>]) -> Group<'a> {
    let id = format!("{} {}", d.rule.code, d.rule.name);
    let title = level(d.severity).primary_title(d.message.as_str()).id(id);
    let mut group = Group::with_title(title);
    if let Some(file_id) = d.file {
        let file = report.project.file(file_id);
        let text: &str = &texts[file_id.0];
        let mut snippet = Snippet::source(text).path(file.path.as_str()).line_start(1).fold(true);
        snippet = snippet.annotation(AnnotationKind::Primary.span(clamp(text, d.span.clone())));
        let mut others = Vec::new();
        for label in &d.labels {
            if label.file == file_id {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(clamp(text, label.span.clone()))
                        .label(label.message.as_str()),
                );
            } else {
                others.push(label);
            }
        }
        group = group.element(snippet);
        for label in others {
            let other = report.project.file(label.file);
            let other_text: &str = &texts[label.file.0];
            group = group.element(
                Snippet::source(other_text)
                    .path(other.path.as_str())
                    .line_start(1)
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(clamp(other_text, label.span.clone()))
                            .label(label.message.as_str()),
                    ),
            );
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    if let Some(note) = &d.note {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    group
}

/// Keeps a span inside the text and on character boundaries, whatever a rule computed.
fn clamp(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}
