//! Bytes to text: UTF-8 only; BOMs and UTF-16 are load issues (RC105).

use crate::diagnostic::Severity;

use super::*;

/// Decodes bytes as UTF-8, reporting BOMs, UTF-16 and invalid sequences (RC105).
pub(crate) fn decode(bytes: Vec<u8>, id: FileId, kind: FileKind, issues: &mut Vec<Issue>) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        issues.push(
            Issue::new(
                LoadIssue::BadEncoding,
                id,
                0..0,
                "file is UTF-16; Railpack and Railway read UTF-8 only",
            )
            .with(|d| d.help("re-save the file as UTF-8 without a byte order mark")),
        );
        return None;
    }
    let (bytes, had_bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            if had_bom {
                // Railpack standardizes railpack.json with hujson, which rejects a BOM: the
                // build fails. Other readers: a warning, as jq and Go's decoder reject it.
                let d = Issue::new(
                    LoadIssue::BadEncoding,
                    id,
                    0..0,
                    "file starts with a UTF-8 byte order mark",
                );
                issues.push(if kind == FileKind::Railpack {
                    d.with(|d| {
                        d.help(
                            "remove the BOM: Railpack's parser (hujson) rejects it and the build fails with \"Failed to \
                             read config file\"",
                        )
                    })
                } else {
                    d.severity(Severity::Warning)
                        .with(|d| d.help("remove the BOM: Go's JSON decoder and jq reject it as an invalid character"))
                });
            }
            Some(text)
        }
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // Lossy decoding may change lengths after the error, so point at the first bad byte.
            issues.push(
                Issue::new(
                    LoadIssue::BadEncoding,
                    id,
                    valid_up_to..valid_up_to,
                    format!("invalid UTF-8 at byte {valid_up_to}"),
                )
                .with(|d| d.help("re-save the file as UTF-8")),
            );
            let _ = text;
            None
        }
    }
}
