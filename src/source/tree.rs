//! The spanned tree every format loads into: `Node`, `Member`, JSON Pointers, the line index.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// A parsed value with its byte span. Built once by the loader and never changed.
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Range<usize>,
    pub(crate) kind: NodeKind,
    /// For objects wider than `INDEXED_WIDTH`: key -> index of the member that wins (the
    /// last one), so that a lookup in an object with 100,000 keys is not a linear scan.
    /// Boxed: one pointer in every node instead of a whole (mostly absent) map.
    #[allow(clippy::box_collection)]
    pub(super) index: Option<Box<HashMap<String, usize>>>,
}

/// Objects with more members than this get a key index; narrower ones are scanned.
pub(super) const INDEXED_WIDTH: usize = 16;

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
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
    pub(crate) fn new(span: Range<usize>, kind: NodeKind) -> Node {
        let index = match &kind {
            NodeKind::Object(members) if members.len() > INDEXED_WIDTH => Some(Box::new(
                members.iter().enumerate().map(|(i, m)| (m.key.clone(), i)).collect(),
            )),
            _ => None,
        };
        Node { span, kind, index }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
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

    pub(crate) fn as_array(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The member named `key`. With duplicates the last one wins, as in Go's `encoding/json`.
    pub(crate) fn member(&self, key: &str) -> Option<&Member> {
        let members = self.as_object()?;
        match &self.index {
            Some(index) => index.get(key).map(|&i| &members[i]),
            None => members.iter().rev().find(|m| m.key == key),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    pub(crate) fn type_name(&self) -> &'static str {
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
pub(super) fn number_value(text: &str) -> serde_json::Value {
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
pub(super) fn segments(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(unescape)
}

pub(super) fn unescape(segment: &str) -> Cow<'_, str> {
    if segment.contains('~') {
        Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(segment)
    }
}

pub(super) fn split_pointer(pointer: &str) -> Option<(&str, Cow<'_, str>)> {
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
pub(crate) struct LineIndex {
    /// Always holds at least the start of line 1.
    starts: Vec<usize>,
}

impl Default for LineIndex {
    fn default() -> Self {
        LineIndex { starts: vec![0] }
    }
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
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
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }
}

pub(super) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
