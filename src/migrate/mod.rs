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

pub(crate) mod fixes;
pub(crate) mod json;
mod plan;
mod railpack;
mod railway;
mod service_map;
mod sources;
pub(crate) mod write;

use anyhow::Result;

use crate::facts::secrets;
use crate::model::{Project, Service};
use crate::source::SourceFile;

pub(crate) use plan::{FileChange, Plan, Target};
use service_map::ServiceEntry;
use sources::{Layer, Sources, merge, report_dropped, report_dropped_top};

use crate::util::fscache::FsCache;

/// Everything migrate would do to the project, computed without touching the disk.
pub(crate) fn plan(project: &Project, target: &Target<'_>) -> Result<Plan> {
    let mut plan = Plan::default();
    // Files beside the configs (package.json, .yarnrc.yml), each looked at once.
    let fs = FsCache::default();
    let mut entries = Vec::new();
    let manifest = project.manifest.map(|id| project.file(id));
    let mut manifest_replaced = false;
    for service in &project.services {
        let Some(sources) = Sources::of(project, service) else {
            // A service configured only by a railway.json/railway.toml: its settings move to
            // railway.ts (Railway stops reading the file on 2026-12-01).
            if service.railway.is_some() && service.iac_at.is_none() {
                plan.services.push((service.name.clone(), service.root.clone()));
                railway::iac_service(project, service, &[], &[], &mut plan)?;
            }
            continue;
        };
        if sources.replaces_manifest {
            manifest_replaced = true;
        }
        plan.services.push((service.name.clone(), service.root.clone()));
        entries.push(plan_service(&fs, project, service, &sources, target, &mut plan));
    }
    railway::iac_file(project, &mut plan)?;
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
    let toml = service_map::railcheck_toml(project, target, &entries, &mut plan)?;
    plan.changes.push(toml);
    plan.changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(plan)
}

fn plan_service(
    fs: &FsCache,
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
        let doc = railpack::native_railpack(fs, project, service, &build, &deploy, &variables, plan);
        let old = std::fs::read_to_string(project.abs(&railpack_path)).ok();
        plan.changes.push(FileChange {
            path: railpack_path,
            old,
            new: Some(doc.to_pretty()),
        });
    }
    if service.root_exists {
        // Errors only reading a file that was loaded moments ago.
        let _ = railway::iac_service(project, service, &deploy, &variables, plan);
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

/// `a` + `/` + `b`, either may be empty.
fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}/{b}"),
    }
}

fn read_text(file: &SourceFile) -> Result<String> {
    Ok(std::fs::read_to_string(&file.abs_path)?)
}
