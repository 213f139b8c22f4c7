//! A loaded config file: its text, a line index and a tree whose every key and
//! value carries a byte span. One parse gives both the spanned tree (for positions)
//! and a `serde_json::Value` (for schema validation).

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jsonc_parser::ast;
use jsonc_parser::common::Ranged;
use jsonc_parser::tokens::Token;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::syntax;

/// Index of a file in `Project::files`, which is sorted by path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// Deepest nesting the JSON parser accepts; deeper input is a parse error, not a stack overflow.
pub const MAX_NESTING: usize = 512;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `railpack.json` (or a file named by `RAILPACK_CONFIG_FILE`).
    Railpack,
    /// `railway.json`
    RailwayJson,
    /// `railway.toml`
    RailwayToml,
}

impl FileKind {
    pub fn from_file_name(name: &str) -> Option<FileKind> {
        match name {
            "railpack.json" => Some(FileKind::Railpack),
            "railway.json" => Some(FileKind::RailwayJson),
            "railway.toml" => Some(FileKind::RailwayToml),
            _ => None,
        }
    }

    pub fn is_railway(self) -> bool {
        matches!(self, FileKind::RailwayJson | FileKind::RailwayToml)
    }
}

/// What format a file is written in, which decides its schema and who reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Dialect {
    /// Railpack's own format.
    Native,
    /// The guide's root manifest with `services`.
    ServicesManifest,
    /// A service file in the guide's format (`build`, `version` or `metadata` at the top).
    GuideService,
    /// Railway config-as-code.
    RailwayConfig,
    /// Not classified: the file did not load.
    Unknown,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Native => "native",
            Dialect::ServicesManifest => "services-manifest",
            Dialect::GuideService => "guide-service",
            Dialect::RailwayConfig => "railway-config",
            Dialect::Unknown => "unknown",
        }
    }

    pub fn is_guide(self) -> bool {
        matches!(self, Dialect::ServicesManifest | Dialect::GuideService)
    }
}

/// A parsed value with its byte span.
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: NodeKind,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    Null,
    Bool(bool),
    /// The number's source text, kept exact.
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

#[derive(Clone, Debug)]
pub struct Member {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Node,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            NodeKind::Object(members) => Some(members),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The member named `key`. With duplicates the last one wins, as in Go's `encoding/json`.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
        }
    }

    /// The node a JSON Pointer names, in O(depth).
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for segment in segments(pointer) {
            node = match &node.kind {
                NodeKind::Object(_) => node.get(&segment)?,
                NodeKind::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The object member a pointer ends in, for pointing at a key rather than its value.
    pub fn pointer_member(&self, pointer: &str) -> Option<&Member> {
        let (parent, last) = split_pointer(pointer)?;
        self.pointer(parent)?.member(&last)
    }

    /// Builds the `serde_json::Value` used for schema validation.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(text) => number_value(text),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.clone(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// A number as Go's decoder would see it. Out-of-range numbers become the largest finite
/// float so that schema checks still run; the loader reports them separately.
fn number_value(text: &str) -> serde_json::Value {
    if let Ok(i) = text.parse::<i64>() {
        return i.into();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.into();
    }
    let f = text.parse::<f64>().unwrap_or(f64::MAX);
    let f = if f.is_finite() { f } else { f64::MAX.copysign(f) };
    serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

pub fn pointer_segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
}

/// Like [`pointer_segments`], without allocating for segments that have no escapes: the
/// model and the rules resolve pointers for every setting.
fn segments(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(unescape)
}

fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

fn split_pointer(pointer: &str) -> Option<(&str, Cow<'_, str>)> {
    let cut = pointer.rfind('/')?;
    Some((&pointer[..cut], unescape(&pointer[cut + 1..])))
}

pub fn escape_pointer_segment(segment: &str) -> Cow<'_, str> {
    if segment.contains(['~', '/']) {
        Cow::Owned(segment.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(segment)
    }
}

/// Offsets of line starts, for byte offset -> line/column.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Always holds at least the start of line 1.
    starts: Vec<usize>,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex { starts: vec![0] }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line and 1-based column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// Path relative to the project root, with `/` separators.
    pub path: String,
    pub abs_path: PathBuf,
    pub kind: FileKind,
    pub text: String,
    pub lines: LineIndex,
    /// The parsed tree; `None` when the file could not be read or parsed.
    pub tree: Option<Node>,
    pub value: Option<serde_json::Value>,
    pub dialect: Dialect,
    /// Spans of values that look like credentials: masked in every rendering of the text.
    pub secret_spans: Vec<Range<usize>>,
    /// Schema violations, computed once; RC201 and RC202 report them.
    pub schema_issues: Vec<crate::schema::SchemaIssue>,
}

impl SourceFile {
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    /// The span a pointer names: the value, or for `key_of` the member's key.
    pub fn span_of(&self, pointer: &str) -> Option<Range<usize>> {
        Some(self.tree.as_ref()?.pointer(pointer)?.span.clone())
    }

    pub fn key_span_of(&self, pointer: &str) -> Option<Range<usize>> {
        Some(self.tree.as_ref()?.pointer_member(pointer)?.key_span.clone())
    }

    /// The file's folder relative to the project root ("" for the root).
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The text with every secret-looking value masked; offsets are unchanged.
    pub fn display_text(&self) -> Cow<'_, str> {
        if self.secret_spans.is_empty() {
            return Cow::Borrowed(&self.text);
        }
        let mut out = self.text.clone();
        for span in &self.secret_spans {
            let original = &self.text[span.clone()];
            let masked = crate::secrets::mask_same_width(original);
            out.replace_range(span.clone(), &masked);
        }
        Cow::Owned(out)
    }
}

