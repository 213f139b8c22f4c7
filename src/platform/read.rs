//! How Railpack reads a file's tree, which decides what every later stage sees: Go's
//! case-insensitive field names, and the dialect a file is written in.

use crate::diagnostic::{Fix, Severity};
use crate::platform::keys::{
    CACHE_FIELDS, COMMAND_FIELDS, FILTER_FIELDS, LAYER_FIELDS, RAILPACK_DEPLOY, RAILPACK_ROOT, RAILPACK_STEP,
};
use crate::source::{Dialect, FileId, FileKind, Issue, LoadIssue, Node, NodeKind};

/// Go's `encoding/json` matches struct field names case-insensitively: `"Provider"` is read
/// as `provider`. Renames such keys of a native file to their canonical spelling, so the
/// schema and every rule read them as Railpack does, and notes each spelling (RC202, info).
/// Map keys (step names, variables) stay exact: Go compares those exactly.
pub(crate) fn canonicalize_native(tree: &mut Node, id: FileId, text: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    canonicalize(tree, RAILPACK_ROOT, id, text, &mut out);
    let NodeKind::Object(members) = &mut tree.kind else {
        return out;
    };
    for member in members.iter_mut() {
        match member.key.as_str() {
            "deploy" => {
                canonicalize(&mut member.value, RAILPACK_DEPLOY, id, text, &mut out);
                if let NodeKind::Object(deploy) = &mut member.value.kind {
                    for field in deploy.iter_mut() {
                        match field.key.as_str() {
                            "base" => canonicalize(&mut field.value, LAYER_FIELDS, id, text, &mut out),
                            "inputs" => each_item(&mut field.value, LAYER_FIELDS, id, text, &mut out),
                            _ => {}
                        }
                    }
                    rebuild(&mut member.value);
                }
            }
            "caches" => each_value(&mut member.value, CACHE_FIELDS, id, text, &mut out),
            "steps" => {
                if let NodeKind::Object(steps) = &mut member.value.kind {
                    for step in steps.iter_mut() {
                        canonicalize(&mut step.value, RAILPACK_STEP, id, text, &mut out);
                        if let NodeKind::Object(fields) = &mut step.value.kind {
                            for field in fields.iter_mut() {
                                match field.key.as_str() {
                                    "inputs" => each_item(&mut field.value, LAYER_FIELDS, id, text, &mut out),
                                    "commands" => each_item(&mut field.value, COMMAND_FIELDS, id, text, &mut out),
                                    "deployOutputs" => each_item(&mut field.value, FILTER_FIELDS, id, text, &mut out),
                                    _ => {}
                                }
                            }
                        }
                        rebuild(&mut step.value);
                    }
                }
                rebuild(&mut member.value);
            }
            _ => {}
        }
    }
    rebuild(tree);
    out
}

fn each_item(node: &mut Node, fields: &[&str], id: FileId, text: &str, out: &mut Vec<Issue>) {
    if let NodeKind::Array(items) = &mut node.kind {
        for item in items {
            canonicalize(item, fields, id, text, out);
        }
    }
}

fn each_value(node: &mut Node, fields: &[&str], id: FileId, text: &str, out: &mut Vec<Issue>) {
    if let NodeKind::Object(members) = &mut node.kind {
        for member in members.iter_mut() {
            canonicalize(&mut member.value, fields, id, text, out);
        }
    }
    rebuild(node);
}

