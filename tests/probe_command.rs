//! `railcheck probe` against a server this test starts on 127.0.0.1 (no other address is
//! ever contacted): 200, 500, slow, non-JSON, a frozen timestamp, a service that starts
//! late, a redirect, connection refused and a TLS handshake against plain HTTP.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;

fn railcheck() -> Command {
    Command::cargo_bin("railcheck").unwrap()
}

/// Starts the test server; returns its base URL (`http://127.0.0.1:PORT`).
fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let flaky = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let flaky = Arc::clone(&flaky);
            std::thread::spawn(move || handle(stream, &flaky));
        }
    });
    base
}

fn now_iso() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    railcheck::probe::format_iso8601(secs)
}

fn handle(mut stream: TcpStream, flaky: &AtomicUsize) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let Ok(n) = stream.read(&mut buf) else { return };
        if n == 0 {
            return;
        }
        if request.is_empty() && buf[0] == 0x16 {
            // A TLS ClientHello: answer in plain HTTP, as a misconfigured port would.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let json = "application/json";
    let healthy = format!(
        r#"{{"status":"healthy","timestamp":"{}","service":"api","version":"1.4.2","environment":"production"}}"#,
        now_iso()
    );
    let (status, content_type, body, extra): (&str, &str, String, &str) = match path.as_str() {
        "/health" => ("200 OK", json, healthy, ""),
        "/error" => ("500 Internal Server Error", json, r#"{"status":"error"}"#.into(), ""),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", json, healthy, "")
        }
        "/text" => ("200 OK", "text/plain", "OK".into(), ""),
        "/frozen" => (
            "200 OK",
            json,
            r#"{"status":"ok","timestamp":"2025-01-01T00:00:00.000Z","service":"web"}"#.into(),
            "",
        ),
        "/flaky" => {
            if flaky.fetch_add(1, Ordering::SeqCst) < 2 {
                ("503 Service Unavailable", "text/plain", "starting".into(), "")
            } else {
                ("200 OK", json, healthy, "")
            }
        }
        "/redirect" => (
            "301 Moved Permanently",
            "text/plain",
            String::new(),
            "Location: /health\r\n",
        ),
        "/api/health" => ("200 OK", json, healthy, ""),
        _ => ("404 Not Found", "text/plain", "not found".into(), ""),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

fn probe(args: &[&str]) -> (i32, serde_json::Value) {
    let output = railcheck()
        .arg("probe")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let doc = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), doc)
}

fn checks(doc: &serde_json::Value, i: usize) -> Vec<(String, String)> {
    doc["probes"][i]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check_message(doc: &serde_json::Value, i: usize, name: &str) -> String {
    doc["probes"][i]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no check {name}"))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

fn c(name: &str, outcome: &str) -> (String, String) {
    (name.to_string(), outcome.to_string())
}

#[test]
fn healthy_endpoint_passes_every_check() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/health"), "--expect-service", "api"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["schema_version"], 1);
    let p = &doc["probes"][0];
    assert_eq!(p["ok"], true);
    assert_eq!(p["status"], 200);
    assert_eq!(p["attempts"], 1);
    assert!(p["latency_ms"].as_u64().unwrap() < 5_000);
    assert_eq!(
        checks(&doc, 0),
        vec![
            c("status", "pass"),
            c("content-type", "pass"),
            c("json", "pass"),
            c("status-field", "pass"),
            c("timestamp", "pass"),
            c("service", "pass"),
            c("version", "pass"),
            c("environment", "pass"),
        ]
    );
    assert_eq!(doc["summary"]["passed"], 1);
}

#[test]
fn server_error_fails() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/error")]);
    assert_eq!(code, 1);
    assert_eq!(doc["probes"][0]["status"], 500);
    assert_eq!(checks(&doc, 0), vec![c("status", "fail")]);
    assert!(check_message(&doc, 0, "status").contains("Railway needs 200"));
}

#[test]
fn slow_endpoint_times_out_without_hanging() {
    let base = server();
    let started = Instant::now();
    let (code, doc) = probe(&[&format!("{base}/slow"), "--timeout", "1"]);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert_eq!(code, 1);
    assert_eq!(checks(&doc, 0), vec![c("connect", "fail")]);
    assert!(check_message(&doc, 0, "connect").contains("timed out after 1 s"));
    assert_eq!(doc["probes"][0]["status"], serde_json::Value::Null);
}

#[test]
fn non_json_answer_fails_the_contract() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/text")]);
    assert_eq!(code, 1);
    assert_eq!(
        checks(&doc, 0),
        vec![c("status", "pass"), c("content-type", "fail"), c("json", "fail")]
    );
    assert!(check_message(&doc, 0, "content-type").contains("text/plain"));
}

#[test]
fn frozen_timestamp_is_caught() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/frozen"), "--expect-service", "api"]);
    assert_eq!(code, 1);
    let message = check_message(&doc, 0, "timestamp");
    assert!(message.contains("days old"), "{message}");
    assert!(message.contains("frozen timestamp"), "{message}");
    assert!(check_message(&doc, 0, "service").contains("expected \"api\""));
    assert_eq!(
        checks(&doc, 0)
            .into_iter()
            .filter(|(_, o)| o == "absent")
            .map(|(n, _)| n)
            .collect::<Vec<_>>(),
        vec!["version", "environment"]
    );
    // A generous skew accepts it.
    let (_, doc) = probe(&[&format!("{base}/frozen"), "--max-skew", "3000000000"]);
    assert_eq!(doc["probes"][0]["ok"], true, "{doc:#}");
}

