//! `railcheck validate`: the readiness report.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::cli::args::{ConfigKind, Deny, ValidateArgs};
use crate::config::{self, Flags};
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
    let target = target(&paths, args.kind)?;
    let root = target.root.clone();
    let only_files = target
        .files
        .as_ref()
        .map(|files| files.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>());
    let source = args.config.source();
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
    if only_files.as_ref().is_some_and(Vec::is_empty) {
        // A hook passing only unrelated files must not fail: said, not READY, exit 0.
        eprintln!("railcheck: no Railway or Railpack configuration among the files given; nothing checked");
        return Ok(ExitStatus::Success);
    }
    // Files named otherwise (the walk finds the usual names, and honours --exclude and the
    // pruned folders for them).
    let extra: Vec<(String, FileKind)> = target
        .files
        .iter()
        .flatten()
        .filter(|(path, _)| FileKind::from_file_name(path.rsplit('/').next().unwrap_or(path)).is_none())
        .cloned()
        .collect();
    let request = Request {
        root: &root,
        excludes: &args.exclude,
        settings: &settings,
    };
    let mut outcome = pipeline::validate_with(&request, &extra)?;
    if extras.fix || extras.diff {
        if let Some(status) = validate_extras::fix_or_diff(&outcome, only_files.as_deref(), extras.fix)? {
            return Ok(status);
        }
        outcome = pipeline::validate_with(&request, &extra)?;
    }
    warn_unmatched_settings(&root, &settings, &outcome.project);
    for file in only_files.iter().flatten() {
        if !outcome.project.files.iter().any(|f| &f.path == file) {
            eprintln!("railcheck: note: `{file}` was not checked: it is excluded or in a pruned folder");
        }
    }
    if only_files
        .as_ref()
        .is_some_and(|files| !outcome.project.files.iter().any(|f| files.contains(&f.path)))
    {
        eprintln!("railcheck: no Railway or Railpack configuration among the files given; nothing checked");
        return Ok(ExitStatus::Success);
    }
    if outcome.project.files.is_empty() {
        let excluded = if args.exclude.is_empty() {
            String::new()
        } else {
            format!(" (after --exclude {})", args.exclude.join(", "))
        };
        eprintln!(
            "railcheck: error: no Railway or Railpack configuration found in `{}`{excluded}: looked for \
             railpack.json, railway.json and railway.toml in it and its subfolders; nothing checked",
            shown_path(&root)
        );
        return Ok(ExitStatus::Error);
    }
    if target.moved_up || only_files.is_some() {
        eprintln!("railcheck: note: checked project `{}`", shown_path(&root));
    }
    let mut diagnostics = outcome.diagnostics;
    if let Some(files) = &only_files {
        diagnostics.retain(|d| d.file.is_some_and(|f| files.contains(&outcome.project.file(f).path)));
        // Verdicts only for the services whose files were given.
        let given: Vec<_> = outcome
            .project
            .files
            .iter()
            .filter(|f| files.contains(&f.path))
            .map(|f| f.id)
            .collect();
        outcome.project.retain_services(|s| {
            [s.railpack, s.railway, s.declared_at.as_ref().map(|d| d.file)]
                .into_iter()
                .flatten()
                .any(|id| given.contains(&id))
        });
    } else if let Some(scope) = &target.scope {
        // A folder inside a larger project: the project is loaded, the folder is reported.
        let inside = |path: &str| path == scope || path.starts_with(&format!("{scope}/"));
        let project = &outcome.project;
        diagnostics.retain(|d| match d.file {
            Some(f) => inside(&project.file(f).path),
            None => d
                .service
                .as_ref()
                .is_some_and(|name| project.service(name).is_some_and(|s| inside(&s.root))),
        });
        outcome.project.retain_services(|s| inside(&s.root));
    }
    let base = repo_base(&root);
    if let Some(path) = &extras.baseline {
        match validate_extras::baseline(path, extras.write_baseline, &outcome.project, diagnostics, &base)? {
            Ok(kept) => diagnostics = kept,
            Err(status) => return Ok(status),
        }
    }
    let format = pick_format(args.format);
    if matches!(format, Format::Human | Format::Concise) {
        // Paths a terminal can open: relative to the working folder, as compilers print them.
        if let (Ok(cwd), Ok(abs_root)) = (
            std::env::current_dir().and_then(|c| c.canonicalize()),
            root.canonicalize(),
        ) {
            for file in &mut outcome.project.files {
                file.path = relative_path(&cwd, &abs_root.join(&file.path));
            }
        }
    }
    let to_stdout = args.output_file.as_deref().is_none_or(|p| p == Path::new("-"));
    let to_terminal = to_stdout && std::io::stdout().is_terminal();
    let color = format == Format::Human && color_enabled(args.color, no_color_env(), clicolor_force_env(), to_terminal);
    colored::control::set_override(color);
    let report = Report {
        project: &outcome.project,
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
    match args.output_file.as_deref() {
        Some(path) if path != Path::new("-") => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create the folder `{}`", parent.display()))?;
            }
            write_atomically(path, text.as_bytes())
                .with_context(|| format!("cannot write the report to `{}`", path.display()))?
        }
        _ => print(&text)?,
    }
    if format == Format::Github {
        write_job_summary(&report)?;
    }
    let ready = report.ready() || settings.exit_zero;
    // The process ends next: freeing the project tree allocation by allocation would only
    // cost time (3% of a 1,000-service run), so leave it to the operating system.
    std::mem::forget(outcome.project);
    std::mem::forget(outcome.fs);
    std::mem::forget(diagnostics);
    if ready {
        Ok(ExitStatus::Success)
    } else {
        Ok(ExitStatus::Findings)
    }
}

