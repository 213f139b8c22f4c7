//! Applies the fixes rules attach to findings (`Diagnostic.fix`) to the files' text, by
//! span: everything outside an edit (comments, formatting, key order) stays byte for byte.
//! Overlapping edits: the first fix (in report order) wins, the rest are skipped. A file
//! whose fixed text no longer parses keeps its original text.

use std::ops::Range;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Edit, FileId};
use crate::model::Project;
use crate::source::{self, FileKind, LoadIssue};

/// One file's text before and after its fixes.
#[derive(Debug)]
pub(crate) struct FixedFile {
    /// Relative to the project root.
    pub(crate) path: String,
    pub(crate) abs_path: PathBuf,
    pub(crate) old: String,
    pub(crate) new: String,
    /// What each applied fix does (`RC202: rename `env` to `variables``), in order.
    pub(crate) applied: Vec<String>,
}

/// What `--fix` would do.
#[derive(Debug, Default)]
pub(crate) struct FixPlan {
    pub(crate) files: Vec<FixedFile>,
    /// Fixes left out: they overlap an earlier one, or their file would not parse after.
    pub(crate) skipped: usize,
}

impl FixPlan {
    pub(crate) fn applied(&self) -> usize {
        self.files.iter().map(|f| f.applied.len()).sum()
    }
}

pub(crate) fn plan(project: &Project, diagnostics: &[Diagnostic]) -> FixPlan {
    let mut plan = FixPlan::default();
    // Accepted edits and descriptions per file, in report order.
    let mut accepted: Vec<(FileId, Vec<Edit>, Vec<String>)> = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        let valid = !fix.edits.is_empty()
            && fix.edits.iter().all(|e| {
                let text = &project.file(e.file).text;
                e.span.start <= e.span.end
                    && e.span.end <= text.len()
                    && text.is_char_boundary(e.span.start)
                    && text.is_char_boundary(e.span.end)
            });
        let overlaps = fix.edits.iter().any(|e| {
            accepted
                .iter()
                .filter(|(f, _, _)| *f == e.file)
                .flat_map(|(_, edits, _)| edits)
                .any(|a| overlap(&a.span, &e.span))
        });
        if !valid || overlaps {
            plan.skipped += 1;
            continue;
        }
        let description = format!("{}: {}", d.rule.code, fix.description);
        for (i, e) in fix.edits.iter().enumerate() {
            let slot = match accepted.iter().position(|(f, _, _)| *f == e.file) {
                Some(slot) => slot,
                None => {
                    accepted.push((e.file, Vec::new(), Vec::new()));
                    accepted.len() - 1
                }
            };
            accepted[slot].1.push(e.clone());
            if i == 0 {
                accepted[slot].2.push(description.clone());
            }
        }
    }
    accepted.sort_by_key(|(f, _, _)| *f);
    for (id, mut edits, applied) in accepted {
        let file = project.file(id);
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut new = file.text.clone();
        for e in &edits {
            new.replace_range(e.span.clone(), &e.replacement);
        }
        if !parses(file.kind, &new) {
            plan.skipped += applied.len();
            continue;
        }
        plan.files.push(FixedFile {
            path: file.path.clone(),
            abs_path: file.abs_path.clone(),
            old: file.text.clone(),
            new,
            applied,
        });
    }
    plan
}

/// Two edits overlap when they share a byte, or both insert at the same place.
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a.start == b.start
}

fn parses(kind: FileKind, text: &str) -> bool {
    let loaded = match kind {
        FileKind::RailwayToml => source::parse_toml(text.to_string(), FileId(0)),
        FileKind::Railpack | FileKind::RailwayJson => source::parse_json(text.to_string(), FileId(0)),
        FileKind::RailwayTs => return crate::iac::read(text).parse_error.is_none(),
    };
    loaded.tree.is_some() && !loaded.issues.iter().any(|i| i.kind == LoadIssue::ParseError)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::rules::schema::ignored_key::META;

    fn project(text: &str) -> Project {
        crate::pipeline::validate_memory(
            std::path::Path::new("/nonexistent"),
            "p",
            vec![("railpack.json".into(), text.as_bytes().to_vec())],
            &crate::settings::Settings::default(),
            &crate::platform::schema::Schemas::compile().unwrap(),
        )
        .project
    }

    #[test]
    fn edits_keep_everything_else_and_overlaps_are_skipped() {
        let text = "{\n  // keep me\n  \"a\": 1,   \"b\": 2\n}\n";
        let p = project(text);
        let at = |s: &str| {
            let i = text.find(s).unwrap();
            i..i + s.len()
        };
        let d = |span: Range<usize>, with: &str| {
            Diagnostic::new(&META, FileId(0), span.clone(), "x").fix(Fix::replace(FileId(0), span, with, "rename"))
        };
        let plan = plan(
            &p,
            &[
                d(at("\"a\""), "\"x\""),
                d(at("\"a\": 1"), "\"y\": 1"),
                d(at("\"b\""), "\"z\""),
            ],
        );
        assert_eq!(plan.skipped, 1);
        assert_eq!(plan.files.len(), 1);
        assert_eq!(plan.files[0].new, "{\n  // keep me\n  \"x\": 1,   \"z\": 2\n}\n");
        assert_eq!(plan.files[0].applied, ["RC202: rename", "RC202: rename"]);
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_not_applied() {
        let text = "{ \"a\": 1 }";
        let p = project(text);
        let d = Diagnostic::new(&META, FileId(0), 2..5, "x").fix(Fix::replace(FileId(0), 2..5, "\"a", "break"));
        let plan = plan(&p, &[d]);
        assert!(plan.files.is_empty());
        assert_eq!(plan.skipped, 1);
    }
}
