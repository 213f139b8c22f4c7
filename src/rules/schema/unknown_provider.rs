//! a `provider` Railpack does not have.

use crate::diagnostic::Diagnostic;
use crate::model::Origin;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A `provider` Railpack does not know: it then uses no provider at all.
    ///
    /// ## What it checks
    /// The `provider` of a `railpack.json` (and of the guide's `build.provider`) against Railpack's
    /// providers: php, golang, java, rust, ruby, elixir, python, deno, dotnet, node, gleam, cpp,
    /// staticfile, shell (case-insensitive).
    ///
    /// ## Why it matters on Railway
    /// For an unknown name Railpack only logs "Provider `x` not found" and then uses **no provider
    /// at all**, not even the one auto-detection would have found. The build fails later with
    /// "could not determine how to build", far from the cause. `go`, `nodejs` and `railway` are
    /// all seen in real repositories.
    ///
    /// ## Example
    /// ```json
    /// { "provider": "go" }
    /// ```
    /// Fix: `{ "provider": "golang" }`, or remove `provider` to let Railpack detect it.
    code: RC203,
    name: "unknown-provider",
    severity: Error,
    check: Service(check),
}

pub(crate) const PROVIDERS: &[&str] = &[
    "php",
    "golang",
    "java",
    "rust",
    "ruby",
    "elixir",
    "python",
    "deno",
    "dotnet",
    "node",
    "gleam",
    "cpp",
    "staticfile",
    "shell",
];

/// Common wrong names and the provider they mean.
fn alias(name: &str) -> Option<&'static str> {
    Some(match name {
        "go" => "golang",
        "nodejs" | "node.js" | "javascript" | "js" | "typescript" | "ts" | "next" | "nextjs" | "bun" | "npm"
        | "yarn" => "node",
        "py" | "python3" | "fastapi" | "django" | "flask" => "python",
        "c++" | "c" => "cpp",
        "static" | "html" => "staticfile",
        "bash" | "sh" => "shell",
        "csharp" | "c#" | ".net" | "net" => "dotnet",
        "rails" => "ruby",
        "laravel" => "php",
        "phoenix" => "elixir",
        "rs" => "rust",
        "jvm" | "kotlin" | "spring" => "java",
        _ => return None,
    })
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for provider in &service.providers {
        let lower = provider.value.to_ascii_lowercase();
        if PROVIDERS.contains(&lower.as_str()) {
            continue;
        }
        let suggestion = alias(&lower).or_else(|| crate::util::text::closest(&lower, PROVIDERS.iter().copied()));
        let help = match suggestion {
            Some(p) => format!("did you mean `{p}`? Or remove `provider` to let Railpack detect it"),
            None => format!(
                "valid providers: {}; or remove `provider` to let Railpack detect it",
                PROVIDERS.join(", ")
            ),
        };
        let consequence = if provider.origin == Origin::Railpack {
            "Railpack logs \"Provider not found\" and then uses no provider at all"
        } else {
            "Railpack would use no provider at all with this name"
        };
        out.push(
            Diagnostic::new(
                &META,
                provider.at.file,
                provider.at.span.clone(),
                format!("unknown provider `{}`: {consequence}", provider.value),
            )
            .pointer(provider.at.pointer.clone())
            .help(help),
        );
    }
}
