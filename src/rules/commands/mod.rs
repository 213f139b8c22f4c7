//! RC7xx: commands and steps. Commands are read as POSIX `sh` text by `crate::facts::shell`;
//! nothing is executed. The helpers here give every rule the same view of a service's
//! commands: where each one is written, who runs it, and the folder it runs in.

pub(crate) mod bash_only_syntax;
pub(crate) mod cd_outside_root;
pub(crate) mod escaped_quote_in_command;
pub(crate) mod first_input_invalid;
pub(crate) mod input_outside_context;
pub(crate) mod input_without_include;
pub(crate) mod install_drops_manifest_copy;
pub(crate) mod invalid_command_object;
pub(crate) mod lockfile_missing;
pub(crate) mod non_reproducible_fetch;
pub(crate) mod provider_mismatch;
pub(crate) mod referenced_file_missing;
pub(crate) mod single_quote_in_string_command;
pub(crate) mod start_command_not_expanded;
pub(crate) mod start_command_port;
pub(crate) mod step_input_cycle;
pub(crate) mod unknown_step_reference;
pub(crate) mod unsupported_command_prefix;
pub(crate) mod yarn_berry_frozen_lockfile;

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::shell::{self, Script, Simple};
use crate::model::{Loc, Origin, Project, Scope, Service, Step, StepCommandKind};
use crate::source::FileKind;

use super::Rule;
use crate::util::fscache::FsCache;

pub(crate) static RULES: &[&Rule] = &[
    &cd_outside_root::RULE,
    &lockfile_missing::RULE,
    &referenced_file_missing::RULE,
    &yarn_berry_frozen_lockfile::RULE,
    &bash_only_syntax::RULE,
    &escaped_quote_in_command::RULE,
    &unsupported_command_prefix::RULE,
    &unknown_step_reference::RULE,
    &step_input_cycle::RULE,
    &first_input_invalid::RULE,
    &input_outside_context::RULE,
    &non_reproducible_fetch::RULE,
    &provider_mismatch::RULE,
    &start_command_port::RULE,
    &invalid_command_object::RULE,
    &single_quote_in_string_command::RULE,
    &install_drops_manifest_copy::RULE,
    &input_without_include::RULE,
    &start_command_not_expanded::RULE,
];

/// How a command is written, which decides how Railpack runs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// A string step command or `build.buildCommand`: `sh -c '<text>'`.
    Shell,
    /// `{"cmd": ...}`: an exec command.
    Exec,
    /// A start command.
    Start,
}

/// One command of a service, as the rules see it.
pub(crate) struct CmdRef<'a> {
    pub(crate) text: &'a str,
    pub(crate) at: &'a Loc,
    pub(crate) origin: Origin,
    /// The step it belongs to; `None` for a start command.
    pub(crate) step: Option<&'a Step>,
    pub(crate) form: Form,
}

impl CmdRef<'_> {
    /// Is this a build command (a step's), as opposed to a start command?
    pub(crate) fn is_build(&self) -> bool {
        self.form != Form::Start
    }

    /// Does Railpack or Railway ever run this command? Steps of the guide's files never run.
    pub(crate) fn is_run(&self) -> bool {
        match self.origin {
            Origin::Manifest => false,
            Origin::GuideService => self.form == Form::Start,
            Origin::Railpack | Origin::Railway | Origin::RailwayTs => true,
        }
    }
}

/// Every command of a service that runs shell text: step commands (string and exec) and
/// start commands, in file order.
pub(crate) fn service_commands(service: &Service) -> Vec<CmdRef<'_>> {
    let mut out = Vec::new();
    for step in &service.steps {
        for command in &step.commands {
            let (text, form) = match &command.kind {
                StepCommandKind::Shell(text) => (text.as_str(), Form::Shell),
                StepCommandKind::Exec(text) => (text.as_str(), Form::Exec),
                _ => continue,
            };
            out.push(CmdRef {
                text,
                at: &command.at,
                origin: step.origin,
                step: Some(step),
                form,
            });
        }
    }
    for start in &service.start_commands {
        out.push(CmdRef {
            text: &start.value,
            at: &start.at,
            origin: start.origin,
            step: None,
            form: Form::Start,
        });
    }
    out
}