#[test]
fn retries_wait_for_a_starting_service() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/flaky"), "--retries", "3", "--interval", "0.05"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["probes"][0]["attempts"], 3);
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/flaky"), "--retries", "1", "--interval", "0"]);
    assert_eq!(code, 1);
    assert_eq!(doc["probes"][0]["attempts"], 2);
    assert_eq!(doc["probes"][0]["status"], 503);
}

#[test]
fn redirects_are_not_followed() {
    let base = server();
    let (code, doc) = probe(&[&format!("{base}/redirect")]);
    assert_eq!(code, 1);
    assert_eq!(doc["probes"][0]["status"], 301);
    assert!(check_message(&doc, 0, "status").contains("not a redirect"));
}

#[test]
fn connection_refused_is_a_clear_finding() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (code, doc) = probe(&[&format!("http://127.0.0.1:{port}/health"), "--timeout", "2"]);
    assert_eq!(code, 1);
    assert!(
        check_message(&doc, 0, "connect").contains("connection refused"),
        "{doc:#}"
    );
}

#[test]
fn tls_against_plain_http_is_a_clear_finding() {
    let base = server();
    let url = base.replace("http://", "https://") + "/health";
    let started = Instant::now();
    let (code, doc) = probe(&[&url, "--timeout", "2"]);
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(code, 1);
    let message = check_message(&doc, 0, "connect");
    assert!(message.starts_with("TLS failure"), "{message}");
}

#[test]
fn several_urls_and_human_output() {
    let base = server();
    let output = railcheck()
        .args(["probe", &format!("{base}/health"), &format!("{base}/frozen")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&format!("GET {base}/health\n  HTTP 200 in ")),
        "{stdout}"
    );
    assert!(stdout.contains("  pass  status-field  \"healthy\""), "{stdout}");
    assert!(stdout.contains("  FAIL  timestamp"), "{stdout}");
    assert!(stdout.contains("  => healthy\n"));
    assert!(stdout.contains("  => FAILED\n"));
    assert!(stdout.ends_with("2 probed: 1 passed, 1 failed\n"), "{stdout}");
}

#[test]
fn project_mode_probes_each_configured_health_path() {
    let base = server();
    let dir = tempfile::tempdir().unwrap();
    for (service, railway) in [
        ("web", r#"{"deploy":{"healthcheckPath":"/api/health"}}"#),
        ("api", r#"{"deploy":{"healthcheckPath":"/frozen"}}"#),
        ("worker", r#"{"deploy":{"startCommand":"node worker.js"}}"#),
        ("docs", r#"{"deploy":{"healthcheckPath":"/health"}}"#),
    ] {
        let folder = dir.path().join(service);
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("railway.json"), railway).unwrap();
    }
    let project = format!("--project={}", dir.path().display());
    let (code, doc) = probe(&[
        &project,
        "--base-url",
        &format!("web={base}/"),
        "--base-url",
        &format!("api={base}"),
        "--base-url",
        &format!("worker={base}"),
    ]);
    assert_eq!(code, 1);
    let probes = doc["probes"].as_array().unwrap();
    assert_eq!(probes[0]["url"], format!("{base}/api/health"));
    assert_eq!(probes[0]["service"], "web");
    assert_eq!(probes[0]["path_from"], "web/railway.json");
    assert_eq!(probes[0]["ok"], true);
    assert_eq!(probes[1]["url"], format!("{base}/frozen"));
    assert_eq!(probes[1]["ok"], false);
    assert_eq!(checks(&doc, 2), vec![c("health-path", "fail")]);
    assert_eq!(doc["skipped_services"], serde_json::json!(["docs"]));
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        vec![],
        vec!["ftp://example.com/health"],
        vec!["not a url"],
        vec!["http://127.0.0.1:1/health", "--timeout", "0"],
        vec!["http://127.0.0.1:1/health", "--timeout", "-1"],
        vec!["--project=/definitely/not/here", "--base-url", "a=http://127.0.0.1:1"],
        vec!["--base-url", "a=http://127.0.0.1:1"],
    ] {
        let output = railcheck().arg("probe").args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("railway.json"), "{}").unwrap();
    let project = format!("--project={}", dir.path().display());
    for base_url in ["nope=http://127.0.0.1:1", "no-equals-sign", "x=ftp://y"] {
        let output = railcheck()
            .args(["probe", &project, "--base-url", base_url])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{base_url}");
    }
}

#[test]
fn human_format_prints_one_line_per_attempt() {
    let base = server();
    let out = railcheck()
        .args(["probe", &format!("{base}/flaky"), "--retries", "3", "--interval", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  HTTP 503 in ") && text.contains(" (attempt 1)\n"),
        "{text}"
    );
    assert!(
        text.contains(" (attempt 2)\n") && text.contains(" (attempt 3)\n"),
        "{text}"
    );
    assert_eq!(text.matches("(attempt ").count(), 3, "{text}");
}
