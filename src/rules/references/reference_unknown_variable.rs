//! a reference to a variable its service never defines.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::Scope;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A reference to a variable that is neither Railway-provided nor defined by its service.
    ///
    /// ## What it checks
    /// References `${{service.VAR}}` and `${{VAR}}` whose variable is not one Railway provides
    /// (`PORT`, `RAILWAY_PUBLIC_DOMAIN`, `RAILWAY_PRIVATE_DOMAIN`, ...) and not one the target
    /// service lists in its config (the guide's `environment`, `variables`, `secrets`). Only
    /// services whose config lists service variables at all are judged; `shared.*` is not
    /// checked.
    ///
    /// ## Why it matters on Railway
    /// A reference to a variable the target service does not have resolves to an empty
    /// string, silently: a typo such as `RAILWAY_PUBLIC_DOMIAN` gives the app an empty host.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "https://${{backend.RAILWAY_PUBLIC_DOMIAN}}" }
    /// ```
    /// Fix: `"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"`.
    code: RC503,
    name: "reference-unknown-variable",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for v in &service.variables {
        for r in &v.refs.references {
            if r.is_shared() || varclass::is_railway_provided(&r.variable) {
                continue;
            }
            let target = match r.namespace.as_deref() {
                Some(ns) => project.service(ns),
                None => Some(service),
            };
            let Some(target) = target else { continue };
            if !target.variables.iter().any(|t| t.scope == Scope::Service) {
                continue;
            }
            if target.variables.iter().any(|t| t.name == r.variable) {
                continue;
            }
            let mut candidates: Vec<&str> = target.variables.iter().map(|t| t.name.as_str()).collect();
            candidates.extend(varclass::RAILWAY_PROVIDED);
            let help = match crate::util::text::closest(&r.variable, candidates) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("define `{}` on service `{}`, or fix the name", r.variable, target.name),
            };
            out.push(
                Diagnostic::new(
                    &META,
                    v.at.file,
                    v.span_in_value(r.range.clone()),
                    format!(
                        "`{}` references `{}`, which service `{}` does not define and Railway does not provide",
                        v.name, r.variable, target.name
                    ),
                )
                .help(help)
                .note("a reference to a missing variable resolves to an empty string"),
            );
        }
    }
}
