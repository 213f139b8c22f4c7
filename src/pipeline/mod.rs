//! discover -> load -> classify -> schema-validate -> model -> rules -> config -> (report)

pub(crate) mod attribute;
pub(crate) mod discover;
pub(crate) mod fix;
pub(crate) mod suppress;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;

use crate::diagnostic::Diagnostic;
use crate::facts::secrets;
use crate::model::Project;
use crate::pipeline::discover::{Found, Refusal, Walk};
use crate::platform::schema::Schemas;
use crate::rules::{self, Context, syntax};
use crate::settings::Settings;
use crate::source::{self, Dialect, FileId, FileKind, LineIndex, NodeKind, SourceFile};
use crate::util::fscache::FsCache;
use crate::util::parallel;

pub struct Request<'a> {
    pub root: &'a Path,
    pub excludes: &'a [String],
    pub settings: &'a Settings,
}

pub struct Outcome {
    pub project: Project,
    /// Sorted by file, position, code; settings applied; secrets redacted.
    pub diagnostics: Vec<Diagnostic>,
    /// The run's file cache, for a caller that looks at the same files afterwards (`plan`).
    pub(crate) fs: FsCache,
}

pub fn validate(request: &Request<'_>) -> Result<Outcome> {
    validate_with(request, &[])
}

/// `validate`, plus config files the walk does not find by name: `extra` (paths relative to
/// the root with their kind, e.g. files named on the command line) and the files that
/// `RAILPACK_CONFIG_FILE` points at in `railcheck.toml`'s service variables.
pub(crate) fn validate_with(request: &Request<'_>, extra: &[(String, FileKind)]) -> Result<Outcome> {
    let excludes = discover::build_globs(request.excludes)?;
    let (mut found, listings) = Walk {
        root: request.root,
        excludes: &excludes,
    }
    .run_with_listings()?;
    let mut extra = extra.to_vec();
    extra.extend(railpack_config_files(request.root, request.settings));
    for (rel_path, kind) in extra {
        if found.iter().any(|f| f.rel_path == rel_path) {
            continue;
        }
        let abs_path = request.root.join(&rel_path);
        if !abs_path.is_file() {
            continue;
        }
        found.push(Found {
            abs_path,
            rel_path,
            kind,
            refused: None,
        });
    }
    // Rules probe the same service folders again and again: answer from the walk's listings.
    let fs = FsCache::with_listings(listings);
    let schemas = Schemas::lazy();
    let inputs = found.into_iter().map(Input::Found).collect();
    Ok(check(
        fs,
        request.root,
        project_name(request.root),
        inputs,
        request.settings,
        &schemas,
    ))
}

/// Checks files given in memory as (path relative to the root, contents), without touching
/// the disk for them: for fuzzing, tests and editors. Paths whose file name is not a config
/// name are skipped. The order of `files` does not matter.
pub fn validate_memory(
    root: &Path,
    name: &str,
    files: Vec<(String, Vec<u8>)>,
    settings: &Settings,
    schemas: &Schemas,
) -> Outcome {
    let inputs = files
        .into_iter()
        .filter_map(|(path, bytes)| {
            let kind = FileKind::from_rel_path(&path)?;
            let bytes = if bytes.len() as u64 > discover::MAX_FILE_BYTES {
                Err(Refusal::TooLarge(bytes.len() as u64))
            } else {
                Ok(bytes)
            };
            Some(Input::Memory(Loadable {
                abs_path: root.join(&path),
                rel_path: path,
                kind,
                bytes,
            }))
        })
        .collect();
    // Source files beside the configs (package.json, app code) still come from the disk.
    check(FsCache::default(), root, name.to_string(), inputs, settings, schemas)
}

/// A file the walker found (read when loaded, on the loading thread) or one given in memory.
enum Input {
    Found(Found),
    Memory(Loadable),
}

impl Input {
    fn rel_path(&self) -> &str {
        match self {
            Input::Found(f) => &f.rel_path,
            Input::Memory(m) => &m.rel_path,
        }
    }

    fn read(self) -> Loadable {
        match self {
            Input::Found(found) => Loadable::read(found),
            Input::Memory(loadable) => loadable,
        }
    }
}

/// One file to load: where it is and its bytes, or why it is not read.
struct Loadable {
    rel_path: String,
    abs_path: PathBuf,
    kind: FileKind,
    bytes: std::result::Result<Vec<u8>, Refusal>,
}

impl Loadable {
    fn read(found: Found) -> Loadable {
        let bytes = match found.refused {
            Some(refusal) => Err(refusal),
            None => discover::read_bounded(&found.abs_path),
        };
        Loadable {
            rel_path: found.rel_path,
            abs_path: found.abs_path,
            kind: found.kind,
            bytes,
        }
    }
}

