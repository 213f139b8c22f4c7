//! `validate --statistics`: how many findings each rule has, most first (like ruff's).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) count: usize,
    /// How many of them `--fix` would fix.
    pub(crate) fixable: usize,
}

/// One row per rule that has findings: by count (descending), then code.
pub(crate) fn rows(diagnostics: &[Diagnostic]) -> Vec<Row> {
    let mut by_code: BTreeMap<&'static str, Row> = BTreeMap::new();
    for d in diagnostics {
        let row = by_code.entry(d.rule.code).or_insert(Row {
            code: d.rule.code,
            name: d.rule.name,
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        row.fixable += usize::from(d.fix.is_some());
    }
    let mut rows: Vec<Row> = by_code.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    rows
}

/// `  3  RC202  ignored-key  [2 fixable]`, one line per rule, then the total.
pub(crate) fn render_text(diagnostics: &[Diagnostic]) -> String {
    let rows = rows(diagnostics);
    let width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for r in &rows {
        let line = format!("{:>width$}  {}  {:<name_width$}", r.count, r.code, r.name);
        let line = if r.fixable > 0 {
            format!("{line}  [{} fixable]", r.fixable)
        } else {
            line.trim_end().to_string()
        };
        text.push_str(&line);
        text.push('\n');
    }
    let fixable: usize = rows.iter().map(|r| r.fixable).sum();
    text.push_str(&format!(
        "{} finding{} in {} rule{}{}\n",
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" },
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if fixable > 0 {
            format!(" ({fixable} fixable with `railcheck validate --fix`)")
        } else {
            String::new()
        }
    ));
    text
}

/// The rows as a JSON array.
pub(crate) fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut text = serde_json::to_string_pretty(&rows(diagnostics)).expect("statistics serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{FileId, Fix};

    #[test]
    fn counts_per_rule_most_first() {
        let a = &crate::rules::schema::ignored_key::META;
        let b = &crate::rules::syntax::non_portable_json::META;
        let d = |m| Diagnostic::new(m, FileId(0), 0..0, "x");
        let diagnostics = vec![d(b), d(a), d(a).fix(Fix::replace(FileId(0), 0..0, "", "x"))];
        assert_eq!(
            render_text(&diagnostics),
            "2  RC202  ignored-key        [1 fixable]\n1  RC103  non-portable-json\n3 findings in 2 rules (1 fixable with `railcheck validate --fix`)\n"
        );
        assert_eq!(render_text(&[]), "0 findings in 0 rules\n");
    }
}
