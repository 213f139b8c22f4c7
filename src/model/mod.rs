//! The project model: services and everything that configures them, with the place
//! each setting comes from. Built once from the loaded files; rules only read it.

mod extract;

pub(crate) use extract::*;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub(crate) mod root;
mod iac;

use crate::facts::references::Parsed;
use crate::source::{Dialect, FileId, FileKind, Node, SourceFile};
use crate::util::fscache::FsCache;

/// Where something is written: file, JSON Pointer, value span and (for members) key span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    pub(crate) file: FileId,
    pub(crate) pointer: String,
    pub(crate) span: Range<usize>,
    pub(crate) key_span: Option<Range<usize>>,
}

impl Loc {
    /// The key when there is one, else the value: the smallest useful span for "this setting".
    pub(crate) fn key_or_value(&self) -> Range<usize> {
        self.key_span.clone().unwrap_or_else(|| self.span.clone())
    }
}

/// Which kind of file (or part of one) a setting comes from, which decides who reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Origin {
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
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Origin::Manifest => "the services manifest",
            Origin::GuideService => "a guide-format railpack.json",
            Origin::Railpack => "railpack.json",
            Origin::Railway => "the Railway config",
            Origin::RailwayTs => "`.railway/railway.ts`",
        }
    }

    /// Railway's own settings (Config as Code or railway.ts), as opposed to Railpack's or the guide's.
    pub(crate) fn is_railway(self) -> bool {
        matches!(self, Origin::Railway | Origin::RailwayTs)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Setting<T> {
    pub(crate) value: T,
    pub(crate) at: Loc,
    pub(crate) origin: Origin,
}

/// Where a variable name is visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Scope {
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
    pub(crate) fn is_build(self) -> bool {
        matches!(self, Scope::BuildSecret | Scope::BuildVariable | Scope::Service)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Variable {
    pub(crate) name: String,
    /// The name's place (the key, or the string in a `secrets` list).
    pub(crate) at: Loc,
    pub(crate) value: Option<Setting<String>>,
    pub(crate) scope: Scope,
    pub(crate) origin: Origin,
    /// The step that declares it, if any.
    pub(crate) step: Option<String>,
    /// The value's `${{ ... }}` references and reference syntax errors, parsed once.
    pub(crate) refs: Parsed,
    /// File offset of the value's first character when the value is written without
    /// escapes, so that offsets inside the value map exactly onto the file.
    value_offset: Option<usize>,
}

impl Variable {
    /// The file span of a byte range of the value (the whole value when escapes make
    /// the mapping inexact).
    pub(crate) fn span_in_value(&self, range: Range<usize>) -> Range<usize> {
        let whole = self
            .value
            .as_ref()
            .map_or_else(|| self.at.span.clone(), |v| v.at.span.clone());
        match self.value_offset {
            Some(start) => start + range.start..start + range.end,
            None => whole,
        }
    }

    pub(crate) fn value_str(&self) -> Option<&str> {
        self.value.as_ref().map(|v| v.value.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StepCommandKind {
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
pub(crate) struct StepCommand {
    pub(crate) kind: StepCommandKind,
    pub(crate) at: Loc,
}

impl StepCommand {
    /// The shell text this command runs, if it runs one.
    pub(crate) fn shell_text(&self) -> Option<&str> {
        match &self.kind {
            StepCommandKind::Shell(s) | StepCommandKind::Exec(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum InputKind {
    Step(String),
    Image(String),
    Local,
    /// `"..."`: the provider's generated list.
    Spread,
    Invalid,
}

#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub(crate) kind: InputKind,
    pub(crate) at: Loc,
    pub(crate) include: Vec<Setting<String>>,
    pub(crate) exclude: Vec<Setting<String>>,
}

#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) name: String,
    /// The step's key in its `steps` object.
    pub(crate) at: Loc,
    pub(crate) origin: Origin,
    pub(crate) commands: Vec<StepCommand>,
    pub(crate) inputs: Vec<Input>,
    /// `None` when the step has no `secrets` key (it then mounts every service variable).
    pub(crate) secrets: Option<Loc>,
}

#[derive(Clone, Debug)]
pub(crate) struct Service {
    pub(crate) name: String,
    /// The folder the service is configured from (its config files' folder, or the
    /// manifest's `root`), relative to the project root, "" for the root itself.
    pub(crate) dir: String,
    /// The service's identity: `dir` (`.` for the project root), unique in the project.
    /// Two services with the same display name (`apps/web`, `legacy/web`) stay apart by it;
    /// `Diagnostic::service` holds it once the pipeline has attributed a finding.
    pub(crate) id: String,
    /// The folder rules resolve paths against: `root_fact.path`.
    pub(crate) root: String,
    /// The Root Directory and how railcheck knows it (known / inferred / unknown).
    pub(crate) root_fact: root::RootFact,
    pub(crate) root_exists: bool,
    /// The builder Railway uses (Dockerfile in the root, `build.builder`, or Railpack).
    pub(crate) build: root::BuilderFact,
    /// The package manager from the package.json / lockfile in `root` (never above it).
    pub(crate) package_manager: Option<root::PackageManagerFact>,
    /// Railway's `build.dockerfilePath`.
    pub(crate) dockerfile_path: Option<Setting<String>>,
    /// Railway's `build.watchPatterns`.
    pub(crate) watch_patterns: Vec<Setting<String>>,
    /// The manifest entry's key, when the manifest declares the service.
    pub(crate) declared_at: Option<Loc>,
    /// The service's `railpack.json` (any dialect), when it has its own.
    pub(crate) railpack: Option<FileId>,
    pub(crate) railway: Option<FileId>,
    pub(crate) providers: Vec<Setting<String>>,
    pub(crate) packages: Vec<Setting<(String, String)>>,
    pub(crate) steps: Vec<Step>,
    pub(crate) start_commands: Vec<Setting<String>>,
    pub(crate) health_paths: Vec<Setting<String>>,
    /// Timeouts as written (numbers or not), for the rules to judge.
    pub(crate) health_timeouts: Vec<Setting<Node>>,
    pub(crate) deploy_inputs: Vec<(Origin, Vec<Input>)>,
    pub(crate) variables: Vec<Variable>,
    /// Top-level `secrets` lists (native) or the guide's `build.secrets`.
    pub(crate) secrets_lists: Vec<Setting<()>>,
    pub(crate) builder: Option<Setting<String>>,
    /// The `service(...)` call in `.railway/railway.ts` that declares this service.
    pub(crate) iac_at: Option<Loc>,
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

    /// The root (unless known), builder and package manager, from the settings read so far.
    fn facts(&self, fs: &FsCache, project: &Project) -> Facts {
        let root_fact = if self.root_fact.is_known() {
            self.root_fact.clone()
        } else {
            root::infer(fs, project, self)
        };
        Facts {
            root_exists: fs.is_dir(&project.abs(&root_fact.path)),
            build: root::builder(fs, project, self, &root_fact),
            package_manager: root::package_manager(fs, project, &root_fact.path),
            root_fact,
        }
    }

    fn set_facts(&mut self, facts: Facts) {
        self.root = facts.root_fact.path.clone();
        self.root_fact = facts.root_fact;
        self.root_exists = facts.root_exists;
        self.build = facts.build;
        self.package_manager = facts.package_manager;
    }

    /// Are the service's commands run in a `/app` built from its root? Not with the
    /// Dockerfile builder (the pipeline also drops Railpack findings for such services).
    /// Nixpacks runs Railway's `buildCommand` and `startCommand` in `/app` too.
    pub(crate) fn commands_run_in_app(&self) -> bool {
        self.build.kind != root::BuilderKind::Dockerfile
    }

    /// The file that best stands for the service, for findings about it as a whole.
    pub(crate) fn anchor(&self) -> Option<Loc> {
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
    pub(crate) fn health_source(&self) -> Option<(&Setting<String>, bool)> {
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
    pub(crate) fn start_source(&self) -> Option<(&Setting<String>, bool)> {
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
    pub(crate) fn effective_provider(&self) -> Option<&Setting<String>> {
        self.providers.iter().find(|p| p.origin == Origin::Railpack)
    }
}

/// At most this many distinct credentials are hunted for by name in every message.
const MAX_KNOWN_SECRETS: usize = 1000;

pub struct Project {
    pub(crate) root: PathBuf,
    /// The project's display name: the root folder's name.
    pub(crate) name: String,
    pub(crate) files: Vec<SourceFile>,
    pub(crate) services: Vec<Service>,
    pub(crate) manifest: Option<FileId>,
    /// Every credential masked in some file's code frames, computed once: see
    /// [`Project::known_secrets`].
    known_secrets: std::sync::OnceLock<Vec<String>>,
    /// Lookups over the services, each computed at its first use.
    indexes: Indexes,
}

/// Lookups over a project's services, computed once from the services at the first call:
/// start over (`Indexes::default()`) whenever the services change.
#[derive(Default)]
struct Indexes {
    /// Names two or more services share: see [`Project::name_is_shared`].
    shared_names: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// Service index by id: see [`Project::service_by_id`].
    by_id: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Every service's folder, sorted and deduplicated: see [`Project::nested_service_dirs`].
    dirs: std::sync::OnceLock<Vec<String>>,
}

/// What [`Service::facts`] works out for one service.
struct Facts {
    root_fact: root::RootFact,
    root_exists: bool,
    build: root::BuilderFact,
    package_manager: Option<root::PackageManagerFact>,
}

/// Works out the facts of the services `redo` picks (a service's facts read only its own
/// settings and the disk): on all cores for big projects. Runs again when a known root
/// arrives from outside.
fn finish_facts(services: &mut [Service], redo: impl Fn(usize) -> bool + Sync, fs: &FsCache, project: &Project) {
    let all = &*services;
    let facts = crate::util::parallel::map(all.len(), crate::util::parallel::threads_for(all.len()), |i| {
        redo(i).then(|| all[i].facts(fs, project))
    });
    for (service, facts) in services.iter_mut().zip(facts) {
        if let Some(facts) = facts {
            service.set_facts(facts);
        }
    }
}

impl Project {
    /// Do two or more services have this name? (Reports then tell them apart by id.) Computed
    /// once, from the services at the first call: remove services with
    /// [`Project::retain_services`], which starts over.
    pub(crate) fn name_is_shared(&self, name: &str) -> bool {
        self.indexes
            .shared_names
            .get_or_init(|| {
                let mut seen = std::collections::HashSet::new();
                self.services
                    .iter()
                    .filter(|s| !seen.insert(s.name.as_str()))
                    .map(|s| s.name.clone())
                    .collect()
            })
            .contains(name)
    }

    /// Keeps only the services `keep` accepts (a report on part of the project).
    pub(crate) fn retain_services(&mut self, keep: impl FnMut(&Service) -> bool) {
        self.services.retain(keep);
        self.indexes = Indexes::default();
    }

    /// The folders of the other services inside `dir` (any depth; all of them when `dir` is
    /// the repository root), sorted. Found by binary search in the sorted folders: a scan
    /// of all services per service is quadratic at 1,000 services.
    pub(crate) fn nested_service_dirs(&self, dir: &str) -> impl Iterator<Item = &str> {
        let sorted = self.indexes.dirs.get_or_init(|| {
            let mut dirs: Vec<String> = self.services.iter().map(|s| s.dir.clone()).collect();
            dirs.sort_unstable();
            dirs.dedup();
            dirs
        });
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let start = sorted.partition_point(|d| d.as_str() < prefix.as_str());
        sorted[start..]
            .iter()
            .map(String::as_str)
            .take_while(move |d| d.starts_with(&prefix))
            .filter(|d| !d.is_empty())
    }

    /// Every credential masked in some file's code frames (longest first), so that a message
    /// quoting one in a context `crate::facts::secrets::redact` cannot recognise (a JSON Pointer, a key in
    /// backticks, a cut-off value) is masked too.
    pub(crate) fn known_secrets(&self) -> &[String] {
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

    pub(crate) fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// Absolute path of a folder given relative to the root.
    pub(crate) fn abs(&self, rel: &str) -> PathBuf {
        if rel.is_empty() {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    pub(crate) fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    #[cfg(test)]
    pub(crate) fn build(root: &Path, name: String, files: Vec<SourceFile>) -> Project {
        Project::build_with(&FsCache::default(), root, name, files, &BTreeMap::new(), &[])
    }

    /// The service with this id (`Service::id`); the first one, were two to share it. A lookup,
    /// not a scan: it is asked for every finding. Indexed at the first call, from the
    /// services as they are then (`Project::retain_services` starts over).
    pub(crate) fn service_by_id(&self, id: &str) -> Option<&Service> {
        let index = self.indexes.by_id.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for (i, s) in self.services.iter().enumerate() {
                index.entry(s.id.clone()).or_insert(i);
            }
            index
        });
        index.get(id).map(|&i| &self.services[i])
    }

    /// Like `build_with_names`, plus Root Directories stated outside the config files
    /// (`railcheck.toml` `[services.NAME] root`, `.railway/railway.ts`): each one makes
    /// the root of the service of that name *known*, whatever its settings suggest. A name
    /// no service has names the service configured from that folder.
    pub(crate) fn build_with(
        fs: &FsCache,
        root: &Path,
        name: String,
        files: Vec<SourceFile>,
        names: &BTreeMap<String, String>,
        known_roots: &[root::ExternalRoot],
    ) -> Project {
        let mut project = Project::build_with_names(fs, root, name, files, names);
        let mut services = std::mem::take(&mut project.services);
        // The services of each name, in order (a lookup per root: railway.ts states one for
        // every service, and a scan per root is quadratic at 1,000 services).
        let mut by_name: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, service) in services.iter().enumerate() {
            by_name.entry(service.name.clone()).or_default().push(i);
        }
        // Only a service whose root became known needs its facts again: the others would
        // come out the same as in `build_with_names`.
        let mut changed = vec![false; services.len()];
        for ext in known_roots {
            let named = by_name.get(&ext.name).map_or(&[][..], Vec::as_slice);
            let idx = match named {
                [one] => Some(*one),
                [] => {
                    let found = services
                        .iter()
                        .position(|s| s.dir == ext.root && s.declared_at.is_none());
                    if let Some(i) = found {
                        let old = std::mem::replace(&mut services[i].name, ext.name.clone());
                        if let Some(list) = by_name.get_mut(&old) {
                            list.retain(|&j| j != i);
                        }
                        let list = by_name.entry(ext.name.clone()).or_default();
                        let at = list.partition_point(|&j| j < i);
                        list.insert(at, i);
                    }
                    found
                }
                many => many.iter().copied().find(|&i| services[i].dir == ext.root),
            };
            if let Some(i) = idx {
                services[i].root_fact = root::RootFact::known(ext.root.clone(), ext.from.clone(), None);
                changed[i] = true;
            }
        }
        finish_facts(&mut services, |i| changed[i], fs, &project);
        project.services = services;
        // Indexes asked for while the services were being built would be stale.
        project.indexes = Indexes::default();
        project
    }

    /// Like `build`, with names for service roots (from `railcheck.toml` `[services.NAME]
    /// root`): a folder-discovered service at one of these roots takes that name, so that
    /// `${{name.VAR}}` references and `[services.NAME]` settings find it. A manifest's own
    /// names come first.
    pub(crate) fn build_with_names(
        fs: &FsCache,
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
            indexes: Indexes::default(),
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
        // The first service of each root (a lookup per folder, not a scan: 1,000 folders).
        let mut by_root: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (i, service) in services.iter().enumerate() {
            by_root.entry(service.root.clone()).or_insert(i);
        }
        for (dir, ids) in by_dir {
            let idx = match by_root.get(&dir) {
                Some(&idx) => idx,
                None => {
                    let name = if let Some(name) = names.get(&dir) {
                        name.clone()
                    } else if dir.is_empty() {
                        project.name.clone()
                    } else {
                        dir.rsplit('/').next().unwrap_or(&dir).to_string()
                    };
                    let exists = fs.is_dir(&project.abs(&dir));
                    services.push(Service::new(name, dir.clone(), exists));
                    by_root.insert(dir.clone(), services.len() - 1);
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
        finish_facts(&mut services, |_| true, fs, &project);
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
        // Indexes asked for while the services were being built would be stale.
        project.indexes = Indexes::default();
        project
    }
}

/// Railway reads a health setting only from its own config, spelled with a lowercase `c`
/// (`deploy.healthcheckPath`, `deploy.healthcheckTimeout`).
pub(crate) fn read_by_railway<T>(setting: &Setting<T>) -> bool {
    // railway.ts holds only health settings Railway reads (the reader maps its aliases).
    setting.origin == Origin::RailwayTs
        || setting.origin == Origin::Railway
            && matches!(
                setting.at.pointer.as_str(),
                "/deploy/healthcheckPath" | "/deploy/healthcheckTimeout"
            )
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
    fn nested_service_dirs_are_the_folders_below_one_and_start_over_when_services_change() {
        let mut p = project(&[
            ("apps/api/railpack.json", "{}"),
            ("apps/api/worker/railpack.json", "{}"),
            ("apps/api-docs/railpack.json", "{}"),
            ("apps/web/railpack.json", "{}"),
            ("railpack.json", "{}"),
        ]);
        let nested = |p: &Project, dir: &str| p.nested_service_dirs(dir).map(String::from).collect::<Vec<_>>();
        // `apps/api-docs` sorts between `apps/api` and `apps/api/worker` but is not inside it.
        assert_eq!(nested(&p, "apps/api"), ["apps/api/worker"]);
        assert!(nested(&p, "apps/web").is_empty());
        assert_eq!(
            nested(&p, ""),
            ["apps/api", "apps/api-docs", "apps/api/worker", "apps/web"]
        );
        p.retain_services(|s| s.dir != "apps/api/worker");
        assert!(nested(&p, "apps/api").is_empty());
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
            &FsCache::default(),
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
