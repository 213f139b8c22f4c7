//! The project model: services and everything that configures them, with the place
//! each setting comes from. Built once from the loaded files; rules only read it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub mod root;
mod iac;

use crate::facts::references::{self, Parsed};
use crate::source::{Dialect, FileId, FileKind, Node, NodeKind, SourceFile, escape_pointer_segment};

/// Where something is written: file, JSON Pointer, value span and (for members) key span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: FileId,
    pub pointer: String,
    pub span: Range<usize>,
    pub key_span: Option<Range<usize>>,
}

impl Loc {
    /// The key when there is one, else the value: the smallest useful span for "this setting".
    pub fn key_or_value(&self) -> Range<usize> {
        self.key_span.clone().unwrap_or_else(|| self.span.clone())
    }
}

/// Which kind of file (or part of one) a setting comes from, which decides who reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// An entry of the guide's root manifest (`services.<name>`): read by nobody.
    Manifest,
    /// A guide-format service file: Railpack reads only `deploy.startCommand` and `deploy.inputs`.
    GuideService,
    /// A native `railpack.json`: read by Railpack.
    Railpack,
    /// `railway.json` / `railway.toml`: read by Railway until 2026-12-01.
    Railway,
    /// `.railway/railway.ts` (Infrastructure as Code): read by Railway.
    RailwayTs,
}

impl Origin {
    pub fn describe(self) -> &'static str {
        match self {
            Origin::Manifest => "the services manifest",
            Origin::GuideService => "a guide-format railpack.json",
            Origin::Railpack => "railpack.json",
            Origin::Railway => "the Railway config",
            Origin::RailwayTs => "`.railway/railway.ts`",
        }
    }

    /// Railway's own settings (Config as Code or railway.ts), as opposed to Railpack's or the guide's.
    pub fn is_railway(self) -> bool {
        matches!(self, Origin::Railway | Origin::RailwayTs)
    }
}

#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub at: Loc,
    pub origin: Origin,
}

/// Where a variable name is visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// A name in a `secrets` list: the build may read the service variable of that name.
    BuildSecret,
    /// A step's `variables`: set for that step of the build.
    BuildVariable,
    /// Native `deploy.variables`: set in the final image, at run time only.
    Runtime,
    /// The guide's `deploy.environment`: service variables, for build and run time alike.
    Service,
}

impl Scope {
    pub fn is_build(self) -> bool {
        matches!(self, Scope::BuildSecret | Scope::BuildVariable | Scope::Service)
    }
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    /// The name's place (the key, or the string in a `secrets` list).
    pub at: Loc,
    pub value: Option<Setting<String>>,
    pub scope: Scope,
    pub origin: Origin,
    /// The step that declares it, if any.
    pub step: Option<String>,
    /// The value's `${{ ... }}` references and reference syntax errors, parsed once.
    pub refs: Parsed,
    /// File offset of the value's first character when the value is written without
    /// escapes, so that offsets inside the value map exactly onto the file.
    value_offset: Option<usize>,
}

impl Variable {
    /// The file span of a byte range of the value (the whole value when escapes make
    /// the mapping inexact).
    pub fn span_in_value(&self, range: Range<usize>) -> Range<usize> {
        let whole = self
            .value
            .as_ref()
            .map_or_else(|| self.at.span.clone(), |v| v.at.span.clone());
        match self.value_offset {
            Some(start) => start + range.start..start + range.end,
            None => whole,
        }
    }

