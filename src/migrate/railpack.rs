//! A service's native `railpack.json`: its build settings from the guide's layers, its
//! steps with their `secrets`, and the commands with migrate's fixes applied.

use crate::facts::shell;
use crate::facts::varclass;
use crate::model::{Project, Service};
use crate::platform::keys;
use crate::rules::commands::yarn_berry_frozen_lockfile::{berry_in, selects_yarn};
use crate::source::Node;
use crate::util::fscache::FsCache;

use super::Plan;
use super::fixes::{CommandContext, fix_command};
use super::json::Json;
use super::sources::{Layer, merge, pick};

const RAILPACK_SCHEMA: &str = "https://schema.railpack.com";

/// Railpack's `deploy` keys (`platform::keys::RAILPACK_DEPLOY`), in the order migrate writes them.
pub(super) const DEPLOY_KEYS: &[&str] = &["startCommand", "base", "inputs", "variables", "paths", "aptPackages"];

pub(super) fn native_railpack(
    fs: &FsCache,
    project: &Project,
    service: &Service,
    build: &[Layer<'_>],
    deploy: &[Layer<'_>],
    variables: &[(String, Option<String>)],
    plan: &mut Plan,
) -> Json {
    let name = service.name.as_str();
    let mut doc = Json::object();
    doc.insert("$schema", Json::str(RAILPACK_SCHEMA));
    if let Some(node) = pick(name, build, &["provider"], plan) {
        doc.insert("provider", node.into());
    }
    let packages = merge(name, build, "packages", plan);
    if !packages.is_empty() {
        doc.insert("packages", object(packages));
    }
    if let Some(node) = pick(name, build, &["buildAptPackages"], plan) {
        doc.insert("buildAptPackages", node.into());
    }
    let caches = merge(name, build, "caches", plan);
    if !caches.is_empty() {
        doc.insert("caches", object(caches));
    }

    // The guide's service-wide `build.secrets` goes onto each step, where it limits what
    // the step sees. Public build-time names the service sets (NEXT_PUBLIC_*) join it:
    // without them the bundle would be built without its API URL.
    let step_secrets = pick(name, build, &["secrets"], plan).and_then(|list| {
        let names: Vec<&str> = list.as_array()?.iter().filter_map(Node::as_str).collect();
        let mut names: Vec<String> = names.into_iter().map(str::to_string).collect();
        for (var, _) in variables {
            if varclass::is_public(var) && !names.contains(var) {
                plan.applied.push(format!(
                    "{name}: `{var}` added to each step's `secrets`: it is a service variable the build must see \
                     (inlined into the bundle at build time)"
                ));
                names.push(var.clone());
            }
        }
        Some(names)
    });
    let steps = merge(name, build, "steps", plan);
    if step_secrets.is_none() && !steps.is_empty() {
        plan.refused.push(format!(
            "{name}: no `build.secrets` to move onto the steps: each step still mounts every service variable; \
             add `\"secrets\": [...]` to each step"
        ));
    }
    let berry = yarn_berry(fs, project, service, &steps);
    let root_dir = project.abs(&service.root);
    let cx = CommandContext {
        root: &service.root,
        root_dir: &root_dir,
        yarn_berry: berry.as_deref(),
    };
    if !steps.is_empty() {
        let mut out = Json::object();
        for (step_name, node) in steps {
            let step = native_step(name, &step_name, node, step_secrets.as_deref(), &cx, plan);
            out.insert(&step_name, step);
        }
        doc.insert("steps", out);
    }

    let mut deploy_out = Json::object();
    for key in DEPLOY_KEYS {
        let aliases: &[&str] = if *key == "startCommand" {
            &["startCommand", "startCmd"]
        } else {
            std::slice::from_ref(key)
        };
        let Some(node) = pick(name, deploy, aliases, plan) else {
            continue;
        };
        let value = match node.as_str() {
            Some(text) if *key == "startCommand" => Json::String(fixed(name, text, &cx, plan)),
            _ => node.into(),
        };
        deploy_out.insert(key, value);
    }
    if !deploy_out.is_empty_object() {
        doc.insert("deploy", deploy_out);
    }
    if let Some(node) = pick(name, build, &["exclude"], plan) {
        doc.insert("exclude", node.into());
    }
    doc
}

fn native_step(
    service: &str,
    step_name: &str,
    node: &Node,
    secrets: Option<&[String]>,
    cx: &CommandContext<'_>,
    plan: &mut Plan,
) -> Json {
    let Some(members) = node.as_object() else {
        return node.into();
    };
    let mut step = Json::object();
    for member in members {
        match member.key.as_str() {
            "commands" => {
                let commands = member
                    .value
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .map(|c| match c.as_str() {
                        Some(text) => Json::String(fixed(service, text, cx, plan)),
                        None => c.into(),
                    })
                    .collect();
                step.insert("commands", Json::Array(commands));
            }
            "env" if node.get("variables").is_none() => {
                plan.applied.push(format!(
                    "{service}: step `{step_name}`: `env` renamed `variables` (Railpack has no `env`)"
                ));
                step.insert("variables", (&member.value).into());
            }
            key if keys::RAILPACK_STEP.contains(&key) => step.insert(key, (&member.value).into()),
            key => plan.dropped.push(format!(
                "{service}: step `{step_name}`: `{key}` (Railpack steps have no such key)"
            )),
        }
    }
    if step.get("secrets").is_none()
        && let Some(secrets) = secrets
    {
        step.insert("secrets", Json::strings(secrets.iter().map(String::as_str)));
    }
    step
}

fn fixed(service: &str, text: &str, cx: &CommandContext<'_>, plan: &mut Plan) -> String {
    let result = fix_command(text, cx);
    plan.applied
        .extend(result.applied.into_iter().map(|m| format!("{service}: {m}")));
    plan.refused
        .extend(result.refused.into_iter().map(|m| format!("{service}: {m}")));
    result.text
}

/// Why the service's Yarn is Berry: a step selects it, or a file from the service root up
/// to the project root says so.
fn yarn_berry(fs: &FsCache, project: &Project, service: &Service, steps: &[(String, &Node)]) -> Option<String> {
    let texts = steps
        .iter()
        .filter_map(|(_, step)| step.get("commands")?.as_array())
        .flatten()
        .filter_map(Node::as_str);
    for text in texts {
        for simple in shell::parse(text).commands {
            if selects_yarn(&simple) == Some(true) {
                let words: Vec<&str> = simple.argv.iter().map(|w| w.text.as_str()).collect();
                return Some(format!("`{}` selects Yarn Berry", words.join(" ")));
            }
        }
    }
    let mut dir = project.abs(&service.root);
    loop {
        if let Some(reason) = berry_in(fs, project, &dir) {
            return Some(reason);
        }
        if dir == project.root || !dir.pop() {
            return None;
        }
    }
}

fn object(members: Vec<(String, &Node)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k, v.into())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploy_keys_are_railpacks_in_writing_order() {
        let mut ours = DEPLOY_KEYS.to_vec();
        let mut theirs = keys::RAILPACK_DEPLOY.to_vec();
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs);
    }
}
