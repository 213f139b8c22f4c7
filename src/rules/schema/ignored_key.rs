//! a key that Railpack or Railway does not read.

use crate::diagnostic::{Diagnostic, Fix};
use crate::platform::keys::{RAILPACK_DEPLOY, RAILPACK_ROOT, RAILPACK_STEP};
use crate::platform::schema::issue_span;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::IssueKind;
use crate::source::{Dialect, SourceFile};

declare_rule! {
    /// A key that Railpack or Railway silently ignores, with where the setting belongs.
    ///
    /// ## What it checks
    /// Keys that the reader of the file does not know: in `railpack.json` (root, `deploy`, steps,
    /// caches, command objects), in `railway.json`/`railway.toml` (root, `build`, `deploy`,
    /// `environments.*`), and in the guide's manifest. Each finding suggests the right key
    /// (`env` -> `variables`, `cache` -> `caches`, `startCmd` -> `deploy.startCommand`,
    /// `healthCheckPath` -> railway.json `deploy.healthcheckPath`, top-level `builder` ->
    /// `build.builder`) or the closest known one.
    ///
    /// ## Why it matters on Railway
    /// Railpack decodes its config with plain `json.Unmarshal`: unknown keys are dropped without a
    /// word. A health check, a start command or a step's environment can be configured and never
    /// used. In a sample of 40 public `railpack.json` files, 17 had such keys.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "env": { "NODE_ENV": "production" } } } }
    /// ```
    /// Fix: `"variables": { "NODE_ENV": "production" }`.
    code: RC202,
    name: "ignored-key",
    severity: Warning,
    check: File(check),
}

const RAILWAY_ROOT: &[&str] = &["$schema", "build", "deploy", "environments"];
const RAILWAY_BUILD: &[&str] = &[
    "builder",
    "buildCommand",
    "watchPatterns",
    "dockerfilePath",
    "railpackVersion",
    "nixpacksConfigPath",
    "nixpacksPlan",
    "nixpacksVersion",
];
const RAILWAY_DEPLOY: &[&str] = &[
    "startCommand",
    "preDeployCommand",
    "healthcheckPath",
    "healthcheckTimeout",
    "restartPolicyType",
    "restartPolicyMaxRetries",
    "cronSchedule",
    "numReplicas",
    "multiRegionConfig",
    "region",
    "sleepApplication",
    "overlapSeconds",
    "drainingSeconds",
    "requiredMountPath",
    "registryCredentials",
    "limitOverride",
    "ipv6EgressEnabled",
];

/// Where the object holding an unknown key sits, in reader terms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    RailpackRoot,
    RailpackDeploy,
    RailpackStep,
    RailwayRoot,
    RailwayBuild,
    RailwayDeploy,
    Other,
}

fn place(file: &SourceFile, pointer: &str) -> Place {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    if file.dialect == Dialect::RailwayConfig {
        return match parts.as_slice() {
            [] => Place::RailwayRoot,
            ["build"] | ["environments", _, "build"] => Place::RailwayBuild,
            ["deploy"] | ["environments", _, "deploy"] => Place::RailwayDeploy,
            _ => Place::Other,
        };
    }
    match parts.as_slice() {
        [] => Place::RailpackRoot,
        ["deploy"] | ["build", "deploy"] => Place::RailpackDeploy,
        ["services", _, "deploy"] => Place::RailpackDeploy,
        ["steps", _] | ["build", "steps", _] | ["services", _, "build", "steps", _] => Place::RailpackStep,
        _ => Place::Other,
    }
}

/// A fix for a known mistake: (suggested key, where it belongs).
fn known_fix(key: &str, place: Place) -> Option<String> {
    let fix = match (key, place) {
        ("env" | "environment", Place::RailpackStep) => "use `variables` (a step's environment)",
        ("env" | "environment", Place::RailpackDeploy) => "use `deploy.variables` (run-time environment)",
        ("cache", Place::RailpackStep) => "use `caches` (a list of top-level cache names)",
        ("name" | "dependsOn" | "depends_on", Place::RailpackStep) => {
            "steps have no such key: the step's name is its key, and `inputs` orders steps"
        }
        ("startCmd" | "startCommand" | "start", Place::RailpackRoot) => "use `deploy.startCommand`",
        ("startCmd", Place::RailpackDeploy) => "use `startCommand`",
        ("buildCommand" | "buildCmd" | "build", Place::RailpackRoot) => {
            "put build commands in a step's `commands` (or `build` on the service in `.railway/railway.ts`)"
        }
        ("installCommand" | "installCmd", Place::RailpackRoot) => "put install commands in a step's `commands`",
        ("healthCheckPath" | "healthcheckPath" | "healthCheck", Place::RailpackDeploy | Place::RailpackRoot) => {
            "Railpack never reads health checks: set `healthcheck` on the service in `.railway/railway.ts` or in the service settings"
        }
        ("healthCheckTimeout" | "healthcheckTimeout", Place::RailpackDeploy | Place::RailpackRoot) => {
            "Railpack never reads health checks: set `healthcheckTimeout` on the service in `.railway/railway.ts` or in the service settings"
        }
        ("restartPolicyType" | "restartPolicyMaxRetries" | "numReplicas", Place::RailpackDeploy) => {
            "Railpack does not read deploy policies: set it under `deploy` on the service in `.railway/railway.ts` or in the service settings"
        }
        ("healthCheckPath", Place::RailwayDeploy) => "the key is `healthcheckPath` (lowercase `c`)",
        ("healthCheckTimeout", Place::RailwayDeploy) => "the key is `healthcheckTimeout` (lowercase `c`)",
        ("builder" | "buildCommand" | "watchPatterns" | "dockerfilePath", Place::RailwayRoot) => {
            return Some(format!("move it under `build`: `build.{key}`"));
        }
        ("startCommand" | "healthcheckPath" | "healthcheckTimeout" | "restartPolicyType", Place::RailwayRoot) => {
            return Some(format!("move it under `deploy`: `deploy.{key}`"));
        }
        _ => return None,
    };
    Some(fix.to_string())
}

