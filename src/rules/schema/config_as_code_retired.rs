//! Railway's Config as Code ends on 2026-12-01.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::Node;
use crate::source::SourceFile;

declare_rule! {
    /// A `railway.json` or `railway.toml`, which Railway stops reading on 2026-12-01.
    ///
    /// ## What it checks
    /// Every `railway.json` and `railway.toml` (Railway's Config as Code). It reports each
    /// file once, at its first setting, and lists in a note the settings that stop applying.
    /// railcheck still checks the file's settings and shows them as not read.
    ///
    /// ## Why it matters on Railway
    /// Railway retires Config as Code: "Existing Config as Code files stop being read on
    /// 2026-12-01", and new services cannot opt in (railwayapp/docs `config-as-code.md`,
    /// `infrastructure-as-code.md`; the Railway CLI prints the same warning,
    /// `src/util/cac_deprecation.rs`). From then on a service's build command, start command,
    /// health check, restart policy and watch patterns come only from the service settings or
    /// from `.railway/railway.ts` (Infrastructure as Code). A health check that lives only in a
    /// `railway.json` silently stops being checked, and Railway routes traffic to a
    /// deployment before it is ready.
    ///
    /// ## Example
    /// `apps/api/railway.json`:
    /// ```json
    /// { "deploy": { "healthcheckPath": "/health", "restartPolicyType": "ON_FAILURE" } }
    /// ```
    /// Fix: declare the service in `.railway/railway.ts` (`railcheck migrate --write` writes
    /// it from these files), then delete the file:
    /// ```ts
    /// service("api", { root: "apps/api", healthcheck: "/health",
    ///   deploy: { restartPolicyType: "ON_FAILURE" } })
    /// ```
    code: RC206,
    name: "config-as-code-retired",
    severity: Warning,
    check: File(check),
}

/// At most this many settings are named in the note.
const MAX_LISTED: usize = 8;

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    if !file.kind.is_railway() {
        return;
    }
    let Some(tree) = &file.tree else { return };
    let Some(members) = tree.as_object() else { return };
    let at = members.first().map_or(0..0, |m| m.key_span.clone());
    let mut settings = Vec::new();
    for member in members.iter().filter(|m| m.key != "$schema") {
        leaf_settings(&member.value, &member.key, &mut settings);
    }
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    let mut d = Diagnostic::new(
        &META,
        file.id,
        at,
        format!("Railway stops reading `{name}` on 2026-12-01 (Config as Code is retired)"),
    )
    .help(
        "move its settings to `.railway/railway.ts` (`railcheck migrate` writes it) or to the \
         service's settings in Railway, then delete this file",
    );
    if !settings.is_empty() {
        let more = settings.len().saturating_sub(MAX_LISTED);
        let mut listed = settings.into_iter().take(MAX_LISTED).collect::<Vec<_>>().join(", ");
        if more > 0 {
            listed.push_str(&format!(" and {more} more"));
        }
        d = d.note(format!("settings that stop applying: {listed}"));
    }
    out.push(d);
}

/// `build.buildCommand`-style paths of the scalar and array settings under `node`.
fn leaf_settings(node: &Node, path: &str, out: &mut Vec<String>) {
    match node.as_object() {
        Some(members) if !members.is_empty() => {
            for member in members {
                leaf_settings(&member.value, &format!("{path}.{}", member.key), out);
            }
        }
        _ => out.push(format!("`{path}`")),
    }
}
