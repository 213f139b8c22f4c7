//! Applies inline `railcheck-ignore` comments after the rules and the settings ran: a
//! finding whose first line a suppression targets, and whose rule it names, is dropped.
//! Suppressions that silence nothing are reported (RC120), and those without a reason
//! too (RC121, info); both go through the settings like any finding.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, FileId, RuleMeta};
use crate::model::Project;
use crate::rules::{self, syntax};
use crate::settings::Settings;
use crate::source::FileKind;
use crate::source::suppress::{self, CommentSyntax, Suppression};

/// The comment syntax of a config file kind.
pub(crate) fn syntax_of(kind: FileKind) -> CommentSyntax {
    match kind {
        FileKind::RailwayToml => CommentSyntax::Hash,
        FileKind::Railpack | FileKind::RailwayJson | FileKind::RailwayTs => CommentSyntax::Slashes,
    }
}

/// Does a name written in a suppression (`RC202`, `rc202`, `ignored-key`) mean this rule?
fn names(written: &str, rule: &RuleMeta) -> bool {
    rule.code.eq_ignore_ascii_case(written) || rule.name == written
}

pub(crate) fn apply(project: &Project, settings: &Settings, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut by_file: HashMap<FileId, Vec<Suppression>> = HashMap::new();
    for file in &project.files {
        let found = suppress::scan(&file.text, syntax_of(file.kind));
        if !found.is_empty() {
            by_file.insert(file.id, found);
        }
    }
    if by_file.is_empty() {
        return diagnostics;
    }
    // used[file][suppression][rule]
    let mut used: HashMap<FileId, Vec<Vec<bool>>> = by_file
        .iter()
        .map(|(id, list)| (*id, list.iter().map(|s| vec![false; s.rules.len()]).collect()))
        .collect();
    let mut kept = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let Some(file) = d.file else {
            kept.push(d);
            continue;
        };
        let Some(list) = by_file.get(&file) else {
            kept.push(d);
            continue;
        };
        let line = project.file(file).line_col(d.span.start).0;
        let mut silenced = false;
        for (i, s) in list.iter().enumerate() {
            if s.target_line != line {
                continue;
            }
            for (j, (written, _)) in s.rules.iter().enumerate() {
                if names(written, d.rule) {
                    used.get_mut(&file).expect("same keys")[i][j] = true;
                    silenced = true;
                }
            }
        }
        if !silenced {
            kept.push(d);
        }
    }
    let mut added = Vec::new();
    let all = rules::all();
    for (file, list) in &by_file {
        let path = &project.file(*file).path;
        for (i, s) in list.iter().enumerate() {
            if s.rules.is_empty() {
                added.push(
                    Diagnostic::new(
                        &syntax::unused_suppression::META,
                        *file,
                        s.span.clone(),
                        "this `railcheck-ignore` comment names no rule",
                    )
                    .help("list the codes it silences: `railcheck-ignore RC202: reason`"),
                );
                continue;
            }
            for (j, (written, span)) in s.rules.iter().enumerate() {
                if used[file][i][j] {
                    continue;
                }
                let Some(rule) = all.iter().find(|r| names(written, r.meta)) else {
                    let mut d = Diagnostic::new(
                        &syntax::unused_suppression::META,
                        *file,
                        span.clone(),
                        format!("`railcheck-ignore` names `{written}`, which is no rule"),
                    );
                    if let Some(near) = crate::util::text::closest(written, all.iter().map(|r| r.meta.code)) {
                        d = d.help(format!("did you mean `{near}`?"));
                    }
                    added.push(d);
                    continue;
                };
                // A rule the configuration does not run here silences nothing by design.
                let probe = Diagnostic::new(rule.meta, *file, 0..0, "");
                if settings.apply(vec![probe], |_| Some(path.clone())).is_empty() {
                    continue;
                }
                added.push(
                    Diagnostic::new(
                        &syntax::unused_suppression::META,
                        *file,
                        span.clone(),
                        format!(
                            "unused suppression: no {} finding on line {}",
                            rule.meta.code, s.target_line
                        ),
                    )
                    .help("delete it, or move it onto the finding's line or the line before"),
                );
            }
            if s.reason.is_none() {
                added.push(
                    Diagnostic::new(
                        &syntax::suppression_without_reason::META,
                        *file,
                        s.span.clone(),
                        "this suppression does not say why",
                    )
                    .help("add the reason after a colon: `railcheck-ignore RC202: why this is fine`"),
                );
            }
        }
    }
    kept.extend(settings.apply(added, |d| d.file.map(|f| project.file(f).path.clone())));
    kept
}
