//! a web service with no health check anywhere.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A web service with no health check path in any of its files.
    ///
    /// ## What it checks
    /// Services that clearly serve HTTP (a start command running uvicorn, gunicorn,
    /// `next start`, `flask run`, a `$PORT`/`--port` argument, ...; or Next.js, Express,
    /// Fastify, Koa, NestJS, Hono, FastAPI, Flask, Django or Starlette among the root's
    /// dependencies) and have no health check path in any file. Workers, cron jobs and
    /// services railcheck cannot classify are left alone. A health check can also be set in
    /// the service settings, which railcheck cannot see: the rule only speaks for services
    /// declared in `.railway/railway.ts` or configured as code, or in projects whose
    /// other services set their health checks in files.
    ///
    /// ## Why it matters on Railway
    /// Without `healthcheckPath` Railway switches traffic to a new deployment as soon as the
    /// container starts, before the server listens; a deployment that crashes on boot replaces
    /// a working one. With it, Railway probes the path on `$PORT` and keeps the old deployment
    /// until it answers 200.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "uvicorn app.main:app --host 0.0.0.0 --port $PORT" } }
    /// ```
    /// Fix: `healthcheck: "/health"` on the service in `.railway/railway.ts` (or the service
    /// settings), and a `/health` route that returns 200.
    code: RC401,
    name: "health-check-missing",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    if !service.health_paths.is_empty() || !service.root_exists {
        return;
    }
    let Some(anchor) = service.anchor() else { return };
    let as_code = service.railway.is_some() || cx.project.services.iter().any(|s| !s.health_paths.is_empty());
    if !as_code {
        return;
    }
    if !super::looks_like_web(fs, cx.project, service) {
        return;
    }
    let (file, span) = match service.start_commands.first() {
        Some(start) => (start.at.file, start.at.key_or_value()),
        None => (anchor.file, anchor.key_or_value()),
    };
    out.push(
        Diagnostic::new(
            &META,
            file,
            span,
            format!("web service `{}` has no health check: Railway routes traffic to it before it is ready", service.name),
        )
        .help("add `healthcheck: \"/health\"` to the service in `.railway/railway.ts` (or set it in the service settings) and serve 200 on that path")
        ,
    );
}
