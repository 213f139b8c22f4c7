//! a `NEXT_PUBLIC_*` set only at run time.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::Scope;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// `NEXT_PUBLIC_*`, `VITE_*` or `REACT_APP_*` set only in `deploy.variables`, after the bundle is built.
    ///
    /// ## What it checks
    /// Public-prefixed names (`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`) that a native
    /// `railpack.json` sets only in `deploy.variables`, and nowhere in build scope (a step's
    /// `variables` or `secrets`, or the guide's service variables).
    ///
    /// ## Why it matters on Railway
    /// `deploy.variables` are set in the final image, at run time only. Next.js, Vite and
    /// Create React App inline these names into the client bundle while building; a value that
    /// exists only at run time never reaches client code, which sees `undefined`.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "variables": { "NEXT_PUBLIC_API_URL": "https://api.example.com" } } }
    /// ```
    /// Fix: set it as a service variable in Railway (available to the build and at run time),
    /// or in the build step: `"steps": { "build": { "variables": { "NEXT_PUBLIC_API_URL": "..." } } }`.
    code: RC506,
    name: "build-time-public-var-at-runtime",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for v in &service.variables {
        if v.scope != Scope::Runtime || !varclass::is_public(&v.name) {
            continue;
        }
        if service.variables.iter().any(|o| o.name == v.name && o.scope.is_build()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                v.at.file,
                v.at.key_or_value(),
                format!(
                    "`{}` is set only at run time, after the client bundle was built: the browser never sees it",
                    v.name
                ),
            )
            .pointer(v.at.pointer.clone())
            .help(format!(
                "set `{}` as a service variable in Railway, or in the build step's `variables`",
                v.name
            )),
        );
    }
}
