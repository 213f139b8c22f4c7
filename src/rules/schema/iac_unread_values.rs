//! Values of railway.ts that railcheck could not read statically.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// Values in `.railway/railway.ts` that railcheck could not read without running the file.
    ///
    /// ## What it checks
    /// railcheck reads railway.ts statically (no Node): literals, top-level constants, the
    /// `railway/iac` builders, references, spreads. Values computed at evaluation time
    /// (`process.env`, `execSync`, user functions, per-environment conditions) are left
    /// unknown. This reports them once per file, listed, so that you know which settings the
    /// other rules did not check. Never a guess, never an error.
    ///
    /// ## Why it matters on Railway
    /// The Railway CLI evaluates the file with Node at `railway config plan` time; a setting
    /// computed there (a start command from `process.env`) is whatever that machine's
    /// environment says, which neither railcheck nor a reviewer can see in the repository.
    ///
    /// ## Example
    /// ```ts
    /// service("api", { start: process.env.START_CMD })
    /// ```
    /// Fix: nothing is wrong; write the value literally if you want it checked.
    code: RC210,
    name: "iac-unread-values",
    severity: Info,
    check: File(check),
}

/// At most this many values are named in the message.
const MAX_LISTED: usize = 6;

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(iac) = file.iac.as_deref() else { return };
    // A backtick template holding `${{` is RC509's finding, not an unknown value.
    let unknowns: Vec<_> = iac
        .unknowns
        .iter()
        .filter(|u| {
            !iac.templates_with_refs
                .iter()
                .any(|t| u.span.start <= t.start && t.end <= u.span.end)
        })
        .collect();
    let Some(first) = unknowns.first() else { return };
    let mut listed: Vec<String> = unknowns
        .iter()
        .take(MAX_LISTED)
        .map(|u| format!("`{}`", u.what))
        .collect();
    let more = unknowns.len().saturating_sub(MAX_LISTED);
    if more > 0 {
        listed.push(format!("and {more} more"));
    }
    let mut d = Diagnostic::new(
        &META,
        file.id,
        first.span.clone(),
        format!(
            "railcheck could not read {} statically: {}",
            crate::util::text::plural(unknowns.len(), "value"),
            listed.join(", ")
        ),
    )
    .help("these settings are not checked; write them as literals to have them checked");
    for unknown in unknowns.iter().skip(1).take(MAX_LISTED - 1) {
        d = d.label(file.id, unknown.span.clone(), "not read statically");
    }
    out.push(d);
}
