//! Bundled schemas, compiled once per run and validated offline. Errors are reduced to
//! a pointer and a message that never quotes the value (it may be a secret).

use std::ops::Range;
use std::sync::OnceLock;

use anyhow::{Context as _, Result};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, ValidationError, Validator};

use crate::source::{Dialect, Node, escape_pointer_segment};
use crate::source::{IssueKind, SchemaIssue};

pub(crate) const RAILPACK: &str = include_str!("../../schemas/railpack.schema.json");
pub(crate) const SERVICES: &str = include_str!("../../schemas/railcheck-services.schema.json");
pub(crate) const RAILWAY: &str = include_str!("../../schemas/railway.schema.json");

/// `railcheck schema NAME`.
pub(crate) fn bundled(name: &str) -> Option<&'static str> {
    match name {
        "railpack" => Some(RAILPACK),
        "services" => Some(SERVICES),
        "railway" => Some(RAILWAY),
        _ => None,
    }
}

/// The three validators, each compiled on first use: a run that sees only native files never
/// pays for the services schema, and compiling is most of a small project's run time.
#[derive(Default)]
pub struct Schemas {
    railpack: OnceLock<Validator>,
    services: OnceLock<Validator>,
    railway: OnceLock<Validator>,
}

/// The engine the bundled schemas are compiled with. They declare draft 2020-12 (for
/// editors and other validators) but keep to keywords that mean the same in draft 7
/// (`draft7_and_2020_12_agree_on_the_bundled_schemas` checks it), and compiling with the
/// draft-7 engine is a quarter cheaper per run: its meta-schema check is far smaller.
const ENGINE: Draft = Draft::Draft7;

fn build(name: &str, text: &str) -> Result<Validator> {
    let schema: serde_json::Value =
        serde_json::from_str(text).with_context(|| format!("bundled schema `{name}` is not JSON"))?;
    jsonschema::options()
        .with_draft(ENGINE)
        .build(&schema)
        .map_err(|e| anyhow::anyhow!("bundled schema `{name}` does not compile: {e}"))
}

impl Schemas {
    /// Validators compiled on first use.
    pub fn lazy() -> Schemas {
        Schemas::default()
    }

    /// Every validator compiled now; fails if a bundled schema is broken.
    pub fn compile() -> Result<Schemas> {
        let schemas = Schemas::lazy();
        for (cell, name, text) in schemas.cells() {
            let _ = cell.set(build(name, text)?);
        }
        Ok(schemas)
    }

    fn cells(&self) -> [(&OnceLock<Validator>, &'static str, &'static str); 3] {
        [
            (&self.railpack, "railpack", RAILPACK),
            (&self.services, "services", SERVICES),
            (&self.railway, "railway", RAILWAY),
        ]
    }

    fn for_dialect(&self, dialect: Dialect) -> Option<&Validator> {
        let [railpack, services, railway] = self.cells();
        let (cell, name, text) = match dialect {
            Dialect::Native => railpack,
            Dialect::ServicesManifest | Dialect::GuideService => services,
            Dialect::RailwayConfig => railway,
            Dialect::Unknown | Dialect::RailwayTs => return None,
        };
        // The bundled schemas are fixed at build time and `bundled_schemas_compile` tests them.
        Some(cell.get_or_init(|| build(name, text).expect("bundled schemas compile")))
    }

    pub fn validate(&self, dialect: Dialect, value: &serde_json::Value, tree: &Node) -> Vec<SchemaIssue> {
        let Some(validator) = self.for_dialect(dialect) else {
            return Vec::new();
        };
        let mut issues = Vec::new();
        let unset;
        // Without a `null` anywhere, dropping them changes nothing: skip the copy.
        let value = if dialect == Dialect::RailwayConfig || !has_null(value) {
            value
        } else {
            unset = without_nulls(value.clone(), false);
            &unset
        };
        for error in validator.iter_errors(value) {
            flatten(&error, tree, &mut issues);
        }
        issues.sort_by(|a, b| a.pointer.cmp(&b.pointer).then_with(|| a.message.cmp(&b.message)));
        issues.dedup();
        issues
    }
}

/// Is there a `null` anywhere in `value`?
fn has_null(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::Object(map) => map.values().any(has_null),
        serde_json::Value::Array(items) => items.iter().any(has_null),
        _ => false,
    }
}

/// Go's decoder leaves a field set to `null` unset, so `"provider": null` or
/// `"deploy": {"inputs": null}` are accepted: drops such members before validation. A
/// `null` entry of `steps`/`caches` stays (a nil step crashes Railpack), as do array items.
fn without_nulls(value: serde_json::Value, map_of_structs: bool) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .into_iter()
            .filter(|(_, v)| map_of_structs || !v.is_null())
            .map(|(k, v)| {
                let child_is_map = matches!(k.as_str(), "steps" | "caches" | "services");
                (k, without_nulls(v, child_is_map))
            })
            .collect(),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(|v| without_nulls(v, false)).collect())
        }
        other => other,
    }
}