    pub fn value_str(&self) -> Option<&str> {
        self.value.as_ref().map(|v| v.value.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandKind {
    /// A string command: run as `sh -c` with the raw JSON text.
    Shell(String),
    /// `{"cmd": ...}`
    Exec(String),
    /// `{"path": ...}`
    Path,
    /// `{"path", "name"}`
    Asset,
    /// `{"src", "dest"}`
    Copy,
    /// An object matching no form: Railpack runs its raw JSON as a shell command.
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Command {
    pub kind: CommandKind,
    pub at: Loc,
}

impl Command {
    /// The shell text this command runs, if it runs one.
    pub fn shell_text(&self) -> Option<&str> {
        match &self.kind {
            CommandKind::Shell(s) | CommandKind::Exec(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputKind {
    Step(String),
    Image(String),
    Local,
    /// `"..."`: the provider's generated list.
    Spread,
    Invalid,
}

#[derive(Clone, Debug)]
pub struct Input {
    pub kind: InputKind,
    pub at: Loc,
    pub include: Vec<Setting<String>>,
    pub exclude: Vec<Setting<String>>,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub name: String,
    /// The step's key in its `steps` object.
    pub at: Loc,
    pub origin: Origin,
    pub commands: Vec<Command>,
    pub inputs: Vec<Input>,
    /// `None` when the step has no `secrets` key (it then mounts every service variable).
    pub secrets: Option<Loc>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    /// The folder the service is configured from (its config files' folder, or the
    /// manifest's `root`), relative to the project root, "" for the root itself.
    pub dir: String,
    /// The service's identity: `dir` (`.` for the project root), unique in the project.
    /// Two services with the same display name (`apps/web`, `legacy/web`) stay apart by it;
    /// `Diagnostic::service` holds it once the pipeline has attributed a finding.
    pub id: String,
    /// The folder rules resolve paths against: `root_fact.path`.
    pub root: String,
    /// The Root Directory and how railcheck knows it (known / inferred / unknown).
    pub root_fact: root::RootFact,
    pub root_exists: bool,
    /// The builder Railway uses (Dockerfile in the root, `build.builder`, or Railpack).
    pub build: root::BuilderFact,
    /// The package manager from the package.json / lockfile in `root` (never above it).
    pub package_manager: Option<root::PackageManagerFact>,
    /// Railway's `build.dockerfilePath`.
    pub dockerfile_path: Option<Setting<String>>,
    /// Railway's `build.watchPatterns`.
    pub watch_patterns: Vec<Setting<String>>,
    /// The manifest entry's key, when the manifest declares the service.
    pub declared_at: Option<Loc>,
    /// The service's `railpack.json` (any dialect), when it has its own.
    pub railpack: Option<FileId>,
    pub railway: Option<FileId>,
    pub providers: Vec<Setting<String>>,
    pub packages: Vec<Setting<(String, String)>>,
    pub steps: Vec<Step>,
    pub start_commands: Vec<Setting<String>>,
    pub health_paths: Vec<Setting<String>>,
    /// Timeouts as written (numbers or not), for the rules to judge.
    pub health_timeouts: Vec<Setting<Node>>,
    pub deploy_inputs: Vec<(Origin, Vec<Input>)>,
    pub variables: Vec<Variable>,
    /// Top-level `secrets` lists (native) or the guide's `build.secrets`.
    pub secrets_lists: Vec<Setting<()>>,
    pub builder: Option<Setting<String>>,
    /// The `service(...)` call in `.railway/railway.ts` that declares this service.
    pub iac_at: Option<Loc>,
}

impl Service {
    fn new(name: String, root: String, root_exists: bool) -> Self {
        Service {
            name,
            dir: root.clone(),
            id: if root.is_empty() { ".".to_string() } else { root.clone() },
            root_fact: root::RootFact {
                path: root.clone(),
                certainty: root::Certainty::Unknown { evidence: Vec::new() },
            },
            root,
            root_exists,
            build: root::BuilderFact {
                kind: root::BuilderKind::Railpack,
                from: "the default".to_string(),
            },
            package_manager: None,
            dockerfile_path: None,
            watch_patterns: Vec::new(),
            declared_at: None,
            railpack: None,
            railway: None,
            providers: Vec::new(),
            packages: Vec::new(),
            steps: Vec::new(),
            start_commands: Vec::new(),
            health_paths: Vec::new(),
            health_timeouts: Vec::new(),
            deploy_inputs: Vec::new(),
            variables: Vec::new(),
            secrets_lists: Vec::new(),
            builder: None,
            iac_at: None,
        }
    }

    /// Fills in the root (unless known), builder and package manager from the settings
    /// read so far. Runs again when a known root arrives from outside.
    fn finish_facts(&mut self, project: &Project) {
        if !self.root_fact.is_known() {
            self.root_fact = root::infer(project, self);
        }
        self.root = self.root_fact.path.clone();
        self.root_exists = project.abs(&self.root).is_dir();
        self.build = root::builder(project, self, &self.root_fact);
        self.package_manager = root::package_manager(project, &self.root);
    }

    /// Does Railpack build this service (so railpack.json and Railpack's rules apply)?
    pub fn railpack_builds(&self) -> bool {
        self.build.kind == root::BuilderKind::Railpack
    }

    /// The file that best stands for the service, for findings about it as a whole.
    pub fn anchor(&self) -> Option<Loc> {
        if let Some(at) = &self.declared_at {
            return Some(at.clone());
        }
        if let Some(at) = &self.iac_at {
            return Some(at.clone());
        }
        self.railpack.or(self.railway).map(|file| Loc {
            file,
            pointer: String::new(),
            span: 0..0,
            key_span: None,
        })
    }

    /// The health check path Railway will probe, and whether Railway reads it: the one in
    /// the Railway config (`deploy.healthcheckPath`) when set, else the setting closest to
    /// the service (its own file before the manifest), which Railway does not read.
    pub fn health_source(&self) -> Option<(&Setting<String>, bool)> {
        let from_ts = self.health_paths.iter().find(|h| h.origin == Origin::RailwayTs);
        if let Some(read) = from_ts.or_else(|| self.health_paths.iter().find(|h| read_by_railway(h))) {
            return Some((read, true));
        }
        self.health_paths
            .iter()
            .min_by_key(|h| (h.origin == Origin::Manifest, h.at.file, h.at.span.start))
            .map(|h| (h, false))
    }

    /// The start command that runs, and whether anything reads it: Railway's
    /// `deploy.startCommand` overrides Railpack's, which is read from a native file or a
    /// guide-format service file; the manifest's is read by nobody.
    pub fn start_source(&self) -> Option<(&Setting<String>, bool)> {
        let read = |s: &&Setting<String>| s.origin == Origin::RailwayTs || s.at.pointer == "/deploy/startCommand";
        [
            Origin::RailwayTs,
            Origin::Railway,
            Origin::Railpack,
            Origin::GuideService,
        ]
        .into_iter()
        .find_map(|origin| self.start_commands.iter().filter(read).find(|s| s.origin == origin))
        .map(|s| (s, true))
        .or_else(|| self.start_commands.first().map(|s| (s, false)))
    }

    /// The provider Railpack will use: a native file's `provider`, if any.
    pub fn effective_provider(&self) -> Option<&Setting<String>> {
        self.providers.iter().find(|p| p.origin == Origin::Railpack)
    }
}

/// At most this many distinct credentials are hunted for by name in every message.
const MAX_KNOWN_SECRETS: usize = 1000;

pub struct Project {
    pub root: PathBuf,
    /// The project's display name: the root folder's name.
    pub name: String,
    pub files: Vec<SourceFile>,
    pub services: Vec<Service>,
    pub manifest: Option<FileId>,
    /// Every credential masked in some file's code frames, computed once: see
    /// [`Project::known_secrets`].
    known_secrets: std::sync::OnceLock<Vec<String>>,
}

impl Project {
    /// Every credential masked in some file's code frames (longest first), so that a message
    /// quoting one in a context `crate::facts::secrets::redact` cannot recognise (a JSON Pointer, a key in
    /// backticks, a cut-off value) is masked too.
    pub fn known_secrets(&self) -> &[String] {
        self.known_secrets.get_or_init(|| {
            let mut known: Vec<String> = self
                .files
                .iter()
                .flat_map(|f| f.secret_spans.iter().map(|span| f.text[span.clone()].to_string()))
                .filter(|s| s.chars().count() >= crate::facts::secrets::MIN_REPEATED_SECRET)
                .collect();
            known.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
            known.dedup();
            known.truncate(MAX_KNOWN_SECRETS);
            known
        })
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// Absolute path of a folder given relative to the root.
    pub fn abs(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// The service a file configures, if any.
    pub fn service_of_file(&self, file: FileId) -> Option<&Service> {
        self.services
            .iter()
            .find(|s| s.railpack == Some(file) || s.railway == Some(file))
            .or_else(|| {
                self.services
                    .iter()
                    .find(|s| s.declared_at.as_ref().is_some_and(|d| d.file == file))
            })
    }

    pub fn build(root: &Path, name: String, files: Vec<SourceFile>) -> Project {
        Project::build_with(root, name, files, &BTreeMap::new(), &[])
    }

    /// The service with this id (`Service::id`).
    pub fn service_by_id(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// Like `build_with_names`, plus Root Directories stated outside the config files
    /// (`railcheck.toml` `[services.NAME] root`, `.railway/railway.ts`): each one makes
    /// the root of the service of that name *known*, whatever its settings suggest. A name
    /// no service has names the service configured from that folder.
    pub fn build_with(
        root: &Path,
        name: String,
        files: Vec<SourceFile>,
        names: &BTreeMap<String, String>,
        known_roots: &[root::ExternalRoot],
    ) -> Project {
        let mut project = Project::build_with_names(root, name, files, names);
        let mut services = std::mem::take(&mut project.services);
        for ext in known_roots {
            let named: Vec<usize> = (0..services.len()).filter(|&i| services[i].name == ext.name).collect();
            let idx = match named.as_slice() {
                [one] => Some(*one),
                [] => services
                    .iter()
                    .position(|s| s.dir == ext.root && s.declared_at.is_none())
                    .inspect(|&i| services[i].name = ext.name.clone()),
                many => many.iter().copied().find(|&i| services[i].dir == ext.root),
            };
            if let Some(i) = idx {
                services[i].root_fact = root::RootFact::known(ext.root.clone(), ext.from.clone(), None);
            }
        }
        for service in &mut services {
            service.finish_facts(&project);
        }
        project.services = services;
        project
    }

    /// Like `build`, with names for service roots (from `railcheck.toml` `[services.NAME]
    /// root`): a folder-discovered service at one of these roots takes that name, so that
    /// `${{name.VAR}}` references and `[services.NAME]` settings find it. A manifest's own
    /// names come first.
    pub fn build_with_names(
        root: &Path,
        name: String,
        files: Vec<SourceFile>,
        names: &BTreeMap<String, String>,
    ) -> Project {
        let mut project = Project {
            root: root.to_path_buf(),
            name,
            files,
            services: Vec::new(),
            manifest: None,
            known_secrets: std::sync::OnceLock::new(),
        };
        project.manifest = project
            .files
            .iter()
            .filter(|f| f.dialect == Dialect::ServicesManifest)
            .min_by_key(|f| (f.path.matches('/').count(), f.path.clone()))
            .map(|f| f.id);
        let mut services = Vec::new();
        if let Some(manifest) = project.manifest {
            services.extend(manifest_services(&project, manifest));
        }
        // Every other folder holding a config is a service of its own, named after the folder.
        let mut by_dir: BTreeMap<String, Vec<FileId>> = BTreeMap::new();
        for file in &project.files {
            // railway.ts declares services by name (model/iac.rs); its folder is none.
            if Some(file.id) != project.manifest && file.kind != FileKind::RailwayTs {
                by_dir.entry(file.dir().to_string()).or_default().push(file.id);
            }
        }
        for (dir, ids) in by_dir {
            let idx = match services.iter().position(|s: &Service| s.root == dir) {
                Some(idx) => idx,
                None => {
                    let name = if let Some(name) = names.get(&dir) {
                        name.clone()
                    } else if dir.is_empty() {
                        project.name.clone()
                    } else {
                        dir.rsplit('/').next().unwrap_or(&dir).to_string()
                    };
                    let exists = project.abs(&dir).is_dir();
                    services.push(Service::new(name, dir.clone(), exists));
                    services.len() - 1
                }
            };
            for id in ids {
                let file = project.file(id);
                let service = &mut services[idx];
                match file.kind {
                    FileKind::Railpack if service.railpack.is_none() => service.railpack = Some(id),
                    FileKind::RailwayJson | FileKind::RailwayToml if service.railway.is_none() => {
                        service.railway = Some(id)
                    }
                    _ => {}
                }
            }
        }
        for service in &mut services {
            if let Some(id) = service.railpack {
                let file = &project.files[id.0];
                if let Some(tree) = &file.tree {
                    match file.dialect {
                        Dialect::Native => extract_native(file, tree, service),
                        Dialect::GuideService => {
                            // Railpack still reads the native top-level keys (`steps`,
                            // `provider`, `packages`, `secrets`) of a guide-format file.
                            extract_build(file, tree, "", Origin::Railpack, service);
                            extract_guide(file, tree, "", Origin::GuideService, service)
                        }
                        _ => {}
                    }
                }
            }
            if let Some(id) = service.railway {
                let file = &project.files[id.0];
                if let Some(tree) = &file.tree {
                    extract_railway(file, tree, service);
                }
            }
        }
        iac::add_services(&project, &mut services);
        for service in &mut services {
            service.finish_facts(&project);
        }
        services.sort_by(|a, b| a.dir.cmp(&b.dir).then_with(|| a.name.cmp(&b.name)));
        // Ids are the folders; two manifest entries on one folder are told apart by name.
        let mut seen = std::collections::BTreeSet::new();
        for service in &mut services {
            if !seen.insert(service.id.clone()) {
                service.id = format!("{}#{}", service.id, service.name);
                seen.insert(service.id.clone());
            }
        }
        project.services = services;
        project
    }
}

/// Railway reads a health setting only from its own config, spelled with a lowercase `c`
/// (`deploy.healthcheckPath`, `deploy.healthcheckTimeout`).
pub fn read_by_railway<T>(setting: &Setting<T>) -> bool {
    // railway.ts holds only health settings Railway reads (the reader maps its aliases).
    setting.origin == Origin::RailwayTs
        || setting.origin == Origin::Railway
            && matches!(
                setting.at.pointer.as_str(),
                "/deploy/healthcheckPath" | "/deploy/healthcheckTimeout"
            )
}

fn loc(file: &SourceFile, pointer: &str, node: &Node) -> Loc {
    let key_span = file
        .tree
        .as_ref()
        .and_then(|t| t.pointer_member(pointer))
        .map(|m| m.key_span.clone());
    Loc {
        file: file.id,
        pointer: pointer.to_string(),
        span: node.span.clone(),
        key_span,
    }
}

fn join(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_pointer_segment(key))
}

/// Normalizes a manifest `root` (`./packages/web/`) relative to the manifest's folder.
pub fn normalize_root(base: &str, root: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in root.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn manifest_services(project: &Project, manifest: FileId) -> Vec<Service> {
    let file = project.file(manifest);
    let Some(entries) = file
        .tree
        .as_ref()
        .and_then(|t| t.get("services"))
        .and_then(Node::as_object)
    else {
        return Vec::new();
    };
    let mut services = Vec::new();
    for entry in entries {
        let pointer = join("/services", &entry.key);
        let root = entry
            .value
            .get("root")
            .and_then(Node::as_str)
            .map_or_else(|| file.dir().to_string(), |r| normalize_root(file.dir(), r));
        let mut service = Service::new(entry.key.clone(), root.clone(), project.abs(&root).is_dir());
        if let Some(node) = entry.value.get("root").filter(|n| n.as_str().is_some()) {
            let at = loc(file, &join(&pointer, "root"), node);
            service.root_fact = root::RootFact::known(
                root.clone(),
                format!("`root` of `services.{}` in {}", entry.key, file.path),
                Some(at),
            );
        }
        service.declared_at = Some(Loc {
            file: manifest,
            pointer: pointer.clone(),
            span: entry.value.span.clone(),
            key_span: Some(entry.key_span.clone()),
        });
        extract_guide(file, &entry.value, &pointer, Origin::Manifest, &mut service);
        if root == file.dir() {
            // The manifest is this service's railpack.json.
            service.railpack = Some(manifest);
        }
        services.push(service);
    }
    services
}

/// A guide-format block: `build.{provider, packages, steps, secrets}` and `deploy`.
fn extract_guide(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    if let Some(build) = node.get("build") {
        extract_build(file, build, &join(pointer, "build"), origin, service);
    }
    if let Some(deploy) = node.get("deploy") {
        extract_deploy(file, deploy, &join(pointer, "deploy"), origin, service);
    }
}

fn extract_native(file: &SourceFile, tree: &Node, service: &mut Service) {
    extract_build(file, tree, "", Origin::Railpack, service);
    if let Some(deploy) = tree.get("deploy") {
        extract_deploy(file, deploy, "/deploy", Origin::Railpack, service);
    }
}

fn extract_build(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    for member in node.as_object().unwrap_or_default() {
        let ptr = join(pointer, &member.key);
        let value = &member.value;
        match member.key.as_str() {
            "provider" => {
                if let Some(p) = value.as_str() {
                    service.providers.push(Setting {
                        value: p.to_string(),
                        at: loc(file, &ptr, value),
                        origin,
                    });
                }
            }
            "packages" => {
                for pkg in value.as_object().unwrap_or_default() {
                    if let Some(version) = pkg.value.as_str() {
                        let p = join(&ptr, &pkg.key);
                        service.packages.push(Setting {
                            value: (pkg.key.clone(), version.to_string()),
                            at: loc(file, &p, &pkg.value),
                            origin,
                        });
                    }
                }
            }
            "secrets" => {
                service.secrets_lists.push(Setting {
                    value: (),
                    at: loc(file, &ptr, value),
                    origin,
                });
                push_secret_names(file, value, &ptr, origin, None, service);
            }
            "steps" => {
                for step in value.as_object().unwrap_or_default() {
                    let sp = join(&ptr, &step.key);
                    let step = extract_step(file, &step.key, &step.value, &sp, origin, service);
                    service.steps.push(step);
                }
            }
            _ => {}
        }
    }
}

fn push_secret_names(
    file: &SourceFile,
    list: &Node,
    pointer: &str,
    origin: Origin,
    step: Option<&str>,
    service: &mut Service,
) {
    for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
        if let Some(name) = item.as_str() {
            service.variables.push(Variable {
                name: name.to_string(),
                at: loc(file, &format!("{pointer}/{i}"), item),
                value: None,
                scope: Scope::BuildSecret,
                origin,
                step: step.map(str::to_string),
                refs: Parsed::default(),
                value_offset: None,
            });
        }
    }
}

fn push_variables(
    file: &SourceFile,
    object: &Node,
    pointer: &str,
    scope: Scope,
    origin: Origin,
    step: Option<&str>,
    service: &mut Service,
) {
    for member in object.as_object().unwrap_or_default() {
        let p = join(pointer, &member.key);
        let at = loc(file, &p, &member.value);
        let text = member.value.as_str();
        let value = text.map(|v| Setting {
            value: v.to_string(),
            at: at.clone(),
            origin,
        });
        let span = &member.value.span;
        // Exact offsets only when the JSON string has no escapes (raw text == value).
        let value_offset = text.and_then(|v| {
            let inner = file.text.get(span.start + 1..span.end.checked_sub(1)?)?;
            (inner == v).then_some(span.start + 1)
        });
        service.variables.push(Variable {
            name: member.key.clone(),
            at,
            value,
            scope,
            origin,
            step: step.map(str::to_string),
            refs: text.map(references::parse).unwrap_or_default(),
            value_offset,
        });
    }
}

fn extract_step(
    file: &SourceFile,
    name: &str,
    node: &Node,
    pointer: &str,
    origin: Origin,
    service: &mut Service,
) -> Step {
    let mut step = Step {
        name: name.to_string(),
        at: loc(file, pointer, node),
        origin,
        commands: Vec::new(),
        inputs: Vec::new(),
        secrets: None,
    };
    if let Some(commands) = node.get("commands").and_then(Node::as_array) {
        let cp = join(pointer, "commands");
        step.commands = commands
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = format!("{cp}/{i}");
                Command {
                    kind: command_kind(c),
                    at: loc(file, &p, c),
                }
            })
            .collect();
    }
    if let Some(inputs) = node.get("inputs") {
        step.inputs = extract_inputs(file, inputs, &join(pointer, "inputs"), origin);
    }
    if let Some(secrets) = node.get("secrets") {
        let sp = join(pointer, "secrets");
        step.secrets = Some(loc(file, &sp, secrets));
        push_secret_names(file, secrets, &sp, origin, Some(name), service);
    }
    if let Some(vars) = node.get("variables") {
        push_variables(
            file,
            vars,
            &join(pointer, "variables"),
            Scope::BuildVariable,
            origin,
            Some(name),
            service,
        );
    }
    step
}

pub fn command_kind(node: &Node) -> CommandKind {
    if let Some(text) = node.as_str() {
        return CommandKind::Shell(text.to_string());
    }
    let Some(members) = node.as_object() else {
        return CommandKind::Invalid;
    };
    let has = |k: &str| members.iter().any(|m| m.key == k);
    let str_of = |k: &str| node.get(k).and_then(Node::as_str);
    if let Some(cmd) = str_of("cmd") {
        return CommandKind::Exec(cmd.to_string());
    }
    // Without `dest` the copy goes to the working directory, `/app`.
    if has("src") {
        return CommandKind::Copy;
    }
    if has("path") && has("name") {
        return CommandKind::Asset;
    }
    if has("path") && members.len() == 1 {
        return CommandKind::Path;
    }
    CommandKind::Invalid
}

pub fn extract_inputs(file: &SourceFile, node: &Node, pointer: &str, origin: Origin) -> Vec<Input> {
    let _ = origin;
    node.as_array()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = format!("{pointer}/{i}");
            let strings = |key: &str| -> Vec<Setting<String>> {
                let Some(list) = item.get(key).and_then(Node::as_array) else {
                    return Vec::new();
                };
                list.iter()
                    .enumerate()
                    .filter_map(|(j, n)| {
                        let s = n.as_str()?;
                        Some(Setting {
                            value: s.to_string(),
                            at: loc(file, &format!("{p}/{key}/{j}"), n),
                            origin,
                        })
                    })
                    .collect()
            };
            let kind = match &item.kind {
                NodeKind::String(s) if s == "." => InputKind::Local,
                NodeKind::String(s) if s == "..." => InputKind::Spread,
                NodeKind::String(s) if s.len() > 1 && s.starts_with('$') => InputKind::Step(s[1..].to_string()),
                NodeKind::Object(_) => {
                    if let Some(step) = item.get("step").and_then(Node::as_str) {
                        InputKind::Step(step.to_string())
                    } else if let Some(image) = item.get("image").and_then(Node::as_str) {
                        InputKind::Image(image.to_string())
                    } else if matches!(item.get("local").map(|n| &n.kind), Some(NodeKind::Bool(true))) {
                        InputKind::Local
                    } else {
                        InputKind::Invalid
                    }
                }
                _ => InputKind::Invalid,
            };
            let mut include = strings("include");
            if matches!(&item.kind, NodeKind::String(s) if s == ".") {
                include.push(Setting {
                    value: ".".to_string(),
                    at: loc(file, &p, item),
                    origin,
                });
            }
            Input {
                kind,
                at: loc(file, &p, item),
                include,
                exclude: strings("exclude"),
            }
        })
        .collect()
}

fn extract_deploy(file: &SourceFile, node: &Node, pointer: &str, origin: Origin, service: &mut Service) {
    for member in node.as_object().unwrap_or_default() {
        let ptr = join(pointer, &member.key);
        let value = &member.value;
        if matches!(value.kind, NodeKind::Null) {
            // `null` leaves a setting unset, for Railpack's decoder and Railway's config alike.
            continue;
        }
        let at = || loc(file, &ptr, value);
        match member.key.as_str() {
            "startCommand" | "startCmd" => {
                if let Some(cmd) = value.as_str() {
                    service.start_commands.push(Setting {
                        value: cmd.to_string(),
                        at: at(),
                        origin,
                    });
                }
            }
            "healthCheckPath" | "healthcheckPath" => {
                if let Some(path) = value.as_str() {
                    service.health_paths.push(Setting {
                        value: path.to_string(),
                        at: at(),
                        origin,
                    });
                }
            }
            "healthCheckTimeout" | "healthcheckTimeout" => {
                service.health_timeouts.push(Setting {
                    value: value.clone(),
                    at: at(),
                    origin,
                });
            }
            "inputs" => service
                .deploy_inputs
                .push((origin, extract_inputs(file, value, &ptr, origin))),
            "variables" if origin != Origin::Railway => {
                // `deploy` is a native key, so Railpack reads `deploy.variables` from a
                // guide-format service file too; only the manifest's are read by nobody.
                let scope = if matches!(origin, Origin::Railpack | Origin::GuideService) {
                    Scope::Runtime
                } else {
                    Scope::Service
                };
                push_variables(file, value, &ptr, scope, origin, None, service);
            }
            "environment" if origin != Origin::Railway => {
                push_variables(file, value, &ptr, Scope::Service, origin, None, service);
            }
            _ => {}
        }
    }
}

fn extract_railway(file: &SourceFile, tree: &Node, service: &mut Service) {
    root::extract_railway_build(file, tree, service);
    if let Some(deploy) = tree.get("deploy") {
        extract_deploy(file, deploy, "/deploy", Origin::Railway, service);
    }
    if let Some(builder) = tree.get("build").and_then(|b| b.get("builder"))
        && let Some(value) = builder.as_str()
    {
        service.builder = Some(Setting {
            value: value.to_string(),
            at: loc(file, "/build/builder", builder),
            origin: Origin::Railway,
        });
    }
    if let Some(cmd) = tree
        .get("build")
        .and_then(|b| b.get("buildCommand"))
        .and_then(Node::as_str)
    {
        let node = tree.pointer("/build/buildCommand").expect("just read");
        service.steps.push(Step {
            name: "buildCommand".to_string(),
            at: loc(file, "/build/buildCommand", node),
            origin: Origin::Railway,
            commands: vec![Command {
                kind: CommandKind::Shell(cmd.to_string()),
                at: loc(file, "/build/buildCommand", node),
            }],
            inputs: Vec::new(),
            secrets: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> Project {
        let files = files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let loaded = crate::source::parse_json(text.to_string(), FileId(i));
                let tree = loaded.tree.unwrap();
                let kind = FileKind::from_file_name(path.rsplit('/').next().unwrap()).unwrap();
                SourceFile {
                    id: FileId(i),
                    path: path.to_string(),
                    abs_path: PathBuf::from(path),
                    kind,
                    lines: crate::source::LineIndex::new(&loaded.text),
                    text: loaded.text,
                    dialect: crate::platform::read::classify(kind, &tree),
                    value: None,
                    tree: Some(tree),
                    secret_spans: Vec::new(),
                    schema_issues: Vec::new(),
                    iac: None,
                }
            })
            .collect();
        Project::build(Path::new("/nonexistent"), "p".into(), files)
    }

    #[test]
    fn variable_values_are_parsed_once_with_exact_spans() {
        let text = r#"{"services": {"web": {"root": ".", "deploy": {"environment": {"API": "https://${{ api.RAILWAY_PUBLIC_DOMAIN }}/v1", "ESC": "\u0041${{api.PORT}}"}}}}}"#;
        let p = project(&[("railpack.json", text)]);
        let web = p.service("web").unwrap();
        let api = web.variables.iter().find(|v| v.name == "API").unwrap();
        assert_eq!(api.scope, Scope::Service);
        let r = &api.refs.references[0];
        assert_eq!(r.namespace.as_deref(), Some("api"));
        assert_eq!(
            &text[api.span_in_value(r.range.clone())],
            "${{ api.RAILWAY_PUBLIC_DOMAIN }}"
        );
        // With an escape in the JSON string, the whole value is the best span.
        let esc = web.variables.iter().find(|v| v.name == "ESC").unwrap();
        let span = esc.span_in_value(esc.refs.references[0].range.clone());
        assert_eq!(&text[span], r#""\u0041${{api.PORT}}""#);
    }

    #[test]
    fn guide_service_deploy_variables_are_read_by_railpack_but_environment_is_not() {
        let p = project(&[(
            "railpack.json",
            r#"{"version": "1", "deploy": {"variables": {"A": "1"}, "environment": {"B": "2"}}}"#,
        )]);
        let scopes: Vec<_> = p.services[0]
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.scope))
            .collect();
        assert_eq!(scopes, vec![("A", Scope::Runtime), ("B", Scope::Service)]);
    }

    #[test]
    fn health_and_start_sources_follow_who_reads_them() {
        let p = project(&[
            (
                "railpack.json",
                r#"{"deploy": {"startCommand": "node a.js", "healthCheckPath": "/x"}}"#,
            ),
            (
                "railway.json",
                r#"{"deploy": {"startCommand": "node b.js", "healthcheckPath": "/health"}}"#,
            ),
        ]);
        let s = &p.services[0];
        let (health, read) = s.health_source().unwrap();
        assert_eq!((health.value.as_str(), read), ("/health", true));
        let (start, read) = s.start_source().unwrap();
        assert_eq!(
            (start.value.as_str(), start.origin, read),
            ("node b.js", Origin::Railway, true)
        );
    }

    #[test]
    fn roots_are_inferred_from_evidence_and_stated_roots_win() {
        use root::{BuilderKind, Certainty};
        let p = project(&[
            (
                "apps/api/railway.json",
                r#"{"build": {"builder": "DOCKERFILE", "dockerfilePath": "apps/api/Dockerfile"}}"#,
            ),
            (
                "apps/web/railway.json",
                r#"{"build": {"buildCommand": "pnpm --filter web build"}}"#,
            ),
            (
                "legacy/web/railpack.json",
                r#"{"steps": {"build": {"commands": ["cd legacy/web && npm run build"]}}}"#,
            ),
            ("railpack.json", r#"{"provider": "node"}"#),
        ]);
        let by_id = |id: &str| p.service_by_id(id).unwrap();
        let api = by_id("apps/api");
        assert_eq!((api.root.as_str(), api.root_fact.certainty_str()), ("", "inferred"));
        assert_eq!(api.build.kind, BuilderKind::Dockerfile);
        let web = by_id("apps/web");
        assert_eq!((web.root.as_str(), web.root_fact.certainty_str()), ("", "inferred"));
        assert!(
            matches!(&web.root_fact.certainty, Certainty::Inferred { evidence } if evidence[0].contains("pnpm --filter web"))
        );
        // A native railpack.json in the folder and `cd legacy/web`: both ways, unknown.
        let legacy = by_id("legacy/web");
        assert_eq!(legacy.root_fact.certainty_str(), "unknown");
        assert_eq!(legacy.root, "legacy/web");
        assert_eq!(by_id(".").root_fact.certainty_str(), "known");
        // Two services named `web` stay apart by id.
        assert_eq!(p.services.iter().filter(|s| s.name == "web").count(), 2);

        let files = p.files;
        let stated = Project::build_with(
            Path::new("/nonexistent"),
            "p".into(),
            files,
            &BTreeMap::new(),
            &[root::ExternalRoot {
                name: "api".into(),
                root: "apps/api".into(),
                from: "`root` in railcheck.toml `[services.api]`".into(),
            }],
        );
        let api = stated.service_by_id("apps/api").unwrap();
        assert_eq!(
            (api.root.as_str(), api.root_fact.certainty_str()),
            ("apps/api", "known")
        );
    }

    #[test]
    fn roots_are_normalized() {
        assert_eq!(normalize_root("", "./"), "");
        assert_eq!(normalize_root("", "./packages/web/"), "packages/web");
        assert_eq!(normalize_root("deploy", "../apps/api"), "apps/api");
    }
}