/// Inside GitHub Actions (`GITHUB_STEP_SUMMARY` set), appends the findings and the verdict
/// to the job summary: annotations are capped per step, the summary is not.
fn write_job_summary(report: &Report<'_>) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let verdict = if report.ready() { "READY" } else { "NOT READY" };
    let mut text = format!("### railcheck: {verdict}\n\n");
    if !report.diagnostics.is_empty() {
        let concise = report.render(Format::Concise);
        text.push_str("```\n");
        text.push_str(&concise.replace("```", "` ` `"));
        text.push_str("```\n");
    }
    text.push('\n');
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .with_context(|| format!("cannot write the job summary to `{}`", Path::new(&path).display()))
}

/// Warns (on standard error) about `[services.NAME] root` folders and `[[overrides]] paths`
/// of railcheck.toml that match nothing in the project: a typo there silently does nothing.
fn warn_unmatched_settings(root: &Path, settings: &crate::settings::Settings, project: &crate::model::Project) {
    let base = &settings.overrides_base;
    for (name, map) in &settings.services {
        let Some(service_root) = &map.root else { continue };
        let rel = if base.is_empty() {
            Some(service_root.as_str())
        } else if service_root == base {
            Some("")
        } else {
            service_root.strip_prefix(&format!("{base}/"))
        };
        // Outside this project (a config shared by several): not ours to judge.
        let Some(rel) = rel else { continue };
        if !root.join(rel).is_dir() {
            eprintln!(
                "railcheck: warning: railcheck.toml: `[services.{name}] root = \"{service_root}\"` matches no folder"
            );
        }
    }
    for (glob, _) in &settings.overrides {
        let matched = project.files.iter().any(|f| {
            let path = if base.is_empty() {
                f.path.clone()
            } else {
                format!("{base}/{}", f.path)
            };
            glob.is_match(&path)
        });
        if !matched {
            eprintln!(
                "railcheck: warning: railcheck.toml: the override path `{}` matches no config file",
                glob.glob().glob()
            );
        }
    }
}

/// A path as the user can type it: relative to the working folder when below it.
fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|c| c.canonicalize().ok());
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    match cwd.as_deref().and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => ".".to_string(),
        Some(rel) => rel.display().to_string(),
        None => abs.display().to_string(),
    }
}

