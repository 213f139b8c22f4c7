//! a manifest service with no config file of its own.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A service declared in the manifest has no railpack.json or railway config in its root.
    ///
    /// ## What it checks
    /// Services of the guide's services manifest whose root folder exists but holds neither a
    /// `railpack.json` nor a `railway.json`/`railway.toml`.
    ///
    /// ## Why it matters on Railway
    /// Railpack reads `railpack.json` from the service's Root Directory and Railway reads its
    /// config file from the path set on the service; neither reads the manifest. A service
    /// with no file of its own is built by auto-detection and deployed with dashboard defaults:
    /// everything the manifest says about it (steps, start command, health check) is unused.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "worker": { "root": "./worker", "deploy": { "startCommand": "python worker.py" } } } }
    /// ```
    /// with no `worker/railpack.json`.
    /// Fix: add `worker/railpack.json` (`{ "deploy": { "startCommand": "python worker.py" } }`)
    /// and, for health checks, `worker/railway.json`.
    code: RC602,
    name: "service-config-missing",
    severity: Warning,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    if !service.root_exists || service.railpack.is_some() || service.railway.is_some() {
        return;
    }
    let Some(declared) = &service.declared_at else { return };
    let root = if service.root.is_empty() { "." } else { &service.root };
    out.push(
        Diagnostic::new(
            &META,
            declared.file,
            declared.key_or_value(),
            format!(
                "service `{}` has no railpack.json or railway.json in `{root}`: nothing applies its settings",
                service.name
            ),
        )
        .pointer(declared.pointer.clone())
        .help(format!(
            "add `{root}/railpack.json` (build and start) and declare the service (root, health check) in `.railway/railway.ts`"
        ))
        ,
    );
}
