//! Reading the loaded files' trees into services: the guide's manifest and service files,
//! native `railpack.json`, and Railway's config, each setting with its `Loc` and `Origin`.

use crate::facts::references::{self, Parsed};
use crate::source::{FileId, Node, NodeKind, SourceFile, escape_pointer_segment};

use super::*;

pub(super) fn loc(file: &SourceFile, pointer: &str, node: &Node) -> Loc {
    let key_span = file
        .tree
        .as_ref()
        .and_then(|t| t.pointer_member(pointer))
        .map(|m| m.key_span.clone());
    Loc {
        file: file.id,
        pointer: pointer.to_string(),
        span: node.span.clone(),
        key_span,
    }
}

pub(super) fn join(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_pointer_segment(key))
}

/// Normalizes a manifest `root` (`./packages/web/`) relative to the manifest's folder.
pub(crate) fn normalize_root(base: &str, root: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in root.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

pub(super) fn manifest_services(project: &Project, manifest: FileId) -> Vec<Service> {
    let file = project.file(manifest);
    let Some(entries) = file
        .tree
        .as_ref()
        .and_then(|t| t.get("services"))
        .and_then(Node::as_object)
    else {
        return Vec::new();
    };
    let mut services = Vec::new();
    for entry in entries {
        let pointer = join("/services", &entry.key);
        let root = entry
            .value
            .get("root")
            .and_then(Node::as_str)
            .map_or_else(|| file.dir().to_string(), |r| normalize_root(file.dir(), r));
        let mut service = Service::new(entry.key.clone(), root.clone(), project.abs(&root).is_dir());
        if let Some(node) = entry.value.get("root").filter(|n| n.as_str().is_some()) {
            let at = loc(file, &join(&pointer, "root"), node);
            service.root_fact = root::RootFact::known(
                root.clone(),
                format!("`root` of `services.{}` in {}", entry.key, file.path),
                Some(at),
            );
        }
        service.declared_at = Some(Loc {
            file: manifest,
            pointer: pointer.clone(),
            span: entry.value.span.clone(),
            key_span: Some(entry.key_span.clone()),
        });
        extract_guide(file, &entry.value, &pointer, Origin::Manifest, &mut service);
        if root == file.dir() {
            // The manifest is this service's railpack.json.
            service.railpack = Some(manifest);
        }
        services.push(service);
    }
    services
}

/// A guide-format block: `build.{provider, packages, steps, secrets}` and `deploy`.
pub(super) fn extract_guide(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    if let Some(build) = node.get("build") {
        extract_build(file, build, &join(pointer, "build"), origin, service);
    }
    if let Some(deploy) = node.get("deploy") {
        extract_deploy(file, deploy, &join(pointer, "deploy"), origin, service);
    }
}

pub(super) fn extract_native(file: &SourceFile, tree: &Node, service: &mut Service) {
    extract_build(file, tree, "", Origin::Railpack, service);
    if let Some(deploy) = tree.get("deploy") {
        extract_deploy(file, deploy, "/deploy", Origin::Railpack, service);
    }
}

pub(super) fn extract_build(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    for member in node.as_object().unwrap_or_default() {
        let ptr = join(pointer, &member.key);
        let value = &member.value;
        match member.key.as_str() {
            "provider" => {
                if let Some(p) = value.as_str() {
                    service.providers.push(Setting {
                        value: p.to_string(),
                        at: loc(file, &ptr, value),
                        origin,
                    });
                }
            }
            "packages" => {
                for pkg in value.as_object().unwrap_or_default() {
                    if let Some(version) = pkg.value.as_str() {
                        let p = join(&ptr, &pkg.key);
                        service.packages.push(Setting {
                            value: (pkg.key.clone(), version.to_string()),
                            at: loc(file, &p, &pkg.value),
                            origin,
                        });
                    }
                }
            }
            "secrets" => {
                service.secrets_lists.push(Setting {
                    value: (),
                    at: loc(file, &ptr, value),
                    origin,
                });
                push_secret_names(file, value, &ptr, origin, None, service);
            }
            "steps" => {
                for step in value.as_object().unwrap_or_default() {
                    let sp = join(&ptr, &step.key);
                    let step = extract_step(file, &step.key, &step.value, &sp, origin, service);
                    service.steps.push(step);
                }
            }
            _ => {}
        }
    }
}

pub(super) fn push_secret_names(
    file: &SourceFile,
    list: &Node,
    pointer: &str,
    origin: Origin,
    step: Option<&str>,
    service: &mut Service,
) {
    for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
        if let Some(name) = item.as_str() {
            service.variables.push(Variable {
                name: name.to_string(),
                at: loc(file, &format!("{pointer}/{i}"), item),
                value: None,
                scope: Scope::BuildSecret,
                origin,
                step: step.map(str::to_string),
                refs: Parsed::default(),
                value_offset: None,
            });
        }
    }
}

