//! bash syntax in a command that `sh` runs.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::declare_rule;

declare_rule! {
    /// Bash-only syntax (`[[ ]]`, `source`, arrays, `&>`, ...) in a command run by `sh`.
    ///
    /// ## What it checks
    /// String step commands, `build.buildCommand` and start commands for constructs POSIX `sh`
    /// does not have: `[[ ... ]]`, `source`, `function f`, arrays (`a=(x y)`, `${a[0]}`), `&>`,
    /// `|&`, `<<<`, `$'...'`, process substitution `<(...)`, `==` in `[ ]`, `pushd`/`popd`,
    /// `declare`, `shopt`. Text inside quotes (for example `bash -c '...'`) is not checked.
    ///
    /// ## Why it matters on Railway
    /// Railpack runs each command as `sh -c '<command>'`, and `sh` on its Debian images is dash.
    /// Dash stops with "[[: not found", "source: not found" or "Syntax error: redirection
    /// unexpected", so the build (or the start) fails although the same line works in a bash
    /// terminal. The guide's project hit this.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "source .venv/bin/activate && python main.py" } }
    /// ```
    /// Fix: use the POSIX form (`. .venv/bin/activate && python main.py`), or run the line with
    /// bash explicitly: `bash -c 'source .venv/bin/activate && python main.py'`.
    code: RC705,
    name: "bash-only-syntax",
    severity: Error,
    check: check,
}

/// The POSIX way to write a construct.
fn instead(what: &str) -> &'static str {
    match what {
        "[[" => "use `[ ... ]` (with `=` and quoted variables), or `bash -c '...'`",
        "source" => "use `.` (`. ./file`)",
        "function" => "write `name() { ...; }`",
        "name=(...)" | "${name[...]}" => "sh has no arrays: use a space-separated string or `set --`",
        "&>" => "write `> file 2>&1`",
        "|&" => "write `2>&1 |`",
        "<<<" => "pipe instead: `printf '%s\\n' \"$x\" | cmd`",
        "$'...'" => "use `printf` to produce special characters",
        "<(...)" | ">(...)" => "write to a temporary file first",
        "==" => "use `=` inside `[ ]`",
        "pushd" | "popd" => "use `cd` (in a subshell: `(cd dir && cmd)`)",
        _ => "rewrite it in POSIX sh, or run it with `bash -c '...'`",
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for service in &project.services {
        if !cmds::railpack_builds(project, service) {
            continue;
        }
        for cmd in cmds::service_commands(service) {
            if cmd.form == Form::Exec {
                continue;
            }
            let script = cmds::parse(&cmd);
            let Some(first) = script.bashisms.first() else { continue };
            let others = script.bashisms.len() - 1;
            let mut message = format!("`{}` is bash syntax; Railpack runs this with `sh`", first.what);
            if others > 0 {
                message.push_str(&format!(
                    " (and {others} more bash construct{})",
                    if others == 1 { "" } else { "s" }
                ));
            }
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                cmds::span_in(project, cmd.at, cmd.text, first.span.clone()),
                message,
            )
            .pointer(cmd.at.pointer.clone())
            .help(instead(first.what))
            .service(service.name.clone());
            if let Some(note) = cmds::origin_note(&cmd) {
                d = d.note(note);
            }
            out.push(d);
        }
    }
}