/// `target` relative to the folder `from` (both absolute), `/`-separated, with `..` steps
/// when needed; `target` itself when they share nothing but the filesystem root.
pub(super) fn relative_path(from: &Path, target: &Path) -> String {
    let Some(common) = from.ancestors().find(|a| target.starts_with(a)) else {
        return target.display().to_string();
    };
    if common.parent().is_none() && from != common {
        return target.display().to_string();
    }
    let ups = from.strip_prefix(common).map_or(0, |r| r.components().count());
    let down = target.strip_prefix(common).unwrap_or(Path::new(""));
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), ups).collect();
    parts.extend(down.components().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
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

/// What `validate` checks: the project root; in file mode, the files given (relative to the
/// root, with their kind); for a folder inside a larger project, that folder (`scope`).
pub(super) struct Target {
    pub(crate) root: PathBuf,
    pub(crate) files: Option<Vec<(String, FileKind)>>,
    pub(crate) scope: Option<String>,
    /// The project is an ancestor of the folder given.
    pub(crate) moved_up: bool,
}

/// A folder is the project, unless it lies inside a project marked above it (a
/// `railcheck.toml` or a services manifest, within the same repository): then that project
/// is loaded and the folder reported. A config file selects the project around it the same
/// way, else its repository (`.git`), else its own folder; files in several places, the
/// common ancestor of those, never above a file's repository root.
pub(super) fn target(paths: &[PathBuf], kind: Option<ConfigKind>) -> Result<Target> {
    if paths.len() == 1 && paths[0].is_dir() {
        let dir = paths[0]
            .canonicalize()
            .with_context(|| format!("cannot resolve `{}`", paths[0].display()))?;
        let root = pipeline::project_root_above(&dir).unwrap_or_else(|| dir.clone());
        if root == dir {
            return Ok(Target {
                root: paths[0].clone(),
                files: None,
                scope: None,
                moved_up: false,
            });
        }
        let rel = dir.strip_prefix(&root).unwrap_or(Path::new(""));
        return Ok(Target {
            scope: Some(crate::source::display_path(Path::new(""), rel)),
            root,
            files: None,
            moved_up: true,
        });
    }
    if paths.iter().any(|p| p.is_dir()) {
        bail!("give either one folder or a list of config files, not both");
    }
    let mut configs = Vec::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(file_kind) = FileKind::from_file_name(name).or_else(|| kind_of(path, kind)) else {
            eprintln!(
                "railcheck: note: `{}` is not a Railway or Railpack config; ignored",
                path.display()
            );
            continue;
        };
        // Resolve the folder, not the file: a symlinked config keeps its own name.
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let dir = parent
            .canonicalize()
            .with_context(|| format!("cannot resolve `{}`", path.display()))?;
        configs.push((dir, name.to_string(), file_kind));
    }
    let Some((first, _, _)) = configs.first() else {
        return Ok(Target {
            root: PathBuf::from("."),
            files: Some(Vec::new()),
            scope: None,
            moved_up: false,
        });
    };
    let project_of = |dir: &Path| {
        pipeline::project_root_above(dir)
            .or_else(|| pipeline::repository_root(dir))
            .unwrap_or_else(|| dir.to_path_buf())
    };
    let mut root = project_of(first);
    for (dir, _, _) in &configs[1..] {
        let theirs = project_of(dir);
        while !theirs.starts_with(&root) {
            let Some(parent) = root.parent() else { break };
            root = parent.to_path_buf();
        }
    }
    // Never above a file's repository: files of two repositories are two projects.
    let outside = |dir: &Path| match pipeline::repository_root(dir) {
        Some(repo) => !root.starts_with(repo),
        None => root.parent().is_none(),
    };
    if configs.iter().any(|(dir, _, _)| outside(dir)) {
        let (first_dir, first_name, _) = &configs[0];
        let first_project = project_of(first_dir);
        let (dir, name, _) = configs
            .iter()
            .find(|(dir, _, _)| project_of(dir) != first_project)
            .unwrap_or(&configs[0]);
        bail!(
            "`{}` is outside the project of `{}` (`{}`): the files given must belong to one project \
             (repository); run railcheck once per project",
            dir.join(name).display(),
            first_dir.join(first_name).display(),
            first_project.display()
        );
    }
    let files = configs
        .iter()
        .map(|(dir, name, kind)| {
            let rel = dir.strip_prefix(&root).unwrap_or(Path::new(""));
            (crate::source::display_path(Path::new(""), &rel.join(name)), *kind)
        })
        .collect();
    Ok(Target {
        root,
        files: Some(files),
        scope: None,
        moved_up: false,
    })
}

/// The kind of a config file whose name does not say it: `--kind`, else its content
/// (Railway's `$schema` or keys, or Railpack's), `None` when it is not a config at all.
fn kind_of(path: &Path, kind: Option<ConfigKind>) -> Option<FileKind> {
    let toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    match kind {
        Some(ConfigKind::Railpack) => return Some(FileKind::Railpack),
        Some(ConfigKind::Railway) if toml => return Some(FileKind::RailwayToml),
        Some(ConfigKind::Railway) => return Some(FileKind::RailwayJson),
        None => {}
    }
    if !path.is_file() {
        return None;
    }
    let bytes = crate::pipeline::discover::read_bounded(path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    if toml {
        let table: toml::Table = toml::from_str(&text).ok()?;
        return (table.contains_key("build") || table.contains_key("deploy")).then_some(FileKind::RailwayToml);
    }
    // Not `parse_json`'s verdict alone: a file with a duplicate key is still a config.
    let loaded = crate::source::parse_json(text, crate::source::FileId(0));
    crate::platform::read::sniff_json(&loaded.tree?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_as_a_terminal_opens_them() {
        let p = |from: &str, to: &str| relative_path(Path::new(from), Path::new(to));
        assert_eq!(p("/r", "/r/a/railpack.json"), "a/railpack.json");
        assert_eq!(p("/r/api", "/r/api/railpack.json"), "railpack.json");
        assert_eq!(p("/r/api", "/r/web/railpack.json"), "../web/railpack.json");
        assert_eq!(p("/home/u", "/tmp/x/railpack.json"), "/tmp/x/railpack.json");
    }
}
