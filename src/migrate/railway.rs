//! A service's `service(...)` in `.railway/railway.ts`, from its railway.json/railway.toml
//! and the guide's deploy settings, and the file itself.

use anyhow::Result;

use crate::iac::{EmitProject, EmitService, EmitValue};
use crate::model::{Project, Service};
use crate::source::{IAC_PATH, Node, NodeKind};

use super::sources::{Layer, pick_labelled};
use super::{FileChange, Plan, read_text};

/// Railway `deploy` keys a guide-format `deploy` block may hold: migrate moves them to the
/// service in `.railway/railway.ts` where the SDK has a field, else to the service settings.
pub(super) const RAILWAY_DEPLOY_KEYS: &[&str] = &[
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
pub(super) const HEALTH_PATH_KEYS: &[&str] = &["healthcheckPath", "healthCheckPath"];
pub(super) const HEALTH_TIMEOUT_KEYS: &[&str] = &["healthcheckTimeout", "healthCheckTimeout"];

/// One `service(...)` of `.railway/railway.ts`: everything the service's railway.json /
/// railway.toml sets (what Railway reads today wins), then the guide's health check, deploy
/// policies and `environment` for what is still unset. Credentials become `preserve()`.
pub(super) fn iac_service(
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
pub(super) fn iac_file(project: &Project, plan: &mut Plan) -> Result<()> {
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
