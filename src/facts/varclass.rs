//! What a variable *name* says about where it belongs: the build, the running app only,
//! Railway itself, or Railpack. Shared by the secrets and reference rules and by
//! `railcheck env`. Only names are looked at here; values are `crate::facts::secrets`' job.
//!
//! API:
//! - [`classify`] gives one [`VarClass`] per name (default settings);
//! - [`is_runtime_secret_name`] and [`is_build_allowed`] answer the two policy questions,
//!   honouring `railcheck.toml` (`runtime_only`, `build_allowlist`);
//! - [`RAILWAY_PROVIDED`] lists the variables Railway sets (domain.md section 4), and
//!   [`is_railway_provided`] / [`deprecation`] look names up in it.

use crate::settings::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum VarClass {
    /// Set by Railway on every deployment (`PORT`, `RAILWAY_PUBLIC_DOMAIN`, ...).
    RailwayProvided,
    /// `RAILPACK_*`: read by Railpack while it builds.
    Railpack,
    /// Needed while building: the guide's minimal set and public-prefixed names that
    /// frameworks inline into the client bundle.
    BuildNeeded,
    /// A credential the running app needs; the build should never see it.
    RuntimeSecret,
    Other,
}

impl VarClass {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            VarClass::RailwayProvided => "railway-provided",
            VarClass::Railpack => "railpack",
            VarClass::BuildNeeded => "build-needed",
            VarClass::RuntimeSecret => "runtime-secret",
            VarClass::Other => "other",
        }
    }
}

/// Variables Railway provides to every service (domain.md section 4), including the
/// user-set knobs Railway reads and the deprecated names (see [`deprecation`]).
pub(crate) const RAILWAY_PROVIDED: &[&str] = &[
    "PORT",
    "RAILWAY_PUBLIC_DOMAIN",
    "RAILWAY_PRIVATE_DOMAIN",
    "RAILWAY_TCP_PROXY_DOMAIN",
    "RAILWAY_TCP_PROXY_PORT",
    "RAILWAY_TCP_APPLICATION_PORT",
    "RAILWAY_PROJECT_NAME",
    "RAILWAY_PROJECT_ID",
    "RAILWAY_ENVIRONMENT_NAME",
    "RAILWAY_ENVIRONMENT_ID",
    "RAILWAY_SERVICE_NAME",
    "RAILWAY_SERVICE_ID",
    "RAILWAY_REPLICA_ID",
    "RAILWAY_REPLICA_REGION",
    "RAILWAY_DEPLOYMENT_ID",
    "RAILWAY_SNAPSHOT_ID",
    "RAILWAY_VOLUME_NAME",
    "RAILWAY_VOLUME_MOUNT_PATH",
    "RAILWAY_GIT_COMMIT_SHA",
    "RAILWAY_GIT_AUTHOR",
    "RAILWAY_GIT_BRANCH",
    "RAILWAY_GIT_REPO_NAME",
    "RAILWAY_GIT_REPO_OWNER",
    "RAILWAY_GIT_COMMIT_MESSAGE",
    "RAILWAY_DEPLOYMENT_OVERLAP_SECONDS",
    "RAILWAY_DEPLOYMENT_DRAINING_SECONDS",
    "RAILWAY_DOCKERFILE_PATH",
    "RAILWAY_HEALTHCHECK_TIMEOUT_SEC",
    "RAILWAY_RUN_UID",
    "RAILWAY_SHM_SIZE_BYTES",
    "RAILWAY_STATIC_URL",
    "RAILWAY_ENVIRONMENT",
];

/// The guide's build-time set plus names every build may need (RC301's default allowlist).
const DEFAULT_BUILD_ALLOWLIST: &[&str] = &[
    "RAILWAY_ENVIRONMENT",
    "RAILWAY_ENVIRONMENT_NAME",
    "PYTHONPATH",
    "NODE_ENV",
];

