//! a build that downloads from a moving ref.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::{Op, Script, Simple, unwrap_command};
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds};
use crate::rules::declare_rule;

declare_rule! {
    /// A build command downloads from a moving ref (a branch URL, unpinned `git+`, `curl | sh`).
    ///
    /// ## What it checks
    /// Build commands (steps and `build.buildCommand`) that fetch code or files whose content can
    /// change without a change to the repository: `curl`/`wget` of a
    /// `raw.githubusercontent.com/<owner>/<repo>/<branch>/...` or `github.com/.../raw|blob/<branch>/...`
    /// URL for a branch such as `main`, `master`, `HEAD`, `develop`; `pip install git+https://...`
    /// without `@<commit or tag>` or with `@main`; and `curl ... | sh` (a remote script piped into
    /// a shell).
    ///
    /// ## Why it matters on Railway
    /// The same commit can build differently tomorrow, Railpack's layer cache hides the change
    /// until it is invalidated, and a push to another repository's branch can break (or
    /// compromise) this deploy. The guide's project fetched its own requirements file from `main`
    /// during the build, so the deploy used whatever `main` held, not the commit being deployed.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "install": { "commands": [
    ///   "curl -fsSL https://raw.githubusercontent.com/acme/app/main/requirements.txt -o requirements.txt"
    /// ] } } }
    /// ```
    /// Fix: use the file from the repository (it is already in the build context), or pin the URL
    /// to a commit SHA.
    code: RC712,
    name: "non-reproducible-fetch",
    severity: Warning,
    check: Service(check),
}

const MOVING: &[&str] = &["main", "master", "HEAD", "develop", "dev", "trunk", "latest"];

/// A URL pointing at a branch's current content.
fn moving_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let parts: Vec<&str> = rest.split('/').collect();
    let branch = match parts.as_slice() {
        ["raw.githubusercontent.com", _, _, "refs", "heads", b, ..] => *b,
        ["raw.githubusercontent.com", _, _, b, ..] => *b,
        ["github.com", _, _, "raw" | "blob", b, ..] => *b,
        ["gitlab.com", rest @ ..] => {
            let raw = rest.windows(2).position(|w| w == ["-", "raw"])?;
            *rest.get(raw + 2)?
        }
        _ => return None,
    };
    MOVING.contains(&branch).then(|| branch.to_string())
}

/// `git+https://host/repo.git@ref#...`: `Some(reason)` when it is not pinned.
fn unpinned_git(spec: &str) -> Option<String> {
    let url = spec.split_once("git+")?.1;
    let without_fragment = url.split('#').next().unwrap_or(url);
    let after_scheme = without_fragment.split_once("://").map_or(without_fragment, |(_, r)| r);
    // `user@host` before the first `/` is not a ref.
    let path = after_scheme.split_once('/').map_or("", |(_, p)| p);
    match path.rsplit_once('@') {
        None => Some("no `@<commit>`".to_string()),
        Some((_, r)) if MOVING.contains(&r) => Some(format!("`@{r}` is a branch")),
        Some(_) => None,
    }
}

enum Finding {
    Url(String),
    Git(String),
    PipeToShell,
}

fn findings(script: &Script, simple: &Simple, index: usize) -> Vec<(usize, Finding)> {
    let start = unwrap_command(&simple.argv);
    let argv = &simple.argv[start..];
    let Some(name) = argv.first().map(|w| w.text.rsplit('/').next().unwrap_or(&w.text)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if matches!(name, "curl" | "wget") {
        for (i, word) in argv.iter().enumerate().skip(1) {
            if let Some(branch) = moving_url(&word.text) {
                out.push((start + i, Finding::Url(branch)));
            }
        }
        if simple.next == Some(Op::Pipe) {
            let shell = script.commands.get(index + 1).and_then(|n| n.base_name());
            if matches!(shell, Some("sh" | "bash" | "zsh" | "dash")) {
                out.push((start, Finding::PipeToShell));
            }
        }
    }
    let installs = match (name, argv.get(1).map(|w| w.text.as_str())) {
        ("pip" | "pip3", Some("install")) => true,
        ("uv", Some("pip")) => argv.get(2).is_some_and(|w| w.text == "install"),
        ("uv" | "poetry", Some("add")) => true,
        _ => false,
    };
    if installs {
        for (i, word) in argv.iter().enumerate() {
            if let Some(reason) = unpinned_git(&word.text) {
                out.push((start + i, Finding::Git(reason)));
            }
        }
    }
    out
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for cmd in cmds::service_commands(service) {
        if !cmd.is_build() {
            continue;
        }
        let script = cmds::parse(&cmd);
        for (index, simple) in script.commands.iter().enumerate() {
            for (word, finding) in findings(&script, simple, index) {
                let span = simple.argv[word].span.clone();
                let (message, help) = match finding {
                    Finding::Url(branch) => (
                        format!("downloads from the moving branch `{branch}`: the build is not reproducible"),
                        "use the file from the repository, or pin the URL to a commit SHA".to_string(),
                    ),
                    Finding::Git(reason) => (
                        format!("installs from git with {reason}: the build is not reproducible"),
                        "pin it: `git+https://...@<commit-sha>`, or install from a published version".to_string(),
                    ),
                    Finding::PipeToShell => (
                        "pipes a downloaded script into a shell: what runs can change at any time".to_string(),
                        "download a pinned version, check its checksum, then run it; or use `packages` in railpack.json".to_string(),
                    ),
                };
                let mut d = Diagnostic::new(
                    &META,
                    cmd.at.file,
                    cmds::span_in(project, cmd.at, cmd.text, span),
                    message,
                )
                .pointer(cmd.at.pointer.clone())
                .help(help);
                d = cmds::never_runs(d, &cmd);
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_urls() {
        assert_eq!(
            moving_url("https://raw.githubusercontent.com/acme/app/main/req.txt").as_deref(),
            Some("main")
        );
        assert!(moving_url("https://raw.githubusercontent.com/acme/app/3f2a9c1d/req.txt").is_none());
        assert_eq!(
            moving_url("https://github.com/acme/app/raw/master/x.sh").as_deref(),
            Some("master")
        );
        assert!(moving_url("https://example.com/main/x").is_none());
    }

    #[test]
    fn git_pins() {
        assert!(unpinned_git("git+https://github.com/acme/app.git#subdirectory=core").is_some());
        assert!(unpinned_git("git+https://github.com/acme/app.git@main").is_some());
        assert!(unpinned_git("git+https://github.com/acme/app.git@4f1c2e9#egg=x").is_none());
        assert!(unpinned_git("git+ssh://git@github.com/acme/app.git@v1.2.0").is_none());
        assert!(unpinned_git("pkg @ git+https://github.com/acme/app.git").is_some());
    }
}