fn candidates(place: Place) -> &'static [&'static str] {
    match place {
        Place::RailpackRoot => RAILPACK_ROOT,
        Place::RailpackDeploy => RAILPACK_DEPLOY,
        Place::RailpackStep => RAILPACK_STEP,
        Place::RailwayRoot => RAILWAY_ROOT,
        Place::RailwayBuild => RAILWAY_BUILD,
        Place::RailwayDeploy => RAILWAY_DEPLOY,
        Place::Other => &[],
    }
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(tree) = &file.tree else { return };
    let mut unexpected: Vec<(String, String, std::ops::Range<usize>)> = Vec::new();
    for issue in &file.schema_issues {
        let IssueKind::Unexpected(key) = &issue.kind else {
            continue;
        };
        // The guide's own top-level keys are RC204's, reported once per file.
        if file.dialect.is_guide() && issue.pointer.is_empty() {
            continue;
        }
        unexpected.push((issue.pointer.clone(), key.clone(), issue_span(issue, tree)));
    }
    // A guide-format service file is still read as railpack.json: its `deploy` block is
    // Railpack's, so deploy keys the guide allows but Railpack lacks are ignored too.
    if file.dialect == Dialect::GuideService {
        for member in tree.get("deploy").and_then(|d| d.as_object()).unwrap_or_default() {
            let already = unexpected.iter().any(|(p, k, _)| p == "/deploy" && *k == member.key);
            if !RAILPACK_DEPLOY.contains(&member.key.as_str()) && !already {
                unexpected.push(("/deploy".to_string(), member.key.clone(), member.key_span.clone()));
            }
        }
    }
    for (pointer, key, span) in unexpected {
        out.push(diagnostic(file, &pointer, &key, span));
    }
}

/// The certain fixes (`validate --fix`): a key renamed in place, never moved, and only when
/// the object has no key of the new name yet and the value fits the new key.
fn rename_fix(file: &SourceFile, pointer: &str, key: &str, span: &std::ops::Range<usize>, place: Place) -> Option<Fix> {
    // Only Railpack's own files: the guide's layout is for `railcheck migrate`, and
    // railway.json/railway.toml stop being read on 2026-12-01 (nothing edits them).
    if file.dialect != Dialect::Native {
        return None;
    }
    let parent = file.tree.as_ref()?.pointer(pointer)?;
    let value = parent.get(key)?;
    let new_key = match (key, place) {
        ("env", Place::RailpackStep | Place::RailpackDeploy) if value.as_object().is_some() => "variables",
        ("cache", Place::RailpackStep) if value.as_array().is_some() => "caches",
        ("startCmd", Place::RailpackDeploy) if value.as_str().is_some() => "startCommand",
        // A case-only misspelling of a key this place knows.
        _ => candidates(place)
            .iter()
            .copied()
            .find(|c| c.eq_ignore_ascii_case(key) && *c != key)?,
    };
    if parent.get(new_key).is_some() {
        return None;
    }
    Fix::rename_key(file.id, &file.text, span, key, new_key)
}

fn diagnostic(file: &SourceFile, pointer: &str, key: &str, span: std::ops::Range<usize>) -> Diagnostic {
    let place = place(file, pointer);
    let fix = rename_fix(file, pointer, key, &span, place);
    let reader = if file.dialect == Dialect::RailwayConfig {
        "Railway"
    } else {
        "Railpack"
    };
    let at = if pointer.is_empty() {
        String::new()
    } else {
        format!(" in `{pointer}`")
    };
    let mut d = Diagnostic::new(
        &META,
        file.id,
        span,
        format!("{reader} ignores unknown key `{key}`{at}"),
    )
    .pointer(format!("{pointer}/{}", crate::source::escape_pointer_segment(key)));
    if let Some(fix) = known_fix(key, place) {
        d = d.help(fix);
    } else if let Some(near) = crate::util::text::closest(key, candidates(place).iter().copied()) {
        d = d.help(format!("did you mean `{near}`?"));
    } else if !candidates(place).is_empty() {
        d = d.help(format!("known keys here: {}", candidates(place).join(", ")));
    }
    if let Some(fix) = fix {
        d = d.fix(fix);
    }
    if reader == "Railpack" {
        d = d.note("Railpack decodes its config without rejecting unknown keys, so this setting is silently unused");
    }
    d
}
