//! `railcheck probe`: sends HTTP GET to health endpoints the way Railway's deploy health
//! check does, and checks the guide's health contract on the answer.
//!
//! The contract: status 200 within the timeout; a JSON object body served as
//! `application/json`; `status` equal to `healthy` or `ok`; where present, `timestamp`
//! in ISO 8601 and no more than `--max-skew` old (a frozen timestamp betrays a
//! statically exported or cached route), and `service`, `version`, `environment` as
//! non-empty strings.
//!
//! The client is `ureq` (blocking, rustls). Every phase has a deadline (`timeout_global`
//! covers name resolution, connect, TLS, headers and body), bodies are read up to 1 MiB,
//! redirects are not followed (Railway needs a 200, not a 301), and proxies come from
//! the usual `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` variables.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::facts::secrets;

/// Bodies larger than this are cut off (a health answer is a few hundred bytes).
const MAX_BODY_BYTES: u64 = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Options {
    /// Per attempt, like one try of Railway's deploy health check.
    pub timeout: Duration,
    /// Extra attempts after a failed one (no answer, or not 200).
    pub retries: u32,
    pub interval: Duration,
    /// How old (or how far in the future) `timestamp` may be.
    pub max_skew: Duration,
    pub expect_service: Option<String>,
}

/// What to probe: a URL, optionally tied to a service of a project.
#[derive(Clone, Debug, Default)]
pub struct Target {
    pub url: String,
    pub service: Option<String>,
    /// Where the health path came from (`railway.json`), in project mode.
    pub path_from: Option<String>,
    /// Set when there is nothing to probe (no health path configured): the reason.
    pub unprobeable: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// An optional field that is not there: neither a pass nor a failure.
    Absent,
}

#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub outcome: Outcome,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProbeResult {
    pub url: String,
    pub service: Option<String>,
    pub path_from: Option<String>,
    pub ok: bool,
    pub attempts: u32,
    /// Of the last attempt, from sending the request to the end of the body.
    pub latency_ms: Option<u64>,
    pub status: Option<u16>,
    pub checks: Vec<Check>,
}

/// One HTTP exchange that got an answer.
struct Answer {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
    latency: Duration,
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("railcheck/", env!("CARGO_PKG_VERSION"), " (health probe)"))
        .build()
        .new_agent()
}

/// Checks that a URL is an absolute `http`/`https` URL with a host (a usage error if not).
pub fn validate_url(url: &str) -> Result<(), String> {
    let uri: ureq::http::Uri = url.parse().map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(format!("`{url}` must start with http:// or https://")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("`{url}` has no host"));
    }
    Ok(())
}

/// Probes one target, retrying while there is no answer or the status is not 200.
pub fn probe(target: &Target, options: &Options) -> ProbeResult {
    let mut result = ProbeResult {
        url: target.url.clone(),
        service: target.service.clone(),
        path_from: target.path_from.clone(),
        ok: false,
        attempts: 0,
        latency_ms: None,
        status: None,
        checks: Vec::new(),
    };
    if let Some(reason) = &target.unprobeable {
        result.checks.push(fail("health-path", reason.clone()));
        return result;
    }
    let agent = agent(options.timeout);
    let mut last = Err(String::new());
    for attempt in 0..=options.retries {
        if attempt > 0 {
            std::thread::sleep(options.interval);
        }
        result.attempts = attempt + 1;
        last = exchange(&agent, &target.url, options.timeout, target.url.starts_with("https:"));
        if matches!(&last, Ok(answer) if answer.status == 200) {
            break;
        }
    }
    match last {
        Err(message) => result.checks.push(fail("connect", message)),
        Ok(answer) => {
            result.latency_ms = Some(u64::try_from(answer.latency.as_millis()).unwrap_or(u64::MAX));
            result.status = Some(answer.status);
            result.checks = contract(&answer, options, SystemTime::now());
        }
    }
    result.ok = result.checks.iter().all(|c| c.outcome != Outcome::Fail);
    result
}

fn exchange(agent: &ureq::Agent, url: &str, timeout: Duration, tls: bool) -> Result<Answer, String> {
    let started = Instant::now();
    let mut response = agent.get(url).call().map_err(|e| describe_error(&e, timeout, tls))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => "the body is over 1 MiB; a health answer should be small".to_string(),
            e => format!("reading the body failed: {}", describe_error(&e, timeout, tls)),
        })?;
    Ok(Answer {
        status,
        content_type,
        body,
        latency: started.elapsed(),
    })
}

