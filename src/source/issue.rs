//! What loading a file can find wrong, typed: the loader knows no rules; the pipeline
//! turns each issue into the finding of the RC1xx rule that documents it.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, FileId, Label, RuleMeta, Severity};

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

/// One load issue, with everything its finding will say.
#[derive(Clone, Debug)]
pub struct Issue {
    pub kind: LoadIssue,
    /// `None`: the rule's default severity.
    pub severity: Option<Severity>,
    pub file: FileId,
    pub span: Range<usize>,
    pub pointer: Option<String>,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub note: Option<String>,
}

impl Issue {
    pub fn new(kind: LoadIssue, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        Issue {
            kind,
            severity: None,
            file,
            span,
            pointer: None,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            note: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn label(mut self, file: FileId, span: Range<usize>, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// The finding, reported under `rule` (the rule documenting this kind of issue).
    pub fn into_diagnostic(self, rule: &'static RuleMeta) -> Diagnostic {
        let mut d = Diagnostic::new(rule, self.file, self.span, self.message);
        if let Some(severity) = self.severity {
            d = d.severity(severity);
        }
        d.pointer = self.pointer;
        d.labels = self.labels;
        d.help = self.help;
        d.note = self.note;
        d
    }
}

/// One schema violation, already reduced to what the rules need.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaIssue {
    /// Pointer to the value at fault (for `Unexpected`, the object holding the key).
    pub pointer: String,
    pub kind: IssueKind,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// A key the schema does not allow (reported by RC202, not RC201).
    Unexpected(String),
    /// A missing required key.
    Required(String),
    Other,
}
