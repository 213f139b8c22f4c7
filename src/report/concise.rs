//! `file:line:col: severity[CODE name] message`, one finding per line.

use std::fmt::Write as _;

use super::Report;

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let place = match report.position(d) {
            Some(pos) => format!("{}:{}:{}", pos.path, pos.start.0, pos.start.1),
            None => report.project.name.clone(),
        };
        let _ = writeln!(
            out,
            "{place}: {}[{} {}] {}",
            d.severity.as_str(),
            d.rule.code,
            d.rule.name,
            d.message
        );
    }
    out
}
