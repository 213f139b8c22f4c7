//! What each subcommand does, between the parsed command line and the pipeline.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::cli::{AuditFormat, Cli, ColorChoice, Command, Deny, EnvArgs, MigrateArgs, ProbeArgs, ValidateArgs};
use crate::config::{self, ConfigSource, Flags, Settings};
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
        Command::Migrate(args) => migrate(args),
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
                    level(rule),
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
                level(rule),
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
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "railcheck", &mut script);
            print(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            print(&String::from_utf8_lossy(&page))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A rule's default severity, or `retired` for a withdrawn one.
fn level(rule: &rules::Rule) -> &'static str {
    if rule.is_retired() {
        "retired"
    } else {
        rule.meta.severity.as_str()
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

/// Colour in the human format: `--color always|never` decide alone; with `auto`, `NO_COLOR`
/// turns it off, then `CLICOLOR_FORCE` turns it on, otherwise only a terminal gets colour.
pub fn color_enabled(choice: ColorChoice, no_color: bool, clicolor_force: bool, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color => false,
        ColorChoice::Auto => clicolor_force || is_terminal,
    }
}

/// no-color.org: set and not empty, whatever the value (even `0`).
fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// bixense.com/clicolors: set and not `0`.
fn clicolor_force_env() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// `--format`, else `github` inside GitHub Actions, else `human`.
fn pick_format(format: Option<Format>) -> Format {
    format.unwrap_or_else(|| {
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
            Format::Github
        } else {
            Format::Human
        }
    })
}

fn validate(args: ValidateArgs) -> Result<ExitCode> {
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
    let settings = config::resolve(&root, &source, &flags)?.settings;
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &args.exclude,
        settings: &settings,
    })?;
    let mut diagnostics = outcome.diagnostics;
    if let Some(files) = &only_files {
        for file in files {
            if !outcome.project.files.iter().any(|f| &f.path == file) {
                eprintln!("railcheck: note: `{file}` was not checked: it is excluded or in a pruned folder");
            }
        }
        diagnostics.retain(|d| d.file.is_some_and(|f| files.contains(&outcome.project.file(f).path)));
    }
    let format = pick_format(args.format);
    let to_terminal = args.output_file.is_none() && std::io::stdout().is_terminal();
    let color = format == Format::Human && color_enabled(args.color, no_color_env(), clicolor_force_env(), to_terminal);
    colored::control::set_override(color);
    let base = repo_base(&root);
    let report = Report {
        project: &outcome.project,
        diagnostics: &diagnostics,
        fail_level: settings.fail_level,
        color,
        base: &base,
        quiet: args.quiet,
    };
    let text = report.render(format);
    match &args.output_file {
        Some(path) => write_atomically(path, text.as_bytes())
            .with_context(|| format!("cannot write the report to `{}`", path.display()))?,
        None => print(&text)?,
    }
    let ready = report.ready() || settings.exit_zero;
    // The process ends next: freeing the project tree allocation by allocation would only
    // cost time (3% of a 1,000-service run), so leave it to the operating system.
    std::mem::forget(outcome.project);
    std::mem::forget(diagnostics);
    if ready {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_FINDINGS))
    }
}

