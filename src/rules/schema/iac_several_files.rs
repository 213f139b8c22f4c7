//! More than one `.railway/railway.{ts,py,go}`.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::{FileKind, IAC_OTHER_PATHS};

declare_rule! {
    /// More than one Infrastructure-as-Code file in `.railway/` (`railway.ts`, `.py`, `.go`).
    ///
    /// ## What it checks
    /// A project root whose `.railway/` folder holds `railway.ts` and also `railway.py` or
    /// `railway.go`.
    ///
    /// ## Why it matters on Railway
    /// The Railway CLI looks for exactly one of these files and stops with an error when it
    /// finds more than one: `railway config plan` and `apply` do not run.
    ///
    /// ## Example
    /// `.railway/railway.ts` and `.railway/railway.py` side by side.
    /// Fix: keep one of them and delete the other.
    code: RC211,
    name: "iac-several-files",
    severity: Error,
    check: Project(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(file) = cx.project.files.iter().find(|f| f.kind == FileKind::RailwayTs) else {
        return;
    };
    let others: Vec<&str> = IAC_OTHER_PATHS
        .iter()
        .copied()
        .filter(|p| cx.fs.is_file(&cx.project.abs(p)))
        .collect();
    if others.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            &META,
            file.id,
            0..0,
            format!(
                "`.railway/` holds railway.ts and {}: the Railway CLI refuses to choose",
                others.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            ),
        )
        .help("keep one Infrastructure-as-Code file and delete the others"),
    );
}