/// Renames the members of one struct-like object whose key matches a field only up to case.
fn canonicalize(node: &mut Node, fields: &[&str], id: FileId, text: &str, out: &mut Vec<Issue>) {
    let NodeKind::Object(members) = &mut node.kind else {
        return;
    };
    let mut renamed = false;
    for member in members.iter_mut() {
        if fields.contains(&member.key.as_str()) {
            continue;
        }
        let Some(canonical) = fields.iter().find(|f| f.eq_ignore_ascii_case(&member.key)) else {
            continue;
        };
        let fix = Fix::rename_key(id, text, &member.key_span, &member.key, canonical);
        out.push(
            Issue::new(
                LoadIssue::KeyCase,
                id,
                member.key_span.clone(),
                format!(
                    "`{}` is read as `{canonical}`: Railpack's JSON decoder matches keys case-insensitively",
                    member.key
                ),
            )
            .severity(Severity::Info)
            .with(|mut d| {
                d.fix = fix;
                d.help(format!(
                    "spell it `{canonical}`, as documented; editors using Railpack's schema flag the other spelling"
                ))
            }),
        );
        member.key = canonical.to_string();
        renamed = true;
    }
    if renamed {
        let members = std::mem::take(members);
        // Two spellings of one field are now one key repeated: Go merges or overwrites.
        let members = crate::source::dedupe(members, false, id, out);
        node.kind = NodeKind::Object(members);
    }
    rebuild(node);
}

/// Recomputes a node's key index after its members changed.
fn rebuild(node: &mut Node) {
    let kind = std::mem::replace(&mut node.kind, NodeKind::Null);
    *node = Node::new(node.span.clone(), kind);
}

/// Picks the dialect from the root object's keys, by what Railpack reads: a file with any
/// key of Railpack's own format besides `$schema`/`deploy` (`steps`, `provider`, ...) is
/// native, whatever stray keys it also holds (`"build": "npx tsc"` is then an ignored key,
/// RC202). Without one, `services` makes the guide's manifest, and a guide-shaped block
/// (`build` or `metadata` as an object, or `version`) a guide-format service file.
pub fn classify(kind: FileKind, tree: &Node) -> Dialect {
    if kind.is_railway() {
        return Dialect::RailwayConfig;
    }
    // Go matches field names case-insensitively: `"Steps"` is read as `steps`.
    let members = tree.as_object().unwrap_or_default();
    let native_only =
        crate::platform::keys::railpack_build_root().any(|k| members.iter().any(|m| m.key.eq_ignore_ascii_case(k)));
    let is_object = |key: &str| tree.get(key).is_some_and(|v| v.as_object().is_some());
    if tree.member("services").is_some() {
        Dialect::ServicesManifest
    } else if native_only {
        Dialect::Native
    } else if is_object("build") || is_object("metadata") || tree.member("version").is_some() {
        Dialect::GuideService
    } else {
        Dialect::Native
    }
}

