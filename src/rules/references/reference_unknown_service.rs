//! `${{name.VAR}}` where `name` is no service.

use crate::diagnostic::Diagnostic;
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A reference to a service the repository does not declare (railcheck knows only the manifest's names).
    ///
    /// ## What it checks
    /// References `${{name.VAR}}` whose `name` is neither `shared` nor a service of the guide's
    /// services manifest. Service names are case-sensitive; the closest name is suggested.
    /// Without a manifest, railcheck does not know the Railway service names and stays silent;
    /// Railway's database templates (`Postgres`, `Redis`, `MySQL`, `MongoDB`, ...) are never
    /// reported, since no config file declares them.
    ///
    /// railcheck knows only the service names declared in the repository; the names of the
    /// services in Railway can differ (the guide's own project calls its Railway service
    /// `monkey-coder-api` while its manifest says `backend`). So this is a warning: the
    /// reference is wrong only if no Railway service has that exact name.
    ///
    /// ## Why it matters on Railway
    /// Railway resolves `${{ServiceName.VAR}}` in service variables against the services of the
    /// project, by exact, case-sensitive name (railwayapp/docs variables reference; domain.md
    /// section 4). A reference to a service that does not exist resolves to an empty string:
    /// the frontend builds with an empty API URL and every request goes to its own origin.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "https://${{Backend.RAILWAY_PUBLIC_DOMAIN}}" }
    /// ```
    /// Fix: `"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"` (the manifest names it `backend`).
    code: RC502,
    name: "reference-unknown-service",
    severity: Warning,
    check: Project(check),
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    if project.manifest.is_none() {
        return;
    }
    let names: Vec<&str> = project
        .services
        .iter()
        .filter(|s| s.declared_at.is_some())
        .map(|s| s.name.as_str())
        .collect();
    for service in &project.services {
        // railway.ts references are judged against railway.ts (RC510).
        for v in service
            .variables
            .iter()
            .filter(|v| v.origin != crate::model::Origin::RailwayTs)
        {
            for r in &v.refs.references {
                let Some(ns) = r.namespace.as_deref() else { continue };
                if ns == "shared" || names.contains(&ns) {
                    continue;
                }
                let suggestion = names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(ns))
                    .copied()
                    .or_else(|| crate::util::text::closest(ns, names.iter().copied()));
                if suggestion.is_none() && super::TEMPLATE_SERVICES.contains(&ns.to_ascii_lowercase().as_str()) {
                    continue;
                }
                let help = match suggestion {
                    Some(s) => format!(
                        "did you mean `${{{{{s}.{}}}}}`? Service names are case-sensitive",
                        r.variable
                    ),
                    None => format!(
                        "services declared: {}; or `shared` for shared variables",
                        names.join(", ")
                    ),
                };
                out.push(
                    Diagnostic::new(
                        &META,
                        v.at.file,
                        v.span_in_value(r.range.clone()),
                        format!(
                            "`{}` references service `{ns}`, which the repository does not declare; if no Railway service is named exactly `{ns}`, it resolves to an empty string",
                            v.name
                        ),
                    )
                    .help(help)
                    .note("railcheck knows only the service names declared in the repository (the services manifest); the services in Railway may be named differently")
                    .service(service.name.clone()),
                );
            }
        }
    }
}
