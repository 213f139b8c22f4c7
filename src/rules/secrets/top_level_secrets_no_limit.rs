//! a native top-level `secrets` list limits nothing,
//! and a name in it that is not a service variable makes the build fail.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::{Origin, Scope};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A top-level `secrets` list in railpack.json limits nothing, and a name that is not a service variable fails the build.
    ///
    /// ## What it checks
    /// A non-empty top-level `secrets` array in a native `railpack.json` (Railpack reads it; the
    /// guide's `build.secrets` is read by nobody and is RC301/RC302's business). Names that the
    /// project declares as service variables (the guide's `deploy.environment`) are taken as
    /// provided; railcheck cannot see the variables set in Railway, so for the other names it
    /// says what it assumes. It is an info: the list is usually right (Railpack's own
    /// `examples/secrets` uses it), and whether each name is a service variable is a fact
    /// railcheck cannot see.
    ///
    /// ## Why it matters on Railway
    /// On Railway every service variable becomes a plan secret, and since Railpack PR #460 the
    /// top-level `secrets` names are added to them (railpack core/core.go). Every plan secret is
    /// then mounted into every build command of every step, whatever any `secrets` list says
    /// (railpack buildkit/build_llb/build_graph.go 263-270). So the list limits nothing: a list
    /// written to keep API keys out of the build does not. Worse, a name in it that is **not** a
    /// variable of the service declares a secret nobody provides: `railpack build` stops
    /// (railpack cli/build.go 135-141) and a Railway build likely fails the same way.
    ///
    /// ## Example
    /// ```json
    /// { "secrets": ["NODE_ENV", "SENTRY_AUTH_TOKEN"], "steps": { "build": { "commands": ["...", "npm run build"] } } }
    /// ```
    /// Fix: remove the list (every service variable already reaches the build), or make sure
    /// each name is a variable of this service. To keep a value out of the build, do not define
    /// it on this service, or build with a Dockerfile, where only declared `ARG`s reach the
    /// build.
    code: RC306,
    name: "top-level-secrets-no-limit",
    severity: Info,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for list in &service.secrets_lists {
        if list.origin != Origin::Railpack {
            continue;
        }
        // The names of this list, minus those the project declares as service variables.
        let mut unknown: Vec<&str> = service
            .variables
            .iter()
            .filter(|v| v.scope == Scope::BuildSecret && v.step.is_none() && v.origin == Origin::Railpack)
            .filter(|v| v.at.file == list.at.file && v.at.pointer.starts_with(&format!("{}/", list.at.pointer)))
            .map(|v| v.name.as_str())
            .filter(|name| {
                !service
                    .variables
                    .iter()
                    .any(|s| s.scope == Scope::Service && s.name == *name)
            })
            .collect();
        unknown.dedup();
        let Some(first) = unknown.first() else { continue };
        let shown: Vec<String> = unknown.iter().take(4).map(|n| format!("`{n}`")).collect();
        let names = match unknown.len() {
            1 => format!("`{first}` is a variable"),
            n if n <= 4 => format!("each of {} is a variable", shown.join(", ")),
            n => format!("each of {} and {} more is a variable", shown.join(", "), n - 4),
        };
        out.push(
            Diagnostic::new(
                &META,
                list.at.file,
                list.at.key_or_value(),
                format!(
                    "top-level `secrets` limits nothing, and the build fails unless {names} of service `{}`",
                    service.name
                ),
            )
            .pointer(list.at.pointer.clone())
            .help("remove the list (every service variable already reaches every build command), or make sure each name is a variable of this service; to keep a value out of the build, do not define it on this service, or build with a Dockerfile")
            .note("railcheck cannot see the variables set in Railway; it assumes these names may not be. Railpack adds top-level `secrets` names to the service variables (core/core.go, PR #460), mounts all of them into every build command (buildkit/build_llb/build_graph.go 263-270), and stops when a declared secret has no value (cli/build.go 135-141)")
            ,
        );
    }
}
