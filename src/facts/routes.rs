//! What HTTP paths a service's source serves, as far as railcheck can tell by reading it:
//! FastAPI/Starlette and Flask decorators (with router and blueprint prefixes), Django
//! `path()`/`re_path()` (with `include()` prefixes), Express, Fastify, Koa (koa-router) and
//! Hono `app.get('/x')`, NestJS controllers (with `setGlobalPrefix`), Go `net/http`, chi,
//! gin, echo and gorilla/mux, Next.js App Router `route`/`page` files, Pages Router files,
//! and files under Next.js' `public/`. When anything makes the answer uncertain (a path
//! that is not a literal, a framework railcheck does not know, Next.js middleware,
//! `basePath` or rewrites), the scan says so and RC404 stays silent.

use std::path::{Path, PathBuf};

use crate::util::fscache::{EntryKind, FsCache, Walked};

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
    "vendor",
];

/// Files in a service's root that mean its server is written in a language (and so with
/// a framework) railcheck does not read: a Flask script beside a `pom.xml` is not the app.
const UNKNOWN_STACK_MARKERS: &[&str] = &[
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
    "Cargo.toml",
    "composer.json",
    "mix.exs",
    "gleam.toml",
];

/// Node server frameworks whose routes railcheck does not read: with one of them in the
/// root's package.json, a stray Express file is not evidence of what the app serves.
const UNKNOWN_JS_FRAMEWORKS: &[&str] = &[
    "nuxt",
    "@sveltejs/kit",
    "@remix-run/node",
    "@remix-run/serve",
    "@react-router/serve",
    "astro",
    "@hapi/hapi",
    "restify",
    "elysia",
    "@adonisjs/core",
    "sails",
    "@trpc/server",
    "h3",
    "nitropack",
    "@angular/ssr",
];

/// Go routers railcheck does not read, as their import paths start (with the quote).
const UNKNOWN_GO_ROUTERS: &[&str] = &[
    "\"github.com/gofiber/fiber",
    "\"github.com/kataras/iris",
    "\"github.com/beego/beego",
    "\"github.com/gobuffalo/buffalo",
    "\"github.com/valyala/fasthttp",
    "\"github.com/zeromicro/go-zero",
    "\"github.com/danielgtaylor/huma",
    "\"goa.design/goa",
    "\"github.com/go-kratos/kratos",
    "\"github.com/cloudwego/hertz",
];

#[derive(Debug, Default)]
pub(crate) struct Routes {
    /// Frameworks whose routes were found.
    pub(crate) frameworks: Vec<&'static str>,
    /// Route patterns as written (`/health`, `/items/{id}`, `/api/[...slug]`).
    pub(crate) paths: Vec<String>,
    /// Router, blueprint and mount prefixes seen anywhere.
    pub(crate) prefixes: Vec<String>,
    /// NestJS routes (controller path joined with the method's path), before the global
    /// prefix: unlike the prefixes above, `setGlobalPrefix` applies to every one of them.
    pub(crate) nest_paths: Vec<String>,
    /// `app.setGlobalPrefix('api/v1')` arguments.
    pub(crate) global_prefixes: Vec<String>,
    /// Something railcheck cannot follow was found: do not judge.
    pub(crate) uncertain: bool,
}