/// A transport failure in words a user can act on. `tls`: the URL is https.
fn describe_error(error: &ureq::Error, timeout: Duration, tls: bool) -> String {
    use ureq::Error;
    use ureq::Timeout;
    let secs = format_secs(timeout);
    match error {
        Error::Timeout(Timeout::Resolve) => format!("timed out after {secs} resolving the host name (DNS)"),
        Error::Timeout(Timeout::Connect) => format!("timed out after {secs} connecting"),
        Error::Timeout(_) => format!("timed out after {secs} waiting for the answer (the timeout is per attempt)"),
        Error::HostNotFound => "DNS failure: the host name does not resolve".to_string(),
        Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused: nothing listens on that host and port".to_string()
        }
        Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
            format!("timed out after {secs} (the timeout is per attempt)")
        }
        // The system resolver's failures arrive as plain I/O errors.
        Error::Io(e) if is_dns_failure(e) => format!("DNS failure: the host name does not resolve ({e})"),
        // rustls reports handshake failures as I/O errors of kind InvalidData.
        Error::Io(e) if tls && e.kind() == std::io::ErrorKind::InvalidData => format!("TLS failure: {e}"),
        Error::Io(e) => format!("network error: {e}"),
        Error::ConnectionFailed => "connection failed".to_string(),
        Error::Tls(e) => format!("TLS failure: {e}"),
        Error::Rustls(e) => format!("TLS failure: {e}"),
        Error::Protocol(e) => format!("not an HTTP answer: {e}"),
        other => other.to_string(),
    }
}

