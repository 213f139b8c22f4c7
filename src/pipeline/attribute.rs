//! After the rules: which service each finding belongs to (by id, never by display
//! name), which findings the service's builder and Root Directory leave standing, and one
//! finding per cause.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::root::{BuilderKind, Certainty};
use crate::model::{Project, Service};
use crate::rules::services::root_unknown;
use crate::source::FileId;

/// Sets `Diagnostic::service` to the owning service's id. A name a rule set is resolved
/// to the one service of that name (among several, the one the finding's file belongs
/// to). Otherwise the file decides: a service's own railpack.json / Railway config, or
/// the manifest entry (`/services/<name>/...`) a finding in the manifest points into. A
/// finding elsewhere in a file several services share (the manifest) belongs to the file.
pub(crate) fn attribute(project: &Project, diagnostics: &mut [Diagnostic]) {
    let index = Index::new(project);
    for d in diagnostics.iter_mut() {
        d.service = owner(project, &index, d).map(|s| s.id.clone());
    }
}

/// The services of each id or name and of each file they own, in project order: a lookup
/// per finding instead of a scan (1,000 findings on 1,000 services).
struct Index<'p> {
    named: HashMap<&'p str, Vec<usize>>,
    owning: HashMap<FileId, Vec<usize>>,
}

impl<'p> Index<'p> {
    fn new(project: &'p Project) -> Index<'p> {
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut owning: HashMap<FileId, Vec<usize>> = HashMap::new();
        for (i, s) in project.services.iter().enumerate() {
            named.entry(s.id.as_str()).or_default().push(i);
            if s.name != s.id {
                named.entry(s.name.as_str()).or_default().push(i);
            }
            let files = [s.railpack, s.railway, s.declared_at.as_ref().map(|a| a.file)];
            for (k, file) in files.iter().enumerate() {
                if let Some(file) = file
                    && !files[..k].contains(&Some(*file))
                {
                    owning.entry(*file).or_default().push(i);
                }
            }
        }
        Index { named, owning }
    }
}

fn owner<'p>(project: &'p Project, index: &Index<'_>, d: &Diagnostic) -> Option<&'p Service> {
    if let Some(name) = &d.service {
        let named: Vec<&Service> = index
            .named
            .get(name.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &project.services[i])
            .collect();
        match named.as_slice() {
            [one] => return Some(one),
            [] => {}
            many => {
                if let Some(f) = d.file
                    && let Some(s) = many.iter().find(|s| s.railpack == Some(f) || s.railway == Some(f))
                {
                    return Some(s);
                }
                if let Some(s) = by_manifest_pointer(project, d) {
                    return Some(s);
                }
                return None;
            }
        }
    }
    let file = d.file?;
    if project.manifest == Some(file)
        && let Some(s) = by_manifest_pointer(project, d)
    {
        return Some(s);
    }
    // A file several services claim is the file's, not one of theirs.
    match index.owning.get(&file).map(Vec::as_slice) {
        Some([one]) => Some(&project.services[*one]),
        _ => None,
    }
}

fn by_manifest_pointer<'p>(project: &'p Project, d: &Diagnostic) -> Option<&'p Service> {
    let file = d.file?;
    project.services.iter().find(|s| {
        s.declared_at.as_ref().is_some_and(|at| {
            at.file == file
                && (d
                    .pointer
                    .as_deref()
                    .is_some_and(|p| p == at.pointer || p.starts_with(&format!("{}/", at.pointer)))
                    || (at.span.start <= d.span.start && d.span.end <= at.span.end))
        })
    })
}

/// Rules about what Railpack does: moot when another builder builds the service.
const RAILPACK_ONLY: &[&str] = &[
    "RC203", "RC606", "RC701", "RC702", "RC703", "RC704", "RC706", "RC707", "RC708", "RC709", "RC710", "RC711",
    "RC713", "RC715",
];

/// Findings on an unused railpack.json that still matter: it does not load, it holds a
/// credential, or it is unused (RC604 says so).
fn kept_on_unused_railpack(code: &str) -> bool {
    code.starts_with("RC1") || code == "RC304" || code == "RC604"
}

/// Applies each service's builder and Root Directory certainty to its findings (see
/// `Diagnostic::root_dependent`), and adds one RC607 info per service whose unknown root
/// silenced something.
pub(crate) fn gate(project: &Project, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut silenced: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    let mut out = Vec::with_capacity(diagnostics.len());
    for mut d in diagnostics {
        let Some(service) = d.service.as_deref().and_then(|id| project.service_by_id(id)) else {
            out.push(d);
            continue;
        };
        let code = d.rule.code;
        let on_railpack = d.file.is_some() && d.file == service.railpack;
        match service.build.kind {
            BuilderKind::Dockerfile if on_railpack && !kept_on_unused_railpack(code) => continue,
            BuilderKind::Dockerfile if RAILPACK_ONLY.contains(&code) => continue,
            BuilderKind::Nixpacks if on_railpack && !kept_on_unused_railpack(code) => continue,
            _ => {}
        }
        if d.root_dependent {
            match &service.root_fact.certainty {
                Certainty::Known { .. } => {}
                Certainty::Inferred { evidence } => {
                    if d.severity == Severity::Error {
                        d.severity = Severity::Warning;
                    }
                    let said = format!(
                        "this assumes the Root Directory is `{}`, inferred ({}), not stated; state it with `root` in \
                         railcheck.toml `[services.{}]` or in .railway/railway.ts",
                        service.root_fact.shown(),
                        evidence.join("; "),
                        service.name
                    );
                    d.note = Some(match d.note.take() {
                        Some(note) => format!("{note}; {said}"),
                        None => said,
                    });
                }
                Certainty::Unknown { .. } => {
                    let codes = silenced.entry(service.id.clone()).or_default();
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                    continue;
                }
            }
        }
        out.push(d);
    }
    for (id, codes) in silenced {
        let Some(service) = project.service_by_id(&id) else {
            continue;
        };
        let Some(anchor) = service.anchor() else { continue };
        let Certainty::Unknown { evidence } = &service.root_fact.certainty else {
            continue;
        };
        let why = if evidence.is_empty() {
            "nothing in its settings says whether it is the repository root or its config's folder".to_string()
        } else {
            format!("its settings point both ways: {}", evidence.join("; "))
        };
        let mut d = Diagnostic::new(
            &root_unknown::META,
            anchor.file,
            anchor.key_or_value(),
            format!(
                "Root Directory of service `{}` unknown: skipped {}, which depend on it",
                service.name,
                codes.join(", ")
            ),
        )
        .help(format!(
            "state it: `root = \"{}\"` (or `\".\"` for the repository root) in railcheck.toml `[services.{}]`, or \
             `root` for the service in .railway/railway.ts",
            service.dir, service.name
        ))
        .note(why);
        d.service = Some(id);
        out.push(d);
    }
    out
}

