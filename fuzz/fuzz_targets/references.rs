//! The `${{...}}` reference parser: no panic on any text, every range in bounds and on
//! character boundaries, references spell `${{ ... }}`, and the parse is linear enough that
//! libFuzzer's per-input timeout never fires.
#![no_main]

use libfuzzer_sys::fuzz_target;
use railcheck::facts::references;

fuzz_target!(|text: &str| {
    let parsed = references::parse(text);
    let mut last_end = 0;
    for r in &parsed.references {
        let spelled = &text[r.range.clone()];
        assert!(spelled.starts_with("${{") && spelled.ends_with("}}"), "{spelled:?}");
        assert!(!r.variable.is_empty());
        assert!(r.range.start >= last_end, "references overlap");
        last_end = r.range.end;
        let _ = r.is_shared();
    }
    for e in &parsed.errors {
        assert!(
            text.get(e.range.clone()).is_some(),
            "error range {:?} not in the text",
            e.range
        );
        let _ = e.describe();
    }
});
