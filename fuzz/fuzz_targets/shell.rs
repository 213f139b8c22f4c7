//! The command parser the RC7xx rules read start and build commands with: no panic and no
//! hang on any text (unbalanced quotes, heredocs, deep subshells).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let script = railcheck::facts::shell::parse(text);
    for b in &script.bashisms {
        assert!(
            text.get(b.span.clone()).is_some(),
            "bashism span {:?} not in the text",
            b.span
        );
    }
    for command in &script.commands {
        let _ = format!("{command:?}");
    }
});
