//! a health check timeout that is not a positive integer.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::NodeKind;

declare_rule! {
    /// A health check timeout that is not a positive whole number of seconds (over 300: info).
    ///
    /// ## What it checks
    /// Every health check timeout, wherever it is set: it must be a positive integer number of
    /// seconds. A value above 300 (Railway's default) is reported as info. `null` is not
    /// reported: Railway documents `healthcheckTimeout` as nullable, meaning unset (domain.md
    /// section 3).
    ///
    /// ## Why it matters on Railway
    /// `healthcheckTimeout` is a positive integer in seconds; a string, a fraction, zero or a
    /// negative number is rejected by Railway's config parser. A very long timeout is legal but
    /// means a broken deployment keeps the release pending for that long before failing.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "healthcheckTimeout": "300" } }
    /// ```
    /// Fix: `{ "deploy": { "healthcheckTimeout": 300 } }`.
    code: RC403,
    name: "health-timeout-invalid",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for timeout in &service.health_timeouts {
        let (message, severity) = match &timeout.value.kind {
            NodeKind::Number(text) => match text.parse::<i64>() {
                Ok(n) if n > 300 => (
                    format!("health check timeout of {n} seconds is above Railway's default of 300"),
                    Severity::Info,
                ),
                Ok(n) if n > 0 => continue,
                Ok(_) => (
                    "health check timeout must be a positive number of seconds".to_string(),
                    Severity::Error,
                ),
                Err(_) => (
                    "health check timeout must be a whole number of seconds".to_string(),
                    Severity::Error,
                ),
            },
            other => {
                let kind = match other {
                    NodeKind::String(_) => "a string",
                    NodeKind::Bool(_) => "a boolean",
                    NodeKind::Null => "null",
                    NodeKind::Array(_) => "an array",
                    NodeKind::Object(_) => "an object",
                    NodeKind::Number(_) => "a number",
                };
                (
                    format!("health check timeout is {kind}, not a number of seconds"),
                    Severity::Error,
                )
            }
        };
        let help = if severity == Severity::Info {
            "a failing deployment waits this long before Railway gives up; keep it as short as the app's boot allows"
        } else {
            "write a positive integer without quotes, e.g. `300`"
        };
        out.push(
            Diagnostic::new(&META, timeout.at.file, timeout.at.span.clone(), message)
                .severity(severity)
                .pointer(timeout.at.pointer.clone())
                .help(help),
        );
    }
}
