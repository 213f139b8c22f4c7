//! the health check path matches no route in the source.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// The health check path matches no route railcheck can find in the service's source.
    ///
    /// ## What it checks
    /// Reads the service's source under its root and collects its routes: FastAPI/Starlette
    /// `@app.get(...)`/`@router.get(...)` (router `prefix`es included), Flask `@app.route`,
    /// Express/Fastify/Koa/Hono `app.get('/x')` and `app.use('/prefix', ...)`, Next.js App
    /// Router `app/**/route.ts` and `page.tsx` (with or without `src/`), Pages Router
    /// `pages/**`, and files in `public/`. A health check path none of them serves is reported.
    /// railcheck stays silent when it finds no known framework, or anything it cannot follow:
    /// a route path that is not a literal, Django, Next.js middleware, `basePath` or rewrites.
    /// It is also silent for a single-page app that Railpack serves with Caddy (Vite, Create
    /// React App, Angular, Astro without a server adapter, Next.js `output: 'export'`, with no
    /// custom start command and no `RAILPACK_NO_SPA`): Railpack's Caddyfile answers `/health`,
    /// and through its `index.html` fallback every other path, with 200 (core/providers/node/
    /// spa.go; domain.md section 1, "Single-page apps").
    ///
    /// ## Why it matters on Railway
    /// Railway probes the health check path and needs a 200 before the deployment goes live.
    /// A path that the app does not serve answers 404 on every probe: every deployment fails
    /// its health check after the timeout (300 seconds by default) and never goes live.
    ///
    /// ## Example
    /// `railway.json`: `{ "deploy": { "healthcheckPath": "/healthz" } }`, while the app has
    /// `@app.get("/health")`.
    /// Fix: `"healthcheckPath": "/health"`, or add the `/healthz` route.
    code: RC404,
    name: "health-route-not-found",
    severity: Warning,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        if service.health_paths.is_empty() || !service.root_exists {
            continue;
        }
        // Caddy answers every path of a single-page app with 200.
        if super::caddy_serves_spa(cx.project, service).is_some() {
            continue;
        }
        // An API route of a Next.js static export is RC802's (one cause, one finding).
        let static_export = crate::rules::guide::next_config(cx.project, service)
            .is_some_and(|(_, text)| crate::rules::guide::static_export_api_health::static_export_at(&text).is_some());
        let paths: Vec<_> = service
            .health_paths
            .iter()
            .filter(|p| super::health_path_invalid::problem(&p.value).is_none())
            .filter(|p| !(static_export && (p.value == "/api" || p.value.starts_with("/api/"))))
            .collect();
        if paths.is_empty() {
            continue;
        }
        let routes = crate::facts::routes::scan(&cx.project.abs(&service.root));
        if routes.uncertain || routes.frameworks.is_empty() {
            continue;
        }
        let mut reported = Vec::new();
        for path in paths {
            if routes.serves(&path.value) || reported.contains(&path.value) {
                continue;
            }
            reported.push(path.value.clone());
            out.push(
                Diagnostic::new(
                    &META,
                    path.at.file,
                    path.at.span.clone(),
                    format!(
                        "no {} route serves health check path `{}` in `{}`",
                        routes.frameworks.join("/"),
                        path.value,
                        if service.root.is_empty() { "." } else { &service.root }
                    ),
                )
                .pointer(path.at.pointer.clone())
                .help("point the health check at a route the app serves, or add one that returns 200")
                .note("Railway needs a 200 from this path on $PORT before the deployment goes live")
                .service(service.name.clone()),
            );
        }
    }
}