/// The command texts of a service that run under `sh` (dash): its string step commands and
/// the `RAILPACK_*_CMD` service variables (`true` for those). Start commands run under bash
/// (buildkit/convert.go 89) and exec commands run no shell, so neither is here; nor is
/// anything of a service built from a Dockerfile, which runs none of them.
pub(crate) fn sh_commands(service: &Service) -> Vec<(CmdRef<'_>, bool)> {
    if !service.commands_run_in_app() {
        return Vec::new();
    }
    let steps = service_commands(service).into_iter().filter(|c| c.form == Form::Shell);
    steps
        .map(|c| (c, false))
        .chain(env_build_commands(service).into_iter().map(|c| (c, true)))
        .collect()
}

/// Service variables Railpack reads as build commands (`RAILPACK_BUILD_CMD`,
/// `RAILPACK_INSTALL_CMD`): their values take the same path as a string step command,
/// `sh -c '<text>'` (domain.md section 1). Only names declared as service variables (the
/// guide's `deploy.environment`) count: a step's `variables` are not read as settings.
pub(crate) fn env_build_commands(service: &Service) -> Vec<CmdRef<'_>> {
    service
        .variables
        .iter()
        .filter(|v| {
            v.scope == Scope::Service && matches!(v.name.as_str(), "RAILPACK_BUILD_CMD" | "RAILPACK_INSTALL_CMD")
        })
        .filter_map(|v| {
            let value = v.value.as_ref()?;
            Some(CmdRef {
                text: &value.value,
                at: &value.at,
                origin: v.origin,
                step: None,
                form: Form::Shell,
            })
        })
        .collect()
}

/// The note for a build command set as a service variable.
pub(crate) fn env_note(cmd: &CmdRef<'_>) -> String {
    let name = cmd.at.pointer.rsplit('/').next().unwrap_or("RAILPACK_BUILD_CMD");
    format!(
        "`{name}` is a service variable: once it is set in Railway, Railpack runs its value as a string command, `sh -c '<value>'`"
    )
}

/// The note for a finding in a file Railpack does not run, or `None`.
pub(crate) fn origin_note(cmd: &CmdRef<'_>) -> Option<String> {
    if cmd.is_run() {
        return None;
    }
    never_runs_note(cmd.origin)
}

/// A finding about a command Railpack never runs (a step of the guide's files): its note says
/// so, and it is a warning at most, since a command that never runs cannot fail the build.
pub(crate) fn never_runs(d: Diagnostic, cmd: &CmdRef<'_>) -> Diagnostic {
    match origin_note(cmd) {
        Some(note) => {
            let capped = d.severity.min(Severity::Warning);
            d.note(note).severity(capped)
        }
        None => d,
    }
}

/// The note for a step (or its command) that Railpack never runs: the guide's files are
/// not read for steps. `None` for a step Railpack runs.
pub(crate) fn never_runs_note(origin: Origin) -> Option<String> {
    match origin {
        Origin::Manifest => Some(
            "this command is in the guide's services manifest, which Railpack never reads; moved into a native \
             railpack.json, as it must be to run at all, it has this problem"
                .to_string(),
        ),
        Origin::GuideService => Some(
            "this step is in a guide-format railpack.json: Railpack never runs `build.steps`; moved into a native \
             railpack.json, as it must be to run at all, it has this problem"
                .to_string(),
        ),
        Origin::Railpack | Origin::Railway | Origin::RailwayTs => None,
    }
}

/// The byte range of `range` (offsets in the command text) inside the file, when the
/// string is written without escapes; otherwise the whole string.
pub(crate) fn span_in(project: &Project, at: &Loc, text: &str, range: Range<usize>) -> Range<usize> {
    let file = project.file(at.file);
    let Some(raw) = file.text.get(at.span.clone()) else {
        return at.span.clone();
    };
    let quoted = raw.len() == text.len() + 2 && raw.get(1..raw.len() - 1) == Some(text);
    if quoted && range.end <= text.len() {
        at.span.start + 1 + range.start..at.span.start + 1 + range.end
    } else {
        at.span.clone()
    }
}

