//! `railcheck migrate`: dry-run diffs, or `--write`.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::cli::args::MigrateArgs;
use crate::config::{self, Flags};
use crate::pipeline::{self, Request};

use super::*;

pub(super) fn migrate(args: MigrateArgs) -> Result<ExitStatus> {
    use crate::migrate::{self, write};
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    let source = config_source(args.config.as_ref(), false);
    let resolved = config::resolve(&root, &source, &Flags::default())?;
    let outcome = pipeline::validate(&Request {
        root: &root,
        excludes: &[],
        settings: &resolved.settings,
    })?;
    let plan = migrate::plan(
        &outcome.project,
        &migrate::Target {
            config_file: resolved.file.as_deref(),
        },
    )?;
    if plan.services.is_empty() {
        print(
            "railcheck migrate: nothing to migrate: no services manifest and no railpack.json in the guide's format\n",
        )?;
        return Ok(ExitStatus::Success);
    }
    let mut out = String::new();
    let names: Vec<String> = plan
        .services
        .iter()
        .map(|(name, root)| format!("{name} ({})", if root.is_empty() { "." } else { root }))
        .collect();
    out.push_str(&format!(
        "railcheck migrate: {} service(s): {}\n\n",
        plan.services.len(),
        names.join(", ")
    ));
    let changes: Vec<_> = plan.changes.iter().filter(|c| write::changes_anything(c)).collect();
    for change in &changes {
        out.push_str(&write::diff(change));
        out.push('\n');
    }
    let sections: [(&str, &[String]); 5] = [
        ("Fixes applied", &plan.applied),
        ("Left as written (fix by hand)", &plan.refused),
        ("Settings two files disagree on", &plan.conflicts),
        ("Dropped (nothing reads them)", &plan.dropped),
        ("To do in Railway (no file can express it)", &plan.in_railway),
    ];
    for (title, lines) in sections {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}:\n"));
        for line in lines {
            out.push_str(&format!("  {}\n", crate::facts::secrets::redact(line)));
        }
        out.push('\n');
    }
    let (mut refusals, git_note) = write::refusals(&root, &plan.changes, args.force);
    refusals.splice(0..0, plan.blocking.iter().cloned());
    if let Some(note) = &git_note {
        out.push_str(&format!("note: {note}\n"));
    }
    if !args.write {
        for refusal in &refusals {
            out.push_str(&format!("--write would refuse: {refusal}\n"));
        }
        out.push_str("Dry run: nothing written. Run `railcheck migrate --write` to write these files.\n");
        print(&out)?;
        return Ok(ExitStatus::Success);
    }
    if !refusals.is_empty() {
        print(&out)?;
        bail!("nothing written:\n  {}", refusals.join("\n  "));
    }
    for line in write::apply(&root, &plan.changes)? {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str("Done. Run `railcheck validate` to check the result, then commit the new files.\n");
    print(&out)?;
    Ok(ExitStatus::Success)
}
