//! `railcheck env`: the variable audit.

use std::path::Path;

use anyhow::{Result, bail};
use clap::ArgMatches;

use crate::cli::args::{EnvArgs, OutputFormat};
use crate::config::{self, Flags};
use crate::diagnostic::Severity;
use crate::env::{self as env_audit, SourceSpec, StepSecrets};
use crate::pipeline::{self, Request};
use crate::settings::Settings;

use super::*;

/// The sources of `railcheck env` in command-line order, so that later ones win.
pub(super) fn env_sources(args: &EnvArgs, matches: &ArgMatches) -> Vec<SourceSpec> {
    let mut indexed: Vec<(usize, SourceSpec)> = Vec::new();
    let mut add = |id: &str, specs: Vec<SourceSpec>| {
        let indices: Vec<usize> = matches.indices_of(id).map(Iterator::collect).unwrap_or_default();
        for (i, spec) in specs.into_iter().enumerate() {
            indexed.push((indices.get(i).copied().unwrap_or(usize::MAX), spec));
        }
    };
    add("dotenv", args.dotenv.iter().cloned().map(SourceSpec::Dotenv).collect());
    add(
        "railway_json",
        args.railway_json.iter().cloned().map(SourceSpec::RailwayJson).collect(),
    );
    if args.from_env {
        add("from_env", vec![SourceSpec::Environment]);
    }
    indexed.sort_by_key(|(i, _)| *i);
    indexed.into_iter().map(|(_, spec)| spec).collect()
}

/// Loads the project around `--service` and returns that service's build steps.
pub(super) fn service_steps(project: &Path, name: &str, settings: &Settings) -> Result<StepSecrets> {
    if !project.is_dir() {
        bail!("project folder `{}` does not exist", project.display());
    }
    let outcome = pipeline::validate(&Request {
        root: project,
        excludes: &[],
        settings,
    })?;
    let Some(service) = outcome.project.service(name) else {
        let names: Vec<_> = outcome
            .project
            .services
            .iter()
            .map(|s| format!("`{}`", s.name))
            .collect();
        if names.is_empty() {
            bail!(
                "no service `{name}`: `{}` holds no Railway or Railpack config",
                project.display()
            );
        }
        bail!(
            "no service `{name}` in `{}`; its services: {}",
            project.display(),
            names.join(", ")
        );
    };
    Ok(StepSecrets::of(service))
}

pub(super) fn env(args: &EnvArgs, matches: &ArgMatches) -> Result<ExitStatus> {
    let project = args.project.as_deref().unwrap_or(Path::new("."));
    // railcheck.toml's `[secrets]` lists and rule settings apply here as in `validate`.
    let source = config_source(args.config.as_ref(), false);
    let settings = config::resolve(project, &source, &Flags::default())?.settings;
    let specs = env_sources(args, matches);
    let stdin_uses = specs
        .iter()
        .filter(|s| matches!(s, SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) if p.as_os_str() == "-"))
        .count();
    if stdin_uses > 1 {
        bail!("standard input (`-`) can be read only once");
    }
    let steps = match &args.service {
        Some(name) => Some(service_steps(project, name, &settings)?),
        None => None,
    };
    let inputs = env_audit::load(&specs)?;
    let mut audit = env_audit::audit(inputs, steps.as_ref(), &settings);
    audit.apply(&settings);
    print(&match args.output.format {
        OutputFormat::Human => audit.render_human(),
        OutputFormat::Json => audit.render_json(),
    })?;
    if args.check && audit.failing(Severity::Error) {
        Ok(ExitStatus::Findings)
    } else {
        Ok(ExitStatus::Success)
    }
}
