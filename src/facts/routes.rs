//! What HTTP paths a service's source serves, as far as railcheck can tell by reading it:
//! FastAPI/Starlette and Flask decorators (with router and blueprint prefixes), Express,
//! Fastify, Koa and Hono `app.get('/x')`, Next.js App Router `route`/`page` files and
//! Pages Router files, and files under Next.js' `public/`. When anything makes the answer
//! uncertain (a path that is not a literal, Django, Next.js middleware, `basePath` or
//! rewrites), the scan says so and RC404 stays silent.

use std::path::Path;

use crate::util::fscache::{self, EntryKind, Walked};

/// At most this many source files are read per service.
const MAX_FILES: usize = 5_000;
const PRUNE: &[&str] = &[
    "node_modules",
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    ".next",
    "dist",
    "build",
    "target",
    ".turbo",
    "site-packages",
];

#[derive(Debug, Default)]
pub struct Routes {
    /// Frameworks whose routes were found.
    pub frameworks: Vec<&'static str>,
    /// Route patterns as written (`/health`, `/items/{id}`, `/api/[...slug]`).
    pub paths: Vec<String>,
    /// Router, blueprint and mount prefixes seen anywhere.
    pub prefixes: Vec<String>,
    /// Something railcheck cannot follow was found: do not judge.
    pub uncertain: bool,
}

impl Routes {
    /// Does any route (alone or under any prefix) match this request path?
    pub fn serves(&self, path: &str) -> bool {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let want = segments(path);
        let mut prefixes: Vec<&str> = vec![""];
        prefixes.extend(self.prefixes.iter().map(String::as_str));
        self.paths.iter().any(|route| {
            prefixes.iter().any(|prefix| {
                let mut pattern = segments(prefix);
                pattern.extend(segments(route));
                matches(&pattern, &want)
            })
        })
    }
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn matches(pattern: &[&str], path: &[&str]) -> bool {
    match (pattern.first(), path.first()) {
        (None, None) => true,
        (Some(p), _) if is_catch_all(p) => true,
        (Some(p), Some(s)) => (is_param(p) || p == s) && matches(&pattern[1..], &path[1..]),
        _ => false,
    }
}

fn is_param(segment: &str) -> bool {
    (segment.starts_with('{') && segment.ends_with('}'))
        || (segment.starts_with('<') && segment.ends_with('>'))
        || (segment.starts_with('[') && segment.ends_with(']'))
        || segment.starts_with(':')
        || segment == "*"
}

fn is_catch_all(segment: &str) -> bool {
    segment.starts_with("[...") || segment.starts_with("[[...") || segment == "*" || segment.ends_with(":path}")
}

/// Reads the service's source under `root`.
pub fn scan(root: &Path) -> Routes {
    let mut routes = Routes::default();
    scan_next(root, &mut routes);
    // Listed from the run's file-system cache: the discovery walk has read these folders.
    let keep = |e: &Walked| !(e.kind == EntryKind::Dir && PRUNE.contains(&e.file_name().to_string_lossy().as_ref()));
    let mut files = 0;
    for entry in fscache::walk(root, 10, &keep) {
        if entry.kind != EntryKind::File {
            continue;
        }
        let path = entry.path.as_path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let lang = match ext {
            "py" => Lang::Python,
            "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => Lang::Js,
            _ => continue,
        };
        files += 1;
        if files > MAX_FILES {
            routes.uncertain = true;
            break;
        }
        // A source file too large to read might hold the route: do not judge.
        let Some(text) = crate::util::fs::read_source(path) else {
            routes.uncertain = true;
            continue;
        };
        match lang {
            Lang::Python => scan_python(&text, &mut routes),
            Lang::Js => scan_js(&text, &mut routes),
        }
    }
    routes.frameworks.sort_unstable();
    routes.frameworks.dedup();
    routes
}

enum Lang {
    Python,
    Js,
}

/// The string literal at the start of `text` (after spaces), if it is one.
fn literal(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let rest = &text[1..];
    let end = rest.find(quote)?;
    let value = &rest[..end];
    (!(quote == '`' && value.contains("${"))).then_some(value)
}

/// Every `needle(` call in `text`, yielding the text after the parenthesis.
fn calls<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(needle).filter_map(move |(i, _)| {
        // The needle must not continue an identifier (`my_app.get(` is fine, `xapp.get(` is not).
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !needle.starts_with(['.', '@']) {
            return None;
        }
        Some(&text[i + needle.len()..])
    })
}