/// load -> schema -> model -> rules -> settings, on inputs in any order.
fn check(
    fs: FsCache,
    root: &Path,
    name: String,
    mut inputs: Vec<Input>,
    settings: &Settings,
    schemas: &Schemas,
) -> Outcome {
    // FileIds follow path order, whatever order the walker (or caller) produced.
    inputs.sort_by(|a, b| a.rel_path().cmp(b.rel_path()));
    inputs.dedup_by(|a, b| a.rel_path() == b.rel_path());
    let mut diagnostics = Vec::new();
    // Files load independently (read, parse, schema check): on all cores for big projects.
    let slots: Vec<Mutex<Option<Input>>> = inputs.into_iter().map(|f| Mutex::new(Some(f))).collect();
    let loaded = parallel::map(slots.len(), parallel::threads_for(slots.len()), |i| {
        let input = slots[i]
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .expect("loaded once");
        let mut out = Vec::new();
        let file = load(input.read(), FileId(i), schemas, &mut out);
        (file, out)
    });
    let files: Vec<SourceFile> = loaded
        .into_iter()
        .map(|(file, out)| {
            diagnostics.extend(out);
            file
        })
        .collect();
    let known_roots: Vec<crate::model::root::ExternalRoot> = settings
        .service_roots()
        .into_iter()
        .map(|(name, root)| crate::model::root::ExternalRoot {
            from: format!("`root` in railcheck.toml `[services.{name}]`"),
            name,
            root,
        })
        .collect();
    let project = Project::build_with(&fs, root, name, files, &settings.service_names(), &known_roots);
    let cx = Context {
        project: &project,
        settings,
        schemas,
        fs: &fs,
    };
    diagnostics.extend(rules::run(&cx));
    let diagnostics = finish(&project, settings, diagnostics);
    Outcome {
        project,
        diagnostics,
        fs,
    }
}

/// Files chosen by `RAILPACK_CONFIG_FILE` in `railcheck.toml`'s `[services.NAME] variables`
/// (relative to the service's root), as paths relative to the project root. Railpack reads
/// that file instead of `railpack.json`. Hook: when `.railway/railway.ts` variables are read
/// (src/iac), their `RAILPACK_CONFIG_FILE` belongs here too.
pub(crate) fn railpack_config_files(root: &Path, settings: &Settings) -> Vec<(String, FileKind)> {
    let mut files = Vec::new();
    for map in settings.services.values() {
        let Some(file) = map.variables.get("RAILPACK_CONFIG_FILE") else {
            continue;
        };
        let service_root = map.root.as_deref().unwrap_or("");
        let service_root = if settings.overrides_base.is_empty() {
            Some(service_root)
        } else if service_root == settings.overrides_base {
            Some("")
        } else {
            service_root.strip_prefix(&format!("{}/", settings.overrides_base))
        };
        let Some(service_root) = service_root else { continue };
        if let Some(rel) = crate::facts::shell::join_path(service_root, file.trim_start_matches("./"))
            && !rel.is_empty()
            && root.join(&rel).is_file()
        {
            files.push((rel, FileKind::Railpack));
        }
    }
    files
}

fn project_name(root: &Path) -> String {
    root.canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::file_name)
        .map_or_else(|| "project".to_string(), |n| n.to_string_lossy().into_owned())
}

