//! a native step that mounts every service variable.

use crate::diagnostic::Diagnostic;
use crate::model::Origin;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A native step without `secrets` mounts every service variable, despite a secrets list elsewhere.
    ///
    /// ## What it checks
    /// Steps of a native `railpack.json` that have no `secrets` key, in a service whose config
    /// shows it means to limit the build's secrets (a top-level `secrets` list, or the guide's
    /// `build.secrets`) while no step has a list of its own: the author relies on the top-level
    /// list. Once some step has its own list, unrestricted steps are taken as deliberate. Services that never try to limit secrets are left alone. A guide-format
    /// `build.secrets` list with no native step that limits its secrets is reported too: Railpack
    /// never reads it, so the steps it generates mount every service variable.
    ///
    /// ## Why it matters on Railway
    /// On Railway every service variable becomes a build secret, and a step mounts all of them
    /// unless its own `secrets` lists fewer. Since Railpack PR #460 (2026-07-30) a top-level
    /// `secrets` list is merged with the service variables instead of replacing them, so it no
    /// longer limits anything: only per-step lists do. A step without one sees every API key.
    ///
    /// ## Example
    /// ```json
    /// { "secrets": ["NODE_ENV"], "steps": { "build": { "commands": ["npm run build"] } } }
    /// ```
    /// Fix: `"steps": { "build": { "commands": ["npm run build"], "secrets": ["NODE_ENV"] } }`
    /// (or `"secrets": []` for a step that needs none).
    code: RC305,
    name: "step-secrets-unrestricted",
    severity: Warning,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        let Some(list) = service.secrets_lists.first() else {
            continue;
        };
        let native_steps: Vec<_> = service.steps.iter().filter(|s| s.origin == Origin::Railpack).collect();
        // An author who already restricts some steps knows how it works: an unrestricted
        // step is then a choice (Railpack's own `secrets` example has one), not a trap.
        let relies_on_top_level = native_steps.iter().all(|s| s.secrets.is_none());
        for step in native_steps.iter().filter(|_| relies_on_top_level) {
            if step.secrets.is_some() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    step.at.file,
                    step.at.key_or_value(),
                    format!("step `{}` has no `secrets` list, so it mounts every service variable", step.name),
                )
                .pointer(step.at.pointer.clone())
                .label(list.at.file, list.at.key_or_value(), "this list does not limit the step")
                .help(format!(
                    "add `\"secrets\": [...]` to step `{}` with only the names it reads, or `\"secrets\": []`",
                    step.name
                ))
                .note("since Railpack PR #460 a top-level `secrets` list is merged with the service variables; only a step's own list limits it")
                .service(service.name.clone()),
            );
        }
        if !native_steps.is_empty() {
            continue;
        }
        for guide in service
            .secrets_lists
            .iter()
            .filter(|l| matches!(l.origin, Origin::Manifest | Origin::GuideService))
        {
            out.push(
                Diagnostic::new(
                    &META,
                    guide.at.file,
                    guide.at.key_or_value(),
                    format!(
                        "Railpack never reads this `build.secrets`: every build step of `{}` mounts every service variable, API keys included",
                        service.name
                    ),
                )
                .pointer(guide.at.pointer.clone())
                .help("in a native railpack.json, give each step its own `\"secrets\": [...]` with only the names it reads")
                .service(service.name.clone()),
            );
        }
    }
}
