//! Where a service really is: its Root Directory (known, inferred with named evidence, or
//! unknown), the builder Railway uses for it, and the package manager Railpack picks.
//!
//! A service's Root Directory is a Railway service setting; the folder that holds a
//! railway.json or railpack.json is not it (domain.md §3). railcheck knows it only when
//! something states it (the guide's manifest `root`, `railcheck.toml` `[services.NAME]
//! root`, `.railway/railway.ts` through [`ExternalRoot`]); otherwise it weighs the
//! evidence in the service's own settings, and says which.

use std::path::Path;

use crate::facts::shell;
use crate::source::{Dialect, FileKind};
use crate::util::fscache::FsCache;

use super::{Loc, Origin, Project, Service, Setting};

/// How sure railcheck is of a service's Root Directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Certainty {
    /// Stated by a file the user controls. `from` names it for messages, e.g.
    /// "`root` in railcheck.toml `[services.web]`"; `at` is its place when it is a
    /// loaded config file.
    Known { from: String, at: Option<Loc> },
    /// Only one reading of the service's own settings fits; `evidence` says what was seen
    /// (each item a short sentence fragment, e.g. "`pnpm --filter web` is a workspace-scoped command").
    Inferred { evidence: Vec<String> },
    /// No evidence, or evidence for both readings (listed). Rules that depend on the root
    /// stay quiet.
    Unknown { evidence: Vec<String> },
}

/// A service's Root Directory and how railcheck knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RootFact {
    /// Relative to the project root, `/`-separated, "" for the project root itself. When
    /// the certainty is `Unknown` this is the folder of the service's config (the only
    /// candidate railcheck has), not a fact.
    pub(crate) path: String,
    pub(crate) certainty: Certainty,
}

impl RootFact {
    pub(crate) fn known(path: String, from: impl Into<String>, at: Option<Loc>) -> RootFact {
        RootFact {
            path,
            certainty: Certainty::Known { from: from.into(), at },
        }
    }

    pub(crate) fn is_known(&self) -> bool {
        matches!(self.certainty, Certainty::Known { .. })
    }

    pub(crate) fn is_unknown(&self) -> bool {
        matches!(self.certainty, Certainty::Unknown { .. })
    }

    /// `known`, `inferred` or `unknown`.
    pub(crate) fn certainty_str(&self) -> &'static str {
        match self.certainty {
            Certainty::Known { .. } => "known",
            Certainty::Inferred { .. } => "inferred",
            Certainty::Unknown { .. } => "unknown",
        }
    }

    /// The path as shown to a user: `.` for the project root.
    pub(crate) fn shown(&self) -> &str {
        if self.path.is_empty() { "." } else { &self.path }
    }
}

/// A Root Directory stated outside the loaded config files: `railcheck.toml`
/// `[services.NAME] root`, or `.railway/railway.ts` (`root` / `rootDirectory`) once it is
/// read. Passed to [`Project::build_with`]; it wins over anything inferred.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExternalRoot {
    /// The service name as that file spells it.
    pub(crate) name: String,
    /// Relative to the project root, normalized ("" for the project root).
    pub(crate) root: String,
    /// For messages: "`root` in railcheck.toml `[services.web]`".
    pub(crate) from: String,
}

/// Which builder Railway uses for a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BuilderKind {
    Railpack,
    Dockerfile,
    /// Deprecated; it does not read railpack.json either.
    Nixpacks,
}

impl BuilderKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BuilderKind::Railpack => "railpack",
            BuilderKind::Dockerfile => "dockerfile",
            BuilderKind::Nixpacks => "nixpacks",
        }
    }
}

/// The builder and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BuilderFact {
    pub(crate) kind: BuilderKind,
    /// "the default", "`build.builder` in apps/web/railway.json", "`apps/web/Dockerfile`
    /// in the root (Railway always builds with a Dockerfile it finds)".
    pub(crate) from: String,
}

/// The package manager Railpack installs a Node service with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PackageManager {
    Npm,
    Pnpm,
    /// Yarn 1 (classic): `--frozen-lockfile` passes without a lockfile.
    Yarn1,
    /// Yarn 2+ (Berry): Railpack runs `yarn install --check-cache`.
    YarnBerry,
    Bun,
}

