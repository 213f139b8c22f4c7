//! JWCC (JSON with comments and trailing commas, as Railpack reads it) into the spanned tree,
//! with Go's rules for repeated keys.

use std::collections::HashMap;
use std::ops::Range;

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use super::*;

/// Parses JWCC text (JSON with comments and trailing commas, as Railpack accepts).
pub fn parse_json(text: String, id: FileId) -> Loaded {
    let mut issues = Vec::new();
    if let Some(d) = too_many_values(&text, false, id) {
        return Loaded {
            text,
            tree: None,
            issues: vec![d],
        };
    }
    let parse_options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let parsed = match jsonc_parser::parse_to_ast(&text, &collect, &parse_options) {
        Ok(parsed) => parsed,
        Err(err) => {
            let range = err.range();
            let message = match err.kind() {
                jsonc_parser::errors::ParseErrorKind::NestingDepthExceeded => {
                    format!("nesting deeper than {MAX_NESTING} levels")
                }
                kind => lowercase_first(&kind.to_string()),
            };
            issues.push(
                Issue::new(
                    LoadIssue::ParseError,
                    id,
                    range.start..range.end.max(range.start),
                    message,
                )
                .with(|d| d.help("Railpack fails the build with \"Failed to read config file\" until this is fixed")),
            );
            return Loaded {
                text,
                tree: None,
                issues,
            };
        }
    };
    portability(&text, id, &mut issues);
    if let Some(at) = raw_control_in_string(&text) {
        let code = text.as_bytes()[at];
        issues.push(
            Issue::new(
                LoadIssue::ParseError,
                id,
                at..at + 1,
                format!("raw control character U+{code:04X} inside a string"),
            )
            .with(|d| {
                d.help(format!(
                    "JSON requires it escaped (`\\u{code:04x}`); Railpack's Go decoder fails with \"invalid character\""
                ))
            }),
        );
    }
    let tree = parsed.value.as_ref().map(|v| convert(v, id, None, &mut issues));
    if tree.is_none() {
        issues.push(
            Issue::new(LoadIssue::ParseError, id, 0..0, "file is empty")
                .with(|d| d.help("Railpack fails with \"Failed to read config file\"; write `{}` or delete the file")),
        );
    }
    Loaded { text, tree, issues }
}

pub(super) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// RC103: comments and trailing commas are valid for Railpack but break jq and `python -m json`.
pub(super) fn portability(text: &str, id: FileId, out: &mut Vec<Issue>) {
    let (first_comment, first_trailing_comma) = scan_jwcc_extensions(text);

    let (what, at) = match (first_comment, first_trailing_comma) {
        (None, None) => return,
        (Some(c), Some(t)) if t.start < c.start => ("a trailing comma", t),
        (Some(c), Some(_)) => ("comments and trailing commas", c),
        (Some(c), None) => ("comments", c),
        (None, Some(t)) => ("a trailing comma", t),
    };
    out.push(
        Issue::new(LoadIssue::NonPortableJson, id, at, format!("file uses {what}: valid for Railpack, not plain JSON"))
            .with(|d| d.help("keep it if only Railpack reads the file; remove it if jq, `python -m json.tool` or other tools must parse it")),
    );
}

