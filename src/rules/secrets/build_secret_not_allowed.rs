//! a name exposed to the build that is not on the allowlist.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::{Origin, Scope};
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A name listed for the build that is not on the build allowlist.
    ///
    /// ## What it checks
    /// Names in the guide's `build.secrets` lists against the build allowlist: the guide's
    /// minimal set `RAILWAY_ENVIRONMENT`, `PYTHONPATH`, plus `RAILWAY_ENVIRONMENT_NAME`,
    /// `NODE_ENV`, `RAILPACK_*` and public-prefixed names (`NEXT_PUBLIC_*`, `VITE_*`,
    /// `REACT_APP_*`), extended by `[secrets] build-allowlist` in `railcheck.toml` (a trailing `*` matches
    /// a prefix). Native `railpack.json` `secrets` lists (top-level and per step) are checked
    /// only when `railcheck.toml` sets `[secrets] build-allowlist`: a per-step list is Railpack's way to
    /// *narrow* what a step sees, so without a policy railcheck does not second-guess it.
    /// Runtime secrets are left to RC302.
    ///
    /// ## Why it matters on Railway
    /// Every build secret is mounted into the BuildKit build. The guide cut the build's
    /// variables from 70+ to under 10 to stop BuildKit crashing under memory pressure; every
    /// extra name undoes part of that and widens what a compromised build step can read.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "api": { "root": ".", "build": { "secrets": ["PYTHONPATH", "LOG_LEVEL"] } } } }
    /// ```
    /// Fix: drop `LOG_LEVEL` from the list (the running app still gets it as a service
    /// variable), or add it to `[secrets] build-allowlist` in `railcheck.toml` if the build needs it.
    code: RC301,
    name: "build-secret-not-allowed",
    severity: Error,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let policy_configured = !cx.settings.build_allowlist.is_empty();
    for service in &cx.project.services {
        for v in &service.variables {
            if v.scope != Scope::BuildSecret {
                continue;
            }
            let guide = matches!(v.origin, Origin::Manifest | Origin::GuideService);
            if !guide && !policy_configured {
                continue;
            }
            if varclass::is_build_allowed(&v.name, cx.settings)
                || varclass::is_runtime_secret_name(&v.name, cx.settings)
            {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    v.at.file,
                    v.at.span.clone(),
                    format!(
                        "`{}` is listed in {} but is not on the build allowlist",
                        v.name,
                        super::list_name(v)
                    ),
                )
                .pointer(v.at.pointer.clone())
                .help(format!(
                    "remove `{}` from the list (the running app still gets it as a service variable), or add it to `[secrets] build-allowlist` in railcheck.toml if the build needs it",
                    v.name
                ))
                .service(service.name.clone()),
            );
        }
    }
}
