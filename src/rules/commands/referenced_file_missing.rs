//! a command names a file that is not where it runs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::shell::{Word, unwrap_command};
use crate::model::{Project, Service};
use crate::rules::Context;
use crate::rules::commands::{self as cmds};
use crate::rules::declare_rule;
use crate::util::fscache::FsCache;

declare_rule! {
    /// A command names a file or folder that is missing where the command runs.
    ///
    /// ## What it checks
    /// Files that well-known commands name, relative to the folder the command runs in (the
    /// service root, `/app`, after any `cd`): `pip install -r F` / `-c F`, `pip install -e DIR` and
    /// `pip install .` (the folder needs `pyproject.toml`, `setup.py` or `setup.cfg`),
    /// `python F.py`, `node F.js`, and the module of `uvicorn`/`gunicorn`/`hypercorn module:app`.
    ///
    /// Severity follows how certain the absence is. A file the install needs, or a file the start
    /// command runs when nothing in the build could create it, is an error. When the build may
    /// create it (a step of your own, a Railway build command, `RAILPACK_BUILD_CMD`), a missing
    /// start file is only an info. Nothing is reported when the build certainly creates it or it
    /// can come from elsewhere: the node provider runs package.json's `build` script itself, so
    /// `node lib/index.js` with `"build": "tsc"`, `node index.js` beside `index.ts`, or an
    /// esbuild `--outfile=server.js` are fine (domain.md section 5); a Python module may come
    /// from `PYTHONPATH` (`uvicorn main:app` with `PYTHONPATH=backend` and `backend/main.py`),
    /// from a package installed by requirements.txt or pyproject.toml, or from
    /// `--app-dir`/`--chdir`. It also stays quiet for names with variables or globs, for files an
    /// earlier command may create (their name appears in another command), for folders a build
    /// usually creates (`dist`, `.venv`, ...), and when the config is checked without the source
    /// beside it. A `cd` into a missing folder is RC701's.
    ///
    /// ## Why it matters on Railway
    /// Railpack copies only the service's Root Directory to `/app`. A path written for the
    /// repository root, or for a folder the Root Directory already entered, does not exist in the
    /// build: the install step fails, or the deploy crashes at start and the health check never
    /// passes.
    ///
    /// ## Example
    /// Service root `apps/api`, which holds `requirements.txt` and `main.py`:
    /// ```json
    /// { "steps": { "install": { "commands": ["pip install -r apps/api/requirements.txt"] } } }
    /// ```
    /// Fix: `pip install -r requirements.txt`.
    code: RC703,
    name: "referenced-file-missing",
    severity: Error,
    check: Service(check),
}

#[derive(Debug, PartialEq, Eq)]
enum Want {
    File,
    /// A folder pip can install: it needs a project file.
    Project,
    /// A Python module `a.b.c`, optionally below a folder given by `--app-dir`/`--chdir`.
    Module {
        dir: Option<String>,
    },
}

