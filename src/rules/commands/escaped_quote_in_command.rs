//! `\"` inside a string step command.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::declare_rule;

declare_rule! {
    /// `\"` inside a string step command reaches the shell as backslash-quote.
    ///
    /// ## What it checks
    /// String items of a step's `commands` in a `railpack.json` whose JSON text contains `\"`.
    ///
    /// ## Why it matters on Railway
    /// Railpack takes a string command from the raw JSON token with only the surrounding quotes
    /// trimmed: escapes are not decoded. `"echo \"hi\""` reaches `sh` as `echo \"hi\"`, which
    /// prints `"hi"` with the quotes and, in anything more complex (a JSON argument, a quoted path
    /// with spaces), breaks the command.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["node -e \"console.log(1)\""] } } }
    /// ```
    /// Fix: use single quotes inside the command, `"node -e 'console.log(1)'"`, or the object
    /// form `{ "cmd": "node -e \"console.log(1)\"" }`, whose text is decoded.
    code: RC706,
    name: "escaped-quote-in-command",
    severity: Warning,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for service in &project.services {
        for cmd in cmds::service_commands(service) {
            if cmd.form != Form::Shell || cmd.origin.is_railway() {
                continue;
            }
            let file = project.file(cmd.at.file);
            let Some(raw) = file.text.get(cmd.at.span.clone()) else {
                continue;
            };
            let Some(offset) = raw.find("\\\"") else { continue };
            let start = cmd.at.span.start + offset;
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                start..start + 2,
                "`\\\"` reaches the shell as backslash-quote: Railpack does not decode escapes in string commands",
            )
            .pointer(cmd.at.pointer.clone())
            .help("use single quotes inside the command, or the object form `{ \"cmd\": \"...\" }`, whose text is decoded")
            .service(service.name.clone());
            if let Some(note) = cmds::origin_note(&cmd) {
                d = d.note(note);
            }
            out.push(d);
        }
    }
}
