//! a value has the wrong type or shape for the bundled schema.

use crate::diagnostic::Diagnostic;
use crate::platform::schema::issue_span;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::IssueKind;

declare_rule! {
    /// A value has the wrong type or shape for what Railpack or Railway reads.
    ///
    /// ## What it checks
    /// Each file against its bundled schema (`railcheck schema railpack|services|railway`): value
    /// types, enums, required keys, command and input forms. For `anyOf`/`oneOf` forms (commands,
    /// inputs) only the closest form's problems are reported. Unknown keys are RC202's.
    ///
    /// ## Why it matters on Railway
    /// Railpack decodes `railpack.json` into typed Go structs: a type error is a hard build failure
    /// ("Failed to read config file"), minutes into a remote build. `"deployOutputs": ["dist"]`
    /// fails even though a docs page shows it. Railway rejects an invalid config-as-code file.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": "npm run build" } } }
    /// ```
    /// Fix: `"commands": ["npm run build"]`.
    code: RC201,
    name: "schema-violation",
    severity: Error,
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in &cx.project.files {
        let Some(tree) = &file.tree else { continue };
        for issue in &file.schema_issues {
            if matches!(issue.kind, IssueKind::Unexpected(_)) {
                continue;
            }
            let at = if issue.pointer.is_empty() {
                "the top level".to_string()
            } else {
                format!("`{}`", issue.pointer)
            };
            out.push(
                Diagnostic::new(
                    &META,
                    file.id,
                    issue_span(issue, tree),
                    format!("{at}: {}", issue.message),
                )
                .pointer(issue.pointer.clone())
                .help(match file.dialect {
                    crate::source::Dialect::RailwayConfig => {
                        "Railway rejects a config-as-code file with invalid values"
                    }
                    _ => "Railpack fails the build with \"Failed to read config file\" on a type error",
                }),
            );
        }
    }
}
