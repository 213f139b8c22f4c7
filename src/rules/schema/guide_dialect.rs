//! a file in the guide's format, most of which Railpack never reads.

use crate::diagnostic::Diagnostic;
use crate::platform::keys::{RAILPACK_DEPLOY, RAILPACK_ROOT, railpack_build_root};
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;
use crate::source::{Dialect, NodeKind};

declare_rule! {
    /// A railpack.json in the guide's multi-service format: Railpack reads little or none of it.
    ///
    /// ## What it checks
    /// A `railpack.json` written in the deployment guide's format: a root manifest with
    /// `services`, or a service file with `build`, `version` or `metadata` at the top. Reported
    /// once per file, listing the keys Railpack will not read and what it uses instead.
    ///
    /// ## Why it matters on Railway
    /// Railpack reads `railpack.json` as its own format and ignores unknown keys. Of the guide's
    /// root manifest it uses nothing: the backend is auto-detected, its custom steps, secrets and
    /// health checks are never applied. Of a guide-style service file it uses only
    /// `deploy.startCommand` and `deploy.inputs`; the steps under `build.steps` never run.
    ///
    /// ## Example
    /// ```json
    /// { "version": "1", "build": { "provider": "node", "steps": { "build": { "commands": ["yarn build"] } } } }
    /// ```
    /// Fix: write the native format, `{ "provider": "node", "steps": { "build": { "commands":
    /// ["yarn build"] } } }`, and declare health checks in `.railway/railway.ts` (`railcheck migrate` does it).
    code: RC204,
    name: "guide-dialect",
    severity: Warning,
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    if !file.dialect.is_guide() {
        return;
    }
    let Some(NodeKind::Object(members)) = file.tree.as_ref().map(|t| &t.kind) else {
        return;
    };
    let ignored: Vec<_> = members
        .iter()
        .filter(|m| !RAILPACK_ROOT.contains(&m.key.as_str()))
        .collect();
    let Some(first) = ignored.first() else { return };
    let names: Vec<String> = ignored.iter().map(|m| format!("`{}`", m.key)).collect();
    let used = match file.dialect {
        Dialect::ServicesManifest => {
            let native: Vec<_> = members
                .iter()
                .filter(|m| RAILPACK_ROOT.contains(&m.key.as_str()) && m.key != "$schema")
                .map(|m| format!("`{}`", m.key))
                .collect();
            if native.is_empty() {
                "Railpack uses nothing from this file and auto-detects how to build this folder".to_string()
            } else {
                format!("Railpack uses only {} from this file", native.join(", "))
            }
        }
        _ => {
            // Still read as railpack.json: native top-level keys and `deploy`'s native keys apply.
            let mut read: Vec<String> = members
                .iter()
                .filter(|m| railpack_build_root().any(|k| k == m.key))
                .map(|m| format!("`{}`", m.key))
                .collect();
            let deploy = file
                .tree
                .as_ref()
                .and_then(|t| t.get("deploy"))
                .and_then(|d| d.as_object());
            read.extend(
                deploy
                    .unwrap_or_default()
                    .iter()
                    .filter(|m| RAILPACK_DEPLOY.contains(&m.key.as_str()))
                    .map(|m| format!("`deploy.{}`", m.key)),
            );
            let steps_note = if members.iter().any(|m| m.key == "build") {
                "; steps under `build.steps` never run"
            } else {
                ""
            };
            if read.is_empty() {
                format!("Railpack uses nothing from this file{steps_note}")
            } else {
                format!("Railpack uses only {} from this file{steps_note}", read.join(", "))
            }
        }
    };
    let mut d = Diagnostic::new(
        &META,
        file.id,
        first.key_span.clone(),
        format!("railpack.json is in the guide's format: Railpack does not read {}", names.join(", ")),
    )
    .help("write Railpack's native format per service (provider, packages, steps, deploy) and declare services and health checks in `.railway/railway.ts`; `railcheck migrate` can do it")
    .note(used);
    for member in ignored.iter().skip(1) {
        d = d.label(file.id, member.key_span.clone(), "not read by Railpack");
    }
    out.push(d);
}
