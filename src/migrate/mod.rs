//! `railcheck migrate`: turns the guide's layout (a services manifest and guide-format
//! service files, read by neither Railpack nor Railway) into the files they do read: per
//! service a native `railpack.json`, the services in `.railway/railway.ts` (with the settings
//! of any railway.json/railway.toml, which Railway stops reading on 2026-12-01), plus the service map in
//! `railcheck.toml`. What no file can express is listed for the user to do in Railway.
//!
//! Which value wins when several files set the same thing: first what Railpack reads
//! today (a guide-format service file's native top-level keys and its `deploy`; the
//! manifest's own top-level keys for the service at its folder), so a deploy that works
//! keeps working; then the manifest entry; then the service file's `build` block. Every
//! disagreement is listed, and every replaced file is kept as `<name>.orig`.

pub mod fixes;
pub mod json;
pub mod write;

use std::path::Path;

use anyhow::{Result, bail};

use crate::facts::secrets;
use crate::facts::shell;
use crate::facts::varclass;
use crate::iac::{EmitProject, EmitService, EmitValue};
use crate::model::{Project, Service};
use crate::rules::commands::yarn_berry_frozen_lockfile::{berry_in, selects_yarn};
use crate::source::{Dialect, IAC_PATH, Node, NodeKind, SourceFile};

use fixes::{CommandContext, fix_command};
use json::Json;

pub const RAILPACK_SCHEMA: &str = "https://schema.railpack.com";
pub const RAILWAY_SCHEMA: &str = "https://railway.com/railway.schema.json";

/// Top-level keys of Railpack's format (besides `$schema` and `deploy`).
const BUILD_KEYS: &[&str] = &[
    "provider",
    "buildAptPackages",
    "packages",
    "caches",
    "secrets",
    "steps",
    "exclude",
];
/// Railpack's `deploy` keys, in the order migrate writes them.
const DEPLOY_KEYS: &[&str] = &["startCommand", "base", "inputs", "variables", "paths", "aptPackages"];
/// Railway `deploy` keys a guide-format `deploy` block may hold; they move to railway.json.
const RAILWAY_DEPLOY_KEYS: &[&str] = &[
    "preDeployCommand",
    "restartPolicyType",
    "restartPolicyMaxRetries",
    "cronSchedule",
    "numReplicas",
    "region",
    "sleepApplication",
    "overlapSeconds",
    "drainingSeconds",
    "requiredMountPath",
    "multiRegionConfig",
    "limitOverride",
    "ipv6EgressEnabled",
];
const HEALTH_PATH_KEYS: &[&str] = &["healthcheckPath", "healthCheckPath"];
const HEALTH_TIMEOUT_KEYS: &[&str] = &["healthcheckTimeout", "healthCheckTimeout"];
/// Guide keys nobody reads and that carry nothing to move.
const GUIDE_ONLY_KEYS: &[&str] = &["version", "metadata"];

/// One file migrate writes: its path relative to the project root, the text it has now
/// (`None`: it does not exist) and the text it gets (`None`: it is removed, kept as `.orig`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Everything migrate would do, computed without touching the disk.
#[derive(Debug, Default)]
pub struct Plan {
    /// (name, root) of every service migrated.
    pub services: Vec<(String, String)>,
    pub changes: Vec<FileChange>,
    pub applied: Vec<String>,
    pub refused: Vec<String>,
    /// Keys left behind because neither Railpack nor Railway has such a setting.
    pub dropped: Vec<String>,
    /// Settings written differently in two files, and which one was kept.
    pub conflicts: Vec<String>,
    /// What must be done in Railway itself: variables, config-file paths.
    pub in_railway: Vec<String>,
    /// Why the plan must not be written at all, even with `--force`: writing it would
    /// remove the only copy of settings migrate could not place.
    pub blocking: Vec<String>,
    /// The services `.railway/railway.ts` declares, in service order.
    iac_services: Vec<EmitService>,
    /// Config-as-Code files whose settings moved to railway.ts: removed (kept as `.orig`)
    /// when railway.ts is written.
    retired: Vec<FileChange>,
}

/// Where migrate puts the service map and how paths are seen from outside the project.
pub struct Target<'a> {
    /// The `railcheck.toml` in force (found or given), if any.
    pub config_file: Option<&'a Path>,
    /// The project root relative to the repository root, "" when they are the same.
    pub repo_base: &'a str,
}

