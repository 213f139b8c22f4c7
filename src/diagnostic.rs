//! The finding every stage produces and every renderer consumes.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Index of a file in `Project::files`, which is sorted by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// Where the generated rule pages (`docs/rules/RCnnn.md`) are published: the repository's
/// `docs/rules/` folder on its default branch. The one place to change when the
/// repository moves (Cargo's `repository` is a placeholder today).
pub const RULE_DOCS_BASE: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules/");

/// What a rule is, independent of any finding. Written by `declare_rule!` from the rule's
/// `///` comment: its first line is the summary, the rest the docs.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `RCnnn`. Never reused.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    pub(crate) severity: Severity,
    /// The first line of the rule's doc comment, as rustc hands it over (a leading space).
    pub(crate) doc_summary: &'static str,
    /// The rest of the doc comment, one line each, as rustc hands them over: Markdown in
    /// three parts, `## What it checks`, `## Why it matters on Railway`, `## Example`.
    pub(crate) doc_body: &'static str,
}

impl RuleMeta {
    /// One line for `railcheck rules`.
    pub fn summary(&self) -> &'static str {
        self.doc_summary.trim()
    }

    /// The docs as Markdown (`railcheck explain`, SARIF help, docs/rules).
    pub fn docs(&self) -> String {
        let lines: Vec<&str> = self
            .doc_body
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        lines.join("\n").trim().to_string()
    }
}

impl RuleMeta {
    /// The rule's page: [`RULE_DOCS_BASE`] + `RCnnn.md`.
    pub fn docs_url(&self) -> String {
        format!("{RULE_DOCS_BASE}{}.md", self.code)
    }
}

/// How bad a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    #[serde(alias = "warn")]
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub(crate) rule: &'static RuleMeta,
    pub(crate) severity: Severity,
    /// `None` for a project-level finding that belongs to no file.
    pub(crate) file: Option<FileId>,
    /// Byte range in the file's text. Empty ranges point between two characters.
    pub(crate) span: Range<usize>,
    /// JSON Pointer of the value at fault, when there is one.
    pub(crate) pointer: Option<String>,
    pub(crate) message: String,
    pub(crate) labels: Vec<Label>,
    pub(crate) help: Option<String>,
    pub(crate) note: Option<String>,
    /// The service this finding belongs to. A rule may set the service's name; the
    /// pipeline replaces it with the service's id (`model::Service::id`), which stays
    /// unique when two services share a name.
    pub(crate) service: Option<String>,
    /// The finding is only true if the service's Root Directory is what railcheck took it
    /// to be: the pipeline keeps it as is when the root is known, makes an error a warning
    /// (saying so) when the root is inferred, and drops it when the root is unknown.
    pub(crate) root_dependent: bool,
    /// A certain, mechanical fix (`validate --fix` applies it, `--diff` shows it).
    pub(crate) fix: Option<Fix>,
}

/// One text replacement: `span` (bytes of the file's text as loaded) becomes `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
    pub(crate) replacement: String,
}

/// A fix a rule knows to be safe: edits of the file's text by span (comments and
/// formatting elsewhere stay as they are), with one line saying what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fix {
    pub(crate) description: String,
    pub(crate) edits: Vec<Edit>,
}

impl Fix {
    /// Renames a key written plainly (`"env"` in JSON, `env` in TOML) whose key, quotes
    /// included, spans `key_span` of `text`. `None` for a key written with escapes or
    /// otherwise unusually, which no fix touches.
    pub(crate) fn rename_key(
        file: FileId,
        text: &str,
        key_span: &Range<usize>,
        key: &str,
        new_key: &str,
    ) -> Option<Fix> {
        let raw = text.get(key_span.clone())?;
        let span = if raw == key {
            key_span.clone()
        } else if raw.len() == key.len() + 2 && raw.get(1..raw.len() - 1) == Some(key) && raw.starts_with('"') {
            key_span.start + 1..key_span.end - 1
        } else {
            return None;
        };
        Some(Fix::replace(
            file,
            span,
            new_key,
            format!("rename `{key}` to `{new_key}`"),
        ))
    }

    /// A fix that replaces one span.
    pub(crate) fn replace(
        file: FileId,
        span: Range<usize>,
        replacement: impl Into<String>,
        description: impl Into<String>,
    ) -> Fix {
        Fix {
            description: description.into(),
            edits: vec![Edit {
                file,
                span,
                replacement: replacement.into(),
            }],
        }
    }
}

impl Diagnostic {
    pub(crate) fn new(rule: &'static RuleMeta, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            file: Some(file),
            span,
            pointer: None,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            note: None,
            service: None,
            root_dependent: false,
            fix: None,
        }
    }

    /// A finding about the project as a whole (no file to point at).
    pub(crate) fn project(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            span: 0..0,
            ..Diagnostic::new(rule, FileId(0), 0..0, message)
        }
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub(crate) fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub(crate) fn label(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Marks the finding as depending on the service's Root Directory (see `root_dependent`).
    pub(crate) fn depends_on_root(mut self) -> Self {
        self.root_dependent = true;
        self
    }

    pub(crate) fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub(crate) fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    /// Sort key: file, position, code. Project findings come last.
    pub(crate) fn sort_key(&self) -> (bool, Option<FileId>, usize, usize, &'static str, &str) {
        (
            self.file.is_none(),
            self.file,
            self.span.start,
            self.span.end,
            self.rule.code,
            &self.message,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_renamed_only_when_written_plainly() {
        let text = r#"{"env": 1, "e\u006ev": 2}"#;
        let fix = Fix::rename_key(FileId(0), text, &(1..6), "env", "variables").unwrap();
        assert_eq!(fix.edits[0].span, 2..5);
        assert_eq!(fix.edits[0].replacement, "variables");
        assert_eq!(fix.description, "rename `env` to `variables`");
        assert!(Fix::rename_key(FileId(0), text, &(11..21), "env", "variables").is_none());
        let toml = Fix::rename_key(FileId(0), "env = 1", &(0..3), "env", "variables").unwrap();
        assert_eq!(toml.edits[0].span, 0..3);
    }
}
