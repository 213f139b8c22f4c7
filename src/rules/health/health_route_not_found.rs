//! the health check path matches no route in the source.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// The health check path matches no route railcheck can find in the service's source.
    ///
    /// ## What it checks
    /// Reads the service's source under its root (leaving out other services' roots nested in
    /// it) and collects its routes: FastAPI/Starlette `@app.get(...)`/`@router.get(...)` (router
    /// `prefix`es included), Flask `@app.route`, Django `path('health/', ...)`/`re_path(...)`
    /// (with `include()` prefixes), Express/Fastify/Hono `app.get('/x')`, `app.use('/prefix',
    /// ...)`, Fastify `server.route({ url })`, Koa routers (`new Router({ prefix })`), NestJS
    /// `@Controller('health')` + `@Get()` under `app.setGlobalPrefix(...)`, Go `net/http`
    /// `HandleFunc`, chi, gin, echo and gorilla/mux, Next.js App Router `app/**/route.ts` and
    /// `page.tsx` (with or without `src/`), Pages Router `pages/**`, and files in `public/`. A
    /// health check path none of them serves is reported, naming the framework found.
    /// railcheck stays silent when it finds no framework it knows (or one it does not read, such
    /// as Spring Boot, Rails or Fiber), or anything it cannot follow: a route path that is not a
    /// literal, NestJS versioning, Next.js middleware, `basePath` or rewrites.
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
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    if service.health_paths.is_empty() || !service.root_exists {
        return;
    }
    // Caddy answers every path of a single-page app with 200.
    if super::caddy_serves_spa(fs, cx.project, service).is_some() {
        return;
    }
    // An API route of a Next.js static export is RC802's (one cause, one finding).
    let static_export = crate::rules::guide::next_config(fs, cx.project, service)
        .is_some_and(|(_, text)| crate::rules::guide::static_export_api_health::static_export_at(&text).is_some());
    let paths: Vec<_> = service
        .health_paths
        .iter()
        .filter(|p| super::health_path_invalid::problem(&p.value).is_none())
        .filter(|p| !(static_export && (p.value == "/api" || p.value.starts_with("/api/"))))
        .collect();
    if paths.is_empty() {
        return;
    }
    // The app's code sits in the service's folder, also when the Root Directory is the
    // repository root (a shared monorepo): scanning the whole repository would judge this
    // service by its neighbours' routes. Another service's folder inside this one holds
    // that service's app, not this one's.
    let nested: Vec<_> = cx
        .project
        .nested_service_dirs(&service.dir)
        .map(|dir| cx.project.abs(dir))
        .collect();
    let routes = crate::facts::routes::scan(fs, &cx.project.abs(&service.dir), &nested);
    if routes.uncertain || routes.frameworks.is_empty() {
        return;
    }
    let mut reported = Vec::new();
    for path in paths {
        if routes.serves(&path.value) || reported.contains(&path.value) {
            continue;
        }
        reported.push(path.value.clone());
        // NestJS with a global prefix: the route is most likely there, under the prefix.
        let help = routes
            .global_prefixes
            .iter()
            .map(|prefix| format!("/{}/{}", prefix.trim_matches('/'), path.value.trim_start_matches('/')))
            .find(|full| routes.serves(full))
            .map_or_else(
                || "point the health check at a route the app serves, or add one that returns 200".to_string(),
                |full| format!("NestJS serves every route under its global prefix (`setGlobalPrefix`): use `{full}`"),
            );
        out.push(
            Diagnostic::new(
                &META,
                path.at.file,
                path.at.span.clone(),
                format!(
                    "no {} route serves health check path `{}` in `{}`",
                    routes.frameworks.join("/"),
                    path.value,
                    if service.dir.is_empty() { "." } else { &service.dir }
                ),
            )
            .pointer(path.at.pointer.clone())
            .help(help)
            .note("Railway needs a 200 from this path on $PORT before the deployment goes live"),
        );
    }
}
