//! files disagree on a service's health check.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::Setting;
use crate::rules::{Context, declare_rule};
use crate::source::{Node, NodeKind};

declare_rule! {
    /// Two files set different health check paths or timeouts for one service.
    ///
    /// ## What it checks
    /// A service's health check path and timeout as set in each of its files (the guide's
    /// manifest, its `railpack.json`, its `railway.json`/`railway.toml`, `.railway/railway.ts`). Any two that differ
    /// are reported at the one Railway uses (or the first), with the other as a label.
    ///
    /// ## Why it matters on Railway
    /// Railpack never reads a health check (domain.md section 3; no `healthCheckPath` in
    /// Railpack's config structs). Railway reads it from the service settings, from
    /// `healthcheck` in `.railway/railway.ts`, and, until 2026-12-01 only, from
    /// `deploy.healthcheckPath`/`healthcheckTimeout` in `railway.json`/`railway.toml`
    /// (railwayapp/docs config-as-code.md). So of two files that disagree only one is read, and
    /// the one someone edits next is often the other: the route is renamed in one place and
    /// Railway keeps probing the old path, or a timeout tuned in the manifest never applies.
    /// Which copy is stale railcheck cannot tell, and the service settings may override both:
    /// a warning.
    ///
    /// ## Example
    /// `railpack.json` (guide format): `"healthCheckPath": "/healthz"`; `railway.json`:
    /// `"healthcheckPath": "/health"`.
    /// Fix: set the health check in one place, `healthcheck` in `.railway/railway.ts` or the
    /// service settings, and delete the copies from the other files.
    code: RC406,
    name: "health-check-mismatch",
    severity: Warning,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let paths: Vec<_> = service
        .health_paths
        .iter()
        .map(|p| (p, p.value.trim().to_string()))
        .collect();
    report(&paths, "health check path", service, out);
    let timeouts: Vec<_> = service
        .health_timeouts
        .iter()
        .filter_map(|t| number(&t.value).map(|n| (t, n)))
        .collect();
    report(&timeouts, "health check timeout", service, out);
}

fn number(node: &Node) -> Option<String> {
    match &node.kind {
        NodeKind::Number(n) => Some(n.clone()),
        _ => None,
    }
}

fn report<T>(
    settings: &[(&Setting<T>, String)],
    what: &str,
    service: &crate::model::Service,
    out: &mut Vec<Diagnostic>,
) {
    let Some((primary, value)) = settings
        .iter()
        .find(|(s, _)| s.origin == crate::model::Origin::RailwayTs)
        .or_else(|| settings.iter().find(|(s, _)| super::read_by_railway(s)))
        .or_else(|| settings.first())
    else {
        return;
    };
    let others: Vec<_> = settings.iter().filter(|(_, v)| v != value).collect();
    let Some((_, other_value)) = others.first() else { return };
    let mut d = Diagnostic::new(
        &META,
        primary.at.file,
        primary.at.span.clone(),
        format!(
            "{what} `{value}` of `{}` disagrees with `{other_value}` set elsewhere",
            service.name
        ),
    )
    .pointer(primary.at.pointer.clone())
    .help("set the health check in one place, `healthcheck` in `.railway/railway.ts` or the service settings, and delete the other copies")
    ;
    if super::read_by_railway(primary) {
        d = d.note(
            "Railway reads this one (railway.json/railway.toml only until 2026-12-01); the others are read by nobody",
        );
    }
    for (other, v) in others {
        d = d.label(
            other.at.file,
            other.at.span.clone(),
            format!("set to `{v}` here ({})", other.origin.describe()),
        );
    }
    out.push(d);
}
