//! a health check set only where Railway never reads it.

use crate::diagnostic::Diagnostic;
use crate::model::Origin;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A health check set only in railpack.json or the guide's manifest, which Railway never reads.
    ///
    /// ## What it checks
    /// Services whose health check path is set somewhere (the guide's manifest, a
    /// `railpack.json` in any dialect, or `railway.json` under the wrong spelling
    /// `healthCheckPath`) but not where Railway reads it (`healthcheck` in
    /// `.railway/railway.ts`, or `deploy.healthcheckPath` of a Config-as-Code file).
    ///
    /// ## Why it matters on Railway
    /// Health checks are configured only in `.railway/railway.ts` (`healthcheck`) or in the
    /// service settings (Config-as-Code files stop being read on 2026-12-01). Railpack has no health check setting and
    /// ignores the key. The service deploys with no health check at all: Railway switches
    /// traffic before the app is listening, and a broken release replaces a working one.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "yarn start", "healthCheckPath": "/api/health" } }
    /// ```
    /// Fix: declare it in `.railway/railway.ts`:
    /// `service("web", { root: "packages/web", healthcheck: "/api/health", healthcheckTimeout: 300 })`,
    /// or set it in the service settings.
    code: RC405,
    name: "health-check-not-read",
    severity: Warning,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    if service.health_paths.is_empty() || service.health_paths.iter().any(super::read_by_railway) {
        return;
    }
    // Point at the setting closest to the service: its own file before the manifest.
    let mut unread: Vec<_> = service.health_paths.iter().collect();
    unread.sort_by_key(|h| (h.origin == Origin::Manifest, h.at.file, h.at.span.start));
    let first = unread[0];
    let where_ = match first.origin {
        Origin::Railway => "under `healthCheckPath` (capital C), a key Railway does not read".to_string(),
        origin => format!("only in {}, which Railway does not read", origin.describe()),
    };
    let timeout = service
        .health_timeouts
        .iter()
        .find(|t| !super::read_by_railway(t))
        .and_then(|t| match &t.value.kind {
            crate::source::NodeKind::Number(n) => Some(n.clone()),
            _ => None,
        });
    let snippet = match &timeout {
        Some(t) => format!("healthcheck: \"{}\", healthcheckTimeout: {t}", first.value),
        None => format!("healthcheck: \"{}\"", first.value),
    };
    let mut d = Diagnostic::new(
        &META,
        first.at.file,
        first.at.key_or_value(),
        format!(
            "health check `{}` of `{}` is set {where_}: the service deploys without a health check",
            first.value, service.name
        ),
    )
    .pointer(first.at.pointer.clone())
    .help(format!(
        "add `{snippet}` to service(\"{}\", ...) in `.railway/railway.ts` (or set it in the service settings)",
        service.name
    ));
    for other in unread.iter().skip(1) {
        d = d.label(other.at.file, other.at.key_or_value(), "also not read by Railway");
    }
    out.push(d);
}
