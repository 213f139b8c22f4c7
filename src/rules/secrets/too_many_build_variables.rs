//! more build-scope names than the guide's limit.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::{Scope, Service};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// Policy: more than 10 variables listed for one service's build.
    ///
    /// ## What it checks
    /// Counts the distinct names a service lists for its build (names in `secrets` lists and
    /// step `variables`) and reports above the guide's limit of 10 (`[secrets]
    /// max-build-variables` in `railcheck.toml`). This is the guide's **policy**, reported as
    /// info.
    ///
    /// ## Why it matters on Railway
    /// The guide's BuildKit solver crashes went away when it "reduced build environment
    /// variables from 70+ to <10". What the build receives, though, is not what the lists say:
    /// on Railway every service variable becomes a plan secret (railpack core/core.go) and is
    /// mounted into every build command of every step whatever a `secrets` list says (railpack
    /// buildkit/build_llb/build_graph.go 263-270; a step's list only decides which secrets
    /// invalidate its cache). Listing or unlisting a name changes nothing about what the build
    /// can read. To give the build fewer variables, define fewer variables on the service
    /// (shared values the build never reads belong to the services that use them), or build
    /// with a Dockerfile, where only declared `ARG`s reach the build.
    ///
    /// ## Example
    /// ```json
    /// { "secrets": ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"] }
    /// ```
    /// Fix: list only what the build reads, and keep the service's own variables to what it
    /// needs.
    code: RC303,
    name: "too-many-build-variables",
    severity: Info,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let limit = cx.settings.max_build_variables;
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
    let Some(first_over) = over else { return };
    out.push(
        Diagnostic::new(
            &META,
            first_over.at.file,
            first_over.at.span.clone(),
            format!(
                "service `{}` lists {} variables for its build; the guide's policy is at most {limit}",
                service.name,
                seen.len()
            ),
        )
        .pointer(first_over.at.pointer.clone())
        .help(format!(
            "list only the names the build reads; {}",
            super::KEEP_OUT_OF_BUILD
        ))
        .note(format!(
            "this is the first name over the limit; {}",
            super::LIST_LIMITS_NOTHING
        )),
    );
}
