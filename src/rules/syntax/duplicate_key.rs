//! RC102 duplicate-key: reported while loading a file.

use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    code: "RC102",
    name: "duplicate-key",
    severity: Severity::Error,
    summary: "An object defines the same key twice.",
    docs: r#"## What it checks
An object in which a key appears more than once. The finding points at the later key and
labels the first one.

## Why it matters on Railway
Go's JSON decoder keeps only the last value, silently: the first block (often the one you
edited) is never used.

## Example
```json
{ "deploy": { "startCommand": "yarn start" }, "deploy": { "inputs": ["."] } }
```
Fix: merge both into one `deploy` object."#,
};

pub static RULE: Rule = Rule {
    meta: &META,
    check: None,
};
