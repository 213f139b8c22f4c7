//! more build-scope names than the guide's limit.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::Scope;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// More than 10 variables exposed to one service's build.
    ///
    /// ## What it checks
    /// Counts the distinct names a service exposes to its build (names in `secrets` lists and
    /// step `variables`) and warns above the guide's limit of 10 (`[secrets] max-build-variables` in
    /// `railcheck.toml`).
    ///
    /// ## Why it matters on Railway
    /// The guide's BuildKit solver crashes went away when it "reduced build environment
    /// variables from 70+ to <10". Each build secret is a mount in every step that sees it and
    /// part of the cache key of steps that list it; keeping the build's set small keeps builds
    /// stable and cacheable.
    ///
    /// ## Example
    /// ```json
    /// { "secrets": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"] }
    /// ```
    /// Fix: list only what the build reads; everything else stays a runtime service variable.
    code: RC303,
    name: "too-many-build-variables",
    severity: Warning,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let limit = cx.settings.max_build_variables;
    for service in &cx.project.services {
        let mut seen = BTreeSet::new();
        let mut over = None;
        for v in &service.variables {
            if !matches!(v.scope, Scope::BuildSecret | Scope::BuildVariable) {
                continue;
            }
            if seen.insert(v.name.as_str()) && seen.len() == limit + 1 {
                over = Some(v);
            }
        }
        let Some(first_over) = over else { continue };
        out.push(
            Diagnostic::new(
                &META,
                first_over.at.file,
                first_over.at.span.clone(),
                format!(
                    "service `{}` exposes {} variables to its build; the limit is {limit}",
                    service.name,
                    seen.len()
                ),
            )
            .pointer(first_over.at.pointer.clone())
            .help("list only the names the build reads; keep the rest as runtime service variables")
            .note("this is the first name over the limit")
            .service(service.name.clone()),
        );
    }
}