/// Turns one error into issues; for `anyOf`/`oneOf`, keeps only the best branch.
fn flatten(error: &ValidationError<'_>, tree: &Node, out: &mut Vec<SchemaIssue>) {
    let pointer = error.instance_path().as_str().to_string();
    let node = tree.pointer(&pointer);
    let found = node.map_or("nothing", Node::type_name);
    let (kind, message) = match error.kind() {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            if let Some(branch) = best_branch(context) {
                for sub in branch {
                    flatten(sub, tree, out);
                }
                return;
            }
            (IssueKind::Other, format!("{found} matches none of the allowed forms"))
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => (
            IssueKind::Other,
            "matches more than one of the allowed forms".to_string(),
        ),
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for key in unexpected {
                out.push(SchemaIssue {
                    pointer: pointer.clone(),
                    kind: IssueKind::Unexpected(key.clone()),
                    message: format!("unknown key `{key}`"),
                });
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_string();
            (
                IssueKind::Required(name.clone()),
                format!("missing required key `{name}`"),
            )
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or "),
            };
            (IssueKind::Other, format!("expected {expected}, found {found}"))
        }
        ValidationErrorKind::Enum { options } => (IssueKind::Other, format!("must be one of {}", list(options))),
        ValidationErrorKind::Constant { expected_value } => (IssueKind::Other, format!("must be {expected_value}")),
        ValidationErrorKind::Minimum { limit } => (IssueKind::Other, format!("must be at least {limit}")),
        ValidationErrorKind::ExclusiveMinimum { limit } => (IssueKind::Other, format!("must be greater than {limit}")),
        ValidationErrorKind::Maximum { limit } => (IssueKind::Other, format!("must be at most {limit}")),
        ValidationErrorKind::ExclusiveMaximum { limit } => (IssueKind::Other, format!("must be less than {limit}")),
        ValidationErrorKind::MinLength { limit } => {
            (IssueKind::Other, format!("must be at least {limit} character(s) long"))
        }
        ValidationErrorKind::MinItems { limit } => (IssueKind::Other, format!("must have at least {limit} item(s)")),
        ValidationErrorKind::Pattern { .. } => (IssueKind::Other, pattern_message(&pointer, node)),
        ValidationErrorKind::FalseSchema => (IssueKind::Other, "is not allowed here".to_string()),
        other => (
            IssueKind::Other,
            format!("fails the schema's `{}` check", other.keyword()),
        ),
    };
    out.push(SchemaIssue { pointer, kind, message });
}

fn pattern_message(pointer: &str, node: Option<&Node>) -> String {
    let in_inputs = pointer.contains("/inputs/") || pointer.ends_with("/base");
    if in_inputs && node.and_then(Node::as_str).is_some() {
        return "a string input must be \".\", \"...\" or \"$step\"; Railpack fails with \"invalid input format\""
            .to_string();
    }
    "does not have the expected format".to_string()
}

fn list(options: &serde_json::Value) -> String {
    match options.as_array() {
        Some(items) => items.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", "),
        None => options.to_string(),
    }
}

/// The branch whose errors reach deepest into the instance; ties go to fewer errors.
fn best_branch<'a, 'b>(context: &'a [Vec<ValidationError<'b>>]) -> Option<&'a Vec<ValidationError<'b>>> {
    context.iter().filter(|branch| !branch.is_empty()).max_by_key(|branch| {
        let depth = branch
            .iter()
            .map(|e| e.instance_path().as_str().matches('/').count())
            .max()
            .unwrap_or(0);
        (depth, usize::MAX - branch.len())
    })
}