/// Applies the configuration, attaches services, redacts secrets and sorts.
fn finish(project: &Project, settings: &Settings, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut diagnostics = diagnostics;
    attribute::attribute(project, &mut diagnostics);
    let diagnostics = attribute::gate(project, diagnostics);
    let diagnostics = settings.apply(diagnostics, |d| d.file.map(|f| project.file(f).path.clone()));
    let diagnostics = attribute::supersede(project, diagnostics);
    // Inline `railcheck-ignore` comments last: they see what the configuration kept.
    let mut diagnostics = suppress::apply(project, settings, diagnostics);
    let known = project.known_secrets();
    let scrub = |text: &str| secrets::scrub(text, known);
    for d in &mut diagnostics {
        d.message = scrub(&d.message);
        d.pointer = d.pointer.as_deref().map(scrub);
        d.help = d.help.as_deref().map(scrub);
        d.note = d.note.as_deref().map(scrub);
        for label in &mut d.labels {
            label.message = scrub(&label.message);
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    diagnostics
}

/// Reads, decodes, parses and classifies one file. Never fails: problems are findings.
fn load(input: Loadable, id: FileId, schemas: &Schemas, out: &mut Vec<Diagnostic>) -> SourceFile {
    let mut file = SourceFile {
        id,
        path: input.rel_path,
        abs_path: input.abs_path,
        kind: input.kind,
        text: String::new(),
        lines: LineIndex::default(),
        tree: None,
        value: None,
        dialect: Dialect::Unknown,
        secret_spans: Vec::new(),
        schema_issues: Vec::new(),
        iac: None,
    };
    let bytes = match input.bytes {
        Ok(bytes) => bytes,
        Err(refusal) => {
            let severity = refusal.severity();
            out.push(Diagnostic::new(&syntax::unreadable_file::META, id, 0..0, refusal.to_string()).severity(severity));
            return file;
        }
    };
    let mut issues = Vec::new();
    let text = source::decode(bytes, id, file.kind, &mut issues);
    out.extend(issues.into_iter().map(syntax::diagnostic));
    let Some(text) = text else {
        return file;
    };
    let loaded = match file.kind {
        FileKind::RailwayToml => source::parse_toml(text, id),
        FileKind::Railpack | FileKind::RailwayJson => source::parse_json(text, id),
        FileKind::RailwayTs => {
            load_iac(&mut file, text, out);
            return file;
        }
    };
    out.extend(loaded.issues.into_iter().map(syntax::diagnostic));
    file.lines = LineIndex::new(&loaded.text);
    file.text = loaded.text;
    // Before anything can return: a file that does not parse still shows in code frames.
    file.secret_spans = source::secret_spans(&file.text, loaded.tree.as_ref());
    let Some(mut tree) = loaded.tree else { return file };
    if !matches!(tree.kind, NodeKind::Object(_)) {
        out.push(
            Diagnostic::new(
                &syntax::root_not_object::META,
                id,
                tree.span.clone(),
                format!(
                    "the top-level value is {} {}, not an object",
                    article(tree.type_name()),
                    tree.type_name()
                ),
            )
            .help("wrap the settings in `{ ... }`; Railpack fails with \"Failed to read config file\""),
        );
        file.tree = Some(tree);
        return file;
    }
    file.dialect = crate::platform::read::classify(file.kind, &tree);
    if file.dialect == Dialect::Native {
        out.extend(
            crate::platform::read::canonicalize_native(&mut tree, id, &file.text)
                .into_iter()
                .map(syntax::diagnostic),
        );
    }
    let value = tree.to_value();
    file.schema_issues = schemas.validate(file.dialect, &value, &tree);
    file.value = Some(value);
    file.tree = Some(tree);
    file
}

/// Reads `.railway/railway.ts` with the static reader; a file that does not parse is RC101.
fn load_iac(file: &mut SourceFile, text: String, out: &mut Vec<Diagnostic>) {
    let iac = crate::iac::read(&text);
    file.lines = LineIndex::new(&text);
    file.secret_spans = source::iac_secret_spans(&text, &iac);
    file.text = text;
    file.dialect = Dialect::RailwayTs;
    // A `${{` in a backtick template fails to parse: RC509 reports that cause, once.
    let from_template = |span: &std::ops::Range<usize>| {
        iac.templates_with_refs.iter().any(|t| {
            file.text
                .get(t.start..span.start)
                .is_some_and(|between| !between.contains('\n'))
        })
    };
    if let Some((message, span)) = iac.parse_error.as_ref().filter(|(_, span)| !from_template(span)) {
        out.push(
            Diagnostic::new(
                &syntax::parse_error::META,
                file.id,
                span.clone(),
                format!("`.railway/railway.ts` does not parse: {message}"),
            )
            .help("the Railway CLI runs this file with Node; fix the syntax so that it evaluates"),
        );
    }
    file.iac = Some(Box::new(iac));
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'o']) { "an" } else { "a" }
}

/// The project a folder belongs to when it is marked: the nearest ancestor (or the folder
/// itself) holding `railcheck.toml` or a services manifest, searched no higher than the
/// repository root (`.git`); `None` without such a marker.
pub(crate) fn project_root_above(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        // `railcheck.toml` (config::CONFIG_FILE; the config layer sits above this one).
        if d.join("railcheck.toml").is_file() || holds_manifest(d) {
            return Some(d.to_path_buf());
        }
        if d.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The repository a folder is in: the nearest ancestor (or itself) holding `.git`.
pub(crate) fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

fn holds_manifest(dir: &Path) -> bool {
    let path = dir.join("railpack.json");
    // Never open a FIFO or device named like a config: reading it could block.
    if !path.is_file() {
        return false;
    }
    let Ok(bytes) = discover::read_bounded(&path) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    // Most railpack.json files are no manifest: skip parsing them.
    if !text.contains("services") {
        return false;
    }
    let loaded = source::parse_json(text, FileId(0));
    loaded
        .tree
        .is_some_and(|tree| crate::platform::read::classify(FileKind::Railpack, &tree) == Dialect::ServicesManifest)
}

/// What `validate --show-files` prints: the config files the walk found (with why one is
/// not read, when it is not) and the paths it skipped.
pub(crate) fn explain_files(root: &Path, excludes: &[String]) -> Result<(Vec<Found>, Vec<discover::Skipped>)> {
    let excludes = discover::build_globs(excludes)?;
    let (found, _, skipped) = Walk {
        root,
        excludes: &excludes,
    }
    .run_explained()?;
    Ok((found, skipped))
}
