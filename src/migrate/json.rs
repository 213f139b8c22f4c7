//! JSON with keys in a chosen order. serde_json's `Map` sorts keys unless the crate-wide
//! `preserve_order` feature is on, and turning that on would change the key order of every
//! other JSON railcheck writes (the `json` and `sarif` reports). Migrate needs `$schema`
//! first and the rest in the order a reader expects, so it builds this small tree and lets
//! serde_json print it (pretty, 2-space indent).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::source::{Node, NodeKind};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// The number as written (`300`, `1.5e3`).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    pub(crate) fn object() -> Json {
        Json::Object(Vec::new())
    }

    pub(crate) fn str(text: &str) -> Json {
        Json::String(text.to_string())
    }

    pub(crate) fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Json {
        Json::Array(items.into_iter().map(Json::str).collect())
    }

    /// Sets `key`, keeping its place when it is already there, else appending it.
    pub(crate) fn insert(&mut self, key: &str, value: Json) {
        let Json::Object(members) = self else { return };
        match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => members.push((key.to_string(), value)),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        let Json::Object(members) = self else { return None };
        members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub(crate) fn is_empty_object(&self) -> bool {
        matches!(self, Json::Object(m) if m.is_empty())
    }

    /// Pretty text with a trailing newline, as the files migrate writes.
    pub(crate) fn to_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a Json tree always serializes");
        text.push('\n');
        text
    }
}

impl From<&Node> for Json {
    fn from(node: &Node) -> Json {
        match &node.kind {
            NodeKind::Null => Json::Null,
            NodeKind::Bool(b) => Json::Bool(*b),
            NodeKind::Number(n) => Json::Number(n.clone()),
            NodeKind::String(s) => Json::String(s.clone()),
            NodeKind::Array(items) => Json::Array(items.iter().map(Json::from).collect()),
            NodeKind::Object(members) => {
                Json::Object(members.iter().map(|m| (m.key.clone(), Json::from(&m.value))).collect())
            }
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(text) => match text.parse::<serde_json::Number>() {
                Ok(number) => number.serialize(serializer),
                // Not a JSON number (cannot come from a parsed file): keep the text.
                Err(_) => serializer.serialize_str(text),
            },
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_and_numbers_their_text() {
        let mut doc = Json::object();
        doc.insert("$schema", Json::str("https://schema.railpack.com"));
        doc.insert("provider", Json::str("node"));
        doc.insert(
            "deploy",
            Json::Object(vec![("healthcheckTimeout".into(), Json::Number("300".into()))]),
        );
        doc.insert("provider", Json::str("python"));
        assert_eq!(
            doc.to_pretty(),
            "{\n  \"$schema\": \"https://schema.railpack.com\",\n  \"provider\": \"python\",\n  \"deploy\": {\n    \"healthcheckTimeout\": 300\n  }\n}\n"
        );
        assert_eq!(Json::strings(["a\"b"]).to_pretty(), "[\n  \"a\\\"b\"\n]\n");
    }
}