/// The first byte below 0x20 written raw inside a string: the JSON grammar forbids it (Go's
/// decoder and `JSON.parse` reject it), but the JWCC parser lets it through.
pub(super) fn raw_control_in_string(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => i += 1,
            b if in_string && b < 0x20 => return Some(i),
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
            }
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(text.len(), |n| i + 2 + n + 1);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first comment and the first trailing comma of text that parsed as JWCC, in one pass
/// and constant memory (collecting the parser's tokens costs ~40 bytes per token).
pub(super) fn scan_jwcc_extensions(text: &str) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let bytes = text.as_bytes();
    let (mut comment, mut trailing) = (None, None);
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() && (comment.is_none() || trailing.is_none()) {
        match bytes[i] {
            b'"' => {
                pending_comma = None;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                comment.get_or_insert(i..end);
                i = end;
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(text.len(), |n| i + 2 + n + 2);
                comment.get_or_insert(i..end);
                i = end;
                continue;
            }
            b',' => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    trailing.get_or_insert(comma..comma + 1);
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    (comment, trailing)
}

pub(super) fn convert(value: &ast::Value<'_>, id: FileId, parent_key: Option<&str>, out: &mut Vec<Issue>) -> Node {
    let range = value.range();
    let span = range.start..range.end;
    let kind = match value {
        ast::Value::NullKeyword(_) => NodeKind::Null,
        ast::Value::BooleanLit(b) => NodeKind::Bool(b.value),
        ast::Value::NumberLit(n) => {
            let parsed = n.value.parse::<f64>();
            if !matches!(parsed, Ok(f) if f.is_finite()) {
                out.push(
                    Issue::new(
                        LoadIssue::ParseError,
                        id,
                        span.clone(),
                        format!("number `{}` is out of range", n.value),
                    )
                    .with(|d| d.help("Railpack's Go decoder cannot represent it; use a smaller number")),
                );
            }
            NodeKind::Number(n.value.to_string())
        }
        ast::Value::StringLit(s) => NodeKind::String(s.value.to_string()),
        ast::Value::Array(a) => NodeKind::Array(a.elements.iter().map(|e| convert(e, id, None, out)).collect()),
        ast::Value::Object(o) => {
            let mut members = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (key, key_range) = match &prop.name {
                    ast::ObjectPropName::String(s) => (s.value.as_ref(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value, w.range),
                };
                members.push(Member {
                    key: key.to_string(),
                    key_span: key_range.start..key_range.end,
                    value: convert(&prop.value, id, Some(key), out),
                });
            }
            NodeKind::Object(dedupe(members, is_map_of_structs(parent_key), id, out))
        }
    };
    Node::new(span, kind)
}

/// Objects whose values Go decodes into a fresh struct per key (`steps`, `caches`): a
/// repeated name replaces the earlier one. Elsewhere a repeated object merges.
pub(super) fn is_map_of_structs(key: Option<&str>) -> bool {
    matches!(key, Some("steps" | "caches" | "services"))
}

/// Resolves repeated keys as Go's `encoding/json` does, reporting each (RC102): two object
/// values merge into one (keys of both are read; a key set in both takes the later value);
/// otherwise the last value wins and the earlier member is dropped from the tree.
pub(crate) fn dedupe(members: Vec<Member>, map_of_structs: bool, id: FileId, out: &mut Vec<Issue>) -> Vec<Member> {
    let mut kept: Vec<Member> = Vec::with_capacity(members.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(members.len());
    for member in members {
        let Some(&at) = seen.get(&member.key) else {
            seen.insert(member.key.clone(), kept.len());
            kept.push(member);
            continue;
        };
        let first = &kept[at];
        let merge = !map_of_structs && first.value.as_object().is_some() && member.value.as_object().is_some();
        let message = if merge {
            format!(
                "key `{}` is repeated: Railpack merges both blocks (keys of both are read; a key set in both takes the later value)",
                member.key
            )
        } else {
            format!(
                "key `{}` is repeated: only the last value is read, the first one is ignored",
                member.key
            )
        };
        out.push(
            Issue::new(LoadIssue::DuplicateKey, id, member.key_span.clone(), message).with(|d| {
                d.label(id, first.key_span.clone(), "first defined here")
                    .help("write the key once, with everything it should hold")
            }),
        );
        let earlier = kept.remove(at);
        for index in seen.values_mut() {
            if *index > at {
                *index -= 1;
            }
        }
        let value = if merge {
            merge_objects(earlier.value, member.value, is_map_of_structs(Some(&member.key)))
        } else {
            member.value
        };
        seen.insert(member.key.clone(), kept.len());
        kept.push(Member {
            key: member.key,
            key_span: member.key_span,
            value,
        });
    }
    kept
}

/// `later` decoded into the struct `earlier` filled: both blocks' keys, the later winning.
pub(super) fn merge_objects(earlier: Node, later: Node, map_of_structs: bool) -> Node {
    let span = later.span.clone();
    let (mut members, more) = match (earlier.kind, later.kind) {
        (NodeKind::Object(members), NodeKind::Object(more)) => (members, more),
        (_, kind) => return Node::new(span, kind),
    };
    for member in more {
        match members.iter().position(|m| m.key == member.key) {
            Some(at) => {
                let earlier = members.remove(at);
                let merge =
                    !map_of_structs && earlier.value.as_object().is_some() && member.value.as_object().is_some();
                let value = if merge {
                    merge_objects(earlier.value, member.value, is_map_of_structs(Some(&member.key)))
                } else {
                    member.value
                };
                members.push(Member { value, ..member });
            }
            None => members.push(member),
        }
    }
    Node::new(span, NodeKind::Object(members))
}
