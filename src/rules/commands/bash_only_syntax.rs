//! bash syntax in a command that `sh` runs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Service;
use crate::rules::commands as cmds;
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// Bash-only syntax (`[[ ]]`, `source`, arrays, `&>`, ...) in a build command, which `sh` (dash) runs.
    ///
    /// ## What it checks
    /// Build commands that Railpack runs with `sh`: string step commands in `railpack.json`,
    /// Railway's `build.buildCommand`, and `RAILPACK_BUILD_CMD` / `RAILPACK_INSTALL_CMD` service
    /// variables. It looks for constructs POSIX `sh` does not have: `[[ ... ]]`, `source`,
    /// `function f`, arrays (`a=(x y)`, `${a[0]}`), `&>`, `|&`, `<<<`, `$'...'`, process
    /// substitution `<(...)`, `==` in `[ ]`, `pushd`/`popd`, `declare`, `shopt`. Text inside
    /// quotes is not checked (single quotes inside a string command are RC716's business).
    ///
    /// Start commands are **not** checked: Railpack's image runs the start command with bash
    /// (the entrypoint is `["/bin/bash", "-c"]`, railpack buildkit/convert.go 89), so `source`,
    /// `[[ ]]` and `&>` work there. Exec commands (`{"cmd": ...}`) run no shell at all.
    ///
    /// ## Why it matters on Railway
    /// Railpack turns a string command into `sh -c '<command>'` (railpack core/plan/command.go),
    /// and `sh` in its build image is dash. Dash stops with "[[: not found", "source: not found"
    /// or "Syntax error: redirection unexpected", so the build fails although the same line
    /// works in a bash terminal. The guide's project hit this. A step of a guide-format file
    /// never runs (Railpack reads no `build.steps`): reported as a warning there, for when it is
    /// moved into a native `railpack.json`.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["...", "source .venv/bin/activate && python manage.py collectstatic"] } } }
    /// ```
    /// Fix: use the POSIX form, `". .venv/bin/activate && python manage.py collectstatic"`, or
    /// put the lines in a script file and run it with bash (`"bash ./scripts/build.sh"`), or use
    /// the object form `{ "cmd": "bash -c \"source .venv/bin/activate && python manage.py collectstatic\"" }`
    /// (split into words without a shell). Do not write `bash -c '...'` inside a string
    /// command: Railpack's own quoting breaks it (RC716).
    code: RC705,
    name: "bash-only-syntax",
    severity: Error,
    check: Service(check),
}

/// The POSIX way to write a construct.
fn instead(what: &str) -> &'static str {
    match what {
        "[[" => "use `[ ... ]` (with `=` and quoted variables), or move the line into a script run with bash",
        "source" => "use `.` (`. ./file`)",
        "function" => "write `name() { ...; }`",
        "name=(...)" | "${name[...]}" => "sh has no arrays: use a space-separated string or `set --`",
        "&>" => "write `> file 2>&1`",
        "|&" => "write `2>&1 |`",
        "<<<" => "pipe into the command instead (`echo $x | cmd`), or move the line into a script file",
        "$'...'" => "use `printf` to produce special characters",
        "<(...)" | ">(...)" => "write to a temporary file first",
        "==" => "use `=` inside `[ ]`",
        "pushd" | "popd" => "use `cd` (in a subshell: `(cd dir && cmd)`)",
        _ => "rewrite it in POSIX sh, or move the line into a script file run with bash (`bash ./script.sh`)",
    }
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for (cmd, is_env) in &cmds::sh_commands(service) {
        let script = cmds::parse(cmd);
        let Some(first) = script.bashisms.first() else { continue };
        let others = script.bashisms.len() - 1;
        let mut message = format!(
            "`{}` is bash syntax; Railpack runs build commands with `sh` (dash)",
            first.what
        );
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
        .help(instead(first.what));
        if *is_env {
            d = d.note(cmds::env_note(cmd));
        } else if let Some(note) = cmds::origin_note(cmd) {
            // A step that never runs cannot fail the build.
            d = d.note(note).severity(Severity::Warning);
        }
        out.push(d);
    }
}
