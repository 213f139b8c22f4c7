//! a native top-level `secrets` list limits nothing.

use crate::diagnostic::Diagnostic;
use crate::model::Origin;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A top-level `secrets` list in railpack.json no longer limits what the build sees.
    ///
    /// ## What it checks
    /// A top-level `secrets` array in a native `railpack.json` whose steps have no `secrets` of
    /// their own (once a step has one, the author evidently limits per step).
    ///
    /// ## Why it matters on Railway
    /// Until Railpack PR #460 (2026-07-30) the top-level list replaced the secrets derived from
    /// service variables. Since then the two are merged: on Railway every service variable is a
    /// build secret whatever the list says, and only a step's own `secrets` limits what that
    /// step mounts. A list written to keep API keys out of the build no longer does.
    ///
    /// ## Example
    /// ```json
    /// { "secrets": ["NODE_ENV"], "steps": { "build": { "commands": ["npm run build"] } } }
    /// ```
    /// Fix: move the list into each step: `"steps": { "build": { "secrets": ["NODE_ENV"], ... } }`.
    code: RC306,
    name: "top-level-secrets-no-limit",
    severity: Info,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        // With per-step lists in place the top-level list misleads nobody.
        if service
            .steps
            .iter()
            .any(|s| s.origin == Origin::Railpack && s.secrets.is_some())
        {
            continue;
        }
        for list in &service.secrets_lists {
            if list.origin != Origin::Railpack {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    list.at.file,
                    list.at.key_or_value(),
                    "top-level `secrets` does not limit the build: every service variable is still a build secret",
                )
                .pointer(list.at.pointer.clone())
                .help("to keep names out of a step, give that step its own `secrets` list")
                .note("Railpack merges this list with the service variables since PR #460 (2026-07-30)")
                .service(service.name.clone()),
            );
        }
    }
}
