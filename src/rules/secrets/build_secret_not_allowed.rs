//! a name exposed to the build that is not on the allowlist.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::{Origin, Scope, Service};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// Policy: a name listed for the build that is not on the guide's build allowlist.
    ///
    /// ## What it checks
    /// Names in the guide's `build.secrets` lists against the build allowlist: the guide's
    /// minimal set `RAILWAY_ENVIRONMENT`, `PYTHONPATH`, plus `RAILWAY_ENVIRONMENT_NAME`,
    /// `NODE_ENV`, `RAILPACK_*` and public-prefixed names (`NEXT_PUBLIC_*`, `VITE_*`,
    /// `REACT_APP_*`), extended by `[secrets] build-allowlist` in `railcheck.toml` (a trailing `*` matches
    /// a prefix). Native `railpack.json` `secrets` lists (top-level and per step) are checked
    /// only when `railcheck.toml` sets `[secrets] build-allowlist`: a per-step list is Railpack's way to
    /// *narrow* what a step sees, so without a policy railcheck does not second-guess it.
    /// Runtime secrets are left to RC302. This is the guide's **policy** (which variables a
    /// build may read), reported as info, never as an error.
    ///
    /// ## Why it matters on Railway
    /// A `secrets` list is not a mechanism. On Railway every service variable becomes a plan
    /// secret (railpack core/core.go), and Railpack mounts every plan secret into every build
    /// command of every step, whatever a step's `secrets` says (railpack
    /// buildkit/build_llb/build_graph.go 263-270); a step's list only decides which secrets
    /// invalidate its cache. Listing or unlisting a name changes nothing about what the build
    /// can read, and the guide's `build.secrets` is read by nobody at all. The list documents
    /// which variables the build is meant to read; a name outside the allowlist says the build
    /// reads more than the guide's minimal set. To keep a value out of the build, do not define
    /// it as a variable of that service, or build with a Dockerfile, where only declared `ARG`s
    /// reach the build.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "api": { "root": ".", "build": { "secrets": ["PYTHONPATH", "LOG_LEVEL"] } } } }
    /// ```
    /// Fix: if the build reads `LOG_LEVEL`, add it to `[secrets] build-allowlist` in
    /// `railcheck.toml`; otherwise drop it from the list so the list says what the build reads
    /// (the build can still read it either way).
    code: RC301,
    name: "build-secret-not-allowed",
    severity: Info,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let policy_configured = !cx.settings.build_allowlist.is_empty();
    for v in &service.variables {
        if v.scope != Scope::BuildSecret {
            continue;
        }
        let guide = matches!(v.origin, Origin::Manifest | Origin::GuideService);
        if !guide && !policy_configured {
            continue;
        }
        if varclass::is_build_allowed(&v.name, cx.settings) || varclass::is_runtime_secret_name(&v.name, cx.settings) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                v.at.file,
                v.at.span.clone(),
                format!(
                    "`{}` in {} is outside the guide's build allowlist (policy); the list does not change what the build can read",
                    v.name,
                    super::list_name(v)
                ),
            )
            .pointer(v.at.pointer.clone())
            .help(format!(
                "if the build reads `{}`, add it to `[secrets] build-allowlist` in railcheck.toml; otherwise drop it from the list; {}",
                v.name,
                super::KEEP_OUT_OF_BUILD
            ))
            .note(super::LIST_LIMITS_NOTHING)
        );
    }
}
