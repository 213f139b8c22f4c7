//! What each subcommand does, between the parsed command line and the pipeline.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::cli::{AuditFormat, Cli, ColorChoice, Command, Deny, EnvArgs, ProbeArgs, ValidateArgs};
use crate::config::Settings;
use crate::diagnostic::Severity;
use crate::env_audit::{self, SourceSpec, StepSecrets};
use crate::pipeline::{self, Request};
use crate::probe::{self, ProbeReport, Target};
use crate::report::{Format, Report};
use crate::rules;
use crate::source::FileKind;

/// Exit codes: 0 ready, 1 findings at the failing level, 2 usage or internal error.
pub const EXIT_FINDINGS: u8 = 1;

pub fn run() -> Result<ExitCode> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Validate(args) => validate(args),
        Command::Env(args) => {
            let sub = matches.subcommand_matches("env").expect("clap matched `env`");
            env(&args, sub)
        }
        Command::Probe(args) => probe_command(&args),
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

/// The sources of `railcheck env` in command-line order, so that later ones win.
fn env_sources(args: &EnvArgs, matches: &ArgMatches) -> Vec<SourceSpec> {
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
fn service_steps(project: &Path, name: &str, settings: &Settings) -> Result<StepSecrets> {
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

fn env(args: &EnvArgs, matches: &ArgMatches) -> Result<ExitCode> {
    let settings = Settings::default();
    let specs = env_sources(args, matches);
    let stdin_uses = specs
        .iter()
        .filter(|s| matches!(s, SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) if p.as_os_str() == "-"))
        .count();
    if stdin_uses > 1 {
        bail!("standard input (`-`) can be read only once");
    }
    let steps = match &args.service {
        Some(name) => Some(service_steps(
            args.project.as_deref().unwrap_or(Path::new(".")),
            name,
            &settings,
        )?),
        None => None,
    };
    let inputs = env_audit::load(&specs)?;
    let audit = env_audit::audit(inputs, steps.as_ref(), &settings);
    print(&match args.format {
        AuditFormat::Human => audit.render_human(),
        AuditFormat::Json => audit.render_json(),
    })?;
    if args.check && audit.failing(Severity::Error) {
        Ok(ExitCode::from(EXIT_FINDINGS))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn seconds(flag: &str, value: f64) -> Result<std::time::Duration> {
    if !(value.is_finite() && value >= 0.0) {
        bail!("`--{flag}` must be a number of seconds, 0 or more");
    }
    std::time::Duration::try_from_secs_f64(value).map_err(|_| anyhow::anyhow!("`--{flag}` is too large"))
}

fn probe_command(args: &ProbeArgs) -> Result<ExitCode> {
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
    print(&match args.format {
        AuditFormat::Human => report.render_human(),
        AuditFormat::Json => report.render_json(),
    })?;
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    })
}

/// One target per `--base-url SERVICE=URL`: the URL joined with the health path the
/// service configures (Railway's own setting first). Also returns the services left out.
fn project_targets(project: &Path, base_urls: &[String]) -> Result<(Vec<Target>, Vec<String>)> {
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
                    "no health check path is configured (set `deploy.healthcheckPath` in railway.json)".to_string(),
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
