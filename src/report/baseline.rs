//! `validate --baseline FILE`: the findings recorded once (`--write-baseline`) are not
//! reported again; only new ones are. Findings are matched by their SARIF fingerprint,
//! which ignores line numbers. The file holds rule codes, paths and fingerprints (hashes),
//! never a message or a value, so it cannot leak a credential.

use serde::{Deserialize, Serialize};

use super::{Report, sarif};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;

pub(crate) const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Baseline {
    pub(crate) version: u32,
    /// The fingerprint scheme (SARIF `partialFingerprints` key), so a new scheme is noticed.
    pub(crate) fingerprint: String,
    pub(crate) findings: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) code: String,
    /// The file, relative to the repository root (`null`: a project finding). For readers;
    /// matching uses the fingerprint only.
    pub(crate) file: Option<String>,
    pub(crate) fingerprint: String,
}

/// The fingerprints of findings as reported from `base` (the project root relative to the
/// repository root, as in SARIF).
fn fingerprints(project: &Project, diagnostics: &[Diagnostic], base: &str) -> Vec<String> {
    sarif::fingerprints(&Report {
        project,
        diagnostics,
        fail_level: Severity::Error,
        color: false,
        base,
        quiet: false,
    })
}

/// Today's findings as a baseline, in report order.
pub(crate) fn record(project: &Project, diagnostics: &[Diagnostic], base: &str) -> Baseline {
    let prints = fingerprints(project, diagnostics, base);
    Baseline {
        version: VERSION,
        fingerprint: sarif::FINGERPRINT_KEY.to_string(),
        findings: diagnostics
            .iter()
            .zip(prints)
            .map(|(d, fingerprint)| Entry {
                code: d.rule.code.to_string(),
                file: d.file.map(|f| {
                    let path = &project.file(f).path;
                    if base.is_empty() {
                        path.clone()
                    } else {
                        format!("{base}/{path}")
                    }
                }),
                fingerprint,
            })
            .collect(),
    }
}

impl Baseline {
    pub(crate) fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serializes");
        text.push('\n');
        text
    }

    pub(crate) fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| format!("not a railcheck baseline: {e}"))?;
        if baseline.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this railcheck writes {VERSION}); record it again with --write-baseline",
                baseline.version
            ));
        }
        if baseline.fingerprint != sarif::FINGERPRINT_KEY {
            return Err(format!(
                "the baseline's fingerprints are `{}`, this railcheck computes `{}`; record it again with --write-baseline",
                baseline.fingerprint,
                sarif::FINGERPRINT_KEY
            ));
        }
        Ok(baseline)
    }

    /// The findings not in the baseline, in order, and how many were in it.
    pub(crate) fn new_findings(
        &self,
        project: &Project,
        diagnostics: Vec<Diagnostic>,
        base: &str,
    ) -> (Vec<Diagnostic>, usize) {
        let known: std::collections::HashSet<&str> = self.findings.iter().map(|e| e.fingerprint.as_str()).collect();
        let prints = fingerprints(project, &diagnostics, base);
        let before = diagnostics.len();
        let kept: Vec<Diagnostic> = diagnostics
            .into_iter()
            .zip(prints)
            .filter(|(_, print)| !known.contains(print.as_str()))
            .map(|(d, _)| d)
            .collect();
        let dropped = before - kept.len();
        (kept, dropped)
    }
}