/// Does the service root hold anything besides config files? A config checked on its own
/// (no source beside it) says nothing about which files exist, so file rules stay quiet.
pub(crate) fn has_source(fs: &FsCache, project: &Project, service: &Service) -> bool {
    if !service.root_exists {
        return false;
    }
    let Some(listing) = fs.read_dir(&project.abs(&service.root)) else {
        return false;
    };
    listing.entries.iter().any(|e| {
        let name = e.name.to_string_lossy();
        // `migrate --write` keeps originals as `<config>.orig`: still config, not source.
        let config_name = name.strip_suffix(".orig").unwrap_or(&name);
        FileKind::from_file_name(config_name).is_none() && !matches!(config_name, "railcheck.toml" | ".git")
    })
}

/// Folders a build usually creates, so their absence in the checkout proves nothing.
pub(crate) fn is_generated_dir(first_component: &str) -> bool {
    matches!(
        first_component,
        "dist"
            | "build"
            | "out"
            | ".next"
            | ".nuxt"
            | ".output"
            | ".svelte-kit"
            | "node_modules"
            | "target"
            | ".venv"
            | "venv"
            | "env"
            | "_build"
            | "bin"
            | "vendor"
            | "__pycache__"
            | ".cache"
            | "_site"
            | "site"
            | "public"
            | "static"
            | "staticfiles"
            | "tmp"
            | ".yarn"
    )
}

/// Path of `rel` (relative to the service root) on disk.
pub(crate) fn on_disk(project: &Project, service: &Service, rel: &str) -> std::path::PathBuf {
    let root = project.abs(&service.root);
    if rel.is_empty() { root } else { root.join(rel) }
}

/// Is `needle` written in any other command of the service, or earlier in this one?
/// Then an earlier command may create the file, and a file rule must stay quiet.
pub(crate) fn mentioned_elsewhere(
    project: &Project,
    service: &Service,
    cmd: &CmdRef<'_>,
    before: usize,
    needle: &str,
) -> bool {
    if needle.is_empty() {
        return true;
    }
    if cmd.text.get(..before).is_some_and(|t| t.contains(needle)) {
        return true;
    }
    let others = service.steps.iter().flat_map(|s| s.commands.iter().map(|c| &c.at));
    let starts = service.start_commands.iter().map(|s| &s.at);
    others.chain(starts).filter(|at| *at != cmd.at).any(|at| {
        project
            .file(at.file)
            .text
            .get(at.span.clone())
            .is_some_and(|t| t.contains(needle))
    })
}

/// Parses a command, for rules that look at every simple command in it.
pub(crate) fn parse(cmd: &CmdRef<'_>) -> Script {
    shell::parse(cmd.text)
}

/// The folder a simple command runs in, relative to the service root, when known.
pub(crate) fn cwd_of(simple: &Simple) -> Option<&str> {
    match &simple.cwd {
        shell::Cwd::Inside(p) => Some(p.as_str()),
        shell::Cwd::Unknown => None,
    }
}

/// `rel` shown to a user: "." for the root itself.
pub(crate) fn show(rel: &str) -> &str {
    if rel.is_empty() { "." } else { rel }
}

/// A path word resolved against the command's folder: `Some(rel)` inside the root.
/// Absolute paths outside `/app` give `None` (not ours to judge).
pub(crate) fn resolve(cwd: &str, path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix(shell::APP_DIR) {
        if rest.is_empty() || rest.starts_with('/') {
            return shell::join_path("", rest);
        }
        return None;
    }
    if path.starts_with('/') {
        return None;
    }
    shell::join_path(cwd, path)
}

/// Does the folder exist on disk (relative to the service root)?
pub(crate) fn dir_exists(fs: &FsCache, project: &Project, service: &Service, rel: &str) -> bool {
    fs.is_dir(&on_disk(project, service, rel))
}

/// Reads a small text file next to the configs (package.json, next.config.js), if any.
pub(crate) fn read_small(fs: &FsCache, path: &Path) -> Option<String> {
    fs.read_text(path, 1024 * 1024)
}