/// The value of keyword argument `key=` inside the call that starts at `args`.
fn keyword<'a>(args: &'a str, key: &str) -> Option<Option<&'a str>> {
    let close = args.find(')').unwrap_or(args.len());
    let inside = &args[..close];
    let at = inside.find(key)?;
    let after = inside[at + key.len()..].trim_start().strip_prefix('=')?;
    Some(literal(after))
}

fn scan_python(text: &str, routes: &mut Routes) {
    let fastapi = text.contains("fastapi") || text.contains("starlette");
    let flask = text.contains("flask") || text.contains("Flask");
    if text.contains("django") && (text.contains("urlpatterns") || text.contains("from django.urls")) {
        routes.uncertain = true;
    }
    if !fastapi && !flask {
        return;
    }
    routes.frameworks.push(if fastapi { "FastAPI" } else { "Flask" });
    for line in text.lines() {
        let line = line.trim_start();
        let Some(decorator) = line.strip_prefix('@') else {
            for (needle, is_prefix) in [
                ("add_api_route(", false),
                ("add_url_rule(", false),
                ("Route(", false),
                (".mount(", true),
            ] {
                for args in calls(line, needle) {
                    push(routes, literal(args), is_prefix);
                }
            }
            for needle in ["APIRouter(", "include_router(", "Blueprint(", "register_blueprint("] {
                for args in calls(line, needle) {
                    for key in ["prefix", "url_prefix"] {
                        if let Some(value) = keyword(args, key) {
                            push(routes, value, true);
                        }
                    }
                }
            }
            continue;
        };
        let Some(dot) = decorator.find('.') else { continue };
        let rest = &decorator[dot + 1..];
        let Some(paren) = rest.find('(') else { continue };
        let method = &rest[..paren];
        if matches!(
            method,
            "get" | "post" | "put" | "delete" | "patch" | "head" | "options" | "api_route" | "route" | "websocket"
        ) {
            let args = &rest[paren + 1..];
            if args.trim_start().starts_with("path") {
                push(routes, keyword(args, "path").flatten(), false);
            } else {
                push(routes, literal(args), false);
            }
        }
    }
}

fn scan_js(text: &str, routes: &mut Routes) {
    let imported = |module: &str| text.contains(&format!("'{module}'")) || text.contains(&format!("\"{module}\""));
    let Some((_, framework)) = [
        ("express", "Express"),
        ("fastify", "Fastify"),
        ("koa", "Koa"),
        ("@koa/router", "Koa"),
        ("hono", "Hono"),
    ]
    .into_iter()
    .find(|(module, _)| imported(module)) else {
        return;
    };
    routes.frameworks.push(framework);
    for receiver in [
        "app",
        "router",
        "server",
        "api",
        "fastify",
        "routes",
        "health",
        "healthRouter",
        "apiRouter",
    ] {
        for method in ["get", "all", "head", "route", "use"] {
            let needle = format!("{receiver}.{method}(");
            for args in calls(text, &needle) {
                let value = literal(args);
                if method == "use" {
                    // `app.use(cors())` mounts middleware, not a path: only literals count.
                    if value.is_some() {
                        push(routes, value, true);
                    }
                } else {
                    push(routes, value, false);
                }
            }
        }
    }
    for args in calls(text, "url:") {
        if let Some(value) = literal(args) {
            routes.paths.push(value.to_string());
        }
    }
}

fn push(routes: &mut Routes, value: Option<&str>, prefix: bool) {
    match value {
        Some(v) if prefix => routes.prefixes.push(v.to_string()),
        Some(v) => routes.paths.push(v.to_string()),
        None => routes.uncertain = true,
    }
}

