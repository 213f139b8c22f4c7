//! discover -> load -> classify -> schema-validate -> model -> rules -> config -> (report)

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Result;

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Found, Walk};
use crate::fscache::{self, FsCache};
use crate::model::Project;
use crate::parallel;
use crate::rules::{self, Context, syntax};
use crate::schema::Schemas;
use crate::secrets;
use crate::source::{self, Dialect, FileId, FileKind, LineIndex, Node, NodeKind, SourceFile};

pub struct Request<'a> {
    pub root: &'a Path,
    pub excludes: &'a [String],
    pub settings: &'a Settings,
}

pub struct Outcome {
    pub project: Project,
    /// Sorted by file, position, code; settings applied; secrets redacted.
    pub diagnostics: Vec<Diagnostic>,
}

pub fn validate(request: &Request<'_>) -> Result<Outcome> {
    let excludes = discover::build_globs(request.excludes)?;
    let (found, listings) = Walk {
        root: request.root,
        excludes: &excludes,
    }
    .run_with_listings()?;
    // Rules probe the same service folders again and again: answer from the walk's listings.
    fscache::scope(Arc::new(FsCache::with_listings(listings)), || {
        validate_found(request, found)
    })
}

fn validate_found(request: &Request<'_>, found: Vec<Found>) -> Result<Outcome> {
    let schemas = Schemas::lazy();
    let mut diagnostics = Vec::new();
    // Files load independently (read, parse, schema check): on all cores for big projects.
    let slots: Vec<Mutex<Option<Found>>> = found.into_iter().map(|f| Mutex::new(Some(f))).collect();
    let loaded = parallel::map(slots.len(), parallel::threads_for(slots.len()), |i| {
        let found = slots[i]
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .expect("loaded once");
        let mut out = Vec::new();
        let file = load(found, FileId(i), &schemas, &mut out);
        (file, out)
    });
    let files: Vec<SourceFile> = loaded
        .into_iter()
        .map(|(file, out)| {
            diagnostics.extend(out);
            file
        })
        .collect();
    let name = project_name(request.root);
    let project = Project::build_with_names(request.root, name, files, &request.settings.service_names());
    let cx = Context {
        project: &project,
        settings: request.settings,
        schemas: &schemas,
    };
    diagnostics.extend(rules::run(&cx));
    let diagnostics = finish(&project, request.settings, diagnostics);
    Ok(Outcome { project, diagnostics })
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
    let mut diagnostics = settings.apply(diagnostics, |d| d.file.map(|f| project.file(f).path.clone()));
    for d in &mut diagnostics {
        if d.service.is_none() {
            d.service = d.file.and_then(|f| project.service_of_file(f)).map(|s| s.name.clone());
        }
        d.message = secrets::redact(&d.message);
        d.help = d.help.as_deref().map(secrets::redact);
        d.note = d.note.as_deref().map(secrets::redact);
        for label in &mut d.labels {
            label.message = secrets::redact(&label.message);
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
    diagnostics
}

/// Reads, decodes, parses and classifies one file. Never fails: problems are findings.
fn load(found: Found, id: FileId, schemas: &Schemas, out: &mut Vec<Diagnostic>) -> SourceFile {
    let mut file = SourceFile {
        id,
        path: found.rel_path,
        abs_path: found.abs_path,
        kind: found.kind,
        text: String::new(),
        lines: LineIndex::default(),
        tree: None,
        value: None,
        dialect: Dialect::Unknown,
        secret_spans: Vec::new(),
        schema_issues: Vec::new(),
    };
    let bytes = match found.refused {
        Some(reason) => Err(reason),
        None => discover::read_bounded(&file.abs_path),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(reason) => {
            out.push(Diagnostic::new(&syntax::unreadable_file::META, id, 0..0, reason));
            return file;
        }
    };
    let Some(text) = source::decode(bytes, id, out) else {
        return file;
    };
    let loaded = match file.kind {
        FileKind::RailwayToml => source::parse_toml(text, id),
        FileKind::Railpack | FileKind::RailwayJson => source::parse_json(text, id),
    };
    out.extend(loaded.diagnostics);
    file.lines = LineIndex::new(&loaded.text);
    file.text = loaded.text;
    let Some(tree) = loaded.tree else { return file };
    file.secret_spans = secret_spans(&file.text, &tree, None);
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
    file.dialect = source::classify(file.kind, &tree);
    let value = tree.to_value();
    file.schema_issues = schemas.validate(file.dialect, &value, &tree);
    file.value = Some(value);
    file.tree = Some(tree);
    file
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'o']) { "an" } else { "a" }
}

/// Spans of string values (or parts of them) that look like credentials.
pub fn secret_spans(text: &str, node: &Node, key: Option<&str>) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut stack = vec![(node, key)];
    while let Some((node, key)) = stack.pop() {
        match &node.kind {
            NodeKind::String(value) => {
                let raw = &text[node.span.clone()];
                let found = secrets::find_in(raw);
                if !found.is_empty() {
                    spans.extend(
                        found
                            .into_iter()
                            .map(|(r, _)| node.span.start + r.start..node.span.start + r.end),
                    );
                } else if secrets::classify_value(key, value).is_some() {
                    // Mask inside the quotes only.
                    let inner = node.span.start + 1..node.span.end.saturating_sub(1).max(node.span.start + 1);
                    spans.push(inner);
                }
            }
            NodeKind::Array(items) => stack.extend(items.iter().map(|n| (n, key))),
            NodeKind::Object(members) => stack.extend(members.iter().map(|m| (&m.value, Some(m.key.as_str())))),
            _ => {}
        }
    }
    spans.sort_by_key(|r| r.start);
    spans
}

/// The project around a config file's folder: the nearest ancestor (or the folder itself)
/// that holds `.git` or a services manifest (a `railpack.json` with `services`); the folder
/// itself when there is neither.
pub fn project_root_for(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists() || holds_manifest(d))
        .unwrap_or(dir)
        .to_path_buf()
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
    let loaded = source::parse_json(text, FileId(0));
    loaded
        .tree
        .is_some_and(|tree| source::classify(FileKind::Railpack, &tree) == Dialect::ServicesManifest)
}
