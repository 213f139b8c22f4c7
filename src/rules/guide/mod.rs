//! RC8xx: parity with the guide's own checks (`validate-deployment.sh`), done properly.

pub(crate) mod next_railway_environment;
pub(crate) mod smoke_failed;
pub(crate) mod static_export_api_health;

use std::path::PathBuf;

use crate::model::{Project, Service};

use super::Rule;
use crate::util::fscache::FsCache;

pub(crate) static RULES: &[&Rule] = &[
    &next_railway_environment::RULE,
    &static_export_api_health::RULE,
    &smoke_failed::RULE,
];

/// The Next.js config in a service root: (path relative to the project root, text).
pub(crate) fn next_config(fs: &FsCache, project: &Project, service: &Service) -> Option<(String, String)> {
    if !service.root_exists {
        return None;
    }
    let dir = project.abs(&service.root);
    [
        "next.config.js",
        "next.config.mjs",
        "next.config.ts",
        "next.config.cjs",
        "next.config.mts",
    ]
    .iter()
    .filter(|name| !fs.lacks(&dir, name))
    .find_map(|name| {
        let path: PathBuf = dir.join(name);
        let text = crate::rules::commands::read_small(fs, &path)?;
        let rel = if service.root.is_empty() {
            (*name).to_string()
        } else {
            format!("{}/{name}", service.root)
        };
        Some((rel, text))
    })
}

/// JavaScript text with comments blanked out (same length, so offsets stay valid).
pub(crate) fn strip_js_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'\'' | b'"' | b'`' => quote = Some(b),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(bytes.len(), |e| i + 2 + e + 2);
                for o in &mut out[i..end] {
                    if *o != b'\n' {
                        *o = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced by ASCII spaces, inside whole comments.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}
