//! a health check path Railway cannot probe.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Service;
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A health check path that is not a plain absolute path (`/health`).
    ///
    /// ## What it checks
    /// Every health check path, wherever it is set: it must start with `/` and hold no scheme,
    /// host or whitespace.
    ///
    /// A full URL, a path starting with `//` or whitespace inside the path is an error where
    /// Railway reads the path. A path without the leading `/`, or with only leading or trailing
    /// whitespace, is a warning: Railway's docs show paths with the slash, but whether it adds
    /// a missing one or trims spaces is not documented. A path in a file Railway does not read
    /// (the guide's files; RC405) cannot fail a deploy: a warning.
    ///
    /// ## Why it matters on Railway
    /// Railway probes the path with HTTP GET on `$PORT` from host `healthcheck.railway.app` and
    /// needs status 200 (railwayapp/docs deployments/healthchecks; domain.md section 3). A full
    /// URL (`https://api.example.com/health`) or a space inside the path makes every probe fail,
    /// so every deployment fails its health check and never goes live.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "healthcheckPath": "https://api.example.com/health" } }
    /// ```
    /// Fix: the path alone, `/health`, as `healthcheck` in `.railway/railway.ts` or in the
    /// service's settings in Railway; Config as Code files stop being read on 2026-12-01.
    code: RC402,
    name: "health-path-invalid",
    severity: Error,
    check: Service(check),
}

/// Why a path is invalid, if it is.
pub(crate) fn problem(path: &str) -> Option<&'static str> {
    judge(path).map(|(why, _)| why)
}

/// Why a path is invalid, and whether the probe certainly fails (else it only may).
fn judge(path: &str) -> Option<(&'static str, bool)> {
    if path.contains("://") {
        Some((
            "is a URL; Railway wants only the path and probes its own host and `$PORT`",
            true,
        ))
    } else if path.trim().contains(char::is_whitespace) {
        Some(("contains whitespace", true))
    } else if path.contains(char::is_whitespace) {
        Some(("starts or ends with whitespace", false))
    } else if !path.starts_with('/') {
        Some(("does not start with `/`", false))
    } else if path.starts_with("//") {
        Some(("starts with `//`, which reads as a host name", true))
    } else {
        None
    }
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for path in &service.health_paths {
        let Some((problem, certain)) = judge(&path.value) else {
            continue;
        };
        let fixed = format!("/{}", path.value.trim().trim_start_matches('/'));
        let mut help = if path.value.contains("://") {
            "use only the path part, e.g. `/health`".to_string()
        } else {
            format!("use `{fixed}`")
        };
        if path.origin == crate::model::Origin::Railway {
            // Railway stops reading its config files on 2026-12-01 (domain.md section 3).
            help.push_str(", set as `healthcheck` in `.railway/railway.ts` or in the service settings");
        }
        let mut d = Diagnostic::new(
            &META,
            path.at.file,
            path.at.span.clone(),
            format!("health check path {problem}"),
        )
        .pointer(path.at.pointer.clone())
        .help(help);
        if !super::read_by_railway(path) {
            d = d.severity(Severity::Warning).note(
                "Railway does not read the health check here (RC405); set where Railway reads it, this path would fail",
            );
        } else if !certain {
            d = d.severity(Severity::Warning).note(
                "Railway's docs always write the leading `/` and do not say whether a path without it or with spaces around it is repaired",
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::{judge, problem};

    #[test]
    fn paths() {
        assert!(problem("/health").is_none());
        assert!(problem("/api/health?x=1").is_none());
        assert!(problem("health").is_some());
        assert!(problem("https://x.up.railway.app/health").is_some());
        assert!(problem("/health ").is_some());
        assert!(problem("//host/health").is_some());
        assert_eq!(judge("health"), Some(("does not start with `/`", false)));
        assert_eq!(judge("/health "), Some(("starts or ends with whitespace", false)));
        assert!(judge("/he alth").unwrap().1);
        assert!(judge("https://x.up.railway.app/health").unwrap().1);
    }
}
