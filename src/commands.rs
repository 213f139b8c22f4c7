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
        run_smoke: args.smoke,
        smoke_timeout: std::time::Duration::from_secs(args.smoke_timeout),
        smoke: if args.smoke {
            smoke_commands(&root)?
        } else {
            Default::default()
        },
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

/// `[services.NAME] smoke = [...]` from `railcheck.toml` in the project root.
/// Interim reader until the full `railcheck.toml` loader lands; read only for `--smoke`.
fn smoke_commands(root: &Path) -> Result<std::collections::BTreeMap<String, Vec<String>>> {
    let path = root.join("railcheck.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Default::default());
    };
    let value: toml::Table = toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut smoke = std::collections::BTreeMap::new();
    let services = value.get("services").and_then(toml::Value::as_table);
    for (name, table) in services.into_iter().flatten() {
        let Some(list) = table.get("smoke").and_then(toml::Value::as_array) else {
            continue;
        };
        let commands: Option<Vec<String>> = list.iter().map(|c| c.as_str().map(str::to_string)).collect();
        let Some(commands) = commands else {
            bail!("{}: `services.{name}.smoke` must be a list of strings", path.display());
        };
        smoke.insert(name.clone(), commands);
    }
    Ok(smoke)
}
