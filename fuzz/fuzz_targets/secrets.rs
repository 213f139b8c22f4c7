//! The credential detector and the maskers: no panic on any text, and `redact` never lets a
//! found credential through, `mask_same_width` keeps byte length and character count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use railcheck::facts::secrets;

fuzz_target!(|text: &str| {
    let found = secrets::find_in(text);
    let redacted = secrets::redact(text);
    for (range, kind) in &found {
        let secret = &text[range.clone()];
        // Every occurrence of a credential this long is hidden, not only the one found. (A
        // "credential" holding the mask character `…` can be re-formed by its own mask.)
        if secret.chars().count() >= secrets::MIN_REPEATED_SECRET && !secret.contains('…') {
            assert!(!redacted.contains(secret), "{kind} survived redact");
        }
        let masked = secrets::mask_same_width(secret);
        assert_eq!(masked.len(), secret.len());
        assert_eq!(masked.chars().count(), secret.chars().count());
        assert!(secrets::mask(secret).chars().count() <= secrets::VISIBLE_PREFIX + 1);
    }
    let _ = secrets::classify_value(Some("API_KEY"), text);
    let _ = secrets::is_high_entropy(text);
});
