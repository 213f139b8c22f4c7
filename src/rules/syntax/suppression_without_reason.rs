//! RC121 suppression-without-reason: reported by the pipeline with the suppressions.

use crate::diagnostic::Severity;
use crate::rules::{Rule, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    code: "RC121",
    name: "suppression-without-reason",
    severity: Severity::Info,
    summary: "A `railcheck-ignore` comment that does not say why (`: reason`).",
    docs: r#"## What it checks
`// railcheck-ignore CODE` comments (`#` in TOML) with no reason after a colon. The
suppression still works; this is a policy finding, off with `--ignore RC121`.

## Why it matters on Railway
Whoever reads the config next cannot tell a deliberate exception ("Railway's service
settings set the health check") from a finding someone wanted gone before a deploy.

## Example
```json
{
  "steps": {
    "build": {
      "env": { "NODE_ENV": "production" } // railcheck-ignore RC202
    }
  }
}
```
Fix: `// railcheck-ignore RC202: read by our wrapper script, not by Railpack`."#,
};

pub static RULE: Rule = Rule {
    meta: &META,
    check: None,
};
