//! Where a service's settings come from, and which value wins: the files in priority
//! order (`Layer`s), picking and merging across them with every disagreement noted, and
//! the keys that go nowhere.

use crate::model::{Project, Service};
use crate::source::{Dialect, Node, SourceFile};

use super::Plan;
use super::railpack::DEPLOY_KEYS;
use super::railway::{HEALTH_PATH_KEYS, HEALTH_TIMEOUT_KEYS, RAILWAY_DEPLOY_KEYS};

/// Guide keys nobody reads and that carry nothing to move.
const GUIDE_ONLY_KEYS: &[&str] = &["version", "metadata"];

/// A place a setting can come from, in priority order.
pub(super) struct Layer<'a> {
    file: &'a SourceFile,
    node: &'a Node,
    pointer: String,
}

impl Layer<'_> {
    fn label(&self, key: &str) -> String {
        format!("`{}/{key}` in {}", self.pointer, self.file.path)
    }
}

/// The files a service's settings come from.
pub(super) struct Sources<'a> {
    /// The manifest entry (`services.<name>`).
    entry: Option<Layer<'a>>,
    /// The guide-format file at the service root.
    own: Option<&'a SourceFile>,
    /// A file at the service root whose native keys Railpack reads today (the service
    /// file, or the manifest for the service in its folder).
    in_effect: Option<&'a SourceFile>,
    /// A native railpack.json already at the root: it stays as it is.
    pub(super) native: Option<&'a SourceFile>,
    pub(super) replaces_manifest: bool,
}

impl<'a> Sources<'a> {
    pub(super) fn of(project: &'a Project, service: &Service) -> Option<Sources<'a>> {
        let entry = service.declared_at.as_ref().and_then(|at| {
            let file = project.file(at.file);
            let node = file.tree.as_ref()?.pointer(&at.pointer)?;
            Some(Layer {
                file,
                node,
                pointer: at.pointer.clone(),
            })
        });
        let file = service.railpack.map(|id| project.file(id));
        let is_manifest = service.railpack.is_some() && service.railpack == project.manifest;
        let own = file.filter(|f| f.dialect == Dialect::GuideService && f.tree.is_some());
        let native = file.filter(|f| f.dialect == Dialect::Native && !is_manifest);
        if entry.is_none() && own.is_none() {
            return None;
        }
        let in_effect = own.or(file.filter(|_| is_manifest));
        Some(Sources {
            entry,
            own,
            in_effect,
            native,
            replaces_manifest: is_manifest,
        })
    }

    pub(super) fn build_layers(&self) -> Vec<Layer<'a>> {
        let mut layers = Vec::new();
        if let Some(file) = self.in_effect {
            layers.push(root_layer(file));
        }
        if let Some(entry) = &self.entry {
            layers.extend(child(entry, "build"));
        }
        if let Some(own) = self.own {
            layers.extend(child(&root_layer(own), "build"));
        }
        layers
    }

    pub(super) fn deploy_layers(&self) -> Vec<Layer<'a>> {
        let mut layers = Vec::new();
        if let Some(file) = self.in_effect {
            layers.extend(child(&root_layer(file), "deploy"));
        }
        if let Some(entry) = &self.entry {
            layers.extend(child(entry, "deploy"));
        }
        layers
    }
}

pub(super) fn root_layer(file: &SourceFile) -> Layer<'_> {
    Layer {
        file,
        node: file.tree.as_ref().expect("only parsed files are sources"),
        pointer: String::new(),
    }
}

pub(super) fn child<'a>(layer: &Layer<'a>, key: &str) -> Option<Layer<'a>> {
    let node = layer.node.get(key)?;
    node.as_object()?;
    Some(Layer {
        file: layer.file,
        node,
        pointer: format!("{}/{key}", layer.pointer),
    })
}

/// The first layer holding one of `keys` (aliases after the first), noting disagreements.
pub(super) fn pick<'a>(service: &str, layers: &[Layer<'a>], keys: &[&str], plan: &mut Plan) -> Option<&'a Node> {
    let found = pick_labelled(service, layers, keys, plan)?;
    if found.key != keys[0] {
        plan.applied
            .push(format!("{service}: {} written as `{}`", found.label, keys[0]));
    }
    Some(found.node)
}

pub(super) struct Found<'a> {
    pub(super) node: &'a Node,
    /// Where it was found, for messages.
    pub(super) label: String,
    /// Which of the keys (aliases) it was written under.
    key: String,
}

