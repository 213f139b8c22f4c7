//! Nixpacks builder, nixpacks keys and files.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::{Dialect, Node};

declare_rule! {
    /// Nixpacks settings: a deprecated builder, nixpacks keys, or a nixpacks.toml file.
    ///
    /// ## What it checks
    /// `build.builder: "NIXPACKS"` (any case), the legacy keys `nixpacksConfigPath`, `nixpacksPlan`,
    /// `nixpacksVersion` in `railway.json`/`railway.toml` (also under `environments.*`), and a
    /// `nixpacks.toml` file in a service root.
    ///
    /// ## Why it matters on Railway
    /// Railpack is Railway's default builder and Nixpacks is deprecated. A `nixpacks.toml` is
    /// never read by Railpack, so whatever it configures (start command, packages) silently stops
    /// applying when the service moves to Railpack.
    ///
    /// ## Example
    /// ```json
    /// { "build": { "builder": "NIXPACKS", "nixpacksPlan": { "phases": {} } } }
    /// ```
    /// Fix: `{ "build": { "builder": "RAILPACK" } }` and move the plan into `railpack.json`.
    code: RC205,
    name: "deprecated-setting",
    severity: Warning,
    check: Project(check),
}

const NIXPACKS_KEYS: &[&str] = &["nixpacksConfigPath", "nixpacksPlan", "nixpacksVersion"];

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    for file in &cx.project.files {
        if file.dialect != Dialect::RailwayConfig {
            continue;
        }
        let Some(tree) = &file.tree else { continue };
        let mut builds: Vec<(String, &Node)> = Vec::new();
        if let Some(build) = tree.get("build") {
            builds.push(("/build".to_string(), build));
        }
        for env in tree.get("environments").and_then(Node::as_object).unwrap_or_default() {
            if let Some(build) = env.value.get("build") {
                builds.push((format!("/environments/{}/build", env.key), build));
            }
        }
        for (pointer, build) in builds {
            if let Some(builder) = build
                .get("builder")
                .filter(|b| b.as_str().is_some_and(|s| s.eq_ignore_ascii_case("nixpacks")))
            {
                out.push(
                    Diagnostic::new(
                        &META,
                        file.id,
                        builder.span.clone(),
                        "the NIXPACKS builder is deprecated",
                    )
                    .pointer(format!("{pointer}/builder"))
                    .help(
                        "use `\"builder\": \"RAILPACK\"` (Railway's default) and describe the build in railpack.json",
                    ),
                );
            }
            for member in build.as_object().unwrap_or_default() {
                if NIXPACKS_KEYS.contains(&member.key.as_str()) {
                    out.push(
                        Diagnostic::new(
                            &META,
                            file.id,
                            member.key_span.clone(),
                            format!("`{}` is a Nixpacks setting", member.key),
                        )
                        .pointer(format!("{pointer}/{}", member.key))
                        .help("Railpack does not read it; move what it configures into railpack.json"),
                    );
                }
            }
        }
    }
    for service in &cx.project.services {
        let rel = if service.root.is_empty() {
            "nixpacks.toml".to_string()
        } else {
            format!("{}/nixpacks.toml", service.root)
        };
        if !fs.is_file(&cx.project.abs(&service.root).join("nixpacks.toml")) {
            continue;
        }
        let message = format!("`{rel}` is a Nixpacks config; Railpack never reads it");
        let help =
            "move its settings into railpack.json (provider, packages, steps, deploy.startCommand) and delete it";
        let d = match service.anchor() {
            Some(at) => Diagnostic::new(&META, at.file, at.key_or_value(), message),
            None => Diagnostic::project(&META, message),
        };
        out.push(d.help(help).service(service.name.clone()));
    }
}