/// Prefixes frameworks inline into client code at build time (Next.js, Vite, Create React App).
pub(crate) const PUBLIC_PREFIXES: &[&str] = &["NEXT_PUBLIC_", "VITE_", "REACT_APP_"];

const SECRET_PREFIXES: &[&str] = &["JWT_", "OPENAI_", "ANTHROPIC_", "GROQ_", "STRIPE_", "AWS_"];
const SECRET_SUFFIXES: &[&str] = &["_KEY", "_TOKEN", "_PASSWORD", "_PASSWD", "_DSN"];
const SECRET_EXACT: &[&str] = &[
    "DATABASE_URL",
    "REDIS_URL",
    "GOOGLE_API_KEY",
    "SECRET",
    "SECRET_KEY",
    "PASSWORD",
    "PGPASSWORD",
];
/// `*_URL` / `*_URI` names of these services carry a password by convention.
const CREDENTIAL_URL_STEMS: &[&str] = &["DATABASE", "POSTGRES", "MYSQL", "MONGO", "REDIS", "AMQP", "RABBITMQ"];

/// Is this one of Railway's own variables (current or deprecated)?
pub(crate) fn is_railway_provided(name: &str) -> bool {
    RAILWAY_PROVIDED.contains(&name) || is_service_url(name)
}

/// `RAILWAY_SERVICE_<NAME>_URL`, the deprecated per-service public URL.
fn is_service_url(name: &str) -> bool {
    name.strip_prefix("RAILWAY_SERVICE_")
        .and_then(|rest| rest.strip_suffix("_URL"))
        .is_some_and(|middle| !middle.is_empty())
}

/// How deprecated a Railway variable is: `Some((hard, replacement))`, where `hard` means
/// it no longer works as documented (a warning) rather than merely being old (info).
pub(crate) fn deprecation(name: &str) -> Option<(bool, &'static str)> {
    match name {
        "RAILWAY_STATIC_URL" => Some((true, "RAILWAY_PUBLIC_DOMAIN")),
        "RAILWAY_ENVIRONMENT" => Some((false, "RAILWAY_ENVIRONMENT_NAME")),
        _ if is_service_url(name) => Some((true, "RAILWAY_PUBLIC_DOMAIN")),
        _ => None,
    }
}

/// Does the name carry a public prefix (inlined into client bundles at build time)?
pub(crate) fn is_public(name: &str) -> bool {
    PUBLIC_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Is this the name of a credential the running app needs and the build should not see?
/// Public-prefixed names are never runtime secrets: they end up in the browser bundle.
pub(crate) fn is_runtime_secret_name(name: &str, settings: &Settings) -> bool {
    if settings.runtime_only.iter().any(|n| n == name) {
        return true;
    }
    if is_public(name) || name.starts_with("RAILPACK_") || settings.build_allowlist.iter().any(|n| n == name) {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    let upper = upper.as_str();
    SECRET_EXACT.contains(&upper)
        || SECRET_PREFIXES.iter().any(|p| upper.starts_with(p))
        || SECRET_SUFFIXES.iter().any(|s| upper.ends_with(s))
        || upper.contains("_SECRET")
        || upper.starts_with("SECRET_")
        || ((upper.ends_with("_URL") || upper.ends_with("_URI"))
            && CREDENTIAL_URL_STEMS.iter().any(|stem| upper.contains(stem)))
}

/// May this name be exposed to the build (RC301)? The default allowlist, `RAILPACK_*`,
/// public prefixes, and names the config's `build_allowlist` adds (trailing `*` = prefix).
pub(crate) fn is_build_allowed(name: &str, settings: &Settings) -> bool {
    if settings.runtime_only.iter().any(|n| n == name) {
        return false;
    }
    DEFAULT_BUILD_ALLOWLIST.contains(&name)
        || name.starts_with("RAILPACK_")
        || is_public(name)
        || settings
            .build_allowlist
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => pattern == name,
            })
}

