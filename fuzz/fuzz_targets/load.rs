//! Load + schema validation + every rule + every report format on one file's bytes.
//! The first byte picks the file kind; the rest is the file. Besides "no panic", it checks
//! that no credential found in the input is printed whole in any report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use railcheck::source::FileKind;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = match selector % 3 {
        0 => FileKind::Railpack,
        1 => FileKind::RailwayJson,
        _ => FileKind::RailwayToml,
    };
    let reports = railcheck::fuzz_one(bytes, kind);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    for (range, kind) in railcheck::facts::secrets::find_in(text) {
        let secret = &text[range];
        // (A "credential" holding the mask character `…` can be re-formed by its own mask.)
        if secret.chars().count() < railcheck::facts::secrets::MIN_REPEATED_SECRET || secret.contains('…') {
            continue;
        }
        for report in &reports {
            assert!(!report.contains(secret), "{kind} printed in a report");
        }
    }
});
