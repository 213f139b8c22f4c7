//! What loading a file can find wrong, typed: the loader knows no rules; the pipeline
//! turns each issue into the finding of the RC1xx rule that documents it.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, FileId, RuleMeta, Severity};

/// The kinds of load issue, one per RC1xx rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadIssue {
    ParseError,
    DuplicateKey,
    NonPortableJson,
    RootNotObject,
    BadEncoding,
    UnreadableFile,
    /// A key of Railpack's format spelled in another case: read all the same (RC202, info).
    KeyCase,
}

/// Stands in for the rule until `Issue::into_diagnostic` names it: the loader knows no rules.
static UNNAMED: RuleMeta = RuleMeta {
    code: "RC1xx",
    name: "load-issue",
    severity: Severity::Warning,
    doc_summary: "",
    doc_body: "",
};

/// One load issue: its kind, and the finding it becomes, built with `Diagnostic`'s own
/// builder methods (help, note, labels, pointer, fix) and given its rule by the pipeline.
#[derive(Clone, Debug)]
pub struct Issue {
    pub(crate) kind: LoadIssue,
    /// `None`: the rule's default severity.
    pub(crate) severity: Option<Severity>,
    finding: Diagnostic,
}

impl Issue {
    pub(crate) fn new(kind: LoadIssue, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Issue {
            kind,
            severity: None,
            finding: Diagnostic::new(&UNNAMED, file, span, message),
        }
    }

    pub(crate) fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    /// Adds to the finding with `Diagnostic`'s builder: `.with(|d| d.help("..."))`.
    pub(crate) fn with(mut self, build: impl FnOnce(Diagnostic) -> Diagnostic) -> Self {
        self.finding = build(self.finding);
        self
    }

    /// The finding as built so far; its rule is not named yet (see `into_diagnostic`).
    #[cfg(test)]
    pub(crate) fn finding(&self) -> &Diagnostic {
        &self.finding
    }

    /// The finding, reported under `rule` (the rule documenting this kind of issue).
    pub(crate) fn into_diagnostic(self, rule: &'static RuleMeta) -> Diagnostic {
        Diagnostic {
            rule,
            severity: self.severity.unwrap_or(rule.severity),
            ..self.finding
        }
    }
}

/// One schema violation, already reduced to what the rules need.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaIssue {
    /// Pointer to the value at fault (for `Unexpected`, the object holding the key).
    pub(crate) pointer: String,
    pub(crate) kind: IssueKind,
    pub(crate) message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// A key the schema does not allow (reported by RC202, not RC201).
    Unexpected(String),
    /// A missing required key.
    Required(String),
    Other,
}