impl Routes {
    /// Does any route (alone or under any prefix) match this request path?
    pub(crate) fn serves(&self, path: &str) -> bool {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let want = segments(path);
        let mut prefixes: Vec<&str> = vec![""];
        prefixes.extend(self.prefixes.iter().map(String::as_str));
        let plain = self.paths.iter().any(|route| {
            prefixes.iter().any(|prefix| {
                let mut pattern = segments(prefix);
                pattern.extend(segments(route));
                matches(&pattern, &want)
            })
        });
        // NestJS: with a global prefix, every controller route lives under it and only there.
        let global: Vec<&str> = if self.global_prefixes.is_empty() {
            vec![""]
        } else {
            self.global_prefixes.iter().map(String::as_str).collect()
        };
        plain
            || self.nest_paths.iter().any(|route| {
                global.iter().any(|prefix| {
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
    segment.starts_with("[...")
        || segment.starts_with("[[...")
        || segment.starts_with('*')
        || segment.ends_with(":path}")
        || segment.ends_with("...}")
}

/// Reads the service's source under `root`, leaving out the folders in `skip` (the roots
/// of other services nested inside this one: their code is not this service's app).
pub(crate) fn scan(fs: &FsCache, root: &Path, skip: &[PathBuf]) -> Routes {
    let mut routes = Routes::default();
    if UNKNOWN_STACK_MARKERS
        .iter()
        .any(|marker| !fs.lacks(root, marker) && fs.is_file(&root.join(marker)))
    {
        routes.uncertain = true;
    }
    // Decoded once per run, however many rules and services read it.
    let package = crate::util::fs::read_source_json(fs, &root.join("package.json"));
    if let Some(package) = &package {
        scan_package_json(package, &mut routes);
        scan_next(fs, root, package, &mut routes);
    }
    // Listed from the run's file-system cache: the discovery walk has read these folders.
    let keep = |e: &Walked| {
        !(e.kind == EntryKind::Dir
            && (PRUNE.contains(&e.file_name().to_string_lossy().as_ref()) || skip.iter().any(|s| s == &e.path)))
    };
    let mut files = 0;
    let mut django = Django::default();
    for entry in fs.walk(root, 10, &keep) {
        if entry.kind != EntryKind::File {
            continue;
        }
        let path = entry.path.as_path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        let lang = match ext {
            "py" => Lang::Python,
            "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => Lang::Js,
            "go" => Lang::Go,
            _ => continue,
        };
        if lang == Lang::Python {
            django
                .modules
                .push(path.with_extension("").to_string_lossy().replace('\\', "/"));
        }
        files += 1;
        if files > MAX_FILES {
            routes.uncertain = true;
            break;
        }
        // A source file too large to read might hold the route: do not judge.
        let Some(text) = fs.read_shared(path, crate::util::fs::MAX_SOURCE_BYTES) else {
            routes.uncertain = true;
            continue;
        };
        match lang {
            Lang::Python => scan_python(&text, &mut routes, &mut django),
            Lang::Js => scan_js(&text, &mut routes),
            Lang::Go => scan_go(&text, &mut routes),
        }
    }
    django.resolve(&mut routes);
    routes.global_prefixes.sort_unstable();
    routes.global_prefixes.dedup();
    if routes.global_prefixes.len() > 1 {
        // Two different global prefixes: which one runs depends on code railcheck cannot follow.
        routes.uncertain = true;
    }
    routes.frameworks.sort_unstable();
    routes.frameworks.dedup();
    routes
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Python,
    Js,
    Go,
}

/// A root package.json that depends on a server framework railcheck does not read.
fn scan_package_json(value: &serde_json::Value, routes: &mut Routes) {
    let depends = |name: &str| {
        ["dependencies", "devDependencies"]
            .iter()
            .any(|k| value[k].get(name).is_some())
    };
    if UNKNOWN_JS_FRAMEWORKS.iter().any(|name| depends(name)) {
        routes.uncertain = true;
    }
}

/// The string literal at the start of `text` (after spaces), if it is one. Python's raw
/// (`r"..."`) and Go's backquoted strings count.
fn literal(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let text = text
        .strip_prefix(['r', 'R'])
        .filter(|t| t.starts_with(['"', '\'']))
        .unwrap_or(text);
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let rest = &text[1..];
    let end = rest.find(quote)?;
    let value = &rest[..end];
    (!(quote == '`' && value.contains("${"))).then_some(value)
}

/// Every `needle(` call in `text`, yielding the text after the parenthesis.
fn calls<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    calls_at(text, needle).map(|(_, args)| args)
}

/// Like [`calls`], with the offset of each match.
fn calls_at<'a>(text: &'a str, needle: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    text.match_indices(needle).filter_map(move |(i, _)| {
        // The needle must not continue an identifier (`my_app.get(` is fine, `xapp.get(` is not).
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') && !needle.starts_with(['.', '@']) {
            return None;
        }
        Some((i, &text[i + needle.len()..]))
    })
}

/// The identifier just before offset `dot` (a method call's receiver), "" when none.
fn receiver(text: &str, dot: usize) -> &str {
    let before = &text[..dot];
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_' || *c == '$')
        .last()
        .map_or(dot, |(i, _)| i);
    &before[start..]
}

/// The value of keyword argument `key=` inside the call that starts at `args`.
fn keyword<'a>(args: &'a str, key: &str) -> Option<Option<&'a str>> {
    let close = args.find(')').unwrap_or(args.len());
    let inside = &args[..close];
    let at = inside.find(key)?;
    let after = inside[at + key.len()..].trim_start().strip_prefix('=')?;
    Some(literal(after))
}

