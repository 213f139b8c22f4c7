//! `railcheck plan`: what Railway and Railpack will do with each service.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::cli::args::{OutputFormat, PlanArgs};
use crate::config::{self, Flags};
use crate::pipeline::{self, Request};

use super::*;

pub(super) fn plan(args: &PlanArgs) -> Result<ExitStatus> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        bail!(
            "`{}` is not a folder; `railcheck plan` takes a project folder",
            root.display()
        );
    }
    let source = args.config.source();
    let settings = config::resolve(&root, &source, &Flags::default())?.settings;
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &args.exclude,
        settings: &settings,
    })?;
    let plan = crate::plan::derive(&outcome.fs, &outcome.project, &settings);
    let text = match args.output.format {
        OutputFormat::Json => plan.render_json(),
        OutputFormat::Human => {
            let color = color_enabled(
                args.color,
                no_color_env(),
                clicolor_force_env(),
                std::io::stdout().is_terminal(),
            );
            plan.render_human(color)
        }
    };
    // The last pass every report gets: no credential seen in a file is ever printed.
    let known = outcome.project.known_secrets();
    print(&crate::facts::secrets::mask_known(&text, known))?;
    Ok(ExitStatus::Success)
}
