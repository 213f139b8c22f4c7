//! Rendering probe results (human, json).

use serde::Serialize;

use super::*;

// ---------------------------------------------------------------------------------------
// Rendering.

pub(crate) const JSON_SCHEMA_VERSION: u32 = 1;

pub(crate) struct ProbeReport<'a> {
    pub(crate) results: &'a [ProbeResult],
    /// Services of the project that were not probed (no `--base-url`).
    pub(crate) skipped: &'a [String],
}

#[derive(Serialize)]
pub(super) struct JsonDocument<'a> {
    schema_version: u32,
    probes: &'a [ProbeResult],
    skipped_services: &'a [String],
    summary: Summary,
}

#[derive(Serialize)]
pub(super) struct Summary {
    probed: usize,
    passed: usize,
    failed: usize,
}

impl ProbeReport<'_> {
    pub(crate) fn ok(&self) -> bool {
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

    pub(crate) fn render_json(&self) -> String {
        let doc = JsonDocument {
            schema_version: JSON_SCHEMA_VERSION,
            probes: self.results,
            skipped_services: self.skipped,
            summary: self.summary(),
        };
        serde_json::to_string_pretty(&doc).expect("the document serializes") + "\n"
    }

    pub(crate) fn render_human(&self) -> String {
        let mut out = String::new();
        for r in self.results {
            out.push_str(&format!("GET {}", r.url));
            match (&r.service, &r.path_from) {
                (Some(s), Some(from)) => out.push_str(&format!("  (service `{s}`, path from {from})")),
                (Some(s), None) => out.push_str(&format!("  (service `{s}`)")),
                _ => {}
            }
            out.push('\n');
            for (i, line) in r.earlier_attempts.iter().enumerate() {
                out.push_str(&format!("  {line} (attempt {})\n", i + 1));
            }
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
