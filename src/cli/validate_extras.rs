//! The parts of `validate` beyond the report: `--fix`/`--diff`, `--baseline`,
//! `--show-files`. `cmd_validate` calls in at fixed points; the logic lives in
//! `pipeline::fix`, `report::baseline` and `pipeline::discover`.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use crate::diagnostic::Diagnostic;
use crate::migrate::FileChange;
use crate::model::Project;
use crate::pipeline::{self, fix};
use crate::report::baseline::Baseline;
use crate::util::fs::write_atomically;

use super::{ExitStatus, print};

/// `--diff`: the fixes as unified diffs (credentials masked as `migrate` masks them), and
/// exit 1 when there is any. `--fix`: each fixed file written atomically. Returns the
/// exit code when the run ends here (`--diff`).
/// Given files (`only`), only the findings in them are fixed.
pub(super) fn fix_or_diff(
    outcome: &pipeline::Outcome,
    only: Option<&[String]>,
    write: bool,
) -> Result<Option<ExitStatus>> {
    let project = &outcome.project;
    let in_scope: Vec<Diagnostic> = outcome
        .diagnostics
        .iter()
        .filter(|d| only.is_none_or(|files| d.file.is_some_and(|f| files.contains(&project.file(f).path))))
        .cloned()
        .collect();
    let plan = fix::plan(project, &in_scope);
    let skipped = if plan.skipped > 0 {
        format!(
            " ({} skipped: they overlap another fix or would break the file's syntax)",
            plan.skipped
        )
    } else {
        String::new()
    };
    if !write {
        let mut text = String::new();
        for file in &plan.files {
            text.push_str(&crate::migrate::write::diff(&FileChange {
                path: file.path.clone(),
                old: Some(file.old.clone()),
                new: Some(file.new.clone()),
            }));
        }
        print(&text)?;
        eprintln!(
            "railcheck: {} fix{} in {} file{} would be applied by `railcheck validate --fix`{skipped}",
            plan.applied(),
            if plan.applied() == 1 { "" } else { "es" },
            plan.files.len(),
            if plan.files.len() == 1 { "" } else { "s" },
        );
        return Ok(Some(if plan.applied() == 0 {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        }));
    }
    for file in &plan.files {
        // The text was decoded when loaded: write only over the very bytes it came from.
        let on_disk = std::fs::read(&file.abs_path).with_context(|| format!("cannot read `{}`", file.path))?;
        if on_disk != file.old.as_bytes() {
            eprintln!(
                "railcheck: `{}` not fixed: it changed since it was read, or is not stored as plain UTF-8",
                file.path
            );
            continue;
        }
        write_atomically(&file.abs_path, file.new.as_bytes())
            .with_context(|| format!("cannot write `{}`", file.abs_path.display()))?;
        for what in &file.applied {
            eprintln!("railcheck: fixed {}: {what}", file.path);
        }
    }
    eprintln!(
        "railcheck: applied {} fix{} in {} file{}{skipped}; the report below is after the fixes",
        plan.applied(),
        if plan.applied() == 1 { "" } else { "es" },
        plan.files.len(),
        if plan.files.len() == 1 { "" } else { "s" },
    );
    Ok(None)
}

/// `--baseline FILE [--write-baseline]`: records the findings and ends the run (exit 0),
/// or returns the findings that are not in the baseline.
pub(super) fn baseline(
    path: &Path,
    write: bool,
    project: &Project,
    diagnostics: Vec<Diagnostic>,
    base: &str,
) -> Result<std::result::Result<Vec<Diagnostic>, ExitStatus>> {
    if write {
        let baseline = crate::report::baseline::record(project, &diagnostics, base);
        write_atomically(path, baseline.to_text().as_bytes())
            .with_context(|| format!("cannot write the baseline `{}`", path.display()))?;
        eprintln!(
            "railcheck: recorded {} finding{} in `{}`; later runs with `--baseline {}` report only new ones",
            baseline.findings.len(),
            if baseline.findings.len() == 1 { "" } else { "s" },
            path.display(),
            path.display()
        );
        return Ok(Err(ExitStatus::Success));
    }
    if !path.exists() {
        bail!(
            "baseline file `{}` does not exist: record one with `railcheck validate --baseline {} --write-baseline`",
            path.display(),
            path.display()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the baseline `{}`", path.display()))?;
    let baseline = Baseline::parse(&text).map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))?;
    let (kept, known) = baseline.new_findings(project, diagnostics, base);
    if known > 0 {
        eprintln!(
            "railcheck: {known} finding{} recorded in `{}` not shown",
            if known == 1 { "" } else { "s" },
            path.display()
        );
    }
    Ok(Ok(kept))
}

/// `--show-files`: every config file found (read, or refused and why) and every path the
/// walk skipped (pruned or excluded).
pub(super) fn show_files(root: &Path, excludes: &[String]) -> Result<String> {
    let (found, skipped) = pipeline::explain_files(root, excludes)?;
    let mut text = format!("project root: {}\n", root.display());
    for f in &found {
        match &f.refused {
            None => {
                let kind = match f.kind {
                    crate::source::FileKind::Railpack => "Railpack config",
                    crate::source::FileKind::RailwayJson | crate::source::FileKind::RailwayToml => "Railway config",
                    crate::source::FileKind::RailwayTs => "Railway infrastructure as code",
                };
                text.push_str(&format!("checked  {} ({kind})\n", f.rel_path));
            }
            Some(reason) => text.push_str(&format!("refused  {}: {reason}\n", f.rel_path)),
        }
    }
    for s in &skipped {
        text.push_str(&format!(
            "skipped  {}/: {}\n",
            s.rel_path.trim_end_matches('/'),
            s.reason
        ));
    }
    let checked = found.iter().filter(|f| f.refused.is_none()).count();
    text.push_str(&format!(
        "{checked} config file{} checked, {} refused, {} path{} skipped\n",
        if checked == 1 { "" } else { "s" },
        found.len() - checked,
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" }
    ));
    Ok(crate::report::defang(&text).into_owned())
}