impl PackageManager {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn1 => "yarn1",
            PackageManager::YarnBerry => "yarn-berry",
            PackageManager::Bun => "bun",
        }
    }
}

/// The package manager and the file that decides it (always inside the service's root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PackageManagerFact {
    pub(crate) manager: PackageManager,
    /// "`packageManager: pnpm@9.1.0` in apps/web/package.json", "`yarn.lock` (Yarn 1 format)".
    pub(crate) from: String,
}

/// Is a Yarn version spec (`stable`, `4.9.2`, `berry`) Yarn 2 or later?
pub(crate) fn is_berry_version(version: &str) -> bool {
    let version = version.trim_start_matches(['^', '~', '=', 'v']);
    match version {
        "stable" | "berry" | "canary" | "latest" => true,
        "classic" | "1" => false,
        _ => version
            .split(['.', '+', '-'])
            .next()
            .and_then(|major| major.parse::<u32>().ok())
            .is_some_and(|major| major >= 2),
    }
}

fn joined(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The first bytes of a file (lockfiles can be large; the format marker is at the top).
fn head(path: &Path, max: usize) -> Option<String> {
    use std::io::Read;
    let mut buf = vec![0; max];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// The package manager of the package.json at `root` (relative to the project root).
/// Reads only that folder: a package.json above the root is not in the build.
pub(crate) fn package_manager(fs: &FsCache, project: &Project, root: &str) -> Option<PackageManagerFact> {
    let dir = project.abs(root);
    let is_file = |name: &str| fs.is_file(&dir.join(name));
    let declared = package_json(fs, project, root).and_then(|p| p.package_manager);
    if let Some(spec) = declared
        && let Some((name, version)) = spec.split_once('@')
    {
        let from = format!("`packageManager: {spec}` in {}", joined(root, "package.json"));
        let manager = match name {
            "pnpm" => Some(PackageManager::Pnpm),
            "npm" => Some(PackageManager::Npm),
            "bun" => Some(PackageManager::Bun),
            "yarn" if is_berry_version(version) => Some(PackageManager::YarnBerry),
            "yarn" => Some(PackageManager::Yarn1),
            _ => None,
        };
        if let Some(manager) = manager {
            return Some(PackageManagerFact { manager, from });
        }
    }
    if is_file(".yarnrc.yml") {
        return Some(PackageManagerFact {
            manager: PackageManager::YarnBerry,
            from: format!("`{}` (Yarn Berry's config file)", joined(root, ".yarnrc.yml")),
        });
    }
    let fact = |manager, file: &str, what: &str| {
        Some(PackageManagerFact {
            manager,
            from: format!("`{}`{what}", joined(root, file)),
        })
    };
    if is_file("pnpm-lock.yaml") {
        return fact(PackageManager::Pnpm, "pnpm-lock.yaml", "");
    }
    if is_file("bun.lock") {
        return fact(PackageManager::Bun, "bun.lock", "");
    }
    if is_file("bun.lockb") {
        return fact(PackageManager::Bun, "bun.lockb", "");
    }
    if is_file("yarn.lock") {
        let berry = head(&dir.join("yarn.lock"), 4096).is_some_and(|t| t.contains("__metadata"));
        return if berry {
            fact(
                PackageManager::YarnBerry,
                "yarn.lock",
                " (Yarn Berry format, `__metadata`)",
            )
        } else {
            fact(PackageManager::Yarn1, "yarn.lock", " (Yarn 1 format)")
        };
    }
    if is_file("package-lock.json") {
        return fact(PackageManager::Npm, "package-lock.json", "");
    }
    if is_file("package.json") {
        return fact(
            PackageManager::Npm,
            "package.json",
            " without a lockfile (Railpack's default, npm)",
        );
    }
    None
}

/// The builder Railway uses for a service whose root is `root`.
pub(crate) fn builder(fs: &FsCache, project: &Project, service: &Service, root: &RootFact) -> BuilderFact {
    let mut candidates = vec![root.path.clone()];
    if root.is_unknown() && root.path != service.dir {
        candidates.push(service.dir.clone());
    }
    for dir in &candidates {
        if fs.is_file(&project.abs(dir).join("Dockerfile")) {
            return BuilderFact {
                kind: BuilderKind::Dockerfile,
                from: format!(
                    "`{}` in the root (Railway always builds with a Dockerfile it finds)",
                    joined(dir, "Dockerfile")
                ),
            };
        }
    }
    if let Some(b) = &service.builder {
        let from = format!("`build.builder` in {}", project.file(b.at.file).path);
        let kind = match b.value.to_ascii_uppercase().as_str() {
            "DOCKERFILE" => Some(BuilderKind::Dockerfile),
            "NIXPACKS" => Some(BuilderKind::Nixpacks),
            "RAILPACK" => Some(BuilderKind::Railpack),
            _ => None,
        };
        if let Some(kind) = kind {
            return BuilderFact { kind, from };
        }
    }
    BuilderFact {
        kind: BuilderKind::Railpack,
        from: "the default".to_string(),
    }
}

/// `./x`, `/app/x`, `/x` -> `x`.
fn strip_anchor(path: &str) -> &str {
    let path = path.strip_prefix("/app/").unwrap_or(path);
    let path = path.trim_start_matches('/');
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path
}

fn under(path: &str, dir: &str) -> bool {
    path == dir || path.starts_with(&format!("{dir}/"))
}

fn package_scripts(fs: &FsCache, project: &Project, dir: &str) -> Option<Vec<String>> {
    Some(package_json(fs, project, dir)?.scripts.into_keys().collect())
}

/// The two fields of a folder's package.json that decide a root and a package manager.
/// Decoded into this shape, not a `serde_json::Value`: the rest of the file (dependencies,
/// often thousands of entries) is skipped without being built, once per service.
#[derive(serde::Deserialize)]
struct PackageJson {
    #[serde(rename = "packageManager", default, deserialize_with = "string_or_none")]
    package_manager: Option<String>,
    #[serde(default, deserialize_with = "keys_or_empty")]
    scripts: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

fn package_json(fs: &FsCache, project: &Project, dir: &str) -> Option<PackageJson> {
    let path = project.abs(dir).join("package.json");
    // The run's one decoding of the file, shared with the rules. Decoding into this struct
    // rejects what the `Value` accepts in a few corners (a top-level field written twice, a
    // top-level array) and the reverse (a number out of `f64`'s range): there, decode the text
    // as before, so the answer never depends on which reader came first.
    let text = fs.read_shared(&path, crate::util::fs::MAX_SOURCE_BYTES)?;
    match crate::util::fs::read_source_json(fs, &path) {
        Some(value) if value.is_object() && !written_twice(&text) => {
            let object = value.as_object()?;
            Some(PackageJson {
                package_manager: object
                    .get("packageManager")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                scripts: object
                    .get("scripts")
                    .and_then(|v| v.as_object())
                    .map(|scripts| scripts.keys().map(|k| (k.clone(), serde::de::IgnoredAny)).collect())
                    .unwrap_or_default(),
            })
        }
        _ => serde_json::from_str(&text).ok(),
    }
}

/// Could `packageManager` or `scripts` be written twice at the top level (which the struct
/// decoding rejects)? Errs on the side of yes: any second mention, or a `\u` escape that
/// could spell one.
fn written_twice(text: &str) -> bool {
    text.contains("\\u")
        || text.matches("\"packageManager\"").nth(1).is_some()
        || text.matches("\"scripts\"").nth(1).is_some()
}

/// `packageManager` when it is a string; anything else is as good as absent.
fn string_or_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::Deserialize;
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    })
}

