//! RC104 root-not-object: reported while loading a file.

use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    code: "RC104",
    name: "root-not-object",
    severity: Severity::Error,
    summary: "The top-level value is not an object.",
    docs: r#"## What it checks
A config file whose top-level value is an array, a string, a number, `true`/`false` or `null`.

## Why it matters on Railway
Railpack decodes the file into its config struct and fails the build with "Failed to read
config file"; Railway rejects a config-as-code file that is not an object.

## Example
```json
[{ "provider": "node" }]
```
Fix: `{ "provider": "node" }`."#,
};

pub static RULE: Rule = Rule {
    meta: &META,
    check: None,
};