pub(super) fn push_variables(
    file: &SourceFile,
    object: &Node,
    pointer: &str,
    scope: Scope,
    origin: Origin,
    step: Option<&str>,
    service: &mut Service,
) {
    for member in object.as_object().unwrap_or_default() {
        let p = join(pointer, &member.key);
        let at = loc(file, &p, &member.value);
        let text = member.value.as_str();
        let value = text.map(|v| Setting {
            value: v.to_string(),
            at: at.clone(),
            origin,
        });
        let span = &member.value.span;
        // Exact offsets only when the JSON string has no escapes (raw text == value).
        let value_offset = text.and_then(|v| {
            let inner = file.text.get(span.start + 1..span.end.checked_sub(1)?)?;
            (inner == v).then_some(span.start + 1)
        });
        service.variables.push(Variable {
            name: member.key.clone(),
            at,
            value,
            scope,
            origin,
            step: step.map(str::to_string),
            refs: text.map(references::parse).unwrap_or_default(),
            value_offset,
        });
    }
}

pub(super) fn extract_step(
    file: &SourceFile,
    name: &str,
    node: &Node,
    pointer: &str,
    origin: Origin,
    service: &mut Service,
) -> Step {
    let mut step = Step {
        name: name.to_string(),
        at: loc(file, pointer, node),
        origin,
        commands: Vec::new(),
        inputs: Vec::new(),
        secrets: None,
    };
    if let Some(commands) = node.get("commands").and_then(Node::as_array) {
        let cp = join(pointer, "commands");
        step.commands = commands
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = format!("{cp}/{i}");
                StepCommand {
                    kind: command_kind(c),
                    at: loc(file, &p, c),
                }
            })
            .collect();
    }
    if let Some(inputs) = node.get("inputs") {
        step.inputs = extract_inputs(file, inputs, &join(pointer, "inputs"), origin);
    }
    if let Some(secrets) = node.get("secrets") {
        let sp = join(pointer, "secrets");
        step.secrets = Some(loc(file, &sp, secrets));
        push_secret_names(file, secrets, &sp, origin, Some(name), service);
    }
    if let Some(vars) = node.get("variables") {
        push_variables(
            file,
            vars,
            &join(pointer, "variables"),
            Scope::BuildVariable,
            origin,
            Some(name),
            service,
        );
    }
    step
}

