//! `railcheck validate`: the readiness report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::cli::args::{Deny, ValidateArgs};
use crate::config::{self, ConfigSource, Flags};
use crate::pipeline::{self, Request};
use crate::report::{Format, Report};
use crate::source::FileKind;
use crate::util::fs::write_atomically;

use super::*;

/// `--format`, else `github` inside GitHub Actions, else `human`.
pub(super) fn pick_format(format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    })
}

pub(super) fn validate(args: ValidateArgs) -> Result<ExitStatus> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        // Not `exists()`: a dangling or looping symlink named like a config is a finding (RC106).
        if std::fs::symlink_metadata(path).is_err() {
            bail!("path `{}` does not exist", path.display());
        }
    }
    let (root, only_files) = target(&paths)?;
    let source = match (&args.config, args.isolated) {
        (_, true) => ConfigSource::Isolated,
        (Some(file), false) => ConfigSource::File(file.clone()),
        (None, false) => ConfigSource::Discover,
    };
    let flags = Flags {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        deny_warnings: args.deny == Some(Deny::Warnings),
        exit_zero: args.exit_zero,
        run_smoke: args.smoke,
        smoke_timeout: Some(std::time::Duration::from_secs(args.smoke_timeout)),
    };
    let resolved = config::resolve(&root, &source, &flags)?;
    let extras = &args.extras;
    if extras.show_settings {
        print(&config::show::render(&root, &source, &flags, &args.exclude, &resolved))?;
        return Ok(ExitStatus::Success);
    }
    if extras.show_files {
        print(&validate_extras::show_files(&root, &args.exclude)?)?;
        return Ok(ExitStatus::Success);
    }
    let settings = resolved.settings;
    let request = Request {
        root: &root,
        excludes: &args.exclude,
        settings: &settings,
    };
    let mut outcome = pipeline::validate(&request)?;
    if extras.fix || extras.diff {
        let fixes = validate_extras::fix_or_diff(&outcome, only_files.as_deref(), extras.fix)?;
        if let Some(code) = fixes {
            return Ok(code);
        }
        outcome = pipeline::validate(&request)?;
    }
    let mut diagnostics = outcome.diagnostics;
    let mut outcome_project = outcome.project;
    if let Some(files) = &only_files {
        // Only the services whose own files were given get a verdict.
        let given =
            |id: Option<crate::source::FileId>| id.is_some_and(|f| files.contains(&outcome_project.file(f).path));
        let keep: Vec<bool> = outcome_project
            .services
            .iter()
            .map(|s| given(s.railpack) || given(s.railway) || given(s.declared_at.as_ref().map(|a| a.file)))
            .collect();
        let mut keep = keep.into_iter();
        outcome_project.services.retain(|_| keep.next().unwrap_or(false));
    }
    if let Some(files) = &only_files {
        for file in files {
            if !outcome_project.files.iter().any(|f| &f.path == file) {
                eprintln!("railcheck: note: `{file}` was not checked: it is excluded or in a pruned folder");
            }
        }
        diagnostics.retain(|d| d.file.is_some_and(|f| files.contains(&outcome_project.file(f).path)));
    }
    let base = repo_base(&root);
    if let Some(path) = &extras.baseline {
        match validate_extras::baseline(path, extras.write_baseline, &outcome_project, diagnostics, &base)? {
            Ok(kept) => diagnostics = kept,
            Err(code) => return Ok(code),
        }
    }
    let format = pick_format(args.format);
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let color = format == Format::Human && color_enabled(args.color, no_color_env(), clicolor_force_env(), to_terminal);
    colored::control::set_override(color);
    let report = Report {
        project: &outcome_project,
        diagnostics: &diagnostics,
        fail_level: settings.fail_level,
        color,
        base: &base,
        quiet: args.quiet,
    };
    let text = match (extras.statistics, format) {
        (true, Format::Json) => crate::report::statistics::render_json(&diagnostics),
        (true, _) => crate::report::statistics::render_text(&diagnostics),
        (false, _) => report.render(format),
    };
    match &args.output_file {
        Some(path) => write_atomically(path, text.as_bytes())
            .with_context(|| format!("cannot write the report to `{}`", path.display()))?,
        None => print(&text)?,
    }
    let ready = report.ready() || settings.exit_zero;
    // The process ends next: freeing the project tree allocation by allocation would only
    // cost time (3% of a 1,000-service run), so leave it to the operating system.
    std::mem::forget(outcome_project);
    std::mem::forget(diagnostics);
    if ready {
        Ok(ExitStatus::Success)
    } else {
        Ok(ExitStatus::Findings)
    }
}

/// The project root relative to the repository root (the nearest ancestor holding `.git`),
/// `/`-separated, "" when they are the same or there is no repository. SARIF and GitHub
/// annotations need paths relative to the checkout.
pub(super) fn repo_base(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return String::new();
    };
    let Some(repo) = root.ancestors().find(|d| d.join(".git").exists()) else {
        return String::new();
    };
    let rel = root.strip_prefix(repo).unwrap_or(Path::new(""));
    if rel.as_os_str().is_empty() {
        String::new()
    } else {
        crate::source::display_path(Path::new(""), rel)
    }
}

/// A folder is the project. Config files select the project around them (the nearest
/// ancestor holding a services manifest or `.git`; for files in several places, the
/// common ancestor of theirs) and restrict the report to findings located in them.
pub(super) fn target(paths: &[PathBuf]) -> Result<(PathBuf, Option<Vec<String>>)> {
    if paths.len() == 1 && paths[0].is_dir() {
        return Ok((paths[0].clone(), None));
    }
    if paths.iter().any(|p| p.is_dir()) {
        bail!("give either one folder or a list of config files, not both");
    }
    let mut configs = Vec::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str());
        if name.and_then(FileKind::from_file_name).is_none() {
            eprintln!(
                "railcheck: note: `{}` is not a Railway or Railpack config; ignored",
                path.display()
            );
            continue;
        }
        // Resolve the folder, not the file: a symlinked config keeps its own name.
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = parent
            .canonicalize()
            .with_context(|| format!("cannot resolve `{}`", path.display()))?;
        configs.push((dir, name.unwrap_or_default().to_string()));
    }
    let Some(mut root) = configs.first().map(|(dir, _)| pipeline::project_root_for(dir)) else {
        return Ok((PathBuf::from("."), Some(Vec::new())));
    };
    for (dir, _) in &configs[1..] {
        let theirs = pipeline::project_root_for(dir);
        while !theirs.starts_with(&root) {
            let Some(parent) = root.parent() else { break };
            root = parent.to_path_buf();
        }
    }
    let files = configs
        .iter()
        .map(|(dir, name)| {
            let rel = dir.strip_prefix(&root).unwrap_or(Path::new(""));
            crate::source::display_path(Path::new(""), &rel.join(name))
        })
        .collect();
    Ok((root, Some(files)))
}
