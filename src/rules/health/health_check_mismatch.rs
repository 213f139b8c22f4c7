//! files disagree on a service's health check.

use crate::diagnostic::Diagnostic;
use crate::model::Setting;
use crate::rules::Context;
use crate::rules::declare_rule;
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
    /// Only what Railway reads counts (`.railway/railway.ts` or the service settings). When the files disagree, the one someone edits next is
    /// often the one nobody reads: the route is renamed in one place and Railway keeps probing
    /// the old path, failing every deployment, or a timeout tuned in the manifest never applies.
    ///
    /// ## Example
    /// `railpack.json` (guide format): `"healthCheckPath": "/healthz"`; `railway.json`:
    /// `"healthcheckPath": "/health"`.
    /// Fix: keep the setting only as `healthcheck` in `.railway/railway.ts` (or the service
    /// settings), and remove it from the other files.
    code: RC406,
    name: "health-check-mismatch",
    severity: Error,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
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
    .help("keep the setting in one place, `healthcheck` in `.railway/railway.ts` (or the service settings), and delete the other copies")
    .service(service.name.clone());
    if super::read_by_railway(primary) {
        d = d.note("Railway uses this one");
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
