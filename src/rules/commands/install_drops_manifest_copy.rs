//! custom `install` commands without `"..."`
//! drop the provider's own, which copy the project's manifest files into the step.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::{InputKind, Origin, Step, StepCommandKind};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// Custom `steps.install.commands` without `"..."` drop the provider's copy of package.json, lockfile or requirements.txt.
    ///
    /// ## What it checks
    /// The `install` step of a native `railpack.json` whose `commands` list neither keeps the
    /// provider's commands (`"..."`) nor copies files itself (`{ "src": ..., "dest": ... }`), and
    /// whose `inputs` bring in no local files. Providers that generate no install step
    /// (`staticfile`, `shell`) are left alone.
    ///
    /// ## Why it matters on Railway
    /// A user `commands` array replaces the provider's generated list unless it contains
    /// `"..."`. The install commands a provider generates **begin by copying the manifest
    /// files** (package.json and the lockfile, requirements.txt, pyproject.toml, ...) into the
    /// step; only those files are there when the install runs, so that a source change does not
    /// invalidate the dependency cache. Without them, `npm ci`, `yarn install` or
    /// `pip install -r requirements.txt` runs in a folder without the project's manifest: it
    /// fails, or installs nothing (railwayapp/railpack#211; domain.md section 1; the guide's own
    /// project spent about 20 commits on this). A warning: a command that needs no project file
    /// (`pip install uvicorn`) works.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "install": { "commands": ["yarn install --immutable"] } } }
    /// ```
    /// Fix: keep the provider's commands and add yours, `"commands": ["...", "yarn playwright
    /// install"]`, or copy what your command reads first:
    /// `[{ "src": "package.json", "dest": "package.json" }, { "src": "yarn.lock", "dest": "yarn.lock" }, "yarn install --immutable"]`.
    code: RC717,
    name: "install-drops-manifest-copy",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    if !service.commands_run_in_app() {
        return;
    }
    let provider = service.effective_provider().map(|p| p.value.to_ascii_lowercase());
    if matches!(provider.as_deref(), Some("staticfile" | "shell")) {
        return;
    }
    for step in service
        .steps
        .iter()
        .filter(|s| s.origin == Origin::Railpack && s.name == "install")
    {
        let Some(first) = step.commands.first() else { continue };
        if keeps_or_brings_files(cx, step) {
            continue;
        }
        let Some(commands) = project
            .file(step.at.file)
            .tree
            .as_ref()
            .and_then(|t| t.pointer_member(&format!("{}/commands", step.at.pointer)))
        else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &META,
                step.at.file,
                commands.key_span.clone(),
                "these `install` commands replace the provider's, which copy package.json / the lockfile / requirements.txt into the step: the install runs without them",
            )
            .pointer(format!("{}/commands", step.at.pointer))
            .label(first.at.file, first.at.span.clone(), "runs in a step that holds no project file")
            .help("add `\"...\"` to keep the provider's commands (`[\"...\", \"your command\"]`), or copy what the command reads first: `{ \"src\": \"package.json\", \"dest\": \"package.json\" }`")
            .note("a user `commands` array replaces the provider's generated list unless it contains `\"...\"` (railwayapp/railpack#211)")
            ,
        );
    }
}

/// `"..."` among the commands, a copy command of its own, or a local input with files.
fn keeps_or_brings_files(cx: &Context<'_>, step: &Step) -> bool {
    let tree = cx.project.file(step.at.file).tree.as_ref();
    let spread_or_copy = step.commands.iter().any(|c| match &c.kind {
        StepCommandKind::Shell(text) => text.trim() == "...",
        StepCommandKind::Copy => true,
        // `{"src": ...}` without `dest` copies into /app too.
        _ => tree
            .and_then(|t| t.pointer(&c.at.pointer))
            .is_some_and(|n| n.get("src").is_some()),
    });
    let local_files = step
        .inputs
        .iter()
        .any(|i| (i.kind == InputKind::Local && !i.include.is_empty()) || i.kind == InputKind::Spread);
    spread_or_copy || local_files
}
