//! Renderers: each turns the finished list of findings into text. None decides anything.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`): annotations on the diff.
    Github,
}

pub struct Report<'a> {
    pub project: &'a Project,
    pub diagnostics: &'a [Diagnostic],
    /// Findings at or above this level make the project NOT READY.
    pub fail_level: Severity,
    pub color: bool,
    /// The project root relative to the repository root (`/`-separated, "" when the same):
    /// SARIF and GitHub annotations name files relative to the checkout.
    pub base: &'a str,
}

#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

impl Report<'_> {
    pub fn failing<'a>(&self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> bool {
        diagnostics.into_iter().any(|d| d.severity >= self.fail_level)
    }

    pub fn ready(&self) -> bool {
        !self.failing(self.diagnostics)
    }

    /// 1-based line and column of a finding's start and end, or `None` for project findings.
    pub fn position(&self, d: &Diagnostic) -> Option<(String, (usize, usize), (usize, usize))> {
        let file = self.project.file(d.file?);
        Some((
            file.path.clone(),
            file.line_col(d.span.start),
            file.line_col(d.span.end),
        ))
    }

    /// A project-relative path as seen from the repository root.
    pub fn repo_path(&self, path: &str) -> String {
        if self.base.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.base)
        }
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => human::render(self),
            Format::Concise => concise::render(self),
            Format::Json => json::render(self),
            Format::Sarif => sarif::render(self),
            Format::Github => github::render(self),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

pub fn summary_line(counts: Counts, files: usize, services: usize) -> String {
    format!(
        "{}, {}, {} in {} ({})",
        plural(counts.errors, "error"),
        plural(counts.warnings, "warning"),
        plural(counts.infos, "info"),
        plural(files, "file"),
        plural(services, "service"),
    )
}

/// Replaces control characters (ESC above all) with a visible `\u{..}` form, so that text
/// taken from a user's file can never drive the terminal in a plain-text format.
/// Newlines and tabs are kept.
pub fn defang(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}