/// What a simple command needs to find: (word, what it must be).
fn references(argv: &[Word]) -> Vec<(&Word, Want)> {
    let start = unwrap_command(argv);
    let args = &argv[start..];
    let Some(first) = args.first() else { return Vec::new() };
    let name = first.text.rsplit('/').next().unwrap_or(&first.text);
    let mut out = Vec::new();
    let is_python = name == "python" || name == "python3" || name.strip_prefix("python3.").is_some_and(is_number);
    if name == "pip" || name == "pip3" || (name == "uv" && args.get(1).is_some_and(|w| w.text == "pip")) {
        let rest = if name == "uv" { &args[2..] } else { &args[1..] };
        if rest.first().is_none_or(|w| w.text != "install") {
            return out;
        }
        let mut i = 1;
        while let Some(word) = rest.get(i) {
            let t = word.text.as_str();
            match t {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    if let Some(next) = rest.get(i + 1) {
                        out.push((next, Want::File));
                    }
                    i += 2;
                    continue;
                }
                "-e" | "--editable" => {
                    if let Some(next) = rest.get(i + 1) {
                        out.push((next, Want::Project));
                    }
                    i += 2;
                    continue;
                }
                _ if t.starts_with("--requirement=") || t.starts_with("--constraint=") => {}
                _ if t == "." || t.starts_with("./") || t.starts_with(".[") => out.push((word, Want::Project)),
                _ if t.starts_with('-') => {}
                _ => {}
            }
            i += 1;
        }
    } else if is_python {
        let mut i = 1;
        while let Some(word) = args.get(i) {
            let t = word.text.as_str();
            match t {
                "-m" | "-c" => break,
                "-W" | "-X" => i += 2,
                _ if t.starts_with('-') => i += 1,
                _ => {
                    if t.ends_with(".py") {
                        out.push((word, Want::File));
                    }
                    break;
                }
            }
        }
    } else if name == "node" {
        let mut i = 1;
        while let Some(word) = args.get(i) {
            let t = word.text.as_str();
            match t {
                "-e" | "-p" | "--eval" | "--print" | "-" => break,
                "-r" | "--require" | "--import" | "--loader" | "--experimental-loader" => i += 2,
                _ if t.starts_with('-') => i += 1,
                _ => {
                    if [".js", ".mjs", ".cjs"].iter().any(|e| t.ends_with(e)) {
                        out.push((word, Want::File));
                    }
                    break;
                }
            }
        }
    } else if matches!(name, "uvicorn" | "gunicorn" | "hypercorn") {
        let mut dir = None;
        let mut candidate = None;
        let mut i = 1;
        while let Some(word) = args.get(i) {
            let t = word.text.as_str();
            if matches!(t, "--app-dir" | "--chdir" | "--root-path") {
                if t != "--root-path" {
                    dir = args.get(i + 1).map(|w| w.text.clone());
                    if args.get(i + 1).is_some_and(|w| w.dynamic) {
                        return out;
                    }
                }
                i += 2;
                continue;
            }
            if let Some(value) = t.strip_prefix("--app-dir=").or_else(|| t.strip_prefix("--chdir=")) {
                dir = Some(value.to_string());
            }
            let after_option = i > 1 && {
                let prev = &args[i - 1].text;
                prev.starts_with('-') && !prev.contains('=') && !is_boolean_flag(prev)
            };
            if candidate.is_none() && !after_option && is_app_spec(t) && !word.dynamic {
                candidate = Some(word);
            }
            i += 1;
        }
        if let Some(word) = candidate {
            out.push((word, Want::Module { dir }));
        }
    }
    out
}