/// The text of a call's arguments up to its closing parenthesis (nested ones skipped).
fn call_args(args: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in args.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &args[..i],
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    args
}

/// `include()` prefixes of Django URL confs, resolved once every Python file is known.
#[derive(Default)]
struct Django {
    /// Every Python file scanned, as a `/`-separated path without extension.
    modules: Vec<String>,
    /// `path('api/', include('app.urls'))`: the prefix and the module, when a literal.
    includes: Vec<(String, Option<String>)>,
}

impl Django {
    fn resolve(&self, routes: &mut Routes) {
        for (prefix, module) in &self.includes {
            routes.prefixes.push(prefix.clone());
            let in_tree = module.as_ref().is_some_and(|m| {
                let tail = format!("/{}", m.replace('.', "/"));
                self.modules.iter().any(|f| f.ends_with(&tail))
            });
            if !in_tree {
                // A URL conf railcheck cannot read (an installed app, `router.urls`): it may
                // serve anything under its prefix.
                routes.paths.push(format!("/{}/*", prefix.trim_matches('/')));
            }
        }
    }
}

fn scan_python(text: &str, routes: &mut Routes, django: &mut Django) {
    let fastapi = text.contains("fastapi") || text.contains("starlette");
    let flask = text.contains("flask") || text.contains("Flask");
    if text.contains("urlpatterns") && (text.contains("django.urls") || text.contains("django.conf.urls")) {
        routes.frameworks.push("Django");
        scan_django(text, routes, django);
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

/// Django URL confs: `path('health/', view)`, `re_path(r'^health/?$', view)`, the old
/// `url()`, and `include()` under a prefix.
fn scan_django(text: &str, routes: &mut Routes, django: &mut Django) {
    for (needle, regex) in [("path(", false), ("re_path(", true), ("url(", true)] {
        for args in calls(text, needle) {
            let Some(pattern) = literal(args) else {
                // `path(settings.ADMIN_URL, ...)`: could be anything.
                routes.uncertain = true;
                continue;
            };
            let route = if regex {
                let Some(route) = django_regex(pattern) else {
                    routes.uncertain = true;
                    continue;
                };
                route
            } else {
                format!("/{pattern}")
            };
            let inside = call_args(args);
            match inside.find("include(") {
                Some(at) => {
                    let module = literal(&inside[at + "include(".len()..]).map(str::to_string);
                    django.includes.push((route, module));
                }
                None => routes.paths.push(route),
            }
        }
    }
}

/// A simple `re_path` regex as a route (`^health/?$` -> `/health/`); `None` when it is
/// not simple enough to read.
fn django_regex(pattern: &str) -> Option<String> {
    let mut rest = pattern.strip_prefix('^').unwrap_or(pattern);
    rest = rest.strip_suffix('$').unwrap_or(rest);
    rest = rest.strip_suffix("/?").unwrap_or(rest);
    let mut route = String::from("/");
    while !rest.is_empty() {
        if let Some(group) = rest.strip_prefix("(?P<") {
            // A named group: one path parameter, whatever its pattern (up to the group's end).
            let name_end = group.find('>')?;
            let close = group.find(')')?;
            route.push_str(&format!("<{}>", &group[..name_end]));
            rest = &group[close + 1..];
            continue;
        }
        let c = rest.chars().next()?;
        if "()[]{}*+?|\\.^$".contains(c) {
            return None;
        }
        route.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Some(route)
}

/// Receivers that are routers in the Node frameworks' own examples: a call on one of them
/// whose path is not a literal makes the scan uncertain.
const JS_ROUTERS: &[&str] = &[
    "app",
    "router",
    "server",
    "api",
    "fastify",
    "routes",
    "health",
    "healthRouter",
    "apiRouter",
    "instance",
];

fn scan_js(text: &str, routes: &mut Routes) {
    let nest = text.contains("'@nestjs/") || text.contains("\"@nestjs/");
    if nest {
        scan_nest(text, routes);
    }
    // A NestJS file that imports `express` (for its types, or body parsers) is still NestJS;
    // routes it adds on the HTTP adapter (`getHttpAdapter().get('/health', ...)`) count below.
    // Each module as imported: in single and in double quotes.
    let framework = [
        (["'express'", "\"express\""], "Express"),
        (["'fastify'", "\"fastify\""], "Fastify"),
        (["'@koa/router'", "\"@koa/router\""], "Koa"),
        (["'koa-router'", "\"koa-router\""], "Koa"),
        (["'koa'", "\"koa\""], "Koa"),
        (["'hono'", "\"hono\""], "Hono"),
        (["'@hono/node-server'", "\"@hono/node-server\""], "Hono"),
    ]
    .into_iter()
    .find(|(quoted, _)| !nest && quoted.iter().any(|q| text.contains(q)));
    // A file that imports no framework may still register routes on an app passed to it
    // (`export default (app) => app.get('/health', ...)`): its literal paths count, but
    // it names no framework and nothing in it makes the scan uncertain.
    let strict = framework.is_some();
    if let Some((_, framework)) = framework {
        routes.frameworks.push(framework);
    }
    // A middleware that compares the request path itself answers paths no route names.
    if strict
        && ["ctx.path", "ctx.url", "ctx.request.path", "req.path ==", "req.url =="]
            .iter()
            .any(|s| text.contains(s))
    {
        routes.uncertain = true;
    }
    for (method, needle) in [
        ("get", ".get("),
        ("all", ".all("),
        ("head", ".head("),
        ("route", ".route("),
        ("use", ".use("),
        ("prefix", ".prefix("),
        ("basePath", ".basePath("),
    ] {
        for (at, args) in calls_at(text, needle) {
            let known = strict && JS_ROUTERS.contains(&receiver(text, at));
            let value = literal(args);
            // Any receiver with a path-looking literal counts (over-approximation is safe);
            // other literals only on a known router (`headers.get('x')` is not a route).
            let value = value.filter(|v| known || v.starts_with('/') || *v == "*");
            match (method, value) {
                ("use" | "prefix" | "basePath", Some(v)) => routes.prefixes.push(v.to_string()),
                ("use" | "prefix" | "basePath", None) => {}
                ("route", Some(v)) => {
                    // Express `app.route('/x').get(...)`, Hono `app.route('/api', sub)`.
                    routes.paths.push(v.to_string());
                    routes.prefixes.push(v.to_string());
                }
                // Fastify `server.route({ url: '/x', ... })`: read below.
                ("route", None) if args.trim_start().starts_with('{') => {}
                (_, Some(v)) => routes.paths.push(v.to_string()),
                (_, None) if known => routes.uncertain = true,
                (_, None) => {}
            }
        }
    }
    for args in calls(text, "url:") {
        if let Some(value) = literal(args) {
            routes.paths.push(value.to_string());
        }
    }
    // Koa `new Router({ prefix: '/api' })`, Fastify `register(plugin, { prefix: '/api' })`.
    for args in calls(text, "prefix:") {
        if let Some(value) = literal(args) {
            routes.prefixes.push(value.to_string());
        }
    }
}

/// NestJS: `@Controller('health')` + `@Get()`, `@Controller()` + `@Get('health')`, and
/// `app.setGlobalPrefix('api/v1')` in front of every one of them.
fn scan_nest(text: &str, routes: &mut Routes) {
    routes.frameworks.push("NestJS");
    for args in calls(text, ".setGlobalPrefix(") {
        match literal(args) {
            // `{ exclude: [...] }` keeps some routes out of the prefix.
            Some(prefix) if !call_args(args).contains("exclude") => routes.global_prefixes.push(prefix.to_string()),
            _ => routes.uncertain = true,
        }
    }
    if ["RouterModule", "enableVersioning", "@Version("]
        .iter()
        .any(|s| text.contains(s))
    {
        routes.uncertain = true;
    }
    let mut marks: Vec<(usize, bool, &str)> = calls_at(text, "@Controller(")
        .map(|(at, args)| (at, true, args))
        .collect();
    for decorator in ["@Get(", "@All(", "@Head("] {
        marks.extend(calls_at(text, decorator).map(|(at, args)| (at, false, args)));
    }
    marks.sort_unstable_by_key(|m| m.0);
    let mut controller: Option<String> = None;
    for (_, is_controller, args) in marks {
        let inside = call_args(args).trim();
        let value = if inside.is_empty() {
            Some(String::new())
        } else if inside.starts_with('{') {
            // `@Controller({ path: 'health', host: ... })`; no `path` is the root.
            match inside.find("path:") {
                Some(at) => literal(&inside[at + "path:".len()..]).map(str::to_string),
                None => Some(String::new()),
            }
        } else {
            literal(inside).map(str::to_string)
        };
        let Some(value) = value else {
            routes.uncertain = true;
            continue;
        };
        if is_controller {
            controller = Some(value);
        } else if let Some(base) = &controller {
            routes.nest_paths.push(format!("/{base}/{value}"));
        }
    }
}

/// Go: `net/http` (`http.HandleFunc("/health", ...)`, `mux.HandleFunc("GET /health", ...)`),
/// chi (`r.Get`, `r.Route`, `r.Mount`), gin (`r.GET`, `r.Group`), echo (`e.GET`,
/// `e.Group`), gorilla/mux (`HandleFunc`, `PathPrefix`).
fn scan_go(text: &str, routes: &mut Routes) {
    if UNKNOWN_GO_ROUTERS.iter().any(|m| text.contains(m)) {
        routes.uncertain = true;
        return;
    }
    let mut known = false;
    for (module, name) in [
        ("\"github.com/go-chi/chi", "chi"),
        ("\"github.com/gin-gonic/gin", "gin"),
        ("\"github.com/labstack/echo", "echo"),
        ("\"github.com/gorilla/mux", "gorilla/mux"),
        ("\"github.com/julienschmidt/httprouter", "httprouter"),
    ] {
        if text.contains(module) {
            routes.frameworks.push(name);
            known = true;
        }
    }
    // Importing net/http is not serving: clients and status codes need it too.
    if text.contains("\"net/http\"")
        && (text.contains(".HandleFunc(") || text.contains(".Handle(") || text.contains("http.NewServeMux("))
    {
        routes.frameworks.push("net/http");
        known = true;
    }
    // As in JavaScript, a file without a router import may register routes on a router
    // passed to it: its literal paths count, and nothing in it makes the scan uncertain.
    let strict = known;
    const GO_ROUTERS: &[&str] = &[
        "r", "router", "mux", "e", "g", "app", "api", "server", "srv", "engine", "http", "v1", "group", "rg", "s",
    ];
    for (method, needle) in [
        ("HandleFunc", ".HandleFunc("),
        ("Handle", ".Handle("),
        ("Get", ".Get("),
        ("GET", ".GET("),
        ("Head", ".Head("),
        ("HEAD", ".HEAD("),
        ("Any", ".Any("),
        ("Method", ".Method("),
        ("MethodFunc", ".MethodFunc("),
    ] {
        for (at, args) in calls_at(text, needle) {
            let recv = receiver(text, at);
            let mut value = literal(args);
            // chi `r.Method("GET", "/x", h)`, gin `r.Handle("GET", "/x", h)`: the path comes second.
            if method.starts_with("Method")
                || (method == "Handle"
                    && value.is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_uppercase())))
            {
                value = second_arg(args).and_then(literal);
            }
            match value {
                Some(v) => {
                    // Go 1.22 patterns: `GET /health`, `/health/{$}`.
                    let v = v.rsplit_once(' ').map_or(v, |(_, p)| p);
                    let exact = v.strip_suffix("{$}");
                    if method.starts_with("Handle") && v.ends_with('/') && exact.is_none() {
                        // net/http: a pattern ending in `/` serves the whole subtree.
                        routes.paths.push(format!("{v}*"));
                    } else {
                        routes.paths.push(exact.unwrap_or(v).to_string());
                    }
                }
                None if strict && GO_ROUTERS.contains(&recv) => routes.uncertain = true,
                None => {}
            }
        }
    }
    for needle in [".Route(", ".Mount(", ".Group(", ".PathPrefix("] {
        for (at, args) in calls_at(text, needle) {
            match literal(args) {
                Some(v) => routes.prefixes.push(v.to_string()),
                None if strict && GO_ROUTERS.contains(&receiver(text, at)) && !call_args(args).trim().is_empty() => {
                    routes.uncertain = true
                }
                None => {}
            }
        }
    }
    for (method, catch_all) in [(".Static(", true), (".NoRoute(", false), (".NotFound(", false)] {
        for args in calls(text, method) {
            // A file server under its prefix; a fallback handler answers every path.
            let base = if catch_all { literal(args).unwrap_or("") } else { "" };
            routes.paths.push(format!("/{}/*", base.trim_matches('/')));
        }
    }
}

/// The text after a call's first top-level comma.
fn second_arg(args: &str) -> Option<&str> {
    let inside = call_args(args);
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in inside.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => return Some(&inside[i + 1..]),
            _ => {}
        }
    }
    None
}

