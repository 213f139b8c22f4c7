//! `${{...}}` inside a backtick template in railway.ts.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// A `${{svc.VAR}}` written inside a backtick template in `.railway/railway.ts`.
    ///
    /// ## What it checks
    /// Template literals (`` `...` ``) in railway.ts that contain `${{`.
    ///
    /// ## Why it matters on Railway
    /// In a backtick template, `${` starts a JavaScript interpolation: `` `https://${{api.X}}` ``
    /// evaluates the object literal `{api.X}` (a syntax error) or, in other shapes, inserts
    /// `[object Object]`. Railway never sees the reference and the variable is wrong.
    ///
    /// ## Example
    /// ```ts
    /// env: { API_URL: `https://${{api.RAILWAY_PUBLIC_DOMAIN}}` }
    /// ```
    /// Fix: a plain string, `"https://${{api.RAILWAY_PUBLIC_DOMAIN}}"`, or a typed reference
    /// `api.env.RAILWAY_PUBLIC_DOMAIN` for a whole value.
    code: RC509,
    name: "iac-template-reference",
    severity: Error,
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(iac) = file.iac.as_deref() else { return };
    for span in &iac.templates_with_refs {
        out.push(
            Diagnostic::new(
                &META,
                file.id,
                span.clone(),
                "`${{` inside a backtick template: JavaScript interpolates it, Railway never sees the reference",
            )
            .help("use a \"...\" string for `${{svc.VAR}}` (or `svc.env.VAR` for a whole value)"),
        );
    }
}
