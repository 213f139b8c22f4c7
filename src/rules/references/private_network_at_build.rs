//! the private network used where only the build (or a browser) runs.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::Scope;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// `RAILWAY_PRIVATE_DOMAIN` or a `.railway.internal` host used during the build or in client code.
    ///
    /// ## What it checks
    /// The private network (`${{...RAILWAY_PRIVATE_DOMAIN}}` or a `*.railway.internal` host)
    /// in a step's `variables`, in a build step's commands, or in a public-prefixed variable
    /// (`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`) that is inlined into browser code at build.
    ///
    /// ## Why it matters on Railway
    /// Private networking works at run time only, never during the build: a build step that
    /// fetches from `api.railway.internal` fails to resolve the host. A browser is never on
    /// the private network either, so a public-prefixed variable pointing there breaks every
    /// client request.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "http://${{api.RAILWAY_PRIVATE_DOMAIN}}:8000" }
    /// ```
    /// Fix: `"https://${{api.RAILWAY_PUBLIC_DOMAIN}}"` for the browser; keep the private URL in
    /// a server-only variable read at run time.
    code: RC505,
    name: "private-network-at-build",
    severity: Error,
    check: check,
}

fn private(text: &str) -> Option<usize> {
    text.find("RAILWAY_PRIVATE_DOMAIN")
        .or_else(|| text.find(".railway.internal"))
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        for v in &service.variables {
            let Some(value) = v.value_str() else { continue };
            let build_step = v.scope == Scope::BuildVariable;
            let browser = varclass::is_public(&v.name) && v.scope != Scope::Runtime;
            if !(build_step || browser) {
                continue;
            }
            let Some(at) = private(value) else { continue };
            let range = v
                .refs
                .references
                .iter()
                .find(|r| r.variable == "RAILWAY_PRIVATE_DOMAIN")
                .map_or(at..at, |r| r.range.clone());
            let message = if build_step {
                format!(
                    "step variable `{}` uses the private network, which does not exist during the build",
                    v.name
                )
            } else {
                format!(
                    "`{}` is inlined into browser code, which cannot reach the private network",
                    v.name
                )
            };
            out.push(
                Diagnostic::new(&META, v.at.file, v.span_in_value(range), message)
                    .help("use `https://${{service.RAILWAY_PUBLIC_DOMAIN}}` here; keep private URLs in server-side variables read at run time")
                    .service(service.name.clone()),
            );
        }
        for step in &service.steps {
            for command in &step.commands {
                let Some(text) = command.shell_text() else { continue };
                if private(text).is_none() {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &META,
                        command.at.file,
                        command.at.span.clone(),
                        format!("step `{}` reaches the private network during the build, where it does not exist", step.name),
                    )
                    .pointer(command.at.pointer.clone())
                    .help("fetch from the public domain at build time, or move this work to the start command or a pre-deploy command")
                    .service(service.name.clone()),
                );
            }
        }
    }
}