/// `scripts` when it is an object; anything else is as good as no scripts.
fn keys_or_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, serde::de::IgnoredAny>, D::Error> {
    use serde::Deserialize;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Scripts {
        Object(std::collections::BTreeMap<String, serde::de::IgnoredAny>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Scripts::deserialize(d)? {
        Scripts::Object(map) => map,
        Scripts::Other(_) => std::collections::BTreeMap::new(),
    })
}

/// What a service's own settings say about its root: (evidence for the project root,
/// evidence for the config's folder). Only for services whose config sits below the
/// project root.
pub(crate) fn evidence(fs: &FsCache, project: &Project, service: &Service) -> (Vec<String>, Vec<String>) {
    let dir = service.dir.as_str();
    let mut repo = Vec::new();
    let mut folder = Vec::new();
    let exists = |base: &str, rel: &str| fs.exists(&project.abs(base).join(rel));
    let push = |list: &mut Vec<String>, item: String| {
        if !list.contains(&item) {
            list.push(item);
        }
    };

    // With `builder: DOCKERFILE` nothing reads railpack.json, and the commands run in the
    // image's WORKDIR: neither says anything about the root.
    let dockerfile = service
        .builder
        .as_ref()
        .is_some_and(|b| b.value.eq_ignore_ascii_case("DOCKERFILE"));
    let counts = |origin: Origin| origin != Origin::Manifest && !dockerfile;
    // A native railpack.json is read only at the Root Directory (or via RAILPACK_CONFIG_FILE).
    if let Some(id) = service.railpack.filter(|_| !dockerfile) {
        let file = project.file(id);
        if file.kind == FileKind::Railpack && file.dialect == Dialect::Native {
            push(
                &mut folder,
                format!(
                    "a native `{}` (Railpack reads only the one at the Root Directory)",
                    file.path
                ),
            );
        }
    }

    let texts = service
        .steps
        .iter()
        .filter(|s| counts(s.origin))
        .flat_map(|s| s.commands.iter().filter_map(|c| c.shell_text()))
        .chain(
            service
                .start_commands
                .iter()
                .filter(|s| counts(s.origin))
                .map(|s| s.value.as_str()),
        );
    // Read when a command runs a package script, not for every service.
    let folder_scripts = std::cell::OnceCell::new();
    let root_scripts = std::cell::OnceCell::new();
    for text in texts {
        let script = shell::parse(text);
        for simple in &script.commands {
            let start = shell::unwrap_command(&simple.argv);
            let argv: Vec<&str> = simple.argv[start..].iter().map(|w| w.text.as_str()).collect();
            let Some(&name) = argv.first() else { continue };
            let name = name.rsplit('/').next().unwrap_or(name);
            let has = |pred: &dyn Fn(&str) -> bool| argv.iter().skip(1).any(|a| pred(a));
            let scoped = match name {
                "pnpm" => has(&|a| a == "--filter" || a == "-F" || a.starts_with("--filter=")),
                "yarn" => matches!(argv.get(1), Some(&"workspace") | Some(&"workspaces")),
                "turbo" => has(&|a| a == "--filter" || a.starts_with("--filter=")),
                "npm" => {
                    has(&|a| a == "-w" || a == "--workspace" || a.starts_with("--workspace=") || a == "--workspaces")
                }
                "bun" => has(&|a| a == "--filter" || a.starts_with("--filter=")),
                _ => false,
            };
            let shown = argv.iter().take(4).copied().collect::<Vec<_>>().join(" ");
            if scoped {
                push(
                    &mut repo,
                    format!("`{shown}` is a workspace-scoped command, run from the workspace root"),
                );
                continue;
            }
            if name == "cd" {
                if let Some(target) = argv.get(1) {
                    if !dir.is_empty() && under(strip_anchor(target), dir) && !target.starts_with("..") {
                        push(
                            &mut repo,
                            format!("`cd {target}` names the folder from the repository root"),
                        );
                    } else if target.starts_with("..")
                        && matches!(simple.cwd, shell::Cwd::Inside(ref p) if p.is_empty())
                    {
                        push(
                            &mut folder,
                            format!("`cd {target}` climbs out of the folder, as if it were the root"),
                        );
                    }
                }
                continue;
            }
            // Words naming paths.
            let at_root = matches!(simple.cwd, shell::Cwd::Inside(ref p) if p.is_empty());
            for word in argv.iter().skip(1) {
                if word.starts_with('-') || word.contains("${") || word.contains('$') {
                    continue;
                }
                let path = strip_anchor(word);
                if path.is_empty() || !path.contains('/') && !path.contains('.') {
                    continue;
                }
                if !dir.is_empty() && at_root && path.starts_with(&format!("{dir}/")) {
                    push(&mut repo, format!("`{shown}` names `{path}` from the repository root"));
                } else if !dir.is_empty() && at_root && !word.starts_with('/') && !path.starts_with("..") {
                    let first = path.split('/').next().unwrap_or(path);
                    if exists(dir, first) && !exists("", first) && !path.starts_with(&format!("{dir}/")) {
                        push(
                            &mut folder,
                            format!("`{shown}` names `{path}`, which exists only inside `{dir}`"),
                        );
                    }
                }
            }
            // `pnpm build`, `npm run build`: a script only the folder's package.json has.
            if at_root
                && matches!(name, "npm" | "pnpm" | "yarn" | "bun")
                && let (Some(folder_scripts), Some(root_scripts)) = (
                    folder_scripts.get_or_init(|| package_scripts(fs, project, dir)),
                    root_scripts.get_or_init(|| package_scripts(fs, project, "")),
                )
            {
                let script = match argv.get(1) {
                    Some(&"run") | Some(&"run-script") => argv.get(2).copied(),
                    Some(s) if name != "npm" && !s.starts_with('-') => Some(*s),
                    Some(&"start") | Some(&"test") => argv.get(1).copied(),
                    _ => None,
                };
                if let Some(script) = script
                    && folder_scripts.iter().any(|s| s == script)
                    && !root_scripts.iter().any(|s| s == script)
                {
                    push(
                        &mut folder,
                        format!("`{shown}` runs a script only `{}` defines", joined(dir, "package.json")),
                    );
                }
            }
        }
    }

    if let Some(path) = &service.dockerfile_path
        && service
            .builder
            .as_ref()
            .is_some_and(|b| b.value.eq_ignore_ascii_case("DOCKERFILE"))
    {
        let p = strip_anchor(&path.value);
        if under(p, dir) && !dir.is_empty() {
            push(
                &mut repo,
                format!("`dockerfilePath: {}` is relative to the repository root", path.value),
            );
        }
    }
    // Watch patterns are matched from the repository root whatever the Root Directory
    // (Railway's docs), so `apps/web/**` says nothing; a pattern naming a path outside the
    // folder (`packages/**`, `pnpm-lock.yaml`) says the build uses it.
    for pattern in &service.watch_patterns {
        let p = strip_anchor(&pattern.value);
        if dir.is_empty() || under(p, dir) {
            continue;
        }
        let literal: Vec<&str> = p
            .split('/')
            .take_while(|c| !c.is_empty() && !c.contains(['*', '?', '[', '{', '!']))
            .collect();
        let literal = literal.join("/");
        if !literal.is_empty() && !under(dir, &literal) && exists("", &literal) {
            push(
                &mut repo,
                format!(
                    "`watchPatterns` entry `{}` names a path from the repository root",
                    pattern.value
                ),
            );
        }
    }
    (repo, folder)
}

/// The root of a service from its own settings.
pub(crate) fn infer(fs: &FsCache, project: &Project, service: &Service) -> RootFact {
    if service.dir.is_empty() {
        return RootFact::known(String::new(), "the repository root holding its config", None);
    }
    let (repo, folder) = evidence(fs, project, service);
    match (repo.is_empty(), folder.is_empty()) {
        (false, true) => RootFact {
            path: String::new(),
            certainty: Certainty::Inferred { evidence: repo },
        },
        (true, false) => RootFact {
            path: service.dir.clone(),
            certainty: Certainty::Inferred { evidence: folder },
        },
        (false, false) => RootFact {
            path: service.dir.clone(),
            certainty: Certainty::Unknown {
                evidence: repo
                    .into_iter()
                    .map(|e| format!("repository root: {e}"))
                    .chain(folder.into_iter().map(|e| format!("`{}`: {e}", service.dir)))
                    .collect(),
            },
        },
        (true, true) => RootFact {
            path: service.dir.clone(),
            certainty: Certainty::Unknown { evidence: Vec::new() },
        },
    }
}

/// Reads `build.dockerfilePath` and `build.watchPatterns` of a Railway config.
pub(super) fn extract_railway_build(
    file: &crate::source::SourceFile,
    tree: &crate::source::Node,
    service: &mut Service,
) {
    let Some(build) = tree.get("build") else { return };
    if let Some(node) = build.get("dockerfilePath")
        && let Some(value) = node.as_str()
    {
        service.dockerfile_path = Some(Setting {
            value: value.to_string(),
            at: super::loc(file, "/build/dockerfilePath", node),
            origin: Origin::Railway,
        });
    }
    if let Some(list) = build.get("watchPatterns").and_then(crate::source::Node::as_array) {
        for (i, node) in list.iter().enumerate() {
            if let Some(value) = node.as_str() {
                service.watch_patterns.push(Setting {
                    value: value.to_string(),
                    at: super::loc(file, &format!("/build/watchPatterns/{i}"), node),
                    origin: Origin::Railway,
                });
            }
        }
    }
}
