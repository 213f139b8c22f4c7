//! The guide's health contract, checked on one answer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::facts::secrets;

use super::*;

pub(super) fn pass(name: &'static str, message: impl Into<String>) -> Check {
    Check {
        name,
        outcome: Outcome::Pass,
        message: message.into(),
    }
}

pub(super) fn fail(name: &'static str, message: impl Into<String>) -> Check {
    Check {
        name,
        outcome: Outcome::Fail,
        message: message.into(),
    }
}

pub(super) fn absent(name: &'static str) -> Check {
    Check {
        name,
        outcome: Outcome::Absent,
        message: "absent".to_string(),
    }
}

/// A short, redacted rendering of a field the endpoint sent back.
pub(super) fn shown(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    // Masked before it is cut: a credential cut short no longer looks like one.
    let text = secrets::redact(&text);
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() { short + "…" } else { short }
}

/// The guide's contract on an answer.
pub(super) fn contract(answer: &Answer, options: &Options, now: SystemTime) -> Vec<Check> {
    let mut checks = Vec::new();
    if answer.status != 200 {
        let hint = match answer.status {
            300..=399 => "; Railway's health check needs the 200 itself, not a redirect",
            500..=599 => "; the app is up but reports an error",
            _ => "",
        };
        checks.push(fail(
            "status",
            format!("HTTP {} (Railway needs 200){hint}", answer.status),
        ));
        return checks;
    }
    checks.push(pass("status", "HTTP 200"));
    let media = answer
        .content_type
        .as_deref()
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match media.as_deref() {
        Some(m) if m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")) => {
            checks.push(pass("content-type", m.to_string()))
        }
        Some(m) => checks.push(fail("content-type", format!("`{m}`, not application/json"))),
        None => checks.push(fail(
            "content-type",
            "no Content-Type header; expected application/json",
        )),
    }
    let body: Option<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(&answer.body).ok();
    let Some(body) = body else {
        checks.push(fail(
            "json",
            format!("the body ({} bytes) is not a JSON object", answer.body.len()),
        ));
        return checks;
    };
    checks.push(pass("json", "a JSON object"));
    match body.get("status") {
        Some(serde_json::Value::String(s)) if s == "healthy" || s == "ok" => {
            checks.push(pass("status-field", format!("\"{s}\"")))
        }
        Some(other) => checks.push(fail(
            "status-field",
            format!("{}; expected \"healthy\" or \"ok\"", shown(other)),
        )),
        None => checks.push(fail(
            "status-field",
            "no `status` field; expected \"healthy\" or \"ok\"",
        )),
    }
    checks.push(timestamp_check(body.get("timestamp"), options.max_skew, now));
    match (body.get("service"), &options.expect_service) {
        (None, Some(expected)) => checks.push(fail("service", format!("absent; expected \"{expected}\""))),
        (Some(serde_json::Value::String(s)), Some(expected)) if s != expected => checks.push(fail(
            "service",
            format!(
                "{}; expected \"{expected}\"",
                shown(&serde_json::Value::String(s.clone()))
            ),
        )),
        (value, _) => checks.push(string_field("service", value)),
    }
    checks.push(string_field("version", body.get("version")));
    checks.push(string_field("environment", body.get("environment")));
    checks
}

pub(super) fn string_field(name: &'static str, value: Option<&serde_json::Value>) -> Check {
    match value {
        None => absent(name),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            pass(name, shown(&serde_json::Value::String(s.clone())))
        }
        Some(other) => fail(name, format!("{}; expected a non-empty string", shown(other))),
    }
}

pub(super) fn timestamp_check(value: Option<&serde_json::Value>, max_skew: Duration, now: SystemTime) -> Check {
    let Some(value) = value else {
        return absent("timestamp");
    };
    let parsed = value.as_str().and_then(parse_iso8601);
    let Some((at, has_zone)) = parsed else {
        return fail("timestamp", format!("{} is not an ISO 8601 date-time", shown(value)));
    };
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let age = now - at;
    let skew = max_skew.as_secs() as i64;
    let zone = if has_zone { "" } else { " (no time zone: read as UTC)" };
    if age > skew {
        fail(
            "timestamp",
            format!(
                "{} old (more than {skew} s){zone}: a frozen timestamp betrays a statically exported or cached route",
                human_age(age)
            ),
        )
    } else if -age > skew {
        fail(
            "timestamp",
            format!(
                "{} in the future (more than {skew} s){zone}: check the server's clock",
                human_age(-age)
            ),
        )
    } else {
        pass("timestamp", format!("{} s old{zone}", age.max(0)))
    }
}

pub(super) fn human_age(secs: i64) -> String {
    match secs {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3_600 => format!("{} hours", s / 3_600),
        s => format!("{s} s"),
    }
}
