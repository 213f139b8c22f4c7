//! a step's first input is not a plain step or image layer.

use crate::diagnostic::Diagnostic;
use crate::model::InputKind;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A step's first input is a local layer or has include/exclude.
    ///
    /// ## What it checks
    /// The first item of every step's `inputs`. It must be a step layer (`{ "step": "install" }`,
    /// `"$install"`) or an image layer (`{ "image": "..." }`) without `include` or `exclude`, or
    /// `"..."` (the provider's list). `deploy.inputs` are not steps and are not checked.
    ///
    /// ## Why it matters on Railway
    /// The first input is the filesystem a step starts from. Railpack refuses a plan whose step
    /// starts from a local layer or from a filtered layer, and the build fails before any command
    /// runs.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "install": {
    ///   "inputs": [{ "local": true, "include": ["."] }],
    ///   "commands": ["pnpm install"]
    /// } } }
    /// ```
    /// Fix: start from the provider's packages, then add the source:
    /// `"inputs": [{ "step": "packages:mise" }, { "local": true, "include": ["."] }]`.
    code: RC710,
    name: "first-input-invalid",
    severity: Error,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        for step in &service.steps {
            let Some(first) = step.inputs.first() else { continue };
            let problem = match &first.kind {
                InputKind::Local => "a local layer",
                InputKind::Step(_) | InputKind::Image(_) if !first.include.is_empty() || !first.exclude.is_empty() => {
                    "a layer with include/exclude"
                }
                _ => continue,
            };
            out.push(
                Diagnostic::new(
                    &META,
                    first.at.file,
                    first.at.span.clone(),
                    format!("the first input of step `{}` is {problem}", step.name),
                )
                .pointer(first.at.pointer.clone())
                .help("start from a step or an image without include/exclude (for example `{ \"step\": \"packages:mise\" }`), then add this layer after it")
                .service(service.name.clone()),
            );
        }
    }
}