fn is_dns_failure(error: &std::io::Error) -> bool {
    let text = error.to_string();
    [
        "lookup address",
        "not known",
        "nodename nor servname",
        "No such host",
        "Temporary failure in name resolution",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

fn format_secs(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}

fn pass(name: &'static str, message: impl Into<String>) -> Check {
    Check {
        name,
        outcome: Outcome::Pass,
        message: message.into(),
    }
}

fn fail(name: &'static str, message: impl Into<String>) -> Check {
    Check {
        name,
        outcome: Outcome::Fail,
        message: message.into(),
    }
}

fn absent(name: &'static str) -> Check {
    Check {
        name,
        outcome: Outcome::Absent,
        message: "absent".to_string(),
    }
}

/// A short, redacted rendering of a field the endpoint sent back.
fn shown(value: &serde_json::Value) -> String {
    let text = match value {
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    let short: String = text.chars().take(40).collect();
    let short = if short.len() < text.len() { short + "…" } else { short };
    secrets::redact(&short)
}

/// The guide's contract on an answer.
fn contract(answer: &Answer, options: &Options, now: SystemTime) -> Vec<Check> {
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

fn string_field(name: &'static str, value: Option<&serde_json::Value>) -> Check {
    match value {
        None => absent(name),
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            pass(name, shown(&serde_json::Value::String(s.clone())))
        }
        Some(other) => fail(name, format!("{}; expected a non-empty string", shown(other))),
    }
}

fn timestamp_check(value: Option<&serde_json::Value>, max_skew: Duration, now: SystemTime) -> Check {
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

fn human_age(secs: i64) -> String {
    match secs {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3_600 => format!("{} hours", s / 3_600),
        s => format!("{s} s"),
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]` (also with a space or a
/// lowercase `t`), returning Unix seconds and whether a zone was given (none = UTC).
pub fn parse_iso8601(text: &str) -> Option<(i64, bool)> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())?
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month)
        || day < 1
        || day > month_days[(month - 1) as usize]
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix(['.', ',']) {
        let end = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
        if end == 0 {
            return None;
        }
        rest = &frac[end..];
    }
    let (offset, has_zone) = match rest {
        "" => (0, false),
        "Z" | "z" => (0, true),
        zone => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hm = zone[1..].replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i64, i64) = (hm[..2].parse().ok()?, hm[2..].parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            (sign * (h * 3600 + m * 60), true)
        }
    };
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, has_zone))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ` (used by tests and examples).
pub fn format_iso8601(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Inverse of days_from_civil.
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

// ---------------------------------------------------------------------------------------
// Rendering.

pub const JSON_SCHEMA_VERSION: u32 = 1;

pub struct ProbeReport<'a> {
    pub results: &'a [ProbeResult],
    /// Services of the project that were not probed (no `--base-url`).
    pub skipped: &'a [String],
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    schema_version: u32,
    probes: &'a [ProbeResult],
    skipped_services: &'a [String],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    probed: usize,
    passed: usize,
    failed: usize,
}

impl ProbeReport<'_> {
    pub fn ok(&self) -> bool {
        self.results.iter().all(|r| r.ok)
    }

    fn summary(&self) -> Summary {
        let passed = self.results.iter().filter(|r| r.ok).count();
        Summary {
            probed: self.results.len(),
            passed,
            failed: self.results.len() - passed,
        }
    }

    pub fn render_json(&self) -> String {
        let doc = JsonDocument {
            schema_version: JSON_SCHEMA_VERSION,
            probes: self.results,
            skipped_services: self.skipped,
            summary: self.summary(),
        };
        serde_json::to_string_pretty(&doc).expect("the document serializes") + "\n"
    }

    pub fn render_human(&self) -> String {
        let mut out = String::new();
        for r in self.results {
            out.push_str(&format!("GET {}", r.url));
            match (&r.service, &r.path_from) {
                (Some(s), Some(from)) => out.push_str(&format!("  (service `{s}`, path from {from})")),
                (Some(s), None) => out.push_str(&format!("  (service `{s}`)")),
                _ => {}
            }
            out.push('\n');
            if let (Some(status), Some(ms)) = (r.status, r.latency_ms) {
                out.push_str(&format!("  HTTP {status} in {ms} ms"));
            } else {
                out.push_str("  no answer");
            }
            if r.attempts > 0 {
                out.push_str(&format!(" (attempt {})", r.attempts));
            }
            out.push('\n');
            let width = r.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
            for c in &r.checks {
                let mark = match c.outcome {
                    Outcome::Pass => "pass",
                    Outcome::Fail => "FAIL",
                    Outcome::Absent => "  - ",
                };
                out.push_str(&format!("  {mark}  {:<width$}  {}\n", c.name, c.message));
            }
            out.push_str(if r.ok { "  => healthy\n\n" } else { "  => FAILED\n\n" });
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!(
                "not probed (no --base-url): {}\n",
                self.skipped
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let s = self.summary();
        out.push_str(&format!(
            "{} probed: {} passed, {} failed\n",
            s.probed, s.passed, s.failed
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso8601_forms() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some((0, true)));
        assert_eq!(
            parse_iso8601("2024-02-29T12:30:45.123456Z"),
            Some((1_709_209_845, true))
        );
        assert_eq!(parse_iso8601("2024-02-29T14:30:45+02:00"), Some((1_709_209_845, true)));
        assert_eq!(parse_iso8601("2024-02-29T07:30:45-0500"), Some((1_709_209_845, true)));
        assert_eq!(parse_iso8601("2024-02-29 12:30:45.1"), Some((1_709_209_845, false)));
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01",
            "2024-01-01T25:00:00Z",
            "1700000000",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00+2",
            "yesterday at noon!!",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for t in [0, 1_709_209_845, 951_782_400, 4_102_444_799] {
            assert_eq!(parse_iso8601(&format_iso8601(t)), Some((t, true)));
        }
        assert_eq!(format_iso8601(1_709_209_845), "2024-02-29T12:30:45Z");
    }

    fn answer(status: u16, ct: Option<&str>, body: &str) -> Answer {
        Answer {
            status,
            content_type: ct.map(str::to_string),
            body: body.as_bytes().to_vec(),
            latency: Duration::from_millis(3),
        }
    }

    fn options() -> Options {
        Options {
            timeout: Duration::from_secs(1),
            retries: 0,
            interval: Duration::from_millis(10),
            max_skew: Duration::from_secs(300),
            expect_service: Some("api".into()),
        }
    }

    fn outcomes(checks: &[Check]) -> Vec<(&'static str, Outcome)> {
        checks.iter().map(|c| (c.name, c.outcome)).collect()
    }

    #[test]
    fn contract_checks() {
        let now = UNIX_EPOCH + Duration::from_secs(1_709_209_845);
        let body = r#"{"status":"healthy","timestamp":"2024-02-29T12:30:00Z","service":"api","version":"1.2.3"}"#;
        let checks = contract(
            &answer(200, Some("application/json; charset=utf-8"), body),
            &options(),
            now,
        );
        use Outcome::*;
        assert_eq!(
            outcomes(&checks),
            vec![
                ("status", Pass),
                ("content-type", Pass),
                ("json", Pass),
                ("status-field", Pass),
                ("timestamp", Pass),
                ("service", Pass),
                ("version", Pass),
                ("environment", Absent)
            ]
        );
        let frozen = r#"{"status":"ok","timestamp":"2024-01-01T00:00:00Z","service":"web"}"#;
        let checks = contract(&answer(200, Some("text/plain"), frozen), &options(), now);
        let failed: Vec<_> = checks.iter().filter(|c| c.outcome == Fail).map(|c| c.name).collect();
        assert_eq!(failed, vec!["content-type", "timestamp", "service"]);
        assert!(checks[4].message.contains("59 days old"), "{}", checks[4].message);
        let checks = contract(&answer(500, Some("application/json"), "{}"), &options(), now);
        assert_eq!(outcomes(&checks), vec![("status", Fail)]);
        let checks = contract(&answer(200, Some("text/html"), "<html>"), &options(), now);
        assert_eq!(checks[2].outcome, Fail);
        assert_eq!(checks.len(), 3);
    }

    #[test]
    fn field_values_are_cut_and_redacted() {
        let long = serde_json::Value::String("sk-abcdefghijklmnopqrstuvwx".into());
        assert_eq!(shown(&long), "\"sk-a…\"");
        let text = serde_json::Value::String("x".repeat(100));
        assert!(shown(&text).chars().count() <= 41);
    }

    #[test]
    fn urls_are_validated() {
        assert!(validate_url("http://127.0.0.1:8080/health").is_ok());
        assert!(validate_url("https://api.example.com/health").is_ok());
        assert!(validate_url("ftp://x/health").is_err());
        assert!(validate_url("/health").is_err());
        assert!(validate_url("not a url").is_err());
    }
}
