//! TOML (`railway.toml`) into the same spanned tree as JSON files.

use std::ops::Range;

use super::*;

/// Parses `railway.toml` into the same spanned tree as JSON files.
pub(crate) fn parse_toml(text: String, id: FileId) -> Loaded {
    let mut issues = Vec::new();
    if let Some(d) = too_many_values(&text, true, id) {
        return Loaded {
            text,
            tree: None,
            issues: vec![d],
        };
    }
    let tree = match ::toml::de::DeTable::parse(&text) {
        Ok(table) => Some(convert_toml_table(table.get_ref(), table.span(), id, &mut issues)),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            issues.push(
                Issue::new(LoadIssue::ParseError, id, span, lowercase_first(err.message().trim()))
                    .with(|d| d.help("Railway cannot read this railway.toml until this is fixed")),
            );
            None
        }
    };
    Loaded { text, tree, issues }
}

pub(super) fn convert_toml_table(
    table: &::toml::de::DeTable<'_>,
    span: Range<usize>,
    id: FileId,
    out: &mut Vec<Issue>,
) -> Node {
    let mut members: Vec<Member> = table
        .iter()
        .map(|(k, v)| Member {
            key: k.get_ref().to_string(),
            key_span: k.span(),
            value: convert_toml_value(v.get_ref(), v.span(), id, out),
        })
        .collect();
    members.sort_by_key(|m| m.key_span.start);
    Node::new(span, NodeKind::Object(members))
}

pub(super) fn convert_toml_value(
    value: &::toml::de::DeValue<'_>,
    span: Range<usize>,
    id: FileId,
    out: &mut Vec<Issue>,
) -> Node {
    use ::toml::de::DeValue;
    let kind = match value {
        DeValue::String(s) => NodeKind::String(s.to_string()),
        DeValue::Integer(i) => {
            match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => NodeKind::Number(n.to_string()),
                Err(_) => {
                    out.push(
                        Issue::new(LoadIssue::ParseError, id, span.clone(), "integer does not fit in 64 bits").with(|d| {
                            d.help("TOML parsers must reject integers outside the signed 64-bit range; use a smaller number")
                        }),
                    );
                    NodeKind::Number(i.as_str().to_string())
                }
            }
        }
        DeValue::Float(f) => NodeKind::Number(f.as_str().to_string()),
        DeValue::Boolean(b) => NodeKind::Bool(*b),
        DeValue::Datetime(d) => NodeKind::String(d.to_string()),
        DeValue::Array(items) => NodeKind::Array(
            items
                .iter()
                .map(|v| convert_toml_value(v.get_ref(), v.span(), id, out))
                .collect(),
        ),
        DeValue::Table(table) => return convert_toml_table(table, span, id, out),
    };
    Node::new(span, kind)
}
