//! What each subcommand does, between the parsed command line and the pipeline.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Parser;

use crate::cli::{Cli, ColorChoice, Command, Deny, ValidateArgs};
use crate::config::Settings;
use crate::diagnostic::Severity;
use crate::pipeline::{self, Request};
use crate::report::{Format, Report};
use crate::rules;
use crate::source::FileKind;

/// Exit codes: 0 ready, 1 findings at the failing level, 2 usage or internal error.
pub const EXIT_FINDINGS: u8 = 1;

pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Validate(args) => validate(args),
        Command::Rules => {
            let mut out = String::new();
            for rule in rules::all() {
                let m = rule.meta;
                out.push_str(&format!(
                    "{}  {:<32} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.summary
                ));
            }
            print(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => {
            let Some(rule) = rules::find(&rule) else {
                bail!("no rule `{rule}`; `railcheck rules` lists them");
            };
            let m = rule.meta;
            print(&format!(
                "{} {} ({})\n\n{}\n\n{}\n",
                m.code,
                m.name,
                m.severity.as_str(),
                m.summary,
                m.docs.trim()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { name } => {
            let text = crate::schema::bundled(name.as_str()).expect("every SchemaName is bundled");
            print(text)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// `railcheck ... | head` closes the pipe early; that is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

fn validate(args: ValidateArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    for path in &paths {
        if !path.exists() {
            bail!("path `{}` does not exist", path.display());
        }
    }
    let (root, only_files) = target(&paths)?;
    let settings = Settings {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_level: if args.deny == Some(Deny::Warnings) {
            Severity::Warning
        } else {
            Severity::Error
        },
        exit_zero: args.exit_zero,
        ..Settings::default()
    };
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &args.exclude,
        settings: &settings,
    })?;
    let mut diagnostics = outcome.diagnostics;
    if let Some(files) = &only_files {
        diagnostics.retain(|d| d.file.is_some_and(|f| files.contains(&outcome.project.file(f).path)));
    }
    let format = args.format.unwrap_or(Format::Human);
    let color = format == Format::Human && use_color(args.color);
    colored::control::set_override(color);
    let report = Report {
        project: &outcome.project,
        diagnostics: &diagnostics,
        fail_level: settings.fail_level,
        color,
        quiet: args.quiet,
    };
    print(&report.render(format))?;
    if report.ready() || settings.exit_zero {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_FINDINGS))
    }
}

/// A folder is the project; files select the project around them and restrict the report.
fn target(paths: &[PathBuf]) -> Result<(PathBuf, Option<Vec<String>>)> {
    if paths.len() == 1 && paths[0].is_dir() {
        return Ok((paths[0].clone(), None));
    }
    if paths.iter().any(|p| p.is_dir()) {
        bail!("give either one folder or a list of config files, not both");
    }
    let root = pipeline::project_root_for(&paths[0]);
    let canonical_root = root.canonicalize()?;
    let mut files = Vec::new();
    for path in paths {
        let is_config = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(FileKind::from_file_name)
            .is_some();
        if !is_config {
            eprintln!(
                "railcheck: note: `{}` is not a Railway or Railpack config; ignored",
                path.display()
            );
            continue;
        }
        let canonical = path.canonicalize()?;
        let rel = canonical.strip_prefix(&canonical_root).unwrap_or(Path::new(""));
        files.push(crate::source::display_path(Path::new(""), rel));
    }
    Ok((root, Some(files)))
}
