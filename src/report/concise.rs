//! `file:line:col: severity[CODE name] message`, one finding per line.

use std::fmt::Write as _;

use super::{Counts, Report, defang, summary_line};

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let place = match report.position(d) {
            Some(pos) => format!("{}:{}:{}", pos.path, pos.start.0, pos.start.1),
            None => report.project.name.clone(),
        };
        // One line per finding, and nothing a terminal would interpret.
        let message = defang(&d.message).replace('\n', " ");
        let _ = writeln!(
            out,
            "{}: {}[{} {}] {message}",
            defang(&place),
            d.severity.as_str(),
            d.rule.code,
            d.rule.name,
        );
    }
    if report.diagnostics.is_empty() {
        // A clean run says so in one line, rather than printing nothing.
        let project = report.project;
        let _ = writeln!(
            out,
            "{}: READY",
            summary_line(Counts::default(), project.files.len(), project.services.len())
        );
    }
    out
}
