//! a value has the wrong type or shape for the bundled schema.

use crate::diagnostic::{Diagnostic, Severity};
use crate::platform::schema::issue_span;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::IssueKind;
use crate::source::SourceFile;

declare_rule! {
    /// A value has the wrong type or shape for what Railpack or Railway reads.
    ///
    /// ## What it checks
    /// Each file against its bundled schema (`railcheck schema railpack|services|railway`): value
    /// types, enums, required keys, command and input forms. For `anyOf`/`oneOf` forms (commands,
    /// inputs) only the closest form's problems are reported. Unknown keys are RC202's. `null`
    /// for a setting is accepted (Go's decoder leaves it unset), except as a step: `"steps":
    /// {"build": null}` is a nil step. A cache `type` other than `"locked"` is a warning: Railpack
    /// treats every other value as shared (domain.md section 1, "How Go's encoding/json decodes").
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
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(tree) = &file.tree else { return };
    if file.dialect == crate::source::Dialect::Native {
        cache_types(file, tree, out);
    }
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
                crate::source::Dialect::RailwayConfig => "Railway rejects a config-as-code file with invalid values",
                _ => "Railpack fails the build with \"Failed to read config file\" on a type error",
            }),
        );
    }
}

/// Cache `type` is a free string in Railpack: only `"locked"` changes anything.
fn cache_types(file: &crate::source::SourceFile, tree: &crate::source::Node, out: &mut Vec<Diagnostic>) {
    let caches = tree.get("caches").and_then(|c| c.as_object()).unwrap_or_default();
    for cache in caches {
        let Some(kind) = cache.value.get("type").and_then(|t| t.as_str()) else {
            continue;
        };
        if matches!(kind, "shared" | "locked") {
            continue;
        }
        let pointer = format!("/caches/{}/type", crate::source::escape_pointer_segment(&cache.key));
        let Some(node) = tree.pointer(&pointer) else { continue };
        out.push(
            Diagnostic::new(
                &META,
                file.id,
                node.span.clone(),
                format!("cache type `{kind}` is not `locked`, so Railpack treats the cache as shared"),
            )
            .severity(Severity::Warning)
            .pointer(pointer)
            .help("write `\"shared\"` (or omit `type`), or `\"locked\"` if one build at a time must use it"),
        );
    }
}
