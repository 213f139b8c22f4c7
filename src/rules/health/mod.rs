//! RC4xx: health checks.

pub mod health_check_mismatch;
pub mod health_check_missing;
pub mod health_check_not_read;
pub mod health_path_invalid;
pub mod health_route_not_found;
pub mod health_timeout_invalid;

use super::Rule;
use crate::model::{Project, Service};

pub static RULES: &[&Rule] = &[
    &health_check_missing::RULE,
    &health_path_invalid::RULE,
    &health_timeout_invalid::RULE,
    &health_route_not_found::RULE,
    &health_check_not_read::RULE,
    &health_check_mismatch::RULE,
];

pub use crate::model::read_by_railway;

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
pub fn looks_like_web(project: &Project, service: &Service) -> bool {
    if service
        .start_commands
        .iter()
        .any(|c| SERVER_COMMANDS.iter().any(|p| c.value.contains(p)))
    {
        return true;
    }
    let root = project.abs(&service.root);
    let read = |name: &str| crate::util::fs::read_source(&root.join(name));
    if let Some(package) = read("package.json")
        && let Ok(value) = serde_json::from_str::<serde_json::Value>(&package)
    {
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