/// The kind of a JSON config file whose name does not say it, from its content: Railway's
/// or Railpack's `$schema`, then the keys only one of them reads. `None`: neither.
pub(crate) fn sniff_json(tree: &Node) -> Option<FileKind> {
    let schema = tree.get("$schema").and_then(Node::as_str).unwrap_or("");
    if schema.contains("railway") {
        return Some(FileKind::RailwayJson);
    }
    if schema.contains("railpack") {
        return Some(FileKind::Railpack);
    }
    let mut railpack =
        crate::platform::keys::railpack_build_root().chain(crate::platform::keys::GUIDE_ROOT.iter().copied());
    if railpack.any(|k| tree.member(k).is_some()) {
        return Some(FileKind::Railpack);
    }
    let deploy = tree.get("deploy").filter(|d| d.as_object().is_some());
    let railway_build = tree
        .get("build")
        .is_some_and(|b| b.as_object().is_some() && b.member("builder").is_some());
    if railway_build
        || deploy.is_some_and(|d| {
            crate::platform::keys::RAILWAY_ONLY_DEPLOY
                .iter()
                .any(|k| d.member(k).is_some())
        })
    {
        return Some(FileKind::RailwayJson);
    }
    deploy.map(|_| FileKind::Railpack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_json;

    fn load(text: &str) -> crate::source::Loaded {
        parse_json(text.to_string(), FileId(0))
    }

    #[test]
    fn sniffs_a_config_file_by_schema_then_by_keys_only_one_side_reads() {
        let sniff = |text: &str| sniff_json(&load(text).tree.unwrap());
        assert_eq!(
            sniff(r#"{"$schema": "https://railway.com/railway.schema.json"}"#),
            Some(FileKind::RailwayJson)
        );
        assert_eq!(
            sniff(r#"{"$schema": "https://schema.railpack.com"}"#),
            Some(FileKind::Railpack)
        );
        assert_eq!(sniff(r#"{"steps": {}}"#), Some(FileKind::Railpack));
        assert_eq!(sniff(r#"{"services": {}}"#), Some(FileKind::Railpack));
        assert_eq!(
            sniff(r#"{"build": {"builder": "RAILPACK"}}"#),
            Some(FileKind::RailwayJson)
        );
        assert_eq!(
            sniff(r#"{"deploy": {"healthcheckPath": "/h"}}"#),
            Some(FileKind::RailwayJson)
        );
        assert_eq!(
            sniff(r#"{"deploy": {"startCommand": "node a.js"}}"#),
            Some(FileKind::Railpack)
        );
        assert_eq!(sniff(r#"{"name": "web", "scripts": {}}"#), None);
    }

    #[test]
    fn keys_of_railpack_structs_match_case_insensitively() {
        let text = r#"{"Provider": "node", "Deploy": {"StartCommand": "node a.js"},
                "steps": {"Build": {"Commands": ["x"], "Inputs": [{"Step": "install"}]}},
                "deploy": {"inputs": ["..."]}}"#;
        let mut tree = load(text).tree.unwrap();
        let notes = canonicalize_native(&mut tree, FileId(0), text);
        let value = tree.to_value();
        assert_eq!(value["provider"], "node");
        assert_eq!(value["deploy"]["startCommand"], "node a.js");
        assert_eq!(value["deploy"]["inputs"][0], "...");
        // A step name is a map key: compared exactly, never renamed.
        assert_eq!(value["steps"]["Build"]["commands"][0], "x");
        assert_eq!(value["steps"]["Build"]["inputs"][0]["step"], "install");
        let kinds: Vec<_> = notes.iter().map(|d| (d.kind, d.severity)).collect();
        assert_eq!(
            kinds.iter().filter(|c| c.0 == LoadIssue::KeyCase).count(),
            6,
            "{notes:?}"
        );
        assert!(
            kinds
                .iter()
                .all(|c| c.0 != LoadIssue::KeyCase || c.1 == Some(Severity::Info))
        );
        // `Deploy` and `deploy` are one field: merged, and said so.
        assert_eq!(kinds.iter().filter(|c| c.0 == LoadIssue::DuplicateKey).count(), 1);
    }

    #[test]
    fn classification_follows_what_railpack_reads() {
        let dialect = |text: &str| classify(FileKind::Railpack, &load(text).tree.unwrap());
        // A native file with a stray key of the guide's format stays native.
        assert_eq!(
            dialect(r#"{"build": "npx tsc", "deploy": {"startCommand": "node a.js"}}"#),
            Dialect::Native
        );
        assert_eq!(
            dialect(r#"{"version": "1", "metadata": {}, "provider": "node"}"#),
            Dialect::Native
        );
        assert_eq!(dialect(r#"{"build": {"steps": {}}, "steps": {}}"#), Dialect::Native);
        assert_eq!(dialect(r#"{"version": "1", "Provider": "node"}"#), Dialect::Native);
        // Guide-shaped blocks and no key Railpack reads besides `deploy`: the guide's format.
        assert_eq!(
            dialect(r#"{"build": {"provider": "node"}, "deploy": {}}"#),
            Dialect::GuideService
        );
        assert_eq!(
            dialect(r#"{"version": "1", "deploy": {"startCommand": "x"}}"#),
            Dialect::GuideService
        );
        assert_eq!(dialect(r#"{"metadata": {"name": "web"}}"#), Dialect::GuideService);
        assert_eq!(
            dialect(r#"{"services": {}, "version": "1"}"#),
            Dialect::ServicesManifest
        );
        assert_eq!(dialect(r#"{"deploy": {"startCommand": "x"}}"#), Dialect::Native);
    }
}
