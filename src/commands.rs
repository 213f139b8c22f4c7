//! What each subcommand does, between the parsed command line and the pipeline.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{CommandFactory, Parser};

use crate::cli::{Cli, ColorChoice, Command, Deny, ValidateArgs};
use crate::config::{self, ConfigSource, Flags};
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
        if !path.exists() {
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