/// A service's entry in `railcheck.toml`.
struct ServiceEntry {
    name: String,
    root: String,
    variables: Vec<(String, String)>,
}

/// A place a setting can come from, in priority order.
struct Layer<'a> {
    file: &'a SourceFile,
    node: &'a Node,
    pointer: String,
}

impl Layer<'_> {
    fn label(&self, key: &str) -> String {
        format!("`{}/{key}` in {}", self.pointer, self.file.path)
    }
}

pub fn plan(project: &Project, target: &Target<'_>) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut entries = Vec::new();
    let manifest = project.manifest.map(|id| project.file(id));
    let mut manifest_replaced = false;
    for service in &project.services {
        let Some(sources) = Sources::of(project, service) else {
            // A service configured only by a railway.json/railway.toml: its settings move to
            // railway.ts (Railway stops reading the file on 2026-12-01).
            if service.railway.is_some() && service.iac_at.is_none() {
                plan.services.push((service.name.clone(), service.root.clone()));
                iac_service(project, service, &[], &[], &mut plan)?;
            }
            continue;
        };
        if sources.replaces_manifest {
            manifest_replaced = true;
        }
        plan.services.push((service.name.clone(), service.root.clone()));
        entries.push(plan_service(project, service, &sources, target, &mut plan));
    }
    iac_file(project, &mut plan)?;
    if entries.is_empty() {
        plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
        return Ok(plan);
    }
    if let Some(manifest) = manifest {
        report_dropped_top(manifest, &["services", "deploy"], "the manifest", &mut plan);
        if !manifest_replaced {
            // No service lives in the manifest's folder: nothing replaces it, so it goes
            // (kept as `.orig`) rather than stay a file Railpack misreads.
            plan.changes.push(FileChange {
                path: manifest.path.clone(),
                old: Some(read_text(manifest)?),
                new: None,
            });
        }
    }
    let toml = railcheck_toml(project, target, &entries, &mut plan)?;
    plan.changes.push(toml);
    plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(plan)
}

/// The files a service's settings come from.
struct Sources<'a> {
    /// The manifest entry (`services.<name>`).
    entry: Option<Layer<'a>>,
    /// The guide-format file at the service root.
    own: Option<&'a SourceFile>,
    /// A file at the service root whose native keys Railpack reads today (the service
    /// file, or the manifest for the service in its folder).
    in_effect: Option<&'a SourceFile>,
    /// A native railpack.json already at the root: it stays as it is.
    native: Option<&'a SourceFile>,
    replaces_manifest: bool,
}

impl<'a> Sources<'a> {
    fn of(project: &'a Project, service: &Service) -> Option<Sources<'a>> {
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

    fn build_layers(&self) -> Vec<Layer<'a>> {
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

    fn deploy_layers(&self) -> Vec<Layer<'a>> {
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

fn root_layer(file: &SourceFile) -> Layer<'_> {
    Layer {
        file,
        node: file.tree.as_ref().expect("only parsed files are sources"),
        pointer: String::new(),
    }
}

fn child<'a>(layer: &Layer<'a>, key: &str) -> Option<Layer<'a>> {
    let node = layer.node.get(key)?;
    node.as_object()?;
    Some(Layer {
        file: layer.file,
        node,
        pointer: format!("{}/{key}", layer.pointer),
    })
}

/// The first layer holding one of `keys` (aliases after the first), noting disagreements.
fn pick<'a>(service: &str, layers: &[Layer<'a>], keys: &[&str], plan: &mut Plan) -> Option<&'a Node> {
    let found = pick_labelled(service, layers, keys, plan)?;
    if found.key != keys[0] {
        plan.applied
            .push(format!("{service}: {} written as `{}`", found.label, keys[0]));
    }
    Some(found.node)
}

struct Found<'a> {
    node: &'a Node,
    /// Where it was found, for messages.
    label: String,
    /// Which of the keys (aliases) it was written under.
    key: String,
}

