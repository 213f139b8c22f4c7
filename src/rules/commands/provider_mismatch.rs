//! a command needs a toolchain the provider does not install.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::unwrap_command;
use crate::model::{Project, Service};
use crate::rules::Context;
use crate::rules::commands::{self as cmds, CmdRef};
use crate::rules::declare_rule;
use crate::source::{FileId, Node};

declare_rule! {
    /// A command needs Node or Python, but the provider and `packages` do not install it.
    ///
    /// ## What it checks
    /// Services with an explicit `provider`. With `provider: "python"`, commands running `node`,
    /// `npm`, `npx`, `yarn`, `pnpm` or `corepack` need `packages.node`; with `provider: "node"`,
    /// commands running `pip`, `python`, `uv`, `poetry` or `pipenv` need `packages.python` (or the
    /// tool itself in `packages`). It stays quiet when a command or the apt package lists install
    /// the toolchain another way (`apt-get`, `mise`, `nvm`, a `nodejs`/`python3` apt package).
    ///
    /// ## Why it matters on Railway
    /// A provider installs its own language only. On a Python service `yarn` is "not found" and
    /// the step fails; the guide's project blamed BuildKit crashes on exactly this mix. `packages`
    /// asks Railpack (through mise) for the second toolchain.
    ///
    /// ## Example
    /// ```json
    /// { "provider": "python",
    ///   "steps": { "web": { "commands": ["cd web && npm ci && npm run build"] } } }
    /// ```
    /// Fix: `"packages": { "node": "22" }`.
    code: RC713,
    name: "provider-mismatch",
    severity: Warning,
    check: Service(check),
}

/// (tool family, the packages that provide it) for a command name.
fn needs(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match name {
        "node" | "npm" | "npx" | "yarn" | "pnpm" | "corepack" => ("node", &["node"]),
        "pip" | "pip3" | "python" => ("python", &["python"]),
        "uv" => ("python", &["python", "uv"]),
        "poetry" => ("python", &["python", "poetry"]),
        "pipenv" => ("python", &["python", "pipenv"]),
        _ => return None,
    })
}

/// Words that show a command or apt list installing a toolchain by other means.
const OTHER_INSTALLS: &[&str] = &[
    "apt-get",
    "apt ",
    "mise",
    "nvm",
    "fnm",
    "volta",
    "nodesource",
    "nodejs",
    "pyenv",
    "asdf",
    "astral.sh",
    "python3-",
];

fn apt_lists_mention(project: &Project, file: FileId, tool: &str) -> bool {
    let Some(tree) = project.file(file).tree.as_ref() else {
        return false;
    };
    let lists = [
        tree.get("buildAptPackages"),
        tree.pointer("/deploy/aptPackages"),
        tree.pointer("/build/buildAptPackages"),
    ];
    lists
        .into_iter()
        .flatten()
        .filter_map(Node::as_array)
        .flatten()
        .any(|n| {
            n.as_str().is_some_and(|p| {
                p.starts_with(tool) || (tool == "node" && p == "npm") || (tool == "python" && p.starts_with("python3"))
            })
        })
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let commands = cmds::service_commands(service);
    let installs_otherwise = commands
        .iter()
        .any(|c| OTHER_INSTALLS.iter().any(|w| c.text.contains(w)));
    if installs_otherwise {
        return;
    }
    for cmd in &commands {
        let Some((provider, file)) = provider_for(service, cmd) else {
            continue;
        };
        let provider = provider.to_ascii_lowercase();
        let script = cmds::parse(cmd);
        let mut reported = false;
        for simple in &script.commands {
            let start = unwrap_command(&simple.argv);
            let Some(word) = simple.argv.get(start) else { continue };
            let name = word.text.rsplit('/').next().unwrap_or(&word.text);
            let Some((family, packages)) = needs(name) else {
                continue;
            };
            let mismatched = matches!((provider.as_str(), family), ("python", "node") | ("node", "python"));
            if !mismatched || reported {
                continue;
            }
            let has_package = service
                .packages
                .iter()
                .any(|p| p.at.file == file && packages.contains(&p.value.0.as_str()));
            if has_package || apt_lists_mention(project, file, family) {
                continue;
            }
            reported = true;
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                cmds::span_in(project, cmd.at, cmd.text, word.span.clone()),
                format!(
                    "`{name}` needs {}, but the provider is `{provider}` and `packages` has no `{family}`",
                    if family == "node" { "Node" } else { "Python" }
                ),
            )
            .pointer(cmd.at.pointer.clone())
            .help(format!(
                "add `\"packages\": {{ \"{family}\": \"{}\" }}` next to `provider`",
                if family == "node" { "22" } else { "3.12" }
            ));
            d = cmds::never_runs(d, cmd);
            out.push(d);
        }
    }
}

/// The explicit provider that applies to a command, and the file whose `packages` count.
fn provider_for<'a>(service: &'a Service, cmd: &CmdRef<'_>) -> Option<(&'a str, FileId)> {
    let setting = if cmd.origin.is_railway() {
        service.effective_provider()?
    } else {
        service
            .providers
            .iter()
            .find(|p| p.at.file == cmd.at.file && p.origin == cmd.origin)?
    };
    Some((setting.value.as_str(), setting.at.file))
}