/// The class of a name under the given settings.
pub(crate) fn classify_with(name: &str, settings: &Settings) -> VarClass {
    if name.starts_with("RAILPACK_") {
        VarClass::Railpack
    } else if is_railway_provided(name) {
        VarClass::RailwayProvided
    } else if is_runtime_secret_name(name, settings) {
        VarClass::RuntimeSecret
    } else if is_build_allowed(name, settings) {
        VarClass::BuildNeeded
    } else {
        VarClass::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(name: &str) -> VarClass {
        classify_with(name, &Settings::default())
    }

    #[test]
    fn classifies_the_guides_names() {
        for name in [
            "OPENAI_API_KEY",
            "ANTHROPIC_API_KEY",
            "GOOGLE_API_KEY",
            "JWT_SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "SENTRY_DSN",
            "GROQ_API_KEY",
            "STRIPE_WEBHOOK",
            "AWS_REGION",
            "GITHUB_TOKEN",
            "DB_PASSWORD",
            "CLIENT_SECRET",
            "SECRET_KEY",
            "MONGODB_URI",
            "DATABASE_PRIVATE_URL",
        ] {
            assert_eq!(classify(name), VarClass::RuntimeSecret, "{name}");
        }
        for name in [
            "RAILWAY_ENVIRONMENT_NAME",
            "PORT",
            "RAILWAY_PUBLIC_DOMAIN",
            "RAILWAY_SERVICE_API_URL",
        ] {
            assert_eq!(classify(name), VarClass::RailwayProvided, "{name}");
        }
        assert_eq!(classify("RAILPACK_NODE_VERSION"), VarClass::Railpack);
        for name in [
            "PYTHONPATH",
            "NODE_ENV",
            "NEXT_PUBLIC_API_URL",
            "VITE_API_URL",
            "REACT_APP_X",
        ] {
            assert_eq!(classify(name), VarClass::BuildNeeded, "{name}");
        }
        for name in ["LOG_LEVEL", "HELLO_WORLD", "KEYBOARD_LAYOUT", "REDIS_HOST", "API_URL"] {
            assert_eq!(classify(name), VarClass::Other, "{name}");
        }
    }

    #[test]
    fn public_names_are_never_runtime_secrets() {
        let s = Settings::default();
        assert!(!is_runtime_secret_name("NEXT_PUBLIC_STRIPE_KEY", &s));
        assert!(is_build_allowed("NEXT_PUBLIC_STRIPE_KEY", &s));
    }

    #[test]
    fn settings_extend_both_lists() {
        let s = Settings {
            build_allowlist: vec!["NPM_TOKEN".into(), "SENTRY_*".into()],
            runtime_only: vec!["LICENSE_BLOB".into()],
            ..Settings::default()
        };
        assert!(is_build_allowed("NPM_TOKEN", &s));
        assert!(!is_runtime_secret_name("NPM_TOKEN", &s));
        assert!(is_build_allowed("SENTRY_ORG", &s));
        assert!(is_runtime_secret_name("LICENSE_BLOB", &s));
        assert!(!is_build_allowed("LICENSE_BLOB", &s));
        assert!(!is_build_allowed("NPM_TOKEN", &Settings::default()));
    }

    #[test]
    fn deprecations() {
        assert_eq!(deprecation("RAILWAY_STATIC_URL"), Some((true, "RAILWAY_PUBLIC_DOMAIN")));
        assert_eq!(
            deprecation("RAILWAY_SERVICE_WEB_URL"),
            Some((true, "RAILWAY_PUBLIC_DOMAIN"))
        );
        assert_eq!(
            deprecation("RAILWAY_ENVIRONMENT"),
            Some((false, "RAILWAY_ENVIRONMENT_NAME"))
        );
        assert_eq!(deprecation("RAILWAY_ENVIRONMENT_NAME"), None);
        assert_eq!(deprecation("RAILWAY_SERVICE__URL"), None);
        assert!(!is_railway_provided("RAILWAY_SERVICE_NAME_X"));
    }
}