/// Next.js: App Router `route`/`page` files, Pages Router files, `public/` files.
fn scan_next(root: &Path, routes: &mut Routes) {
    let Some(package) = crate::util::fs::read_source(&root.join("package.json")) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&package) else {
        return;
    };
    if value["dependencies"].get("next").is_none() && value["devDependencies"].get("next").is_none() {
        return;
    }
    routes.frameworks.push("Next.js");
    for name in ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"] {
        if let Some(config) = crate::util::fs::read_source(&root.join(name))
            && (config.contains("basePath") || config.contains("rewrites"))
        {
            routes.uncertain = true;
        }
    }
    for dir in ["", "src/"] {
        for ext in ["ts", "js"] {
            if crate::util::fscache::is_file(&root.join(format!("{dir}middleware.{ext}"))) {
                routes.uncertain = true;
            }
        }
        let app = root.join(format!("{dir}app"));
        for entry in fscache::walk(&app, 12, &|_| true) {
            let name = entry.file_name().to_string_lossy();
            let stem = name.split('.').next().unwrap_or_default();
            if entry.kind == EntryKind::File && matches!(stem, "route" | "page") {
                let rel = entry.path.parent().and_then(|p| p.strip_prefix(&app).ok());
                if let Some(rel) = rel {
                    let segments: Vec<String> = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .filter(|s| !(s.starts_with('@') || (s.starts_with('(') && s.ends_with(')'))))
                        .collect();
                    routes.paths.push(format!("/{}", segments.join("/")));
                }
            }
        }
        let pages = root.join(format!("{dir}pages"));
        for entry in fscache::walk(&pages, 12, &|_| true) {
            if entry.kind != EntryKind::File {
                continue;
            }
            let Ok(rel) = entry.path.strip_prefix(&pages) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let Some((stem, _)) = rel.rsplit_once('.') else {
                continue;
            };
            if stem.starts_with('_') {
                continue;
            }
            let stem = stem
                .strip_suffix("/index")
                .or_else(|| (stem == "index").then_some(""))
                .unwrap_or(stem);
            routes.paths.push(format!("/{stem}"));
        }
    }
    let public = root.join("public");
    for entry in fscache::walk(&public, 8, &|_| true) {
        if entry.kind == EntryKind::File
            && let Ok(rel) = entry.path.strip_prefix(&public)
        {
            routes
                .paths
                .push(format!("/{}", rel.to_string_lossy().replace('\\', "/")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(text: &str) -> Routes {
        let mut r = Routes::default();
        scan_python(text, &mut r);
        r
    }

    fn js(text: &str) -> Routes {
        let mut r = Routes::default();
        scan_js(text, &mut r);
        r
    }

    #[test]
    fn fastapi_routes_and_router_prefixes() {
        let r = py(
            "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/api\")\n@router.get(\"/health\")\ndef h(): ...\n",
        );
        assert!(r.serves("/api/health"));
        assert!(r.serves("/health"), "prefixes are over-approximated, never under");
        assert!(!r.serves("/healthz"));
        let r = py("from fastapi import FastAPI\napp = FastAPI()\n@app.get('/items/{item_id}')\ndef i(): ...\n");
        assert!(r.serves("/items/3"));
        assert!(!r.uncertain);
    }

    #[test]
    fn non_literal_paths_make_the_scan_uncertain() {
        assert!(py("from fastapi import FastAPI\n@app.get(HEALTH_PATH)\ndef h(): ...\n").uncertain);
        assert!(js("const express = require('express');\napp.get(PATH, h)").uncertain);
    }

    #[test]
    fn flask_and_express() {
        let r = py("from flask import Flask\n@app.route(\"/healthz\", methods=[\"GET\"])\ndef h(): ...\n");
        assert!(r.serves("/healthz"));
        let r = js(
            "import express from 'express';\nconst app = express();\napp.use(cors());\napp.use('/api', router);\nrouter.get('/health', (req, res) => res.send('ok'));\n",
        );
        assert!(r.serves("/api/health"));
        assert!(!r.uncertain);
        assert!(!r.serves("/status"));
    }

    #[test]
    fn no_framework_no_routes() {
        let r = js("const m = new Map(); m.get('/health');");
        assert!(r.frameworks.is_empty() && r.paths.is_empty());
    }
}