fn push(routes: &mut Routes, value: Option<&str>, prefix: bool) {
    match value {
        Some(v) if prefix => routes.prefixes.push(v.to_string()),
        Some(v) => routes.paths.push(v.to_string()),
        None => routes.uncertain = true,
    }
}

/// Next.js: App Router `route`/`page` files, Pages Router files, `public/` files.
fn scan_next(fs: &FsCache, root: &Path, value: &serde_json::Value, routes: &mut Routes) {
    if value["dependencies"].get("next").is_none() && value["devDependencies"].get("next").is_none() {
        return;
    }
    routes.frameworks.push("Next.js");
    for name in ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"] {
        if !fs.lacks(root, name)
            && let Some(config) = crate::util::fs::read_source(fs, &root.join(name))
            && (config.contains("basePath") || config.contains("rewrites"))
        {
            routes.uncertain = true;
        }
    }
    // With or without `src/`: (middleware files, App Router folder, Pages Router folder).
    for (middleware, app, pages) in [
        (["middleware.ts", "middleware.js"], "app", "pages"),
        (["src/middleware.ts", "src/middleware.js"], "src/app", "src/pages"),
    ] {
        for name in middleware {
            if !fs.lacks(root, name) && fs.is_file(&root.join(name)) {
                routes.uncertain = true;
            }
        }
        let app = root.join(app);
        for entry in fs.walk(&app, 12, &|_| true) {
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
        let pages = root.join(pages);
        for entry in fs.walk(&pages, 12, &|_| true) {
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
    for entry in fs.walk(&public, 8, &|_| true) {
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
        let mut django = Django::default();
        scan_python(text, &mut r, &mut django);
        django.resolve(&mut r);
        r
    }

    fn js(text: &str) -> Routes {
        let mut r = Routes::default();
        scan_js(text, &mut r);
        r
    }

    fn go(text: &str) -> Routes {
        let mut r = Routes::default();
        scan_go(text, &mut r);
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
    fn files_without_a_framework_import_add_paths_but_no_framework() {
        let r = js("const m = new Map(); m.get('/health'); m.get(key);");
        assert!(r.frameworks.is_empty(), "no framework: RC404 stays silent");
        assert!(!r.uncertain);
        // A route module that gets the app as an argument still serves its paths.
        let mut r = js("import express from 'express';\nconst app = express();\nregister(app);\n");
        scan_js(
            "export default function register(app) { app.get('/health', h); app.get(PATH, h); }",
            &mut r,
        );
        assert!(r.serves("/health") && !r.uncertain);
        let mut r = go("import \"github.com/go-chi/chi/v5\"\nr := chi.NewRouter()\nroutes.Register(r)\n");
        scan_go(
            "package routes\nfunc Register(r Router) { r.Get(\"/healthz\", h) }\n",
            &mut r,
        );
        assert!(r.serves("/healthz") && !r.uncertain);
    }

    const NEST_CONTROLLER: &str = "import { Controller, Get } from '@nestjs/common';\n\n@Controller('health')\nexport class HealthController {\n  @Get()\n  check() { return { ok: true }; }\n\n  @Get('ready')\n  ready() {}\n}\n";

    #[test]
    fn nestjs_controllers() {
        let r = js(NEST_CONTROLLER);
        assert_eq!(r.frameworks, ["NestJS"], "named NestJS, not Express");
        assert!(r.serves("/health") && r.serves("/health/ready"));
        assert!(!r.serves("/healthz") && !r.serves("/ready"));
        let r = js(
            "import { Controller, Get } from \"@nestjs/common\";\n@Controller()\nexport class AppController {\n  @Get('health')\n  h() {}\n  @Get(':id')\n  one() {}\n}\n",
        );
        assert!(r.serves("/health"));
        assert!(r.serves("/42"));
        assert!(!r.serves("/a/b"));
        let r = js(
            "import { Controller, Get } from '@nestjs/common';\n@Controller({ path: 'status', version: '1' })\nclass S { @Get() s() {} }\n",
        );
        assert!(r.serves("/status") && !r.serves("/health"));
    }

    #[test]
    fn nestjs_global_prefix_applies_to_every_route() {
        let mut r = js(NEST_CONTROLLER);
        scan_js(
            "import { NestFactory } from '@nestjs/core';\nimport express from 'express';\nconst app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api/v1');\n",
            &mut r,
        );
        assert!(r.serves("/api/v1/health"));
        assert!(!r.serves("/health"), "the global prefix is not optional");
        assert!(
            r.frameworks.iter().all(|f| *f == "NestJS"),
            "not Express: {:?}",
            r.frameworks
        );
        assert!(!r.uncertain);
        let mut r = js(NEST_CONTROLLER);
        scan_js(
            "import { NestFactory } from '@nestjs/core';\napp.setGlobalPrefix('api', { exclude: ['health'] });\n",
            &mut r,
        );
        assert!(r.uncertain, "excluded routes stay outside the prefix");
        // A route on the HTTP adapter is outside the global prefix.
        scan_js(
            "import { NestFactory } from '@nestjs/core';\napp.getHttpAdapter().get('/healthz', (req, res) => res.send('ok'));\n",
            &mut r,
        );
        assert!(r.serves("/healthz"));
        assert!(js("import { VersioningType } from '@nestjs/common';\napp.enableVersioning({ type: VersioningType.URI });\n").uncertain);
    }

    #[test]
    fn fastify() {
        let r = js(
            "import Fastify from 'fastify';\nconst fastify = Fastify();\nfastify.get('/health', async () => ({ ok: true }));\n",
        );
        assert_eq!(r.frameworks, ["Fastify"]);
        assert!(r.serves("/health") && !r.serves("/healthz"));
        let r = js(
            "const fastify = require('fastify')();\nserver.route({ method: 'GET', url: '/ping', handler });\nfastify.register(routes, { prefix: '/api' });\n",
        );
        assert!(r.serves("/ping") && r.serves("/api/ping"));
        assert!(!r.serves("/health"));
        assert!(!r.uncertain);
    }

    #[test]
    fn hono() {
        let r = js(
            "import { Hono } from 'hono';\nconst app = new Hono();\nconst health = new Hono();\nhealth.get('/', (c) => c.text('ok'));\napp.route('/health', health);\n",
        );
        assert_eq!(r.frameworks, ["Hono"]);
        assert!(r.serves("/health"));
        assert!(!r.serves("/status"));
        let r = js(
            "import { Hono } from 'hono';\nconst app = new Hono().basePath('/api');\napp.get('/healthz', (c) => c.json({}));\n",
        );
        assert!(r.serves("/api/healthz") && !r.serves("/api/health"));
    }

    #[test]
    fn koa_router_with_prefix() {
        let r = js(
            "const Router = require('@koa/router');\nconst router = new Router({ prefix: '/api' });\nrouter.get('/health', (ctx) => { ctx.body = 'ok'; });\n",
        );
        assert_eq!(r.frameworks, ["Koa"]);
        assert!(r.serves("/api/health"));
        assert!(!r.serves("/api/status"));
        assert!(!r.uncertain);
        // Plain Koa middleware that compares the path itself: nothing to judge.
        let r = js(
            "const Koa = require('koa');\napp.use(async (ctx) => { if (ctx.path === '/health') ctx.body = 'ok'; });\n",
        );
        assert!(r.uncertain);
    }

    #[test]
    fn django_paths_and_includes() {
        let r = py(
            "from django.urls import include, path, re_path\nurlpatterns = [\n    path('admin/', admin.site.urls),\n    path('health/', views.health),\n    re_path(r'^status/?$', views.status),\n    path('items/<int:pk>/', views.item),\n]\n",
        );
        assert_eq!(r.frameworks, ["Django"]);
        assert!(r.serves("/health") && r.serves("/health/") && r.serves("/status") && r.serves("/items/3"));
        assert!(!r.serves("/healthz"));
        assert!(!r.uncertain);
        // An installed app's URL conf may serve anything under its prefix.
        let r =
            py("from django.urls import include, path\nurlpatterns = [path('ht/', include('health_check.urls'))]\n");
        assert!(r.serves("/ht/") && r.serves("/ht/db"));
        assert!(!r.serves("/health"));
        let r = py("from django.urls import path\nurlpatterns = [path(settings.ADMIN_URL, admin.site.urls)]\n");
        assert!(r.uncertain);
        let r = py("from django.conf.urls import url\nurlpatterns = [url(r'^a(b|c)$', v)]\n");
        assert!(r.uncertain, "a regex railcheck cannot read");
    }

    #[test]
    fn django_includes_of_modules_in_the_tree_are_prefixes() {
        let mut r = Routes::default();
        let mut django = Django {
            modules: vec!["/src/api/urls".into(), "/src/project/urls".into()],
            ..Django::default()
        };
        scan_python(
            "from django.urls import include, path\nurlpatterns = [path('api/', include('api.urls'))]\n",
            &mut r,
            &mut django,
        );
        scan_python(
            "from django.urls import path\nurlpatterns = [path('health', views.health)]\n",
            &mut r,
            &mut django,
        );
        django.resolve(&mut r);
        assert!(r.serves("/api/health"));
        assert!(!r.serves("/api/other"));
    }

    #[test]
    fn go_net_http() {
        let r = go(
            "package main\nimport (\n\t\"net/http\"\n)\nfunc main() {\n\thttp.HandleFunc(\"/health\", health)\n\tmux := http.NewServeMux()\n\tmux.HandleFunc(\"GET /ready\", ready)\n\tmux.Handle(\"/static/\", fs)\n}\n",
        );
        assert_eq!(r.frameworks, ["net/http"]);
        assert!(r.serves("/health") && r.serves("/ready") && r.serves("/static/app.js"));
        assert!(!r.serves("/healthz"));
        let r = go("package main\nimport \"net/http\"\nfunc main() { http.HandleFunc(\"/\", root) }\n");
        assert!(r.serves("/anything"), "`/` is net/http's catch-all");
        let r = go("package main\nimport \"net/http\"\nfunc main() { http.Get(url) }\n");
        assert!(r.frameworks.is_empty(), "a client is not a server");
    }

    #[test]
    fn go_routers() {
        let r = go(
            "import \"github.com/go-chi/chi/v5\"\nr := chi.NewRouter()\nr.Get(\"/health\", h)\nr.Route(\"/api\", func(r chi.Router) { r.Get(\"/users/{id}\", u) })\n",
        );
        assert_eq!(r.frameworks, ["chi"]);
        assert!(r.serves("/health") && r.serves("/api/users/7") && !r.serves("/status"));
        let r = go(
            "import \"github.com/gin-gonic/gin\"\nr := gin.Default()\nv1 := r.Group(\"/v1\")\nv1.GET(\"/health\", h)\n",
        );
        assert!(r.serves("/v1/health") && !r.serves("/v1/status"));
        let r = go("import \"github.com/labstack/echo/v4\"\ne := echo.New()\ne.GET(\"/healthz\", h)\n");
        assert_eq!(r.frameworks, ["echo"]);
        assert!(r.serves("/healthz") && !r.serves("/health"));
        assert!(go("import \"github.com/gin-gonic/gin\"\nr.GET(healthPath, h)\n").uncertain);
        assert!(go("import \"github.com/gofiber/fiber/v2\"\napp.Get(\"/x\", h)\n").uncertain);
    }
}
