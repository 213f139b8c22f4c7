//! a `cd` to a folder the build does not have.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::{CdTarget, Op};
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::declare_rule;

declare_rule! {
    /// A `cd` to a folder that does not exist inside the service root, or above it.
    ///
    /// ## What it checks
    /// Every `cd` in a step command, `build.buildCommand` or start command, followed through the
    /// command string (`cd a && cd b` ends in `a/b`). `/app` is the service root. It reports a `cd`
    /// that climbs above the service root (`cd ..` from `/app`) and a `cd` into a folder that the
    /// service root does not contain. It stays quiet when the target holds a variable, when an
    /// earlier command may create the folder (its name appears there), for folders a build
    /// usually creates (`dist`, `.venv`, ...), for `cd x || ...`, and when the config is checked
    /// without the source beside it.
    ///
    /// ## Why it matters on Railway
    /// Railpack builds only the service's Root Directory, copied to `/app`. A service whose root
    /// is `packages/web` has no `/app/packages/web`: `cd /app/packages/web` fails with
    /// "can't cd to packages/web" and the build stops. The guide's own project lost time to
    /// exactly this. Nothing above `/app` is part of the build either: `cd ..` does not reach the
    /// repository root.
    ///
    /// ## Example
    /// Service root `packages/web`:
    /// ```json
    /// { "steps": { "build": { "commands": ["cd /app/packages/web && yarn build"] } } }
    /// ```
    /// Fix: the service root already is `/app`:
    /// ```json
    /// { "steps": { "build": { "commands": ["yarn build"] } } }
    /// ```
    code: RC701,
    name: "cd-outside-root",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let project = cx.project;
    if !service.commands_run_in_app() {
        return;
    }
    let source = cmds::has_source(fs, project, service);
    for cmd in cmds::service_commands(service) {
        // An exec command (`{"cmd": ...}`) is not read by a shell: `cd` means nothing there.
        if cmd.form == Form::Exec {
            continue;
        }
        let script = cmds::parse(&cmd);
        for cd in &script.cds {
            let simple = &script.commands[cd.command];
            if simple.next == Some(Op::Or) {
                continue;
            }
            let target = &cd.target.text;
            let (message, help) = match &cd.to {
                CdTarget::Outside => (
                    format!("`cd {target}` leaves the service root"),
                    format!(
                        "only the service root `{}` is copied to `/app`; nothing above it is in the build. \
                         Set the service's Root Directory higher, or drop the `cd`",
                        cmds::show(&service.root)
                    ),
                ),
                CdTarget::Inside(rel) => {
                    if !source || cmds::dir_exists(fs, project, service, rel) {
                        continue;
                    }
                    let root = &service.root;
                    let repeats_root = !root.is_empty() && (rel == root || rel.starts_with(&format!("{root}/")));
                    if repeats_root {
                        (
                            format!("can't cd to {rel}: the service root `{root}` already is `/app`"),
                            format!(
                                "Railway builds the Root Directory `{root}` as `/app`; use `cd /app{}` or drop the `cd`",
                                rel.strip_prefix(root.as_str()).unwrap_or("")
                            ),
                        )
                    } else {
                        let written = target.trim_start_matches("/app/").trim_start_matches("./");
                        let first = written
                            .split('/')
                            .find(|p| !p.is_empty() && *p != "..")
                            .unwrap_or(written);
                        let rel_first = rel.split('/').next().unwrap_or(rel);
                        if cmds::is_generated_dir(first)
                            || cmds::is_generated_dir(rel_first)
                            || cmds::mentioned_elsewhere(project, service, &cmd, simple.span.start, first)
                        {
                            continue;
                        }
                        (
                            format!("can't cd to {rel}: no such folder in the service root"),
                            format!(
                                "paths are relative to the service root `{}`, which Railpack copies to `/app`",
                                cmds::show(root)
                            ),
                        )
                    }
                }
                CdTarget::Unknown => continue,
            };
            let span = cmds::span_in(project, cmd.at, cmd.text, simple.span.start..cd.target.span.end);
            let mut d = Diagnostic::new(&META, cmd.at.file, span, message)
                .pointer(cmd.at.pointer.clone())
                .help(help);
            // `cd ..` from `/app` leaves the build whatever the root; a missing folder
            // is only missing if the root is what railcheck took it to be.
            if matches!(cd.to, CdTarget::Inside(_)) {
                d = d.depends_on_root();
            }
            d = cmds::never_runs(d, &cmd);
            out.push(d);
        }
    }
}
