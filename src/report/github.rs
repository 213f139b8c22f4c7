//! GitHub Actions workflow commands, one per finding:
//! `::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=CODE name::message`.
//! GitHub turns them into annotations on the pull request's diff.

use std::fmt::Write as _;

use super::{Counts, Report, defang, summary_line};
use crate::diagnostic::{Diagnostic, Severity};

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        let _ = writeln!(out, "{}", command(report, d));
    }
    // The log ends with the verdict, as the human format does (plain lines are not commands).
    let project = report.project;
    let _ = writeln!(
        out,
        "{}: {}",
        summary_line(
            Counts::of(report.diagnostics),
            project.files.len(),
            project.services.len()
        ),
        if report.ready() { "READY" } else { "NOT READY" }
    );
    out
}

fn command(report: &Report<'_>, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(pos) = report.position(d) {
        let (path, (line, col), (end_line, end_col)) = (pos.path, pos.start, pos.end);
        properties.push(format!("file={}", escape_property(&report.repo_path(&path))));
        properties.push(format!("line={line}"));
        properties.push(format!("endLine={end_line}"));
        properties.push(format!("col={col}"));
        // GitHub's end column is inclusive; ours is the position after the span.
        let end_col = if end_line == line {
            end_col.saturating_sub(1).max(col)
        } else {
            end_col
        };
        properties.push(format!("endColumn={end_col}"));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("{} {}", d.rule.code, d.rule.name))
    ));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {}::{}", properties.join(","), escape_data(&message))
}

/// The message part, escaped as `@actions/core` does (`escapeData`).
pub(crate) fn escape_data(text: &str) -> String {
    let escaped = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    defang(&escaped).into_owned()
}

/// A property value, escaped as `@actions/core` does (`escapeProperty`).
pub(crate) fn escape_property(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(':', "%3A")
        .replace(',', "%2C");
    defang(&escaped).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_core() {
        assert_eq!(escape_data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("dir:a,b/100%\n"), "dir%3Aa%2Cb/100%25%0A");
        assert_eq!(escape_data("\u{1b}[31mred"), "\\u{1b}[31mred");
    }
}