/// Result of parsing bytes into a tree, with the load-time findings.
pub struct Loaded {
    pub text: String,
    pub tree: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes bytes as UTF-8, reporting BOMs, UTF-16 and invalid sequences (RC105).
pub fn decode(bytes: Vec<u8>, id: FileId, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        diagnostics.push(
            Diagnostic::new(
                &syntax::bad_encoding::META,
                id,
                0..0,
                "file is UTF-16; Railpack and Railway read UTF-8 only",
            )
            .help("re-save the file as UTF-8 without a byte order mark"),
        );
        return None;
    }
    let (bytes, had_bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            if had_bom {
                diagnostics.push(
                    Diagnostic::new(
                        &syntax::bad_encoding::META,
                        id,
                        0..0,
                        "file starts with a UTF-8 byte order mark",
                    )
                    .severity(Severity::Warning)
                    .help("remove the BOM: Go's JSON decoder and jq reject it as an invalid character"),
                );
            }
            Some(text)
        }
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(err.as_bytes()).into_owned();
            // Lossy decoding may change lengths after the error, so point at the first bad byte.
            diagnostics.push(
                Diagnostic::new(
                    &syntax::bad_encoding::META,
                    id,
                    valid_up_to..valid_up_to,
                    format!("invalid UTF-8 at byte {valid_up_to}"),
                )
                .help("re-save the file as UTF-8"),
            );
            let _ = text;
            None
        }
    }
}