fn is_number(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `module.path:attr`
fn is_app_spec(t: &str) -> bool {
    let Some((module, attr)) = t.split_once(':') else {
        return false;
    };
    let ident = |s: &str| {
        s.split('.').all(|p| {
            let mut c = p.chars();
            c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    ident(module) && !attr.is_empty() && attr.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

fn is_boolean_flag(flag: &str) -> bool {
    matches!(
        flag,
        "--reload"
            | "--factory"
            | "--proxy-headers"
            | "--no-proxy-headers"
            | "--access-log"
            | "--no-access-log"
            | "--use-colors"
            | "--no-use-colors"
            | "--server-header"
            | "--no-server-header"
            | "--date-header"
            | "--no-date-header"
            | "--preload"
            | "--daemon"
            | "-D"
            | "--capture-output"
            | "--reuse-port"
            | "--check-config"
            | "--print-config"
            | "--debug"
    )
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let project = cx.project;
    if !service.commands_run_in_app() || !cmds::has_source(fs, project, service) {
        return;
    }
    let packaged = ["pyproject.toml", "setup.py", "setup.cfg"]
        .iter()
        .any(|f| fs.is_file(&cmds::on_disk(project, service, f)));
    for cmd in cmds::service_commands(service) {
        let script = cmds::parse(&cmd);
        for simple in &script.commands {
            let Some(cwd) = cmds::cwd_of(simple) else { continue };
            if !cmds::dir_exists(fs, project, service, cwd) {
                continue;
            }
            for (word, want) in references(&simple.argv) {
                if word.dynamic || word.text.contains("://") {
                    continue;
                }
                let problem = match &want {
                    Want::File => missing_file(fs, project, service, cwd, &word.text),
                    Want::Project => missing_project(fs, project, service, cwd, &word.text),
                    Want::Module { dir } => {
                        missing_module(fs, project, service, cwd, dir.as_deref(), &word.text, packaged)
                    }
                };
                let Some((rel, message)) = problem else { continue };
                // Judge the path as written (relative to where the command runs): its first
                // folder may be generated, and an earlier command may create it.
                let written = word.text.trim_start_matches("/app/").trim_start_matches("./");
                let written = written.split(['[', ':']).next().unwrap_or(written);
                let first = written.split('/').next().unwrap_or(written);
                let base = written.rsplit('/').next().unwrap_or(written);
                let rel_first = rel.split('/').next().unwrap_or(&rel);
                if cmds::is_generated_dir(first)
                    || cmds::is_generated_dir(rel_first)
                    || written.split('/').any(cmds::is_generated_dir)
                    || cmds::mentioned_elsewhere(project, service, &cmd, simple.span.start, first)
                    || cmds::mentioned_elsewhere(project, service, &cmd, simple.span.start, base)
                {
                    continue;
                }
                let severity = if !cmd.is_build() && matches!(want, Want::File | Want::Module { .. }) {
                    match start_file_origin(fs, project, service, &word.text) {
                        BuildMay::Create => continue,
                        BuildMay::Perhaps => Severity::Info,
                        BuildMay::Nothing => Severity::Error,
                    }
                } else {
                    Severity::Error
                };
                let message = if severity == Severity::Info {
                    format!("{message}: it must be created by the build")
                } else {
                    message
                };
                let mut d = Diagnostic::new(
                    &META,
                    cmd.at.file,
                    cmds::span_in(project, cmd.at, cmd.text, word.span.clone()),
                    message,
                )
                .severity(severity)
                .pointer(cmd.at.pointer.clone())
                .help(format!(
                    "the command runs in `/app{}` (service root `{}`); paths are relative to it",
                    if cwd.is_empty() {
                        String::new()
                    } else {
                        format!("/{cwd}")
                    },
                    cmds::show(&service.root)
                ))
                .depends_on_root();
                d = cmds::never_runs(d, &cmd);
                out.push(d);
            }
        }
    }
}

type Problem = Option<(String, String)>;

/// Whether the build may create a file the start command names.
enum BuildMay {
    /// Certainly or very likely: say nothing.
    Create,
    /// A build of the user's own runs, which railcheck cannot follow: info.
    Perhaps,
    /// Nothing runs that could create it: the deploy crashes at start.
    Nothing,
}

/// Judges a start command's missing file: the node provider runs package.json's `build`
/// script itself (domain.md section 5), `tsc` writes `x.js` beside `x.ts`, and a script or
/// command naming the file (esbuild's `--outfile=server.js`) writes it.
fn start_file_origin(fs: &FsCache, project: &Project, service: &Service, written: &str) -> BuildMay {
    let base = written.rsplit('/').next().unwrap_or(written);
    let package = cmds::read_small(fs, &cmds::on_disk(project, service, "package.json"));
    if let Some(text) = &package {
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        if value["scripts"]["build"].is_string() || text.contains(base) {
            return BuildMay::Create;
        }
    }
    for (js, ts) in [(".js", ".ts"), (".mjs", ".mts"), (".cjs", ".cts"), (".js", ".tsx")] {
        if let Some(stem) = written.strip_suffix(js) {
            let source = format!("{}{ts}", stem.trim_start_matches("/app/").trim_start_matches("./"));
            if fs.exists(&cmds::on_disk(project, service, &source)) {
                return BuildMay::Create;
            }
        }
    }
    let own_build = service
        .steps
        .iter()
        .any(|s| s.name != "install" && !s.name.starts_with("packages:") && !s.commands.is_empty());
    let build_variable = service.variables.iter().any(|v| v.name == "RAILPACK_BUILD_CMD");
    if own_build || build_variable {
        BuildMay::Perhaps
    } else {
        BuildMay::Nothing
    }
}

/// Is `module` (a top-level import name) a dependency in requirements.txt or pyproject.toml?
/// Distribution names differ from import names only by case and `-`/`_`, usually.
fn installed(fs: &FsCache, project: &Project, service: &Service, module: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let module = norm(module);
    ["requirements.txt", "pyproject.toml"].iter().any(|name| {
        let Some(text) = cmds::read_small(fs, &cmds::on_disk(project, service, name)) else {
            return false;
        };
        text.lines().any(|line| {
            let line = line.trim().trim_start_matches(['"', '\'']);
            let dist: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            !dist.is_empty() && norm(&dist) == module
        })
    })
}

fn missing_file(
    fs: &FsCache,
    project: &crate::model::Project,
    service: &crate::model::Service,
    cwd: &str,
    path: &str,
) -> Problem {
    let rel = cmds::resolve(cwd, path)?;
    let disk = cmds::on_disk(project, service, &rel);
    if fs.exists(&disk) {
        return None;
    }
    let message = if rel == path.trim_start_matches("./") {
        format!("`{path}` does not exist")
    } else {
        format!(
            "`{path}` does not exist (looked for `{}` in the service root)",
            cmds::show(&rel)
        )
    };
    Some((rel, message))
}

fn missing_project(
    fs: &FsCache,
    project: &crate::model::Project,
    service: &crate::model::Service,
    cwd: &str,
    path: &str,
) -> Problem {
    let path_only = path.split('[').next().unwrap_or(path);
    let rel = cmds::resolve(cwd, path_only)?;
    let disk = cmds::on_disk(project, service, &rel);
    if !fs.is_dir(&disk) {
        if fs.exists(&disk) {
            return None; // a wheel or an archive
        }
        return Some((rel.clone(), format!("no folder `{}` to install", cmds::show(&rel))));
    }
    if ["pyproject.toml", "setup.py", "setup.cfg"]
        .iter()
        .any(|f| fs.is_file(&disk.join(f)))
    {
        return None;
    }
    Some((
        format!("{rel}/pyproject.toml"),
        format!(
            "`{}` has no pyproject.toml, setup.py or setup.cfg: pip cannot install it",
            cmds::show(&rel)
        ),
    ))
}

fn missing_module(
    fs: &FsCache,
    project: &crate::model::Project,
    service: &crate::model::Service,
    cwd: &str,
    dir: Option<&str>,
    spec: &str,
    packaged: bool,
) -> Problem {
    let base = match dir {
        Some(d) => cmds::resolve(cwd, d)?,
        None => cwd.to_string(),
    };
    let module = spec.split_once(':')?.0;
    let parts: Vec<&str> = module.split('.').collect();
    let path = parts.join("/");
    let exists = |root: &str| {
        let p = cmds::on_disk(project, service, &cmds::resolve(root, &path).unwrap_or_default());
        fs.is_file(&p.with_extension("py")) || fs.is_dir(&p) || fs.is_file(&p.join("__init__.py"))
    };
    if exists(&base) || exists(format!("{base}/src").trim_start_matches('/')) {
        return None;
    }
    let top = parts[0];
    // `PYTHONPATH` entries are searched too; one railcheck cannot read may hold anything.
    for var in service.variables.iter().filter(|v| v.name == "PYTHONPATH") {
        let Some(value) = &var.value else { return None };
        if value.value.contains('$') {
            return None;
        }
        for entry in value.value.split(':').filter(|e| !e.is_empty()) {
            let Some(rel) = cmds::resolve("", entry) else { continue };
            if exists(&rel) {
                return None;
            }
        }
    }
    if installed(fs, project, service, top) {
        return None;
    }
    let top_here = |root: &str| {
        let p = cmds::on_disk(project, service, &cmds::resolve(root, top).unwrap_or_default());
        fs.is_dir(&p) || fs.is_file(&p.with_extension("py"))
    };
    // A missing top-level package may be an installed one; only a local package, or a
    // single-file module in an unpackaged service, is certain.
    let certain = top_here(&base) || (parts.len() == 1 && !packaged && dir.is_none());
    if !certain {
        return None;
    }
    let rel = cmds::resolve(&base, &format!("{path}.py"))?;
    Some((rel.clone(), format!("module `{module}` not found (no `{rel}`)")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::shell::parse;

    fn refs(text: &str) -> Vec<(String, Want)> {
        let script = parse(text);
        references(&script.commands[0].argv)
            .into_iter()
            .map(|(w, want)| (w.text.clone(), want))
            .collect()
    }

    #[test]
    fn finds_what_known_commands_name() {
        assert_eq!(
            refs("pip install -r requirements.txt"),
            vec![("requirements.txt".into(), Want::File)]
        );
        assert_eq!(refs("uv pip install --system -e ."), vec![(".".into(), Want::Project)]);
        assert_eq!(
            refs("python -m pip install -c c.txt x"),
            vec![("c.txt".into(), Want::File)]
        );
        assert_eq!(
            refs("python3 -u run_server.py --debug"),
            vec![("run_server.py".into(), Want::File)]
        );
        assert_eq!(refs("poetry run python main.py"), vec![("main.py".into(), Want::File)]);
        assert_eq!(
            refs("node --require dotenv/config dist/index.js"),
            vec![("dist/index.js".into(), Want::File)]
        );
        assert_eq!(
            refs("gunicorn -k uvicorn.workers.UvicornWorker --chdir api app.main:app"),
            vec![(
                "app.main:app".into(),
                Want::Module {
                    dir: Some("api".into())
                }
            )]
        );
        assert_eq!(
            refs("python -m uvicorn main:app --host 0.0.0.0"),
            vec![("main:app".into(), Want::Module { dir: None })]
        );
    }

    #[test]
    fn ignores_what_it_cannot_judge() {
        for text in [
            "pip install fastapi",
            "python -c 'print(1)'",
            "python -m app",
            "node -e 'x'",
            "uvicorn --host 0.0.0.0:8000",
            "pip download -r r.txt",
        ] {
            assert!(refs(text).is_empty(), "{text}");
        }
    }
}