fn migrate(args: MigrateArgs) -> Result<ExitCode> {
    use crate::migrate::{self, write};
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let source = match &args.config {
        Some(file) => ConfigSource::File(file.clone()),
        None => ConfigSource::Discover,
    };
    let resolved = config::resolve(&root, &source, &Flags::default())?;
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &[],
        settings: &resolved.settings,
    })?;
    let repo_base = repo_base(&root);
    let plan = migrate::plan(
        &outcome.project,
        &migrate::Target {
            config_file: resolved.file.as_deref(),
            repo_base: &repo_base,
        },
    )?;
    if plan.services.is_empty() {
        print(
            "railcheck migrate: nothing to migrate: no services manifest and no railpack.json in the guide's format\n",
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    let names: Vec<String> = plan
        .services
        .iter()
        .map(|(name, root)| format!("{name} ({})", if root.is_empty() { "." } else { root }))
        .collect();
    out.push_str(&format!(
        "railcheck migrate: {} service(s): {}\n\n",
        plan.services.len(),
        names.join(", ")
    ));
    let changes: Vec<_> = plan.changes.iter().filter(|c| write::changes_anything(c)).collect();
    for change in &changes {
        out.push_str(&write::diff(change));
        out.push('\n');
    }
    let sections: [(&str, &[String]); 5] = [
        ("Fixes applied", &plan.applied),
        ("Left as written (fix by hand)", &plan.refused),
        ("Settings two files disagree on", &plan.conflicts),
        ("Dropped (nothing reads them)", &plan.dropped),
        ("To do in Railway (no file can express it)", &plan.in_railway),
    ];
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        for line in lines {
            out.push_str(&format!("  {}\n", crate::secrets::redact(line)));
        }
        out.push('\n');
    }
    let (mut refusals, git_note) = write::refusals(&root, &plan.changes, args.force);
    refusals.splice(0..0, plan.blocking.iter().cloned());
    if let Some(note) = &git_note {
        out.push_str(&format!("note: {note}\n"));
    }
    if !args.write {
        for refusal in &refusals {
            out.push_str(&format!("--write would refuse: {refusal}\n"));
        }
        out.push_str("Dry run: nothing written. Run `railcheck migrate --write` to write these files.\n");
        print(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !refusals.is_empty() {
        print(&out)?;
        bail!("nothing written:\n  {}", refusals.join("\n  "));
    }
    for line in write::apply(&root, &plan.changes)? {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str("Done. Run `railcheck validate` to check the result, then commit the new files.\n");
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes a sibling temporary file, then renames it over `path`: readers see the old file
/// or the whole new one, never a part; on failure the temporary file is removed.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Some(name) = path.file_name() else {
        bail!("not a file name");
    };
    if path.is_dir() {
        bail!("is a directory");
    }
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(
            ".{}.{}.{attempt}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => break (tmp, file),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(err) => return Err(err.into()),
        }
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(err) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err.into());
    }
    Ok(())
}

/// The project root relative to the repository root (the nearest ancestor holding `.git`),
/// `/`-separated, "" when they are the same or there is no repository. SARIF and GitHub
/// annotations need paths relative to the checkout.
fn repo_base(root: &Path) -> String {
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
fn target(paths: &[PathBuf]) -> Result<(PathBuf, Option<Vec<String>>)> {
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
    let project = args.project.as_deref().unwrap_or(Path::new("."));
    // railcheck.toml's `[secrets]` lists and rule settings apply here as in `validate`.
    let source = match &args.config {
        Some(file) => ConfigSource::File(file.clone()),
        None => ConfigSource::Discover,
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_rules() {
        use ColorChoice::*;
        // (choice, NO_COLOR, CLICOLOR_FORCE, terminal) -> colour
        let cases = [
            (Auto, false, false, true, true),
            (Auto, false, false, false, false),
            (Auto, true, false, true, false),
            (Auto, false, true, false, true),
            (Auto, true, true, true, false),
            (Always, true, false, false, true),
            (Never, false, true, true, false),
        ];
        for (choice, no_color, force, tty, want) in cases {
            assert_eq!(
                color_enabled(choice, no_color, force, tty),
                want,
                "{choice:?} {no_color} {force} {tty}"
            );
        }
    }

    #[test]
    fn atomic_write_replaces_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.sarif");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.sarif"]);
        // A folder in the way: an error, the folder untouched, no temporary file left.
        std::fs::create_dir(dir.path().join("taken")).unwrap();
        assert!(write_atomically(&dir.path().join("taken"), b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        assert!(write_atomically(&dir.path().join("missing/out.json"), b"x").is_err());
    }
}
