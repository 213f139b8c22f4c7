//! The HTTP side: one agent per probe, deadlines on every phase, errors in plain words.

use std::time::{Duration, Instant, SystemTime};

use super::*;

/// One HTTP exchange that got an answer.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: Option<String>,
    pub(super) body: Vec<u8>,
    pub(super) latency: Duration,
}

pub(super) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent(concat!("railcheck/", env!("CARGO_PKG_VERSION"), " (health probe)"))
        .build()
        .new_agent()
}

/// Checks that a URL is an absolute `http`/`https` URL with a host (a usage error if not).
pub(crate) fn validate_url(url: &str) -> Result<(), String> {
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
pub(crate) fn probe(target: &Target, options: &Options) -> ProbeResult {
    let mut result = ProbeResult {
        url: target.url.clone(),
        service: target.service.clone(),
        path_from: target.path_from.clone(),
        ok: false,
        attempts: 0,
        latency_ms: None,
        status: None,
        earlier_attempts: Vec::new(),
        checks: Vec::new(),
    };
    if let Some(reason) = &target.unprobeable {
        result.checks.push(fail("health-path", reason.clone()));
        return result;
    }
    let agent = agent(options.timeout);
    let mut last: Result<Answer, String> = Err(String::new());
    for attempt in 0..=options.retries {
        if attempt > 0 {
            result.earlier_attempts.push(match &last {
                Ok(answer) => format!("HTTP {} in {} ms", answer.status, answer.latency.as_millis()),
                Err(message) => format!("no answer: {message}"),
            });
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

pub(super) fn exchange(agent: &ureq::Agent, url: &str, timeout: Duration, tls: bool) -> Result<Answer, String> {
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
pub(super) fn describe_error(error: &ureq::Error, timeout: Duration, tls: bool) -> String {
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

pub(super) fn is_dns_failure(error: &std::io::Error) -> bool {
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

pub(super) fn format_secs(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs.fract() == 0.0 {
        format!("{secs:.0} s")
    } else {
        format!("{secs} s")
    }
}