/// The span a schema issue points at: the unexpected key, the object's opening brace for
/// a missing key, or the value.
pub(crate) fn issue_span(issue: &SchemaIssue, tree: &Node) -> Range<usize> {
    match &issue.kind {
        IssueKind::Unexpected(key) => {
            let pointer = format!("{}/{}", issue.pointer, escape_pointer_segment(key));
            if let Some(member) = tree.pointer_member(&pointer) {
                return member.key_span.clone();
            }
        }
        IssueKind::Required(_) => {
            if let Some(node) = tree.pointer(&issue.pointer) {
                return node.span.start..node.span.start + 1;
            }
        }
        IssueKind::Other => {}
    }
    tree.pointer(&issue.pointer).map_or(0..0, |n| n.span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, parse_json};

    fn issues(dialect: Dialect, text: &str) -> Vec<SchemaIssue> {
        let loaded = parse_json(text.to_string(), FileId(0));
        let tree = loaded.tree.unwrap();
        Schemas::compile().unwrap().validate(dialect, &tree.to_value(), &tree)
    }

    #[test]
    fn null_leaves_a_setting_unset_but_a_null_step_is_an_error() {
        let ok = r#"{"provider": null, "secrets": null, "deploy": {"inputs": null, "startCommand": null},
                     "steps": {"build": {"commands": null, "variables": null}},
                     "caches": {"c": {"directory": "/c", "type": "anything"}}}"#;
        assert_eq!(issues(Dialect::Native, ok), vec![]);
        let bad = issues(Dialect::Native, r#"{"steps": {"build": null}}"#);
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(bad[0].pointer, "/steps/build");
    }

    #[test]
    fn a_copy_without_dest_is_valid() {
        let ok = r#"{"steps": {"build": {"commands": [{"src": "config"}]}}}"#;
        assert_eq!(issues(Dialect::Native, ok), vec![]);
    }

    #[test]
    fn bundled_schemas_compile() {
        Schemas::compile().unwrap();
    }

    /// The bundled schemas are compiled with the draft-7 engine ([`ENGINE`]); that is only
    /// right while they use keywords whose meaning draft 7 and 2020-12 share.
    #[test]
    fn draft7_and_2020_12_agree_on_the_bundled_schemas() {
        const SHARED: &[&str] = &[
            "$schema",
            "$id",
            "$ref",
            "$defs",
            "$comment",
            "title",
            "description",
            "default",
            "examples",
            "markdownDescription",
            "deprecated",
            "type",
            "enum",
            "const",
            "properties",
            "additionalProperties",
            "patternProperties",
            "required",
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minLength",
            "maxLength",
            "pattern",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "anyOf",
            "oneOf",
            "allOf",
            "not",
            "if",
            "then",
            "else",
            "propertyNames",
            "minProperties",
            "maxProperties",
        ];
        const ANNOTATIONS: &[&str] = &[
            "$ref",
            "title",
            "description",
            "$comment",
            "examples",
            "default",
            "markdownDescription",
            "deprecated",
        ];
        fn check(node: &serde_json::Value, at: &str, problems: &mut Vec<String>) {
            match node {
                serde_json::Value::Object(map) => {
                    // Draft 7 ignores a `$ref`'s siblings; 2020-12 applies them.
                    if map.contains_key("$ref") && map.keys().any(|k| !ANNOTATIONS.contains(&k.as_str())) {
                        problems.push(format!("{at}: `$ref` with validating siblings"));
                    }
                    for (key, value) in map {
                        let here = format!("{at}/{key}");
                        match key.as_str() {
                            // Maps of names to schemas: the names are not keywords.
                            "properties" | "$defs" | "patternProperties" => {
                                for (name, schema) in value.as_object().into_iter().flatten() {
                                    check(schema, &format!("{here}/{name}"), problems);
                                }
                            }
                            // Values, not schemas.
                            "enum" | "const" | "required" | "examples" | "default" => {}
                            // An array `items` is a tuple in draft 7, but not in 2020-12.
                            "items" if value.is_array() => problems.push(format!("{here}: tuple `items`")),
                            k if !SHARED.contains(&k) => problems.push(format!("{here}: keyword `{k}`")),
                            _ => check(value, &here, problems),
                        }
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check(item, &format!("{at}/{i}"), problems);
                    }
                }
                _ => {}
            }
        }
        let mut caught = Vec::new();
        let bad = serde_json::json!({
            "properties": { "a": { "$ref": "#/$defs/x", "type": "string" } },
            "items": [{}],
            "unevaluatedProperties": false
        });
        check(&bad, "", &mut caught);
        assert_eq!(caught.len(), 3, "{caught:#?}");
        for name in ["railpack", "services", "railway"] {
            let schema: serde_json::Value = serde_json::from_str(bundled(name).unwrap()).unwrap();
            let mut problems = Vec::new();
            check(&schema, "", &mut problems);
            assert!(problems.is_empty(), "{name}: {problems:#?}");
        }
    }

    #[test]
    fn unknown_key_is_reported_at_its_object() {
        let found = issues(Dialect::Native, r#"{"deploy": {"startCmd": "x"}}"#);
        assert_eq!(
            found,
            vec![SchemaIssue {
                pointer: "/deploy".into(),
                kind: IssueKind::Unexpected("startCmd".into()),
                message: "unknown key `startCmd`".into()
            }]
        );
    }

    #[test]
    fn step_string_inputs_are_accepted() {
        assert!(
            issues(
                Dialect::Native,
                r#"{"steps": {"b": {"inputs": ["$install", "...", "."]}}}"#
            )
            .is_empty()
        );
        let bad = issues(Dialect::Native, r#"{"steps": {"b": {"inputs": ["install"]}}}"#);
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert_eq!(bad[0].pointer, "/steps/b/inputs/0");
    }

    #[test]
    fn best_branch_of_command_forms() {
        let found = issues(
            Dialect::Native,
            r#"{"steps": {"b": {"commands": [{"cmd": "x", "nmae": "y"}]}}}"#,
        );
        assert!(
            found.iter().any(|i| i.kind == IssueKind::Unexpected("nmae".into())),
            "{found:?}"
        );
    }

    #[test]
    fn messages_never_quote_values() {
        let found = issues(
            Dialect::RailwayConfig,
            r#"{"deploy": {"healthcheckTimeout": "sk-secretvalue"}}"#,
        );
        assert!(!found.is_empty());
        assert!(found.iter().all(|i| !i.message.contains("secretvalue")), "{found:?}");
    }
}
