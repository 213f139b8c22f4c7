//! `railcheck probe`: the live health-check probe.

use std::path::Path;

use anyhow::{Result, bail};

use crate::cli::args::{OutputFormat, ProbeArgs};
use crate::pipeline::{self, Request};
use crate::probe::{self, ProbeReport, Target};
use crate::settings::Settings;

use super::*;

pub(super) fn seconds(flag: &str, value: f64) -> Result<std::time::Duration> {
    if !(value.is_finite() && value >= 0.0) {
        bail!("`--{flag}` must be a number of seconds, 0 or more");
    }
    std::time::Duration::try_from_secs_f64(value).map_err(|_| anyhow::anyhow!("`--{flag}` is too large"))
}

pub(super) fn probe_command(args: &ProbeArgs) -> Result<ExitStatus> {
    let timeout = seconds("timeout", args.timeout)?;
    if timeout.is_zero() {
        bail!("`--timeout` must be more than 0 seconds");
    }
    let options = probe::Options {
        timeout,
        retries: args.retries,
        interval: seconds("interval", args.interval)?,
        max_skew: std::time::Duration::from_secs(args.max_skew),
        expect_service: args.expect_service.clone(),
    };
    let mut targets: Vec<Target> = Vec::new();
    for url in &args.urls {
        probe::validate_url(url).map_err(anyhow::Error::msg)?;
        targets.push(Target {
            url: url.clone(),
            ..Target::default()
        });
    }
    let mut skipped = Vec::new();
    if let Some(project) = &args.project {
        let (project_targets, not_probed) = project_targets(project, &args.base_url)?;
        targets.extend(project_targets);
        skipped = not_probed;
    }
    if targets.is_empty() {
        bail!("nothing to probe: give URLs, or `--project PATH --base-url SERVICE=URL`");
    }
    let results: Vec<_> = targets.iter().map(|t| probe::probe(t, &options)).collect();
    let report = ProbeReport {
        results: &results,
        skipped: &skipped,
    };
    let text = match args.output.format {
        OutputFormat::Human => report.render_human(),
        OutputFormat::Json => report.render_json(),
    };
    // Whatever an endpoint sent back (headers, body, error text) is masked, as in every
    // other command's output.
    print(&crate::facts::secrets::redact(&text))?;
    Ok(if report.ok() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}

/// One target per `--base-url SERVICE=URL`: the URL joined with the health path the
/// service configures (Railway's own setting first). Also returns the services left out.
pub(super) fn project_targets(project: &Path, base_urls: &[String]) -> Result<(Vec<Target>, Vec<String>)> {
    if !project.is_dir() {
        bail!("project folder `{}` does not exist", project.display());
    }
    if base_urls.is_empty() {
        bail!("`--project` needs at least one `--base-url SERVICE=URL`");
    }
    let settings = Settings::default();
    let outcome = pipeline::validate(&Request {
        root: project,
        excludes: &[],
        settings: &settings,
    })?;
    let project_model = &outcome.project;
    let mut targets = Vec::new();
    let mut named = Vec::new();
    for pair in base_urls {
        let Some((name, base)) = pair.split_once('=') else {
            bail!("`--base-url {pair}`: write SERVICE=URL");
        };
        probe::validate_url(base).map_err(anyhow::Error::msg)?;
        let Some(service) = project_model.service(name) else {
            let names: Vec<_> = project_model.services.iter().map(|s| format!("`{}`", s.name)).collect();
            bail!(
                "`--base-url {pair}`: no service `{name}`; the project's services: {}",
                names.join(", ")
            );
        };
        named.push(name.to_string());
        let Some((path, read_by_railway)) = service.health_source() else {
            targets.push(Target {
                url: base.to_string(),
                service: Some(name.to_string()),
                path_from: None,
                unprobeable: Some(
                    "no health check path is configured (set `healthcheck` on the service in `.railway/railway.ts` or in the service settings)".to_string(),
                ),
            });
            continue;
        };
        let file = &project_model.file(path.at.file).path;
        let from = if read_by_railway {
            file.to_string()
        } else {
            format!("{file}, which Railway does not read")
        };
        let joined = format!("{}/{}", base.trim_end_matches('/'), path.value.trim_start_matches('/'));
        targets.push(Target {
            url: joined,
            service: Some(name.to_string()),
            path_from: Some(from),
            unprobeable: None,
        });
    }
    let skipped = project_model
        .services
        .iter()
        .filter(|s| !named.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    Ok((targets, skipped))
}