/// Parses JWCC text (JSON with comments and trailing commas, as Railpack accepts).
pub fn parse_json(text: String, id: FileId) -> Loaded {
    let mut diagnostics = Vec::new();
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
        comments: CommentCollectionStrategy::AsTokens,
        tokens: true,
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
            diagnostics.push(
                Diagnostic::new(
                    &syntax::parse_error::META,
                    id,
                    range.start..range.end.max(range.start),
                    message,
                )
                .help("Railpack fails the build with \"Failed to read config file\" until this is fixed"),
            );
            return Loaded {
                text,
                tree: None,
                diagnostics,
            };
        }
    };
    portability(parsed.tokens.as_deref().unwrap_or_default(), id, &mut diagnostics);
    let tree = parsed.value.as_ref().map(|v| convert(v, id, &mut diagnostics));
    if tree.is_none() {
        diagnostics.push(
            Diagnostic::new(&syntax::parse_error::META, id, 0..0, "file is empty")
                .help("Railpack fails with \"Failed to read config file\"; write `{}` or delete the file"),
        );
    }
    Loaded {
        text,
        tree,
        diagnostics,
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// RC103: comments and trailing commas are valid for Railpack but break jq and `python -m json`.
fn portability(tokens: &[jsonc_parser::tokens::TokenAndRange<'_>], id: FileId, out: &mut Vec<Diagnostic>) {
    let first_comment = tokens
        .iter()
        .find(|t| matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)));
    let significant: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::CommentLine(_) | Token::CommentBlock(_)))
        .collect();
    let first_trailing_comma = significant
        .windows(2)
        .find(|w| matches!(w[0].token, Token::Comma) && matches!(w[1].token, Token::CloseBrace | Token::CloseBracket))
        .map(|w| w[0]);
    let meta = &syntax::non_portable_json::META;
    match (first_comment, first_trailing_comma) {
        (None, None) => {}
        (comment, comma) => {
            let (what, at) = match (comment, comma) {
                (Some(c), Some(t)) if t.range.start < c.range.start => ("a trailing comma", t.range),
                (Some(c), Some(_)) => ("comments and trailing commas", c.range),
                (Some(c), None) => ("comments", c.range),
                (None, Some(t)) => ("a trailing comma", t.range),
                (None, None) => unreachable!(),
            };
            out.push(
                Diagnostic::new(meta, id, at.start..at.end, format!("file uses {what}: valid for Railpack, not plain JSON"))
                    .help("keep it if only Railpack reads the file; remove it if jq, `python -m json.tool` or other tools must parse it"),
            );
        }
    }
}

fn convert(value: &ast::Value<'_>, id: FileId, out: &mut Vec<Diagnostic>) -> Node {
    let range = value.range();
    let span = range.start..range.end;
    let kind = match value {
        ast::Value::NullKeyword(_) => NodeKind::Null,
        ast::Value::BooleanLit(b) => NodeKind::Bool(b.value),
        ast::Value::NumberLit(n) => {
            let parsed = n.value.parse::<f64>();
            if !matches!(parsed, Ok(f) if f.is_finite()) {
                out.push(
                    Diagnostic::new(
                        &syntax::parse_error::META,
                        id,
                        span.clone(),
                        format!("number `{}` is out of range", n.value),
                    )
                    .help("Railpack's Go decoder cannot represent it; use a smaller number"),
                );
            }
            NodeKind::Number(n.value.to_string())
        }
        ast::Value::StringLit(s) => NodeKind::String(s.value.to_string()),
        ast::Value::Array(a) => NodeKind::Array(a.elements.iter().map(|e| convert(e, id, out)).collect()),
        ast::Value::Object(o) => {
            let mut seen: HashMap<&str, Range<usize>> = HashMap::with_capacity(o.properties.len());
            let mut members = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (key, key_range) = match &prop.name {
                    ast::ObjectPropName::String(s) => (s.value.as_ref(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value, w.range),
                };
                let key_span = key_range.start..key_range.end;
                if let Some(first) = seen.insert(key, key_span.clone()) {
                    out.push(
                        Diagnostic::new(
                            &syntax::duplicate_key::META,
                            id,
                            key_span.clone(),
                            format!("key `{key}` is defined twice; Railpack keeps only the last one"),
                        )
                        .label(id, first, "first defined here")
                        .help("remove one of them, or merge their contents"),
                    );
                }
                members.push(Member {
                    key: key.to_string(),
                    key_span,
                    value: convert(&prop.value, id, out),
                });
            }
            NodeKind::Object(members)
        }
    };
    Node { span, kind }
}

/// Parses `railway.toml` into the same spanned tree as JSON files.
pub fn parse_toml(text: String, id: FileId) -> Loaded {
    let mut diagnostics = Vec::new();
    let tree = match toml::de::DeTable::parse(&text) {
        Ok(table) => Some(convert_toml_table(table.get_ref(), table.span())),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            diagnostics.push(
                Diagnostic::new(
                    &syntax::parse_error::META,
                    id,
                    span,
                    lowercase_first(err.message().trim()),
                )
                .help("Railway cannot read this railway.toml until this is fixed"),
            );
            None
        }
    };
    Loaded {
        text,
        tree,
        diagnostics,
    }
}

