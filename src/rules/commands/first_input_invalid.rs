//! a step's first input is not a plain step or image layer.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::InputKind;
use crate::model::Service;
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A step's first input is a local layer or has include/exclude, or its `inputs` is empty.
    ///
    /// ## What it checks
    /// The first item of every step's `inputs`. It must be a step layer (`{ "step": "install" }`,
    /// `"$install"`) or an image layer (`{ "image": "..." }`) without `include` or `exclude`, or
    /// `"..."` (the provider's list). An explicit `"inputs": []` is reported too (a missing
    /// `inputs` or `null` leaves Railpack's default). `deploy.inputs` are not steps and are not
    /// checked. A step of the guide's format never runs (Railpack reads no `build.steps`): a
    /// warning there, with a note.
    ///
    /// ## Why it matters on Railway
    /// The first input is the filesystem a step starts from. Railpack's plan validation
    /// (railpack core/validate.go) refuses a step that starts from a local layer or from a
    /// filtered layer, and a step with `"inputs": []` ("step has no inputs"); the build fails
    /// before any command runs.
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
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for step in &service.steps {
        let never_runs = super::never_runs_note(step.origin);
        let Some(first) = step.inputs.first() else {
            if let Some(d) = empty_inputs(cx, step) {
                let d = match &never_runs {
                    Some(note) => d.severity(Severity::Warning).note(note.clone()),
                    None => d,
                };
                out.push(d);
            }
            continue;
        };
        let problem = match &first.kind {
            InputKind::Local => "a local layer",
            InputKind::Step(_) | InputKind::Image(_) if !first.include.is_empty() || !first.exclude.is_empty() => {
                "a layer with include/exclude"
            }
            _ => continue,
        };
        let mut d = Diagnostic::new(
            &META,
            first.at.file,
            first.at.span.clone(),
            format!("the first input of step `{}` is {problem}", step.name),
        )
        .pointer(first.at.pointer.clone())
        .help("start from a step or an image without include/exclude (for example `{ \"step\": \"packages:mise\" }`), then add this layer after it")
        ;
        if let Some(note) = never_runs {
            d = d.severity(Severity::Warning).note(note);
        }
        out.push(d);
    }
}

/// `"inputs": []` written out (not missing, not `null`): the step has nothing to start from.
fn empty_inputs(cx: &Context<'_>, step: &crate::model::Step) -> Option<Diagnostic> {
    let file = cx.project.file(step.at.file);
    let pointer = format!("{}/inputs", step.at.pointer);
    let node = file.tree.as_ref()?.pointer(&pointer)?;
    if !node.as_array().is_some_and(|items| items.is_empty()) {
        return None;
    }
    let key = file
        .tree
        .as_ref()
        .and_then(|t| t.pointer_member(&pointer))
        .map_or_else(|| node.span.clone(), |m| m.key_span.clone());
    Some(
        Diagnostic::new(
            &META,
            step.at.file,
            key,
            format!("step `{}` has `\"inputs\": []`: Railpack fails the build with \"step has no inputs\"", step.name),
        )
        .pointer(pointer)
        .help("remove `inputs` to keep Railpack's default, or start from a step or image, e.g. `[{ \"step\": \"packages:mise\" }, { \"local\": true, \"include\": [\".\"] }]`"),
    )
}