/// How a superseding finding covers another.
#[derive(Clone, Copy)]
enum Cover {
    /// Same file, and the same JSON Pointer or overlapping spans: the same setting.
    SameSetting,
    /// The loser sits inside the winner's span or inside a top-level block one of the
    /// winner's spans names (RC204 names each unread top-level key).
    InsideBlock,
    /// Same service: one cause seen from two places (the root's missing lockfile).
    SameService,
}

/// (winner, loser, how): when both are reported, the loser is dropped and its message goes
/// into the winner's note. One cause, one finding.
const SUPERSEDES: &[(&str, &str, Cover)] = &[
    // An unread guide-format block says it once for every key in it.
    ("RC204", "RC202", Cover::InsideBlock),
    // A health setting in a file Railway does not read: RC405 says where it belongs.
    ("RC405", "RC202", Cover::SameSetting),
    // The service root leaves the workspace lockfile behind: the frozen install fails for it.
    ("RC606", "RC702", Cover::SameService),
    // A reference that reaches the app as literal text: its scheme does not matter yet.
    ("RC508", "RC504", Cover::SameSetting),
    // A command object of no known form: RC715 says what Railpack runs instead; the
    // schema's "missing `cmd`" is the same cause.
    ("RC715", "RC201", Cover::SameSetting),
];

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a == b || (a.start < b.end && b.start < a.end)
}

/// The ranges a finding covers for `Cover::InsideBlock`: its spans, each widened to the
/// whole top-level member when it is that member's key.
fn block_ranges(project: &Project, d: &Diagnostic) -> Vec<Range<usize>> {
    let Some(file) = d.file else { return Vec::new() };
    let members = project
        .file(file)
        .tree
        .as_ref()
        .and_then(|t| t.as_object())
        .unwrap_or_default();
    std::iter::once(d.span.clone())
        .chain(d.labels.iter().filter(|l| l.file == file).map(|l| l.span.clone()))
        .map(|span| {
            members
                .iter()
                .find(|m| m.key_span == span)
                .map_or(span, |m| m.key_span.start..m.value.span.end)
        })
        .collect()
}

fn covers(project: &Project, winner: &Diagnostic, loser: &Diagnostic, how: Cover) -> bool {
    match how {
        Cover::SameService => loser.service.is_some() && winner.service == loser.service,
        Cover::SameSetting => {
            winner.file == loser.file
                && winner.file.is_some()
                && ((winner.pointer.is_some() && winner.pointer == loser.pointer)
                    || overlaps(&winner.span, &loser.span))
        }
        Cover::InsideBlock => {
            winner.file == loser.file
                && winner.file.is_some()
                && block_ranges(project, winner)
                    .iter()
                    .any(|r| r.start <= loser.span.start && loser.span.end <= r.end)
        }
    }
}

/// Drops each finding a superseding finding covers, merging what it said into the
/// winner's note.
pub(crate) fn supersede(project: &Project, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut dropped = vec![false; diagnostics.len()];
    let mut merged: Vec<Vec<String>> = vec![Vec::new(); diagnostics.len()];
    for &(win, lose, how) in SUPERSEDES {
        for l in 0..diagnostics.len() {
            if dropped[l] || diagnostics[l].rule.code != lose {
                continue;
            }
            let winner = (0..diagnostics.len()).find(|&w| {
                !dropped[w] && diagnostics[w].rule.code == win && covers(project, &diagnostics[w], &diagnostics[l], how)
            });
            if let Some(w) = winner {
                dropped[l] = true;
                let loser = &diagnostics[l];
                let line = match loser.file {
                    Some(f) if loser.file != diagnostics[w].file => {
                        let file = project.file(f);
                        format!(
                            "{} ({}:{})",
                            loser.message,
                            file.path,
                            file.line_col(loser.span.start).0
                        )
                    }
                    _ => loser.message.clone(),
                };
                let entry = format!("also {} {}: {line}", loser.rule.code, loser.rule.name);
                if !merged[w].contains(&entry) {
                    merged[w].push(entry);
                }
                // What the loser had merged travels with it.
                let carried = std::mem::take(&mut merged[l]);
                merged[w].extend(carried);
            }
        }
    }
    for (i, d) in diagnostics.iter_mut().enumerate() {
        if merged[i].is_empty() {
            continue;
        }
        let also = merged[i].join("; ");
        d.note = Some(match d.note.take() {
            Some(note) => format!("{note}; {also}"),
            None => also,
        });
    }
    let mut keep = dropped.iter().map(|d| !d);
    diagnostics.retain(|_| keep.next().unwrap_or(true));
    diagnostics
}
