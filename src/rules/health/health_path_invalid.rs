//! a health check path Railway cannot probe.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A health check path that is not a plain absolute path (`/health`).
    ///
    /// ## What it checks
    /// Every health check path, wherever it is set: it must start with `/` and hold no scheme,
    /// host or whitespace.
    ///
    /// ## Why it matters on Railway
    /// Railway probes `http://<container>:$PORT<path>` from `healthcheck.railway.app`. A full URL
    /// (`https://api.example.com/health`), a path without the leading slash, or a stray space
    /// makes every probe fail, so every deployment fails its health check and never goes live.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "healthcheckPath": "https://api.example.com/health" } }
    /// ```
    /// Fix: `{ "deploy": { "healthcheckPath": "/health" } }`.
    code: RC402,
    name: "health-path-invalid",
    severity: Error,
    check: check,
}

/// Why a path is invalid, if it is.
pub fn problem(path: &str) -> Option<&'static str> {
    if path.contains("://") {
        Some("is a URL; Railway wants only the path and probes its own host and `$PORT`")
    } else if path.contains(char::is_whitespace) {
        Some("contains whitespace")
    } else if !path.starts_with('/') {
        Some("does not start with `/`")
    } else if path.starts_with("//") {
        Some("starts with `//`, which reads as a host name")
    } else {
        None
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        for path in &service.health_paths {
            let Some(problem) = problem(&path.value) else { continue };
            let fixed = format!("/{}", path.value.trim().trim_start_matches('/'));
            let help = if path.value.contains("://") {
                "use only the path part, e.g. `/health`".to_string()
            } else {
                format!("use `{fixed}`")
            };
            out.push(
                Diagnostic::new(
                    &META,
                    path.at.file,
                    path.at.span.clone(),
                    format!("health check path {problem}"),
                )
                .pointer(path.at.pointer.clone())
                .help(help)
                .service(service.name.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn paths() {
        assert!(problem("/health").is_none());
        assert!(problem("/api/health?x=1").is_none());
        assert!(problem("health").is_some());
        assert!(problem("https://x.up.railway.app/health").is_some());
        assert!(problem("/health ").is_some());
        assert!(problem("//host/health").is_some());
    }
}
