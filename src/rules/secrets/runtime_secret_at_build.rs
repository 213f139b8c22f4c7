//! an API key, token, password or database URL listed for the build.

use crate::diagnostic::Diagnostic;
use crate::facts::varclass;
use crate::model::Service;
use crate::model::{Origin, Scope};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// Policy: a runtime secret (API key, token, password, database URL) listed for the build.
    ///
    /// ## What it checks
    /// Names in `secrets` lists (the guide's `build.secrets`, a native top-level `secrets`, a
    /// step's `secrets`) that name runtime credentials: `*_API_KEY`, `*_KEY`, `*_TOKEN`,
    /// `*_SECRET*`, `*_PASSWORD`, `*_DSN`, `JWT_*`, `DATABASE_URL`, `REDIS_URL`, database and
    /// queue `*_URL`s, and the provider prefixes `OPENAI_`, `ANTHROPIC_`, `GROQ_`, `STRIPE_`,
    /// `AWS_`. `[secrets] runtime-only` in `railcheck.toml` adds names; `build-allowlist` exempts names
    /// a build really needs (an `NPM_TOKEN` for a private registry). Public-prefixed names
    /// (`NEXT_PUBLIC_*`) are never secrets: they end up in the browser bundle.
    ///
    /// In a native `railpack.json` only names that are unmistakably runtime credentials are
    /// reported (`*_API_KEY`, `*_PASSWORD`, `*_DSN`, `JWT_*`, database URLs, provider prefixes
    /// and `runtime-only` names). Literal values in step `variables` are RC304's job. This is
    /// the guide's **policy** (a warning at most): the list says the build means to read a
    /// runtime credential.
    ///
    /// ## Why it matters on Railway
    /// The guide's point is that API keys, JWT secrets and database credentials stay out of
    /// the build, where anything a build step runs (a compromised dependency's install script,
    /// a verbose build log) can read them. But a `secrets` list does not enforce that: on
    /// Railway every service variable becomes a plan secret (railpack core/core.go), and
    /// Railpack mounts every plan secret into every build command of every step, whatever a
    /// step's `secrets` says (railpack buildkit/build_llb/build_graph.go 263-270); a step's list
    /// only decides which secrets invalidate its cache. Removing the name from the list
    /// changes nothing about what the build can read. The real remedies: do not define the
    /// secret as a variable of this service (give it to the service that needs it at run
    /// time), or build with a Dockerfile, where variables reach the build only as declared
    /// `ARG`s.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "api": { "root": ".", "build": { "secrets": ["PYTHONPATH", "OPENAI_API_KEY"] } } } }
    /// ```
    /// Fix: drop `OPENAI_API_KEY` from the list so the build does not rely on it, and if it
    /// must not be readable by the build, keep it off this service's variables or build with a
    /// Dockerfile.
    code: RC302,
    name: "runtime-secret-at-build",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for v in &service.variables {
        if v.scope != Scope::BuildSecret || !varclass::is_runtime_secret_name(&v.name, cx.settings) {
            continue;
        }
        let guide = matches!(v.origin, Origin::Manifest | Origin::GuideService);
        if !guide && !unmistakable(&v.name, cx.settings) {
            continue;
        }
        let message = format!(
            "runtime secret `{}` is listed for the build in {}, against the guide's policy; the list does not change what the build can read",
            v.name,
            super::list_name(v)
        );
        out.push(
            Diagnostic::new(&META, v.at.file, v.at.span.clone(), message)
                .pointer(v.at.pointer.clone())
                .help(format!(
                    "{}; if the build really needs `{}`, add it to `[secrets] build-allowlist` in railcheck.toml",
                    super::KEEP_OUT_OF_BUILD,
                    v.name
                ))
                .note(super::LIST_LIMITS_NOTHING),
        );
    }
}

/// Names no build step plausibly needs: provider API keys, passwords, DSNs, JWT secrets,
/// database URLs, and the user's `runtime_only` list.
fn unmistakable(name: &str, settings: &crate::settings::Settings) -> bool {
    if settings.runtime_only.iter().any(|n| n == name) {
        return true;
    }
    let upper = name.to_ascii_uppercase();
    ["OPENAI_", "ANTHROPIC_", "GROQ_", "STRIPE_", "AWS_SECRET", "JWT_"]
        .iter()
        .any(|p| upper.starts_with(p))
        || ["_API_KEY", "_PASSWORD", "_DSN"].iter().any(|s| upper.ends_with(s))
        || ["DATABASE_URL", "REDIS_URL"].iter().any(|s| upper.ends_with(s))
}
