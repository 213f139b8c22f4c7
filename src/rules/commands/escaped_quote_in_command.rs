//! `\"` inside a string step command.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// `\"` inside a string step command reaches the shell as backslash-quote.
    ///
    /// ## What it checks
    /// String items of a step's `commands` in a `railpack.json` whose JSON text contains `\"`.
    ///
    /// ## Why it matters on Railway
    /// Railpack takes a string command from the raw JSON token with only the surrounding quotes
    /// trimmed: escapes are not decoded (railpack core/plan/command.go, UnmarshalStringCommand).
    /// `"echo \"hi\""` reaches `sh` as `echo \"hi\"`, which prints `"hi"` with the quotes and,
    /// in anything more complex (a JSON argument, a quoted path with spaces), breaks the command.
    /// Single quotes are no way out: Railpack wraps the text in `sh -c '...'` without escaping,
    /// so a single quote inside it ends Railpack's own quoting (RC716).
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["node -e \"console.log(1)\""] } } }
    /// ```
    /// Fix: the object form `{ "cmd": "node -e \"console.log(1)\"" }`, whose text is decoded
    /// and split into words without a shell, or a script file (`"node scripts/build.js"`,
    /// `"sh ./scripts/build.sh"`).
    code: RC706,
    name: "escaped-quote-in-command",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
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
        .help("use the object form `{ \"cmd\": \"...\" }`, whose text is decoded, or move the line into a script file; single quotes are no way out (RC716)")
        ;
        d = cmds::never_runs(d, &cmd);
        out.push(d);
    }
}
