//! an object command that matches no command form.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::StepCommandKind;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::NodeKind;

declare_rule! {
    /// An object in `commands` matching no command form; Railpack runs its raw JSON as a shell command.
    ///
    /// ## What it checks
    /// Objects in a step's `commands` that are none of Railpack's forms: `{ "cmd" }` (exec),
    /// `{ "path" }` (add to PATH), `{ "path", "name" }` (write an asset), `{ "src" }` with an
    /// optional `dest` (copy; without `dest` into the working directory `/app`).
    ///
    /// ## Why it matters on Railway
    /// Railpack does not reject such an object: it runs its raw JSON text as a shell command, so
    /// the step fails with a baffling `sh: 1: {"command":...: not found`. Usually a key is
    /// misspelt (`command`, `run`, `exec` for `cmd`).
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": [{ "command": "npm run build" }] } } }
    /// ```
    /// Fix: `{ "cmd": "npm run build" }`, or just the string `"npm run build"`.
    code: RC715,
    name: "invalid-command-object",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for step in &service.steps {
        for command in step.commands.iter().filter(|c| c.kind == StepCommandKind::Invalid) {
            let file = project.file(command.at.file);
            let Some(node) = file.tree.as_ref().and_then(|t| t.pointer(&command.at.pointer)) else {
                continue;
            };
            let NodeKind::Object(members) = &node.kind else {
                continue;
            };
            let keys: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
            let guess = members.iter().find_map(|m| {
                matches!(m.key.as_str(), "command" | "run" | "exec" | "cmnd" | "script" | "shell")
                    .then(|| format!("`{}` is probably meant as `cmd`; ", m.key))
            });
            out.push(
                Diagnostic::new(
                    &META,
                    command.at.file,
                    command.at.span.clone(),
                    format!(
                        "this command object ({}) matches no command form: Railpack runs its JSON text as a shell command",
                        if keys.is_empty() { "empty".to_string() } else { keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ") }
                    ),
                )
                .pointer(command.at.pointer.clone())
                .help(format!(
                    "{}the forms are `{{\"cmd\"}}`, `{{\"path\"}}`, `{{\"path\", \"name\"}}` and `{{\"src\"}}` (optional `dest`)",
                    guess.unwrap_or_default()
                ))
                ,
            );
        }
    }
}
