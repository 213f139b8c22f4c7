//! a frozen install where the folder has no lockfile.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::{Simple, unwrap_command};
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds};
use crate::rules::declare_rule;
use crate::util::fscache::FsCache;

declare_rule! {
    /// A frozen install (`npm ci`, `--frozen-lockfile`, `--immutable`) where the folder has no lockfile.
    ///
    /// ## What it checks
    /// `yarn install --frozen-lockfile` / `--immutable`, `npm ci`, `pnpm install --frozen-lockfile`
    /// and `bun install --frozen-lockfile` in a step command, `build.buildCommand` or start command,
    /// in the folder the command runs in (after any `cd`). It reports the install when that folder
    /// has a `package.json` but not the package manager's lockfile (`yarn.lock`,
    /// `package-lock.json`/`npm-shrinkwrap.json`, `pnpm-lock.yaml`, `bun.lock`/`bun.lockb`), and
    /// says so when the lockfile sits higher up, at a workspace root outside the service root.
    ///
    /// ## Why it matters on Railway
    /// A frozen install refuses to run without a lockfile. Railpack builds only the service's Root
    /// Directory: for a Yarn, npm or pnpm workspace whose lockfile is at the repository root, a
    /// service rooted at `packages/web` has no lockfile at all, and the install fails (`npm ci`
    /// "can only install with an existing package-lock.json", Yarn "The lockfile would have been
    /// created by this install, which is explicitly forbidden").
    ///
    /// ## Example
    /// Service root `packages/web`, `yarn.lock` at the repository root:
    /// ```json
    /// { "steps": { "install": { "commands": ["yarn install --frozen-lockfile"] } } }
    /// ```
    /// Fix: set the service's Root Directory to the repository root and build the workspace from
    /// there (`yarn workspace web build`), or give the package a lockfile of its own.
    code: RC702,
    name: "lockfile-missing",
    severity: Error,
    check: Service(check),
}

/// The lockfiles a frozen install needs, when `simple` is one.
fn frozen_install(simple: &Simple) -> Option<(&'static str, &'static [&'static str])> {
    let start = unwrap_command(&simple.argv);
    let argv: Vec<&str> = simple.argv[start..].iter().map(|w| w.text.as_str()).collect();
    let name = argv.first()?.rsplit('/').next()?;
    let has = |flag: &str| argv.contains(&flag);
    let sub = argv.get(1).copied();
    match name {
        "npm" if matches!(sub, Some("ci" | "clean-install" | "install-clean")) => {
            Some(("npm", &["package-lock.json", "npm-shrinkwrap.json"]))
        }
        "yarn"
            if matches!(sub, Some("install") | None | Some("--frozen-lockfile" | "--immutable"))
                && (has("--frozen-lockfile") || has("--immutable")) =>
        {
            Some(("yarn", &["yarn.lock"]))
        }
        "pnpm" if matches!(sub, Some("install" | "i")) && has("--frozen-lockfile") => {
            Some(("pnpm", &["pnpm-lock.yaml"]))
        }
        "bun" if matches!(sub, Some("install" | "i")) && has("--frozen-lockfile") => {
            Some(("bun", &["bun.lock", "bun.lockb"]))
        }
        _ => None,
    }
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let project = cx.project;
    if !service.commands_run_in_app() || !cmds::has_source(fs, project, service) {
        return;
    }
    for cmd in cmds::service_commands(service) {
        let script = cmds::parse(&cmd);
        for simple in &script.commands {
            let Some((manager, lockfiles)) = frozen_install(simple) else {
                continue;
            };
            let Some(cwd) = cmds::cwd_of(simple) else { continue };
            let dir = cmds::on_disk(project, service, cwd);
            // A package manager finds the lockfile of the workspace around `cwd`: look
            // from there up to the service root (nothing above it is in the build).
            let mut parts: Vec<&str> = cwd.split('/').filter(|p| !p.is_empty()).collect();
            let locked = loop {
                let here = cmds::on_disk(project, service, &parts.join("/"));
                if lockfiles.iter().any(|l| fs.is_file(&here.join(l))) {
                    break true;
                }
                if parts.pop().is_none() {
                    break false;
                }
            };
            if !fs.is_file(&dir.join("package.json")) || locked {
                continue;
            }
            // Yarn 1's `install --frozen-lockfile` without a yarn.lock exits 0
            // (yarnpkg/yarn#6857): only Berry (`--immutable`, or Berry selected) fails.
            if manager == "yarn"
                && !simple.argv.iter().any(|w| w.text == "--immutable")
                && !crate::rules::commands::yarn_berry_frozen_lockfile::is_berry_service(fs, project, service, cwd)
            {
                continue;
            }
            if lockfiles
                .iter()
                .any(|l| cmds::mentioned_elsewhere(project, service, &cmd, simple.span.start, l))
            {
                continue;
            }
            let where_ = if cwd.is_empty() {
                format!("the service root `{}`", cmds::show(&service.root))
            } else {
                format!("`{cwd}` in the service root")
            };
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                cmds::span_in(project, cmd.at, cmd.text, simple.span.clone()),
                format!("frozen {manager} install without `{}` in {where_}", lockfiles[0]),
            )
            .pointer(cmd.at.pointer.clone())
            .depends_on_root();
            let above = workspace_lockfile(fs, project, &service.root, lockfiles);
            let help = match &above {
                Some(found) => format!(
                    "the lockfile sits at the repo root (workspace): `{found}` is outside the service root, which \
                     is all Railpack builds. Set the Root Directory to the workspace root and build the package \
                     from there, or commit a lockfile for this package"
                ),
                None => format!("commit `{}`, or use a plain install", lockfiles[0]),
            };
            d = d.help(help);
            d = cmds::never_runs(d, &cmd);
            out.push(d);
        }
    }
}

/// A lockfile in a folder above the service root, as a path relative to the project root.
fn workspace_lockfile(fs: &FsCache, project: &crate::model::Project, root: &str, lockfiles: &[&str]) -> Option<String> {
    let mut parts: Vec<&str> = root.split('/').filter(|p| !p.is_empty()).collect();
    while parts.pop().is_some() {
        let dir = parts.join("/");
        for lockfile in lockfiles {
            if fs.is_file(&project.abs(&dir).join(lockfile)) {
                return Some(if dir.is_empty() {
                    (*lockfile).to_string()
                } else {
                    format!("{dir}/{lockfile}")
                });
            }
        }
    }
    None
}
