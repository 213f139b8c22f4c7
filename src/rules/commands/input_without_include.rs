//! a layer input without `include` copies nothing.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Service;
use crate::model::{Input, InputKind, Origin};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A deploy input, or a step input after the first, without `include` copies nothing.
    ///
    /// ## What it checks
    /// Inputs that Railpack reads and that have no `include`: every item of `deploy.inputs` in a
    /// native `railpack.json` or a guide-format service file (Railpack reads its
    /// `deploy.inputs`), and every input of a native step after the first (the first is the
    /// filesystem the step starts from and takes no `include`). `{ "step": "build" }`, the
    /// `"$build"` shortcut, `{ "image": ... }` and `{ "local": true }` are all affected; `"."`
    /// (local, include `.`) and `"..."` are not. The guide's services manifest is read by nobody
    /// and is not checked.
    ///
    /// It is an error when a `deploy.inputs` list brings nothing at all into the image (the app
    /// is certainly missing); a warning for a single input that copies nothing beside others
    /// that do.
    ///
    /// ## Why it matters on Railway
    /// Railpack merges an input layer into the next one by copying only the layer's `include`
    /// paths (railpack buildkit/build_llb/layers.go; domain.md section 1). An input without
    /// `include` contributes nothing: the guide's `"deploy": { "inputs": [{ "step": "build" }] }`
    /// ships an image with the runtime but without the app, and the start command fails with
    /// "Cannot find module" or "No such file". Railpack's providers always write
    /// `include: ["."]` (or a narrower list) for this reason.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "inputs": [{ "step": "build" }], "startCommand": "node dist/index.js" } }
    /// ```
    /// Fix: `"inputs": [{ "step": "build", "include": ["."] }]` (or only what the app needs, such
    /// as `["dist", "node_modules", "package.json"]`), or `"inputs": ["..."]` to keep the
    /// provider's.
    code: RC718,
    name: "input-without-include",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    if !service.commands_run_in_app() {
        return;
    }
    for (origin, inputs) in &service.deploy_inputs {
        if !matches!(origin, Origin::Railpack | Origin::GuideService) {
            continue;
        }
        let empty: Vec<&Input> = inputs.iter().filter(|i| copies_nothing(i)).collect();
        // Nothing else in the list brings files: the image lacks the app.
        let nothing_ships = empty.len() == inputs.len();
        for input in empty {
            let mut d = finding(
                input,
                "this deploy input has no `include`, so it copies nothing into the image",
            );
            if nothing_ships {
                d = d.note("no input of `deploy.inputs` copies anything: the image is shipped without the app");
            } else {
                d = d.severity(Severity::Warning);
            }
            out.push(d);
        }
    }
    for step in service.steps.iter().filter(|s| s.origin == Origin::Railpack) {
        for input in step.inputs.iter().skip(1).filter(|i| copies_nothing(i)) {
            out.push(
                finding(
                    input,
                    &format!(
                        "this input of step `{}` has no `include`, so it copies nothing into the step",
                        step.name
                    ),
                )
                .severity(Severity::Warning),
            );
        }
    }
}

fn copies_nothing(input: &Input) -> bool {
    matches!(input.kind, InputKind::Step(_) | InputKind::Image(_) | InputKind::Local) && input.include.is_empty()
}

fn finding(input: &Input, message: &str) -> Diagnostic {
    let what = match &input.kind {
        InputKind::Step(name) => format!("{{ \"step\": \"{name}\", \"include\": [\".\"] }}"),
        InputKind::Image(image) => format!("{{ \"image\": \"{image}\", \"include\": [\"/path/you/need\"] }}"),
        _ => "{ \"local\": true, \"include\": [\".\"] }".to_string(),
    };
    Diagnostic::new(&META, input.at.file, input.at.span.clone(), message)
        .pointer(input.at.pointer.clone())
        .help(format!(
            "name what to copy: `{what}` (or a narrower list such as `[\"dist\", \"node_modules\"]`)"
        ))
}
