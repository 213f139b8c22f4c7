//! RC5xx: variables and `${{ ... }}` references.

pub(crate) mod build_time_public_var_at_runtime;
pub(crate) mod deprecated_railway_variable;
pub(crate) mod domain_scheme;
pub(crate) mod iac_template_reference;
pub(crate) mod iac_undeclared_service;
pub(crate) mod private_network_at_build;
pub(crate) mod reference_syntax;
pub(crate) mod reference_unknown_service;
pub(crate) mod reference_unknown_variable;
pub(crate) mod variables_not_applied;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &reference_syntax::RULE,
    &reference_unknown_service::RULE,
    &reference_unknown_variable::RULE,
    &domain_scheme::RULE,
    &private_network_at_build::RULE,
    &build_time_public_var_at_runtime::RULE,
    &deprecated_railway_variable::RULE,
    &variables_not_applied::RULE,
    &iac_template_reference::RULE,
    &iac_undeclared_service::RULE,
];

/// Services Railway creates from templates (databases) that config files never declare.
pub(crate) const TEMPLATE_SERVICES: &[&str] = &[
    "postgres",
    "postgresql",
    "redis",
    "mysql",
    "mongodb",
    "mongo",
    "mariadb",
    "clickhouse",
    "minio",
];

/// Does a variable name hold a URL (so a bare host name in it is a bug)?
pub(crate) fn is_url_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["_URL", "_URI", "_ORIGIN", "_ENDPOINT", "_BASE_URL"]
        .iter()
        .any(|s| upper.ends_with(s))
        || upper == "URL"
}
