//! an API key, token, password or database URL listed for the build.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::varclass;
use crate::model::{Origin, Scope};
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A runtime secret (API key, token, password, database URL) listed for the build.
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
    /// In the guide's format this is an error. In a native `railpack.json` a name in a step's
    /// `secrets` is a deliberate, narrow mount (and a top-level list limits nothing, RC306), so
    /// railcheck only warns there, and only for names that are unmistakably runtime
    /// credentials: `*_API_KEY`, `*_PASSWORD`, `*_DSN`, `JWT_*`, database URLs, provider
    /// prefixes and `runtime-only` names. Literal values in step `variables` are RC304's job.
    ///
    /// ## Why it matters on Railway
    /// A build secret is mounted into BuildKit steps; anything a build step runs (a compromised
    /// dependency's install script, a verbose build log) can read it, and the guide's whole
    /// point is that API keys, JWT secrets and database credentials stay runtime-only. The
    /// running app gets every service variable anyway; listing it for the build adds risk and
    /// nothing else.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "api": { "root": ".", "build": { "secrets": ["PYTHONPATH", "OPENAI_API_KEY"] } } } }
    /// ```
    /// Fix: `"secrets": ["PYTHONPATH"]`; keep `OPENAI_API_KEY` as a service variable only.
    code: RC302,
    name: "runtime-secret-at-build",
    severity: Error,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        for v in &service.variables {
            if v.scope != Scope::BuildSecret || !varclass::is_runtime_secret_name(&v.name, cx.settings) {
                continue;
            }
            let guide = matches!(v.origin, Origin::Manifest | Origin::GuideService);
            if !guide && !unmistakable(&v.name, cx.settings) {
                continue;
            }
            let message = match &v.step {
                Some(step) if !guide => format!("step `{step}` mounts runtime secret `{}` during the build", v.name),
                _ => format!(
                    "runtime secret `{}` is listed for the build in {}",
                    v.name,
                    super::list_name(v)
                ),
            };
            let mut d = Diagnostic::new(&META, v.at.file, v.at.span.clone(), message)
                .pointer(v.at.pointer.clone())
                .help(format!(
                    "remove `{}` from the list: the running app still gets it as a service variable; if this build step really needs it, add it to `[secrets] build-allowlist` in railcheck.toml",
                    v.name
                ))
                .service(service.name.clone());
            if !guide {
                d = d.severity(Severity::Warning);
            }
            out.push(d);
        }
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
