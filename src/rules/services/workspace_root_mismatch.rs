//! a service root inside a JS workspace whose lockfile is above it.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::util::fscache::FsCache;

declare_rule! {
    /// A service root inside a JavaScript workspace whose lockfile sits above it.
    ///
    /// ## What it checks
    /// Services whose root is a subfolder holding a `package.json` but no lockfile, inside a
    /// workspace declared above it (a `package.json` with `workspaces`, or
    /// `pnpm-workspace.yaml`) whose lockfile (`yarn.lock`, `package-lock.json`,
    /// `pnpm-lock.yaml`, `bun.lock`, `bun.lockb`) sits in that ancestor folder.
    ///
    /// ## Why it matters on Railway
    /// With Root Directory `packages/web`, Railway uploads and builds only that folder: the
    /// workspace root, its lockfile and the sibling packages are not there. Railpack installs
    /// without a lockfile (unpinned versions, or an outright failure for Yarn Berry's
    /// `--immutable`), and `workspace:` dependencies cannot resolve.
    ///
    /// ## Example
    /// `package.json` with `"workspaces": ["packages/*"]` and `yarn.lock` at the repository
    /// root; the web service's root is `packages/web`.
    /// Fix: set the service's Root Directory to the repository root and build and start the
    /// package from there (`yarn workspace @acme/web build`, `yarn workspace @acme/web start`),
    /// using watch paths to limit rebuilds; or give the package its own lockfile.
    code: RC606,
    name: "workspace-root-mismatch",
    severity: Error,
    check: Service(check),
}

const LOCKFILES: &[&str] = &[
    "yarn.lock",
    "package-lock.json",
    "pnpm-lock.yaml",
    "bun.lock",
    "bun.lockb",
];

fn lockfile(fs: &FsCache, dir: &Path) -> Option<&'static str> {
    LOCKFILES.iter().copied().find(|l| fs.is_file(&dir.join(l)))
}

fn declares_workspace(fs: &FsCache, dir: &Path) -> bool {
    if fs.is_file(&dir.join("pnpm-workspace.yaml")) {
        return true;
    }
    crate::util::fs::read_source_json(fs, &dir.join("package.json")).is_some_and(|v| v.get("workspaces").is_some())
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let project = cx.project;
    if service.root.is_empty() || !service.root_exists {
        return;
    }
    let root = project.abs(&service.root);
    if !fs.is_file(&root.join("package.json")) || lockfile(fs, &root).is_some() {
        return;
    }
    // Ancestors from the nearest up to the project root.
    let parts: Vec<&str> = service.root.split('/').collect();
    let found = (0..parts.len()).rev().find_map(|n| {
        let rel = parts[..n].join("/");
        let dir = project.abs(&rel);
        let lock = lockfile(fs, &dir)?;
        declares_workspace(fs, &dir).then_some((rel, lock))
    });
    let Some((workspace, lock)) = found else { return };
    let Some(anchor) = service.anchor() else { return };
    let workspace = if workspace.is_empty() {
        ".".to_string()
    } else {
        workspace
    };
    out.push(
        Diagnostic::new(
            &META,
            anchor.file,
            anchor.key_or_value(),
            format!(
                "service root `{}` is inside the workspace at `{workspace}`, whose `{lock}` Railway will not upload with it",
                service.root
            ),
        )
        .help(format!(
            "set the Root Directory to `{workspace}` and build the package with a workspace command, or give `{}` its own lockfile",
            service.root
        ))
        .note("a service's Root Directory is all that Railway uploads and Railpack builds")
                .depends_on_root(),
    );
}