fn convert_toml_table(table: &toml::de::DeTable<'_>, span: Range<usize>) -> Node {
    let mut members: Vec<Member> = table
        .iter()
        .map(|(k, v)| Member {
            key: k.get_ref().to_string(),
            key_span: k.span(),
            value: convert_toml_value(v.get_ref(), v.span()),
        })
        .collect();
    members.sort_by_key(|m| m.key_span.start);
    Node {
        span,
        kind: NodeKind::Object(members),
    }
}

fn convert_toml_value(value: &toml::de::DeValue<'_>, span: Range<usize>) -> Node {
    use toml::de::DeValue;
    let kind = match value {
        DeValue::String(s) => NodeKind::String(s.to_string()),
        DeValue::Integer(i) => NodeKind::Number(
            i64::from_str_radix(i.as_str(), i.radix()).map_or_else(|_| i.as_str().to_string(), |n| n.to_string()),
        ),
        DeValue::Float(f) => NodeKind::Number(f.as_str().to_string()),
        DeValue::Boolean(b) => NodeKind::Bool(*b),
        DeValue::Datetime(d) => NodeKind::String(d.to_string()),
        DeValue::Array(items) => NodeKind::Array(
            items
                .iter()
                .map(|v| convert_toml_value(v.get_ref(), v.span()))
                .collect(),
        ),
        DeValue::Table(table) => return convert_toml_table(table, span),
    };
    Node { span, kind }
}

/// Picks the dialect from the root object's keys.
pub fn classify(kind: FileKind, tree: &Node) -> Dialect {
    if kind.is_railway() {
        return Dialect::RailwayConfig;
    }
    if tree.member("services").is_some() {
        Dialect::ServicesManifest
    } else if ["build", "version", "metadata"]
        .iter()
        .any(|k| tree.member(k).is_some())
    {
        Dialect::GuideService
    } else {
        Dialect::Native
    }
}

/// Relative display path with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Loaded {
        parse_json(text.to_string(), FileId(0))
    }

    #[test]
    fn pointer_maps_to_exact_span() {
        let loaded = load("{\n  \"deploy\": {\n    \"startCommand\": \"yarn start\"\n  }\n}");
        let tree = loaded.tree.unwrap();
        let node = tree.pointer("/deploy/startCommand").unwrap();
        assert_eq!(&loaded.text[node.span.clone()], "\"yarn start\"");
        let lines = LineIndex::new(&loaded.text);
        assert_eq!(lines.line_col(&loaded.text, node.span.start), (3, 21));
        let key = tree.pointer_member("/deploy/startCommand").unwrap();
        assert_eq!(&loaded.text[key.key_span.clone()], "\"startCommand\"");
    }

    #[test]
    fn pointer_escapes_and_arrays() {
        let loaded = load(r#"{"a/b": [1, {"c~d": true}]}"#);
        let tree = loaded.tree.unwrap();
        assert_eq!(tree.pointer("/a~1b/1/c~0d").unwrap().type_name(), "boolean");
        assert!(tree.pointer("/a~1b/2").is_none());
    }

    #[test]
    fn comments_and_trailing_commas_are_info_not_errors() {
        let loaded = load("{\n  // note\n  \"provider\": \"node\",\n}");
        assert!(loaded.tree.is_some());
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].rule.code, "RC103");
    }

    #[test]
    fn duplicate_keys_point_at_both() {
        let loaded = load(r#"{"a": 1, "a": 2}"#);
        let d = &loaded.diagnostics[0];
        assert_eq!(d.rule.code, "RC102");
        assert_eq!(d.span, 9..12);
        assert_eq!(d.labels[0].span, 1..4);
        assert_eq!(loaded.tree.unwrap().to_value()["a"], 2);
    }

    #[test]
    fn deep_nesting_is_a_parse_error() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let loaded = load(&text);
        assert!(loaded.tree.is_none());
        assert_eq!(loaded.diagnostics[0].rule.code, "RC101");
    }

    #[test]
    fn toml_has_spans() {
        let text = "[deploy]\nhealthcheckPath = \"/health\"\n".to_string();
        let loaded = parse_toml(text, FileId(0));
        let tree = loaded.tree.unwrap();
        let node = tree.pointer("/deploy/healthcheckPath").unwrap();
        assert_eq!(&loaded.text[node.span.clone()], "\"/health\"");
    }
}