/// `pick`, also saying where the value was found and under which key.
pub(super) fn pick_labelled<'a>(
    service: &str,
    layers: &[Layer<'a>],
    keys: &[&str],
    plan: &mut Plan,
) -> Option<Found<'a>> {
    let mut chosen: Option<Found<'a>> = None;
    for layer in layers {
        for key in keys {
            let Some(node) = layer.node.get(key) else { continue };
            match &chosen {
                None => {
                    chosen = Some(Found {
                        node,
                        label: layer.label(key),
                        key: key.to_string(),
                    })
                }
                Some(kept) if kept.node.to_value() != node.to_value() => {
                    plan.conflicts.push(format!(
                        "{service}: kept {}; {} says otherwise",
                        kept.label,
                        layer.label(key)
                    ));
                }
                Some(_) => {}
            }
        }
    }
    chosen
}

/// The union of the objects under `key`, member by member, the first layer winning.
pub(super) fn merge<'a>(service: &str, layers: &[Layer<'a>], key: &str, plan: &mut Plan) -> Vec<(String, &'a Node)> {
    let mut out: Vec<(String, &'a Node, String)> = Vec::new();
    for layer in layers {
        let Some(members) = layer.node.get(key).and_then(Node::as_object) else {
            continue;
        };
        for member in members {
            let label = format!("`{}/{key}/{}` in {}", layer.pointer, member.key, layer.file.path);
            match out.iter().find(|(k, _, _)| *k == member.key) {
                None => out.push((member.key.clone(), &member.value, label)),
                Some((_, kept, kept_label)) if kept.to_value() != member.value.to_value() => {
                    plan.conflicts
                        .push(format!("{service}: kept {kept_label}; {label} says otherwise"));
                }
                Some(_) => {}
            }
        }
    }
    out.into_iter().map(|(k, v, _)| (k, v)).collect()
}

/// Keys of the guide's files that go nowhere, listed once per object.
pub(super) fn report_dropped(service: &str, sources: &Sources<'_>, plan: &mut Plan) {
    let build_known: Vec<&str> = crate::platform::keys::railpack_build_root().collect();
    let deploy_known: Vec<&str> = DEPLOY_KEYS
        .iter()
        .chain(RAILWAY_DEPLOY_KEYS)
        .chain(HEALTH_PATH_KEYS)
        .chain(HEALTH_TIMEOUT_KEYS)
        .chain(&["environment", "startCmd"])
        .copied()
        .collect();
    let check = |layer: &Layer<'_>, known: &[&str], plan: &mut Plan| {
        for member in layer.node.as_object().unwrap_or_default() {
            if !known.contains(&member.key.as_str()) {
                plan.dropped.push(format!(
                    "{service}: {} (neither Railpack nor Railway has this setting)",
                    layer.label(&member.key)
                ));
            }
        }
    };
    if let Some(entry) = &sources.entry {
        check(entry, &["root", "build", "deploy"], plan);
        for (key, known) in [("build", build_known.as_slice()), ("deploy", deploy_known.as_slice())] {
            if let Some(layer) = child(entry, key) {
                check(&layer, known, plan);
            }
        }
    }
    if let Some(own) = sources.own {
        report_dropped_top(own, &["build", "deploy"], service, plan);
        let top = root_layer(own);
        for (key, known) in [("build", build_known.as_slice()), ("deploy", deploy_known.as_slice())] {
            if let Some(layer) = child(&top, key) {
                check(&layer, known, plan);
            }
        }
    }
}

pub(super) fn report_dropped_top(file: &SourceFile, extra: &[&str], what: &str, plan: &mut Plan) {
    let Some(members) = file.tree.as_ref().and_then(Node::as_object) else {
        return;
    };
    let build: Vec<&str> = crate::platform::keys::railpack_build_root().collect();
    for member in members {
        let key = member.key.as_str();
        if GUIDE_ONLY_KEYS.contains(&key) {
            plan.dropped.push(format!(
                "{what}: `/{key}` in {} (the guide's bookkeeping, read by nobody)",
                file.path
            ));
        } else if !(build.contains(&key) || extra.contains(&key) || key == "$schema") {
            plan.dropped.push(format!(
                "{what}: `/{key}` in {} (neither Railpack nor Railway has this setting)",
                file.path
            ));
        }
    }
}
