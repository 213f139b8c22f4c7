//! a local include that climbs out of the build context.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::join_path;
use crate::model::{Input, InputKind, Service};
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A local input's include uses `..` to leave the build context.
    ///
    /// ## What it checks
    /// `include` paths of local inputs (`{ "local": true, ... }`) in steps and in `deploy.inputs`,
    /// after resolving `.` and `..` against the build context. An `exclude` that climbs out is
    /// not reported: it matches nothing, which is harmless (domain.md section 1, "Layer forms").
    ///
    /// ## Why it matters on Railway
    /// The build context is the service's Root Directory; nothing above it is sent to the
    /// builder. `../../run_server.py` never reaches the image, so the deploy starts without the
    /// file (or the build fails on a missing path). The guide's project tried exactly this.
    ///
    /// ## Example
    /// Service root `services/backend`:
    /// ```json
    /// { "deploy": { "inputs": [{ "local": true, "include": ["../../run_server.py"] }] } }
    /// ```
    /// Fix: set the service's Root Directory to the folder that holds everything it needs (here
    /// the repository root) and include `run_server.py`.
    code: RC711,
    name: "input-outside-context",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let steps = service.steps.iter().flat_map(|s| s.inputs.iter());
    let deploy = service.deploy_inputs.iter().flat_map(|(_, l)| l.iter());
    for input in steps.chain(deploy).filter(|i: &&Input| i.kind == InputKind::Local) {
        // An exclude outside the context matches nothing: harmless, so not reported.
        for path in &input.include {
            let value = path.value.trim_start_matches('!');
            if value.starts_with('/') || join_path("", value).is_some() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    path.at.file,
                    path.at.span.clone(),
                    format!("`{}` climbs out of the build context", path.value),
                )
                .pointer(path.at.pointer.clone())
                .help(format!(
                    "the build context is the service root `{}`; nothing above it reaches the builder. Set the \
                     Root Directory to a folder that contains this path",
                    if service.root.is_empty() { "." } else { &service.root }
                )),
            );
        }
    }
}
