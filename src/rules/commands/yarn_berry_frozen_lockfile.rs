//! `--frozen-lockfile` with Yarn 2+.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Fix};
use crate::facts::shell::{Simple, unwrap_command};
use crate::model::{Project, Service};
use crate::rules::Context;
use crate::rules::commands::{self as cmds, CmdRef};
use crate::rules::declare_rule;
use crate::util::fscache::FsCache;

declare_rule! {
    /// `yarn install --frozen-lockfile` with Yarn Berry (2+), which wants `--immutable`.
    ///
    /// ## What it checks
    /// `yarn install --frozen-lockfile` (or `yarn --frozen-lockfile`) in a service that uses Yarn
    /// Berry: a command selects it (`corepack prepare yarn@stable`, `corepack use yarn@4`,
    /// `yarn set version berry`), `package.json` has `packageManager: "yarn@2+"`, or a
    /// `.yarnrc.yml` sits in the folder or above it.
    ///
    /// ## Why it matters on Railway
    /// In Yarn 2 and later `--frozen-lockfile` is a deprecated alias of `--immutable` (warning
    /// YN0050), and early Yarn 2 releases rejected it outright. The guide's project hit this with
    /// Yarn 4. Railpack itself installs Berry projects with `yarn install --check-cache`.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "install": { "commands": [
    ///   "corepack enable",
    ///   "corepack prepare yarn@stable --activate",
    ///   "yarn install --frozen-lockfile"
    /// ] } } }
    /// ```
    /// Fix: `yarn install --immutable`.
    code: RC704,
    name: "yarn-berry-frozen-lockfile",
    severity: Warning,
    check: Service(check),
}

pub(crate) use crate::model::root::is_berry_version;

/// A command that selects a Yarn version: `corepack prepare yarn@X`, `corepack use yarn@X`,
/// `yarn set version X`. Returns whether it is Berry.
pub(crate) fn selects_yarn(simple: &Simple) -> Option<bool> {
    let argv: Vec<&str> = simple.argv.iter().map(|w| w.text.as_str()).collect();
    match argv.as_slice() {
        ["corepack", "prepare" | "use" | "install", rest @ ..] => {
            rest.iter().find_map(|a| a.strip_prefix("yarn@")).map(is_berry_version)
        }
        ["yarn", "set", "version", v, ..] | ["yarn", "policies", "set-version", v, ..] => Some(is_berry_version(v)),
        _ => None,
    }
}

/// Why this service's Yarn is Berry, if it is.
fn berry_reason(
    fs: &FsCache,
    project: &Project,
    service: &Service,
    commands: &[CmdRef<'_>],
    cwd: &str,
) -> Option<String> {
    for cmd in commands {
        for simple in &cmds::parse(cmd).commands {
            if selects_yarn(simple) == Some(true) {
                return Some(format!(
                    "`{}` selects Yarn Berry",
                    simple
                        .argv
                        .iter()
                        .map(|w| w.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
        }
    }
    berry_file_reason(fs, project, service, cwd)
}

/// Files: from the folder the command runs in up to the service root (a package.json or
/// `.yarnrc.yml` above the root is not in the build).
fn berry_file_reason(fs: &FsCache, project: &Project, service: &Service, cwd: &str) -> Option<String> {
    let root = project.abs(&service.root);
    let mut dir = cmds::on_disk(project, service, cwd);
    loop {
        if let Some(reason) = berry_in(fs, project, &dir) {
            return Some(reason);
        }
        if dir == root || dir == project.root || !dir.pop() {
            return None;
        }
    }
}

/// Does Yarn run as Berry for a command in `cwd` (relative to the service root)?
pub(crate) fn is_berry_service(fs: &FsCache, project: &Project, service: &Service, cwd: &str) -> bool {
    let commands = cmds::service_commands(service);
    commands
        .iter()
        .any(|c| cmds::parse(c).commands.iter().any(|s| selects_yarn(s) == Some(true)))
        || berry_file_reason(fs, project, service, cwd).is_some()
}

pub(crate) fn berry_in(fs: &FsCache, project: &Project, dir: &Path) -> Option<String> {
    let shown = dir
        .strip_prefix(&project.root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let shown = |file: &str| {
        if shown.is_empty() {
            file.to_string()
        } else {
            format!("{shown}/{file}")
        }
    };
    if let Some(package) = crate::util::fs::read_source_json(fs, &dir.join("package.json")) {
        let manager = package.get("packageManager").and_then(|m| m.as_str());
        if let Some(version) = manager.and_then(|m| m.strip_prefix("yarn@")) {
            if is_berry_version(version) {
                return Some(format!(
                    "`{}` declares `packageManager: yarn@{version}`",
                    shown("package.json")
                ));
            }
            return None;
        }
    }
    if fs.is_file(&dir.join(".yarnrc.yml")) {
        return Some(format!("`{}` is Yarn Berry's config file", shown(".yarnrc.yml")));
    }
    None
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let commands = cmds::service_commands(service);
    for cmd in &commands {
        let script = cmds::parse(cmd);
        for simple in &script.commands {
            let start = unwrap_command(&simple.argv);
            let argv = &simple.argv[start..];
            if argv.first().is_none_or(|w| w.text != "yarn")
                || argv
                    .get(1)
                    .is_some_and(|w| w.text != "install" && !w.text.starts_with('-'))
            {
                continue;
            }
            let Some(flag) = argv.iter().find(|w| w.text == "--frozen-lockfile") else {
                continue;
            };
            let cwd = cmds::cwd_of(simple).unwrap_or("");
            // Commands of the same file first: they say what this step installs with.
            let same_file: Vec<CmdRef<'_>> = cmds::service_commands(service)
                .into_iter()
                .filter(|c| c.at.file == cmd.at.file)
                .collect();
            let Some(reason) = berry_reason(cx.fs, project, service, &same_file, cwd) else {
                continue;
            };
            let span = cmds::span_in(project, cmd.at, cmd.text, flag.span.clone());
            // Certain only where the flag is written as is, in Railpack's own file (the
            // guide's layout is for `migrate`; railway.json is read no more after 2026-12-01).
            let file = project.file(cmd.at.file);
            let fix = (file.dialect == crate::source::Dialect::Native
                && file.text.get(span.clone()) == Some("--frozen-lockfile"))
            .then(|| {
                Fix::replace(
                    cmd.at.file,
                    span.clone(),
                    "--immutable",
                    "`--frozen-lockfile` -> `--immutable`",
                )
            });
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                span,
                "`--frozen-lockfile` with Yarn Berry: use `--immutable`",
            )
            .pointer(cmd.at.pointer.clone())
            .help(format!(
                "{reason}; in Yarn 2+ `--frozen-lockfile` is a deprecated alias (YN0050) that early Yarn 2 \
                 rejected: write `yarn install --immutable`"
            ))
            .depends_on_root();
            d = cmds::never_runs(d, cmd);
            if let Some(fix) = fix {
                d = d.fix(fix);
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_berry_version;

    #[test]
    fn berry_versions() {
        for v in ["stable", "berry", "4.9.2", "2.4.3", "3", "4.0.0-rc.1", "^4.1.0"] {
            assert!(is_berry_version(v), "{v}");
        }
        for v in ["1.22.19", "classic", "1", "x"] {
            assert!(!is_berry_version(v), "{v}");
        }
    }
}
