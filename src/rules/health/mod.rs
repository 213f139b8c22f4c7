//! RC4xx: health checks.

pub(crate) mod health_check_mismatch;
pub(crate) mod health_check_missing;
pub(crate) mod health_check_not_read;
pub(crate) mod health_path_invalid;
pub(crate) mod health_route_not_found;
pub(crate) mod health_timeout_invalid;

use super::Rule;
use crate::model::{Project, Service};
use crate::util::fscache::FsCache;

pub(crate) static RULES: &[&Rule] = &[
    &health_check_missing::RULE,
    &health_path_invalid::RULE,
    &health_timeout_invalid::RULE,
    &health_route_not_found::RULE,
    &health_check_not_read::RULE,
    &health_check_mismatch::RULE,
];

pub(crate) use crate::model::read_by_railway;

/// Start commands that start an HTTP server.
const SERVER_COMMANDS: &[&str] = &[
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "daphne",
    "granian",
    "next start",
    "flask run",
    "runserver",
    "rails server",
    "rails s",
    "puma",
    "artisan serve",
    "fastapi run",
    "$PORT",
    "${PORT}",
    "--port",
];

/// JavaScript dependencies that make a package a web server when it runs.
const JS_SERVERS: &[&str] = &["next", "express", "fastify", "koa", "@nestjs/core", "hono"];
/// Python frameworks, as they appear in requirements.txt or pyproject.toml.
const PY_SERVERS: &[&str] = &["fastapi", "flask", "django", "starlette"];

/// Does this service look like a web service? True only on clear evidence: a start
/// command that starts a server, or a known web framework among the root's dependencies.
pub(crate) fn looks_like_web(fs: &FsCache, project: &Project, service: &Service) -> bool {
    if service
        .start_commands
        .iter()
        .any(|c| SERVER_COMMANDS.iter().any(|p| c.value.contains(p)))
    {
        return true;
    }
    let root = project.abs(&service.root);
    let read = |name: &str| crate::util::fs::read_source(fs, &root.join(name));
    if let Some(value) = crate::util::fs::read_source_json(fs, &root.join("package.json")) {
        let has = |dep: &str| {
            ["dependencies", "devDependencies"]
                .iter()
                .any(|k| value[k].get(dep).is_some())
        };
        if JS_SERVERS.iter().any(|d| has(d)) {
            return true;
        }
    }
    for name in ["requirements.txt", "pyproject.toml"] {
        if let Some(text) = read(name) {
            let lower = text.to_ascii_lowercase();
            if lower.lines().any(|line| {
                let line = line.trim().trim_start_matches('"');
                PY_SERVERS.iter().any(|f| {
                    line.strip_prefix(f).is_some_and(|rest| {
                        rest.is_empty() || rest.starts_with(['=', '>', '<', '~', '[', ' ', '"', '!'])
                    })
                })
            }) {
                return true;
            }
        }
    }
    false
}

/// Start commands Railpack itself treats as the framework's default, not a custom one
/// (core/providers/node: `DefaultNextStartCommand` and its Angular and CRA siblings).
const DEFAULT_SPA_STARTS: &[&str] = &["next start", "react-scripts start", "ng serve"];

/// Is a `RAILPACK_*` setting declared with a truthy value among the service's variables?
fn railpack_setting(service: &Service, name: &str) -> Option<String> {
    service
        .variables
        .iter()
        .find(|v| v.name == name)
        .map(|v| v.value.as_ref().map_or(String::new(), |s| s.value.clone()))
}

/// The custom start command that keeps Railpack from serving a single-page app with Caddy:
/// one in the service's config files, or package.json's `start` script, unless it is the
/// framework's default (core/providers/node/spa.go, `hasCustomStartCommand`).
pub(crate) fn custom_start_command(fs: &FsCache, project: &Project, service: &Service) -> Option<String> {
    let is_default = |cmd: &str| DEFAULT_SPA_STARTS.contains(&cmd.trim());
    if let Some((start, _)) = service.start_source() {
        return (!is_default(&start.value)).then(|| start.value.clone());
    }
    if let Some(cmd) = railpack_setting(service, "RAILPACK_START_CMD").filter(|c| !c.is_empty()) {
        return (!is_default(&cmd)).then_some(cmd);
    }
    let value = crate::util::fs::read_source_json(fs, &project.abs(&service.root).join("package.json"))?;
    let start = value["scripts"]["start"].as_str()?;
    (!is_default(start)).then(|| start.to_string())
}

/// Is `RAILPACK_NO_SPA` set (to anything but a false value) for the service?
pub(crate) fn no_spa(service: &Service) -> bool {
    railpack_setting(service, "RAILPACK_NO_SPA").is_some_and(|v| !matches!(v.trim(), "0" | "false" | "False" | "FALSE"))
}

/// The framework, when Railpack deploys the service as a single-page app served by Caddy,
/// whose Caddyfile answers `/health` and every other path with 200 (`try_files` falls
/// back to `/index.html`; core/providers/node/spa.go, domain.md section 1 "Single-page
/// apps"): a Node app built with Vite, Create React App, Angular, Astro without a server
/// adapter, or Next.js with `output: 'export'`, with no custom start command and without
/// `RAILPACK_NO_SPA`. `RAILPACK_SPA_OUTPUT_DIR` forces it. Read from package.json only;
/// any doubt (another provider, a Dockerfile builder) gives `None`.
pub(crate) fn caddy_serves_spa(fs: &FsCache, project: &Project, service: &Service) -> Option<&'static str> {
    if !service.root_exists || no_spa(service) {
        return None;
    }
    if service
        .builder
        .as_ref()
        .is_some_and(|b| b.value.eq_ignore_ascii_case("DOCKERFILE"))
        || fs.is_file(&project.abs(&service.root).join("Dockerfile"))
    {
        return None;
    }
    if service
        .effective_provider()
        .is_some_and(|p| !p.value.eq_ignore_ascii_case("node"))
    {
        return None;
    }
    let value = crate::util::fs::read_source_json(fs, &project.abs(&service.root).join("package.json"))?;
    if railpack_setting(service, "RAILPACK_SPA_OUTPUT_DIR").is_some_and(|v| !v.is_empty()) {
        return Some("static");
    }
    if custom_start_command(fs, project, service).is_some() {
        return None;
    }
    let has = |dep: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| value[k].get(dep).is_some())
    };
    if has("next") {
        let (_, text) = crate::rules::guide::next_config(fs, project, service)?;
        return crate::rules::guide::static_export_api_health::static_export_at(&text).map(|_| "Next.js static export");
    }
    let server_adapter = [
        "@astrojs/node",
        "@astrojs/vercel",
        "@astrojs/netlify",
        "@astrojs/cloudflare",
    ];
    if has("astro") {
        return (!server_adapter.iter().any(|a| has(a))).then_some("Astro");
    }
    [
        ("vite", "Vite"),
        ("react-scripts", "Create React App"),
        ("@angular/core", "Angular"),
    ]
    .into_iter()
    .find(|(dep, _)| has(dep))
    .map(|(_, name)| name)
}
