//! Renderers: each turns the finished list of findings into text. None decides anything.

pub(crate) mod baseline;
pub(crate) mod concise;
pub mod docs;
pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;
pub(crate) mod statistics;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Project;
use crate::util::text::plural;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Findings grouped by service with code frames, verdicts and a summary.
    Human,
    /// One line per finding: `file:line:col: severity[CODE name] message`.
    Concise,
    /// One versioned JSON document (`schema_version`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`): annotations on the diff.
    Github,
}

pub struct Report<'a> {
    pub project: &'a Project,
    pub diagnostics: &'a [Diagnostic],
    /// Findings at or above this level make the project NOT READY.
    pub fail_level: Severity,
    pub color: bool,
    /// The project root relative to the repository root (`/`-separated, "" when the same):
    /// SARIF and GitHub annotations name files relative to the checkout.
    pub base: &'a str,
    /// Human format only: skip service headers and verdicts, keep findings and the summary.
    pub quiet: bool,
}

/// A finding's file and 1-based (line, column) of its start and end.
pub(crate) struct Position {
    pub(crate) path: String,
    pub(crate) start: (usize, usize),
    pub(crate) end: (usize, usize),
}

#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub(crate) struct Counts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
}

impl Counts {
    pub(crate) fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
        let mut counts = Counts::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

impl Report<'_> {
    pub(crate) fn failing<'a>(&self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> bool {
        diagnostics.into_iter().any(|d| d.severity >= self.fail_level)
    }

    pub(crate) fn ready(&self) -> bool {
        !self.failing(self.diagnostics)
    }

    /// 1-based line and column of a finding's start and end, or `None` for project findings.
    pub(crate) fn position(&self, d: &Diagnostic) -> Option<Position> {
        let file = self.project.file(d.file?);
        Some(Position {
            path: file.path.clone(),
            start: file.line_col(d.span.start),
            end: file.line_col(d.span.end),
        })
    }

    /// A project-relative path as seen from the repository root.
    pub(crate) fn repo_path(&self, path: &str) -> String {
        if self.base.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.base)
        }
    }

    /// Renders the report. Every format goes through a last secret scrub, so that a value
    /// a renderer takes from the model (a health path in a service header, say) cannot
    /// print a credential that the loader saw in a file.
    pub fn render(&self, format: Format) -> String {
        let text = match format {
            Format::Human => human::render(self),
            Format::Concise => concise::render(self),
            Format::Json => json::render(self),
            Format::Sarif => sarif::render(self),
            Format::Github => github::render(self),
        };
        let known = self.project.known_secrets();
        match crate::facts::secrets::mask_known(&text, known) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(masked) => masked,
        }
    }
}

/// What a report says about one service: where its settings come from.
pub(crate) struct ServiceFacts {
    pub(crate) name: String,
    /// The service's id (`Service::id`): its config folder, `.` for the repository root.
    pub(crate) id: String,
    /// The name as shown where services are listed: the name, plus `[id]` when another
    /// service has the same name.
    pub(crate) label: String,
    /// `.` for the repository root.
    pub(crate) root: String,
    /// `known`, `inferred` or `unknown`.
    pub(crate) root_certainty: &'static str,
    /// Where a known root is stated, or the evidence for an inferred one (or both ways,
    /// for an unknown one).
    pub(crate) root_source: Vec<String>,
    /// `railpack`, `dockerfile` or `nixpacks`, and why.
    pub(crate) builder: &'static str,
    pub(crate) builder_from: String,
    /// `npm`, `pnpm`, `yarn1`, `yarn-berry`, `bun`, from the root's package.json / lockfile.
    pub(crate) package_manager: Option<&'static str>,
    pub(crate) package_manager_from: Option<String>,
    /// The provider Railpack uses, when a native file sets one.
    pub(crate) provider: Option<String>,
    /// The file that sets the provider.
    pub(crate) provider_from: Option<String>,
    pub(crate) health_path: Option<String>,
    pub(crate) health_from: Option<String>,
    /// Whether Railway reads the health check where it is set (from 2026-12-01: not in a
    /// railway.json/railway.toml).
    pub(crate) health_read: bool,
    /// The health check is in a Config-as-Code file, read until 2026-12-01 only.
    pub(crate) health_retired: bool,
    pub(crate) start_from: Option<String>,
    /// Whether Railway or Railpack reads the start command where it is set.
    pub(crate) start_read: bool,
}

impl ServiceFacts {
    /// How reports name the service: its name, with its id when another service shares it.
    pub(crate) fn label(project: &Project, s: &crate::model::Service) -> String {
        if project.name_is_shared(&s.name) {
            format!("{} [{}]", s.name, s.id)
        } else {
            s.name.clone()
        }
    }

    pub(crate) fn of(project: &Project, s: &crate::model::Service) -> ServiceFacts {
        let path = |file| project.file(file).path.clone();
        let provider = s.effective_provider();
        let health = s.health_source();
        let start = s.start_source();
        let label = ServiceFacts::label(project, s);
        ServiceFacts {
            name: s.name.clone(),
            id: s.id.clone(),
            label,
            root: if s.root.is_empty() {
                ".".to_string()
            } else {
                s.root.clone()
            },
            root_certainty: s.root_fact.certainty_str(),
            root_source: match &s.root_fact.certainty {
                crate::model::root::Certainty::Known { from, .. } => vec![from.clone()],
                crate::model::root::Certainty::Inferred { evidence }
                | crate::model::root::Certainty::Unknown { evidence } => evidence.clone(),
            },
            builder: s.build.kind.as_str(),
            builder_from: s.build.from.clone(),
            package_manager: s.package_manager.as_ref().map(|p| p.manager.as_str()),
            package_manager_from: s.package_manager.as_ref().map(|p| p.from.clone()),
            provider: provider.map(|p| crate::facts::secrets::redact(&p.value)),
            provider_from: provider.map(|p| path(p.at.file)),
            health_path: health.map(|(h, _)| crate::facts::secrets::redact(&h.value)),
            health_from: health.map(|(h, _)| path(h.at.file)),
            health_read: health.is_some_and(|(h, read)| read && h.origin != crate::model::Origin::Railway),
            health_retired: health.is_some_and(|(h, read)| read && h.origin == crate::model::Origin::Railway),
            start_from: start.map(|(c, _)| path(c.at.file)),
            start_read: start.is_some_and(|(_, read)| read),
        }
    }
}

impl Counts {
    /// `1 error, 2 warnings, 0 infos`
    pub(crate) fn describe(self) -> String {
        format!(
            "{}, {}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info")
        )
    }
}

pub(crate) fn summary_line(counts: Counts, files: usize, services: usize) -> String {
    format!(
        "{} in {} ({})",
        counts.describe(),
        plural(files, "file"),
        plural(services, "service")
    )
}

/// Replaces control characters (ESC above all) with a visible `\u{..}` form, so that text
/// taken from a user's file can never drive the terminal in a plain-text format.
/// Newlines and tabs are kept.
pub(crate) fn defang(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}
