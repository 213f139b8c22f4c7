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

mod http;
mod contract;
mod time;
mod render;

use contract::*;
pub(crate) use http::*;
pub(crate) use render::*;
pub use time::*;

use std::time::Duration;

use serde::Serialize;

/// Bodies larger than this are cut off (a health answer is a few hundred bytes).
const MAX_BODY_BYTES: u64 = 1024 * 1024;

#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Per attempt, like one try of Railway's deploy health check.
    pub(crate) timeout: Duration,
    /// Extra attempts after a failed one (no answer, or not 200).
    pub(crate) retries: u32,
    pub(crate) interval: Duration,
    /// How old (or how far in the future) `timestamp` may be.
    pub(crate) max_skew: Duration,
    pub(crate) expect_service: Option<String>,
}

/// What to probe: a URL, optionally tied to a service of a project.
#[derive(Clone, Debug, Default)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) service: Option<String>,
    /// Where the health path came from (`railway.json`), in project mode.
    pub(crate) path_from: Option<String>,
    /// Set when there is nothing to probe (no health path configured): the reason.
    pub(crate) unprobeable: Option<String>,
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
pub(crate) struct Check {
    pub(crate) name: &'static str,
    pub(crate) outcome: Outcome,
    pub(crate) message: String,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ProbeResult {
    pub(crate) url: String,
    pub(crate) service: Option<String>,
    pub(crate) path_from: Option<String>,
    pub(crate) ok: bool,
    pub(crate) attempts: u32,
    /// Of the last attempt, from sending the request to the end of the body.
    pub(crate) latency_ms: Option<u64>,
    pub(crate) status: Option<u16>,
    /// One line per attempt before the last (`HTTP 503 in 12 ms`, `no answer: ...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) earlier_attempts: Vec<String>,
    pub(crate) checks: Vec<Check>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

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
