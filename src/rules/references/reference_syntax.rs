//! a malformed `${{ ... }}` reference.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A malformed `${{ ... }}` reference: unclosed, empty, or with characters no name holds.
    ///
    /// ## What it checks
    /// Every variable value for `${{` that is never closed, empty references `${{}}`, a dot
    /// with nothing on one side, more than one dot, and characters no service or variable name
    /// can hold (`${{api.API-URL}}`). Spaces inside the braces are fine.
    ///
    /// ## Why it matters on Railway
    /// Railway resolves only well-formed references; anything else is passed to the app as
    /// literal text, so the app receives `https://${{api.RAILWAY_PUBLIC_DOMAIN` as its API URL
    /// and fails at the first request, long after the deploy looked green.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "https://${{backend.RAILWAY_PUBLIC_DOMAIN}" }
    /// ```
    /// Fix: `"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"`.
    code: RC501,
    name: "reference-syntax",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for v in &service.variables {
        let Some(first) = v.refs.errors.first() else { continue };
        let more = v.refs.errors.len() - 1;
        let mut d = Diagnostic::new(
            &META,
            v.at.file,
            v.span_in_value(first.range.clone()),
            format!("`{}`: {}", v.name, first.describe()),
        )
        .help("write references as `${{service.VARIABLE}}`, `${{shared.VARIABLE}}` or `${{VARIABLE}}`")
        .note("Railway passes a malformed reference to the app as literal text");
        if let Some(pointer) = v.value.as_ref().map(|s| s.at.pointer.clone()) {
            d = d.pointer(pointer);
        }
        if more > 0 {
            d = d.note(format!("{more} more malformed reference(s) in this value"));
        }
        out.push(d);
    }
}
