//! `RAILWAY_STATIC_URL`, `RAILWAY_SERVICE_*_URL`, `RAILWAY_ENVIRONMENT`.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::varclass;
use crate::model::Service;
use crate::model::{Loc, Scope};
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// A deprecated Railway variable: `RAILWAY_STATIC_URL`, `RAILWAY_SERVICE_*_URL` (warning), `RAILWAY_ENVIRONMENT` (info).
    ///
    /// ## What it checks
    /// Deprecated Railway-provided variables wherever railcheck sees them used: in `${{...}}`
    /// references, in `secrets` lists (which expect Railway to provide the name), and in step
    /// commands and start commands. `RAILWAY_STATIC_URL` and `RAILWAY_SERVICE_<NAME>_URL` are
    /// warnings; `RAILWAY_ENVIRONMENT` is info, since the guide and one Railway guide still use
    /// it.
    ///
    /// ## Why it matters on Railway
    /// `RAILWAY_STATIC_URL` and `RAILWAY_SERVICE_<NAME>_URL` are legacy names replaced by
    /// `RAILWAY_PUBLIC_DOMAIN`; new services may not get them, and code relying on them gets
    /// an empty string. `RAILWAY_ENVIRONMENT` is superseded by `RAILWAY_ENVIRONMENT_NAME`.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "https://${{api.RAILWAY_STATIC_URL}}" }
    /// ```
    /// Fix: `"https://${{api.RAILWAY_PUBLIC_DOMAIN}}"`.
    code: RC507,
    name: "deprecated-railway-variable",
    severity: Warning,
    check: Service(check),
}

fn finding(file: crate::source::FileId, span: Range<usize>, name: &str, service: &str) -> Option<Diagnostic> {
    let (hard, replacement) = varclass::deprecation(name)?;
    let d = Diagnostic::new(
        &META,
        file,
        span,
        format!("`{name}` is a deprecated Railway variable; use `{replacement}`"),
    )
    .help(format!("replace `{name}` with `{replacement}`"))
    .service(service.to_string());
    Some(if hard { d } else { d.severity(Severity::Info) })
}

/// Identifier-like words of `text` with their byte ranges.
fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Deprecated names inside the raw text of a string setting.
fn in_text(file: &SourceFile, at: &Loc, service: &str, out: &mut Vec<Diagnostic>) {
    let raw = file.text.get(at.span.clone()).unwrap_or_default();
    for (range, word) in words(raw) {
        if let Some(d) = finding(
            file.id,
            at.span.start + range.start..at.span.start + range.end,
            word,
            service,
        ) {
            out.push(d.pointer(at.pointer.clone()));
        }
    }
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let name = service.name.as_str();
    for v in &service.variables {
        if v.scope == Scope::BuildSecret
            && let Some(d) = finding(v.at.file, v.at.span.clone(), &v.name, name)
        {
            out.push(d.pointer(v.at.pointer.clone()));
        }
        for r in &v.refs.references {
            if let Some(d) = finding(v.at.file, v.span_in_value(r.range.clone()), &r.variable, name) {
                out.push(d);
            }
        }
    }
    for step in &service.steps {
        for command in &step.commands {
            if command.shell_text().is_some() {
                in_text(project.file(command.at.file), &command.at, name, out);
            }
        }
    }
    for start in &service.start_commands {
        in_text(project.file(start.at.file), &start.at, name, out);
    }
}