pub(crate) fn command_kind(node: &Node) -> StepCommandKind {
    if let Some(text) = node.as_str() {
        return StepCommandKind::Shell(text.to_string());
    }
    let Some(members) = node.as_object() else {
        return StepCommandKind::Invalid;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    let str_of = |k: &str| node.get(k).and_then(Node::as_str);
    if let Some(cmd) = str_of("cmd") {
        return StepCommandKind::Exec(cmd.to_string());
    }
    // Without `dest` the copy goes to the working directory, `/app`.
    if has("src") {
        return StepCommandKind::Copy;
    }
    if has("path") && has("name") {
        return StepCommandKind::Asset;
    }
    if has("path") && members.len() == 1 {
        return StepCommandKind::Path;
    }
    StepCommandKind::Invalid
}

pub(crate) fn extract_inputs(file: &SourceFile, node: &Node, pointer: &str, origin: Origin) -> Vec<Input> {
    let _ = origin;
    node.as_array()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = format!("{pointer}/{i}");
            let strings = |key: &str| -> Vec<Setting<String>> {
                let Some(list) = item.get(key).and_then(Node::as_array) else {
                    return Vec::new();
                };
                list.iter()
                    .enumerate()
                    .filter_map(|(j, n)| {
                        let s = n.as_str()?;
                        Some(Setting {
                            value: s.to_string(),
                            at: loc(file, &format!("{p}/{key}/{j}"), n),
                            origin,
                        })
                    })
                    .collect()
            };
            let kind = match &item.kind {
                NodeKind::String(s) if s == "." => InputKind::Local,
                NodeKind::String(s) if s == "..." => InputKind::Spread,
                NodeKind::String(s) if s.len() > 1 && s.starts_with('$') => InputKind::Step(s[1..].to_string()),
                NodeKind::Object(_) => {
                    if let Some(step) = item.get("step").and_then(Node::as_str) {
                        InputKind::Step(step.to_string())
                    } else if let Some(image) = item.get("image").and_then(Node::as_str) {
                        InputKind::Image(image.to_string())
                    } else if matches!(item.get("local").map(|n| &n.kind), Some(NodeKind::Bool(true))) {
                        InputKind::Local
                    } else {
                        InputKind::Invalid
                    }
                }
                _ => InputKind::Invalid,
            };
            let mut include = strings("include");
            if matches!(&item.kind, NodeKind::String(s) if s == ".") {
                include.push(Setting {
                    value: ".".to_string(),
                    at: loc(file, &p, item),
                    origin,
                });
            }
            Input {
                kind,
                at: loc(file, &p, item),
                include,
                exclude: strings("exclude"),
            }
        })
        .collect()
}

pub(super) fn extract_deploy(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    for member in node.as_object().unwrap_or_default() {
        let ptr = join(pointer, &member.key);
        let value = &member.value;
        if matches!(value.kind, NodeKind::Null) {
            // `null` leaves a setting unset, for Railpack's decoder and Railway's config alike.
            continue;
        }
        let at = || loc(file, &ptr, value);
        match member.key.as_str() {
            "startCommand" | "startCmd" => {
                if let Some(cmd) = value.as_str() {
                    service.start_commands.push(Setting {
                        value: cmd.to_string(),
                        at: at(),
                        origin,
                    });
                }
            }
            "healthCheckPath" | "healthcheckPath" => {
                if let Some(path) = value.as_str() {
                    service.health_paths.push(Setting {
                        value: path.to_string(),
                        at: at(),
                        origin,
                    });
                }
            }
            "healthCheckTimeout" | "healthcheckTimeout" => {
                service.health_timeouts.push(Setting {
                    value: value.clone(),
                    at: at(),
                    origin,
                });
            }
            "inputs" => service
                .deploy_inputs
                .push((origin, extract_inputs(file, value, &ptr, origin))),
            "variables" if origin != Origin::Railway => {
                // `deploy` is a native key, so Railpack reads `deploy.variables` from a
                // guide-format service file too; only the manifest's are read by nobody.
                let scope = if matches!(origin, Origin::Railpack | Origin::GuideService) {
                    Scope::Runtime
                } else {
                    Scope::Service
                };
                push_variables(file, value, &ptr, scope, origin, None, service);
            }
            "environment" if origin != Origin::Railway => {
                push_variables(file, value, &ptr, Scope::Service, origin, None, service);
            }
            _ => {}
        }
    }
}

pub(super) fn extract_railway(file: &SourceFile, tree: &Node, service: &mut Service) {
    root::extract_railway_build(file, tree, service);
    if let Some(deploy) = tree.get("deploy") {
        extract_deploy(file, deploy, "/deploy", Origin::Railway, service);
    }
    if let Some(builder) = tree.get("build").and_then(|b| b.get("builder"))
        && let Some(value) = builder.as_str()
    {
        service.builder = Some(Setting {
            value: value.to_string(),
            at: loc(file, "/build/builder", builder),
            origin: Origin::Railway,
        });
    }
    if let Some(cmd) = tree
        .get("build")
        .and_then(|b| b.get("buildCommand"))
        .and_then(Node::as_str)
    {
        let node = tree.pointer("/build/buildCommand").expect("just read");
        service.steps.push(Step {
            name: "buildCommand".to_string(),
            at: loc(file, "/build/buildCommand", node),
            origin: Origin::Railway,
            commands: vec![StepCommand {
                kind: StepCommandKind::Shell(cmd.to_string()),
                at: loc(file, "/build/buildCommand", node),
            }],
            inputs: Vec::new(),
            secrets: None,
        });
    }
}