/// `pick`, also saying where the value was found and under which key.
fn pick_labelled<'a>(service: &str, layers: &[Layer<'a>], keys: &[&str], plan: &mut Plan) -> Option<Found<'a>> {
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
fn merge<'a>(service: &str, layers: &[Layer<'a>], key: &str, plan: &mut Plan) -> Vec<(String, &'a Node)> {
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

fn plan_service(
    project: &Project,
    service: &Service,
    sources: &Sources<'_>,
    _target: &Target<'_>,
    plan: &mut Plan,
) -> ServiceEntry {
    let name = service.name.as_str();
    let build = sources.build_layers();
    let deploy = sources.deploy_layers();
    report_dropped(name, sources, plan);

    let variables = service_variables(name, &deploy, plan);
    let railpack_path = join(&service.root, "railpack.json");
    if !service.root_exists {
        plan.blocking.push(format!(
            "{name}: the service root `{}` does not exist, so its settings have nowhere to go; fix `root` in the \
             manifest or create the folder, then run migrate again",
            service.root
        ));
    } else if let Some(native) = sources.native {
        plan.refused.push(format!(
            "{name}: `{}` is already in Railpack's format and stays as it is; migrate does not merge the \
             manifest's build settings into it: compare them by hand",
            native.path
        ));
    } else {
        let doc = native_railpack(project, service, &build, &deploy, &variables, plan);
        let old = std::fs::read_to_string(project.abs(&railpack_path)).ok();
        plan.changes.push(FileChange {
            path: railpack_path,
            old,
            new: Some(doc.to_pretty()),
        });
    }
    if service.root_exists {
        // Errors only reading a file that was loaded moments ago.
        let _ = iac_service(project, service, &deploy, &variables, plan);
    }

    for (var, value) in &variables {
        if value.is_none() {
            plan.in_railway.push(format!(
                "{var}=<set in dashboard>   (service `{name}`: the value looks like a credential; railway.ts keeps it with preserve())"
            ));
        }
    }
    ServiceEntry {
        name: name.to_string(),
        root: service.root.clone(),
        variables: variables.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect(),
    }
}

/// The guide's `deploy.environment`: service variables. A value that looks like a
/// credential is `None`: it is never printed nor written.
fn service_variables(service: &str, deploy: &[Layer<'_>], plan: &mut Plan) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (var, node) in merge(service, deploy, "environment", plan) {
        let Some(value) = node.as_str() else {
            plan.refused.push(format!(
                "{service}: service variable `{var}` is not a string; set it in Railway by hand"
            ));
            continue;
        };
        let secret = secrets::classify_value(Some(&var), value).is_some();
        out.push((var, (!secret).then(|| value.to_string())));
    }
    out
}

fn native_railpack(
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
    let berry = yarn_berry(project, service, &steps);
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
            key if crate::platform::keys::RAILPACK_STEP.contains(&key) => step.insert(key, (&member.value).into()),
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
fn yarn_berry(project: &Project, service: &Service, steps: &[(String, &Node)]) -> Option<String> {
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
        if let Some(reason) = berry_in(project, &dir) {
            return Some(reason);
        }
        if dir == project.root || !dir.pop() {
            return None;
        }
    }
}

/// A number of seconds, retries or replicas as written (a whole number), if it is one.
fn whole(node: &Node) -> Option<u32> {
    match &node.kind {
        NodeKind::Number(text) => text.parse().ok(),
        _ => None,
    }
}

fn strings(node: &Node) -> Vec<String> {
    match &node.kind {
        NodeKind::String(s) => vec![s.clone()],
        NodeKind::Array(items) => items.iter().filter_map(Node::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// One `service(...)` of `.railway/railway.ts`: everything the service's railway.json /
/// railway.toml sets (what Railway reads today wins), then the guide's health check, deploy
/// policies and `environment` for what is still unset. Credentials become `preserve()`.
fn iac_service(
    project: &Project,
    service: &Service,
    deploy: &[Layer<'_>],
    variables: &[(String, Option<String>)],
    plan: &mut Plan,
) -> Result<()> {
    let name = service.name.as_str();
    let existing = service.railway.map(|id| project.file(id));
    let tree = existing.and_then(|f| f.tree.as_ref());
    let cac = |pointer: &str| {
        tree.and_then(|t| t.pointer(pointer))
            .filter(|n| !matches!(n.kind, NodeKind::Null))
    };
    let cac_str = |pointer: &str| cac(pointer).and_then(Node::as_str).map(str::to_string);
    let mut out = EmitService {
        name: name.to_string(),
        root: (!service.root.is_empty()).then(|| service.root.clone()),
        builder: cac_str("/build/builder").map(|b| b.to_ascii_uppercase()),
        build_command: cac_str("/build/buildCommand"),
        dockerfile_path: cac_str("/build/dockerfilePath"),
        watch_patterns: cac("/build/watchPatterns").map(strings).unwrap_or_default(),
        start: cac_str("/deploy/startCommand"),
        pre_deploy: cac("/deploy/preDeployCommand").map(strings).unwrap_or_default(),
        healthcheck_path: cac_str("/deploy/healthcheckPath"),
        healthcheck_timeout: cac("/deploy/healthcheckTimeout").and_then(whole),
        restart_policy_type: cac_str("/deploy/restartPolicyType").map(|t| t.to_ascii_uppercase()),
        restart_policy_max_retries: cac("/deploy/restartPolicyMaxRetries").and_then(whole),
        cron_schedule: cac_str("/deploy/cronSchedule"),
        replicas: cac("/deploy/numReplicas").and_then(whole),
        env: Vec::new(),
    };
    if let Some(file) = existing {
        let unmoved: Vec<&str> = [
            "region",
            "multiRegionConfig",
            "sleepApplication",
            "overlapSeconds",
            "drainingSeconds",
        ]
        .into_iter()
        .filter(|k| cac(&format!("/deploy/{k}")).is_some())
        .collect();
        if !unmoved.is_empty() {
            plan.in_railway.push(format!(
                "service `{name}`: set {} in the service settings (railway.ts has no such key that migrate writes)",
                unmoved
                    .iter()
                    .map(|k| format!("`deploy.{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        plan.applied.push(format!(
            "{name}: the settings of `{}` moved to `{IAC_PATH}` (Railway stops reading it on 2026-12-01)",
            file.path
        ));
        plan.retired.push(FileChange {
            path: file.path.clone(),
            old: Some(read_text(file)?),
            new: None,
        });
    }
    let keep = |kept: bool, label: &str, key: &str, plan: &mut Plan| {
        if kept {
            plan.conflicts.push(format!(
                "{name}: kept `{key}` of the service's Railway config; {label} says otherwise"
            ));
        } else {
            plan.applied
                .push(format!("{name}: {label} moved to `{key}` in `{IAC_PATH}`"));
        }
    };
    if let Some(found) = pick_labelled(name, deploy, HEALTH_PATH_KEYS, plan)
        && let Some(path) = found.node.as_str()
    {
        match &out.healthcheck_path {
            Some(kept) => {
                if kept != path {
                    keep(true, &found.label, "healthcheck", plan);
                }
            }
            None => {
                keep(false, &found.label, "healthcheck", plan);
                out.healthcheck_path = Some(path.to_string());
            }
        }
    }
    if let Some(found) = pick_labelled(name, deploy, HEALTH_TIMEOUT_KEYS, plan) {
        match (whole(found.node), out.healthcheck_timeout) {
            (None, _) => plan.refused.push(format!(
                "{name}: the health-check timeout is not a whole number of seconds; set `healthcheckTimeout` in \
                 `{IAC_PATH}` by hand"
            )),
            (Some(t), Some(kept)) if t != kept => keep(true, &found.label, "healthcheckTimeout", plan),
            (Some(_), Some(_)) => {}
            (Some(t), None) => {
                keep(false, &found.label, "healthcheckTimeout", plan);
                out.healthcheck_timeout = Some(t);
            }
        }
    }
    for key in RAILWAY_DEPLOY_KEYS {
        let Some(found) = pick_labelled(name, deploy, std::slice::from_ref(key), plan) else {
            continue;
        };
        let node = found.node;
        let placed = match *key {
            "preDeployCommand" if out.pre_deploy.is_empty() => {
                out.pre_deploy = strings(node);
                true
            }
            "restartPolicyType" if out.restart_policy_type.is_none() => {
                out.restart_policy_type = node.as_str().map(|t| t.to_ascii_uppercase());
                true
            }
            "restartPolicyMaxRetries" if out.restart_policy_max_retries.is_none() => {
                out.restart_policy_max_retries = whole(node);
                true
            }
            "cronSchedule" if out.cron_schedule.is_none() => {
                out.cron_schedule = node.as_str().map(str::to_string);
                true
            }
            "numReplicas" if out.replicas.is_none() => {
                out.replicas = whole(node);
                true
            }
            "preDeployCommand" | "restartPolicyType" | "restartPolicyMaxRetries" | "cronSchedule" | "numReplicas" => {
                false
            }
            _ => {
                plan.in_railway.push(format!(
                    "service `{name}`: set `{key}` ({}) in the service settings",
                    found.label
                ));
                continue;
            }
        };
        keep(!placed, &found.label, &format!("deploy.{key}"), plan);
    }
    if out.watch_patterns.is_empty() && !service.root.is_empty() {
        // A change to one service must not redeploy the others.
        out.watch_patterns = vec![format!("{}/**", service.root)];
    }
    if out.healthcheck_path.is_none() {
        plan.refused.push(format!(
            "{name}: no health-check path in any file: Railway deploys without a health check until `healthcheck` \
             is set in `{IAC_PATH}` (or in the service settings)"
        ));
    }
    for (var, value) in variables {
        let value = match value {
            None => EmitValue::Preserve,
            Some(text) => whole_reference(project, text).unwrap_or_else(|| EmitValue::Literal(text.clone())),
        };
        out.env.push((var.clone(), value));
    }
    plan.iac_services.push(out);
    Ok(())
}

/// `${{svc.VAR}}` as the whole value, `svc` a service of this project: a typed reference.
fn whole_reference(project: &Project, text: &str) -> Option<EmitValue> {
    let parsed = crate::facts::references::parse(text);
    let [r] = parsed.references.as_slice() else { return None };
    let service = r.namespace.as_deref()?;
    (r.range == (0..text.len()) && service != "shared" && project.service(service).is_some()).then(|| EmitValue::Ref {
        service: service.to_string(),
        var: r.variable.clone(),
    })
}

/// `.railway/railway.ts` from the services collected; never over an existing one.
fn iac_file(project: &Project, plan: &mut Plan) -> Result<()> {
    if plan.iac_services.is_empty() {
        return Ok(());
    }
    let abs = project.abs(IAC_PATH);
    if abs.exists() {
        plan.refused.push(format!(
            "`{IAC_PATH}` exists; migrate never overwrites it. Add these services to it by hand: {} (the \
             Config-as-Code files stay until then)",
            plan.iac_services
                .iter()
                .map(|s| format!("`{}`", s.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        plan.retired.clear();
        return Ok(());
    }
    let mut services = std::mem::take(&mut plan.iac_services);
    services.sort_by(|a, b| a.name.cmp(&b.name));
    let text = crate::iac::emit(&EmitProject {
        name: project.name.clone(),
        partial: None,
        databases: Vec::new(),
        services,
    });
    plan.changes.push(FileChange {
        path: IAC_PATH.to_string(),
        old: None,
        new: Some(text),
    });
    plan.changes.append(&mut plan.retired);
    Ok(())
}

/// Keys of the guide's files that go nowhere, listed once per object.
fn report_dropped(service: &str, sources: &Sources<'_>, plan: &mut Plan) {
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
        for (key, known) in [("build", BUILD_KEYS), ("deploy", deploy_known.as_slice())] {
            if let Some(layer) = child(entry, key) {
                check(&layer, known, plan);
            }
        }
    }
    if let Some(own) = sources.own {
        report_dropped_top(own, &["build", "deploy"], service, plan);
        let top = root_layer(own);
        for (key, known) in [("build", BUILD_KEYS), ("deploy", deploy_known.as_slice())] {
            if let Some(layer) = child(&top, key) {
                check(&layer, known, plan);
            }
        }
    }
}

fn report_dropped_top(file: &SourceFile, extra: &[&str], what: &str, plan: &mut Plan) {
    let Some(members) = file.tree.as_ref().and_then(Node::as_object) else {
        return;
    };
    for member in members {
        let key = member.key.as_str();
        if GUIDE_ONLY_KEYS.contains(&key) {
            plan.dropped.push(format!(
                "{what}: `/{key}` in {} (the guide's bookkeeping, read by nobody)",
                file.path
            ));
        } else if !(BUILD_KEYS.contains(&key) || extra.contains(&key) || key == "$schema") {
            plan.dropped.push(format!(
                "{what}: `/{key}` in {} (neither Railpack nor Railway has this setting)",
                file.path
            ));
        }
    }
}

fn object(members: Vec<(String, &Node)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k, v.into())).collect())
}

/// `a` + `/` + `b`, either may be empty.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

/// Single-quotes a word for `sh` when it needs it: `${{...}}` must reach Railway as written.
pub fn sh_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b':' | b'@' | b'%' | b'+' | b'=')
        });
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn read_text(file: &SourceFile) -> Result<String> {
    Ok(std::fs::read_to_string(&file.abs_path)?)
}

/// A TOML key, bare when it can be.
fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        key.to_string()
    } else {
        toml_string(key)
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The `railcheck.toml` with a `[services.<name>]` table per migrated service: the
/// existing file (its text kept, tables added or completed) or a new one.
fn railcheck_toml(
    project: &Project,
    target: &Target<'_>,
    entries: &[ServiceEntry],
    plan: &mut Plan,
) -> Result<FileChange> {
    let (path, old) = match target.config_file {
        Some(file) => (file.to_path_buf(), Some(std::fs::read_to_string(file)?)),
        None => (project.root.join(crate::config::CONFIG_FILE), None),
    };
    let base = crate::config::base_of(&project.root, &path);
    let existing: toml::Table = match &old {
        Some(text) => match text.parse() {
            Ok(table) => table,
            Err(err) => bail!("cannot read `{}`: {}", path.display(), err.message()),
        },
        None => toml::Table::new(),
    };
    let tables = existing.get("services").and_then(toml::Value::as_table);
    let mut text = old.clone().unwrap_or_default();
    for entry in entries {
        let root = join(&base, &entry.root);
        let root = if root.is_empty() { ".".to_string() } else { root };
        let mut lines = Vec::new();
        let current = tables.and_then(|t| t.get(&entry.name)).and_then(toml::Value::as_table);
        match current.and_then(|t| t.get("root")) {
            None => lines.push(format!("root = {}", toml_string(&root))),
            Some(toml::Value::String(r))
                if crate::model::normalize_root("", r) == crate::model::normalize_root("", &root) => {}
            Some(_) => plan.conflicts.push(format!(
                "{}: kept the `root` already in railcheck.toml; the manifest says `{root}`",
                entry.name
            )),
        }
        if !entry.variables.is_empty() {
            if current.is_some_and(|t| t.contains_key("variables")) {
                plan.refused.push(format!(
                    "{}: railcheck.toml already has `variables` for this service; add the ones above by hand",
                    entry.name
                ));
            } else {
                let vars: Vec<String> = entry
                    .variables
                    .iter()
                    .map(|(k, v)| format!("{} = {}", toml_key(k), toml_string(v)))
                    .collect();
                lines.push(format!("variables = {{ {} }}", vars.join(", ")));
            }
        }
        if lines.is_empty() {
            continue;
        }
        let header = format!("[services.{}]", toml_key(&entry.name));
        let at = text
            .lines()
            .scan(0usize, |offset, line| {
                let start = *offset;
                *offset += line.len() + 1;
                Some((start + line.len(), line.trim() == header))
            })
            .find(|(_, is_header)| *is_header)
            .map(|(end, _)| end);
        match (current, at) {
            (Some(_), Some(end)) => {
                let insert = format!("\n{}", lines.join("\n"));
                text.insert_str(end.min(text.len()), &insert);
            }
            (Some(_), None) => plan.refused.push(format!(
                "{}: railcheck.toml defines this service without a `{header}` line; add by hand: {}",
                entry.name,
                lines.join("; ")
            )),
            (None, _) => {
                if !text.is_empty() && !text.ends_with("\n\n") {
                    text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
                }
                text.push_str(&format!("{header}\n{}\n", lines.join("\n")));
            }
        }
    }
    // What migrate writes must load.
    if let Err(err) = crate::config::parse(&text, "railcheck.toml") {
        bail!("internal error: the railcheck.toml migrate would write does not load: {err:#}");
    }
    let rel = path
        .strip_prefix(&project.root)
        .map(|p| crate::source::display_path(Path::new(""), p))
        .unwrap_or_else(|_| path.display().to_string());
    Ok(FileChange {
        path: rel,
        old,
        new: Some(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_keeps_references_literal() {
        assert_eq!(sh_quote("frontend"), "frontend");
        assert_eq!(
            sh_quote("NEXT_PUBLIC_API_URL=https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"),
            "'NEXT_PUBLIC_API_URL=https://${{backend.RAILWAY_PUBLIC_DOMAIN}}'"
        );
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn toml_keys_are_bare_when_they_can_be() {
        assert_eq!(toml_key("frontend"), "frontend");
        assert_eq!(toml_key("my.api"), "\"my.api\"");
    }
}
