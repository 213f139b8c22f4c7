//! SARIF 2.1.0 for GitHub code scanning and other viewers: every rule with its docs, every
//! finding with a region and a fingerprint that survives unrelated edits.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, Rule};
use crate::source::FileId;

pub(crate) const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where users learn about railcheck (Cargo's `repository`).
pub(crate) const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// The `partialFingerprints` key; bump the version if the hashed fields change.
pub(crate) const FINGERPRINT_KEY: &str = "railcheck/v1";

pub(crate) fn render(report: &Report<'_>) -> String {
    let all = rules::all();
    let index: HashMap<&str, usize> = all.iter().enumerate().map(|(i, r)| (r.meta.code, i)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(fingerprints(report))
        .map(|(d, fingerprint)| result(report, d, index.get(d.rule.code).copied(), fingerprint))
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "railcheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": all.iter().map(|r| rule(r)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("SARIF serializes");
    text.push('\n');
    text
}

/// The `partialFingerprints` value of each finding, in order: a hash of its identity (rule,
/// file, JSON Pointer or message; never a line) and of how many findings before it share
/// that identity. `--baseline` files hold the same values.
pub(crate) fn fingerprints(report: &Report<'_>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    report
        .diagnostics
        .iter()
        .map(|d| {
            let identity = identity(report, d);
            let occurrence = seen.entry(identity.clone()).or_insert(0);
            let fingerprint = format!("{:016x}", fnv1a(format!("{identity}\0{occurrence}").as_bytes()));
            *occurrence += 1;
            fingerprint
        })
        .collect()
}

fn rule(rule: &Rule) -> Value {
    let meta = rule.meta;
    // A retired rule stays listed (its code is reserved) but is off: it never reports.
    let config = if rule.is_retired() {
        json!({ "level": level(meta.severity), "enabled": false })
    } else {
        json!({ "level": level(meta.severity) })
    };
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": meta.summary() },
        "helpUri": meta.docs_url(),
        "fullDescription": { "text": unwrap_lines(section(&meta.docs(), "## What it checks").unwrap_or(meta.summary())) },
        "help": {
            "text": plain_text(&meta.docs()),
            "markdown": meta.docs(),
        },
        "defaultConfiguration": config,
        "properties": { "tags": ["railway", "railpack"] },
    })
}

fn result(report: &Report<'_>, d: &Diagnostic, rule_index: Option<usize>, fingerprint: String) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(note) = &d.note {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    let mut result = json!({
        "ruleId": d.rule.code,
        "level": level(d.severity),
        "message": { "text": text },
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint },
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    // The owning service by id: two services with the same name stay apart.
    if let Some(service) = d.service.as_deref().and_then(|id| report.project.service_by_id(id)) {
        result["properties"] = json!({ "service": service.name, "serviceId": service.id });
    }
    // A project-level finding is anchored at the top of the file that declares the project
    // (the manifest, else the first config): code scanning wants a location on every result.
    let anchor = match d.file {
        Some(file) => Some((file, d.span.clone())),
        None => report
            .project
            .manifest
            .or_else(|| report.project.files.first().map(|f| f.id))
            .map(|file| (file, 0..0)),
    };
    if let Some((file, span)) = anchor {
        result["locations"] = json!([location(report, file, span)]);
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut loc = location(report, label.file, label.span.clone());
            loc["id"] = json!(i);
            loc["message"] = json!({ "text": label.message });
            loc
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

fn location(report: &Report<'_>, file: FileId, span: std::ops::Range<usize>) -> Value {
    let f = report.project.file(file);
    let (start_line, start_col) = f.line_col(span.start);
    let (end_line, end_col) = f.line_col(span.end);
    json!({
        "physicalLocation": {
            "artifactLocation": {
                "uri": uri_path(&report.repo_path(&f.path)),
                "uriBaseId": "%SRCROOT%",
            },
            "region": {
                "startLine": start_line,
                "startColumn": start_col,
                "endLine": end_line,
                "endColumn": end_col,
            }
        }
    })
}

/// What identifies a finding across runs: rule, file, and the JSON Pointer of the value at
/// fault (the message when there is none). Never a line number, so unrelated edits above
/// the finding leave it unchanged.
fn identity(report: &Report<'_>, d: &Diagnostic) -> String {
    let path = d
        .file
        .map(|f| report.repo_path(&report.project.file(f).path))
        .unwrap_or_default();
    let what = d.pointer.as_deref().unwrap_or(&d.message);
    format!("{}\0{path}\0{what}", d.rule.code)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// 64-bit FNV-1a: tiny, stable across Rust versions and platforms (unlike `DefaultHasher`).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A relative path as a URI reference: `/` kept, everything outside RFC 3986's unreserved
/// and a few safe sub-delimiters percent-encoded (spaces, `%`, `#`, `?`, non-ASCII).
pub(crate) fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // A first segment with `:` would read as a scheme; `:` is encoded above, so this holds.
    out
}

/// The text of a `## Heading` section, paragraphs joined.
fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(heading)? + heading.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest[..end].trim();
    (!text.is_empty()).then_some(text)
}

/// Joins hard-wrapped lines; paragraphs stay apart.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Markdown docs as plain text: headings lose their `#`, code fences go.
fn plain_text(docs: &str) -> String {
    docs.trim()
        .lines()
        .filter(|line| !line.trim_start().starts_with("```"))
        .map(|line| line.trim_start_matches('#').trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_findings_are_valid_results() {
        use crate::model::Project;
        use crate::rules::syntax::parse_error::META;
        let project = Project::build(std::path::Path::new("."), "p".into(), Vec::new());
        let diagnostics = [Diagnostic::project(&META, "no config at all")];
        let report = Report {
            project: &project,
            diagnostics: &diagnostics,
            fail_level: Severity::Error,
            color: false,
            base: "",
            quiet: false,
        };
        let doc: Value = serde_json::from_str(&render(&report)).unwrap();
        let result = &doc["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "RC101");
        assert_eq!(result["message"]["text"], "no config at all");
        assert!(result.get("locations").is_none(), "no file to point at: {result}");
        assert_eq!(
            result["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap().len(),
            16
        );
    }

    #[test]
    fn fnv1a_matches_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_path("apps/my app/railpack.json"), "apps/my%20app/railpack.json");
        assert_eq!(uri_path("a#b/100%/é"), "a%23b/100%25/%C3%A9");
    }

    #[test]
    fn sections_and_plain_text() {
        let docs = "## What it checks\n\nA thing.\n\n## Why it matters on Railway\n\nBecause.\n\n## Example\n\n```json\n{}\n```\n";
        assert_eq!(section(docs, "## What it checks"), Some("A thing."));
        assert_eq!(unwrap_lines("a\nb\n\nc"), "a b\n\nc");
        assert_eq!(
            plain_text(docs),
            "What it checks\n\nA thing.\n\nWhy it matters on Railway\n\nBecause.\n\nExample\n\n{}"
        );
    }
}
