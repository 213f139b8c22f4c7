//! Showing a plan (unified diffs) and carrying it out: each file written atomically, each
//! original kept as `<name>.orig`, nothing else overwritten without `--force`, and no file
//! with uncommitted changes touched without `--force`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result};
use similar::TextDiff;

use super::FileChange;
use crate::util::fs::write_atomically;

/// The unified diff of one change, `a/` and `b/` paths as git prints them.
/// Values that look like credentials are masked on both sides: the diff is printed.
pub(crate) fn diff(change: &FileChange) -> String {
    let old = masked(&change.path, change.old.as_deref().unwrap_or(""));
    let new = masked(&change.path, change.new.as_deref().unwrap_or(""));
    let from = if change.old.is_some() {
        format!("a/{}", change.path)
    } else {
        "/dev/null".to_string()
    };
    let to = if change.new.is_some() {
        format!("b/{}", change.path)
    } else {
        "/dev/null".to_string()
    };
    let mut text = TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&from, &to)
        .to_string();
    if change.new.is_none() {
        text.push_str(&format!("(kept as {}.orig)\n", change.path));
    }
    text
}

/// The text with every credential-looking value masked (same width, so lines still
/// line up): values under secret-like keys in JSON, and known credential shapes anywhere.
fn masked(path: &str, text: &str) -> String {
    let mut text = text.to_string();
    if path.ends_with(".json") {
        let loaded = crate::source::parse_json(text.clone(), crate::source::FileId(0));
        if let Some(tree) = &loaded.tree {
            let mut spans = crate::source::secret_spans(&loaded.text, Some(tree));
            spans.sort_by_key(|r| std::cmp::Reverse(r.start));
            let mut out = loaded.text.clone();
            for span in spans {
                if let Some(secret) = out.get(span.clone()) {
                    let mask = crate::facts::secrets::mask_same_width(secret);
                    out.replace_range(span, &mask);
                }
            }
            text = out;
        }
    }
    text.lines()
        .map(crate::facts::secrets::redact)
        .collect::<Vec<_>>()
        .join("\n")
        + if text.ends_with('\n') { "\n" } else { "" }
}

/// Does the change alter anything?
pub(crate) fn changes_anything(change: &FileChange) -> bool {
    change.old != change.new
}

pub(crate) fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".orig");
    path.with_file_name(name)
}

/// What git says about the files about to be replaced.
pub(crate) enum GitCheck {
    /// Paths (as given) with uncommitted changes, untracked files included.
    Checked(Vec<String>),
    /// Why the check could not run.
    Skipped(String),
}

/// `git status --porcelain -- <path>` in `root`, one path at a time: porcelain output
/// names paths from the repository root, which a project in a subfolder would not match.
pub(crate) fn uncommitted(root: &Path, paths: &[String]) -> GitCheck {
    let mut dirty = Vec::new();
    for path in paths {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["status", "--porcelain", "--"])
            .arg(path)
            .output();
        let output = match output {
            Ok(output) => output,
            Err(err) => return GitCheck::Skipped(format!("git could not be run ({err})")),
        };
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let reason = if stderr.contains("not a git repository") {
                "the project is not in a git repository".to_string()
            } else {
                format!("git status failed: {}", stderr.trim())
            };
            return GitCheck::Skipped(reason);
        }
        if !output.stdout.iter().all(u8::is_ascii_whitespace) {
            dirty.push(path.clone());
        }
    }
    GitCheck::Checked(dirty)
}

/// Why the plan may not be carried out (empty: it may), and a note when git was not asked.
pub(crate) fn refusals(root: &Path, changes: &[FileChange], force: bool) -> (Vec<String>, Option<String>) {
    let mut refusals = Vec::new();
    // Not even --force creates folders: a missing one means the plan is wrong.
    for change in changes.iter().filter(|c| changes_anything(c)) {
        let path = root.join(&change.path);
        // The one folder migrate creates: `.railway/` for railway.ts, right under the root.
        if change.path == crate::source::IAC_PATH {
            continue;
        }
        if path.parent().is_some_and(|dir| !dir.is_dir()) {
            refusals.push(format!("the folder of `{}` does not exist", change.path));
        }
    }
    if force {
        return (refusals, None);
    }
    let replaced: Vec<&FileChange> = changes
        .iter()
        .filter(|c| changes_anything(c) && c.old.is_some())
        .collect();
    for change in &replaced {
        let backup = backup_path(&root.join(&change.path));
        if std::fs::symlink_metadata(&backup).is_ok() {
            refusals.push(format!(
                "`{}.orig` already exists; migrate keeps the original there and will not overwrite it (--force does)",
                change.path
            ));
        }
    }
    for change in changes.iter().filter(|c| changes_anything(c) && c.old.is_none()) {
        // Created since the plan was made, or a dangling link: not ours to overwrite.
        if std::fs::symlink_metadata(root.join(&change.path)).is_ok() {
            refusals.push(format!(
                "`{}` exists; migrate will not overwrite it (--force does)",
                change.path
            ));
        }
    }
    let paths: Vec<String> = replaced.iter().map(|c| c.path.clone()).collect();
    let note = match uncommitted(root, &paths) {
        GitCheck::Checked(dirty) => {
            refusals.extend(dirty.into_iter().map(|p| {
                format!("`{p}` has uncommitted changes; commit or stash them first (--force skips this check)")
            }));
            None
        }
        GitCheck::Skipped(reason) => Some(format!("{reason}: skipped the check for uncommitted changes")),
    };
    (refusals, note)
}

/// Writes the plan: originals to `.orig` first, then each new file. Returns what it did.
pub(crate) fn apply(root: &Path, changes: &[FileChange]) -> Result<Vec<String>> {
    let mut done = Vec::new();
    for change in changes.iter().filter(|c| changes_anything(c)) {
        let path = root.join(&change.path);
        if change.old.is_some() {
            let original = std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
            let backup = backup_path(&path);
            write_atomically(&backup, &original).with_context(|| format!("cannot write `{}`", backup.display()))?;
            done.push(format!("kept {}.orig", change.path));
        }
        match &change.new {
            Some(text) => {
                if change.path == crate::source::IAC_PATH
                    && let Some(dir) = path.parent().filter(|d| !d.is_dir())
                {
                    std::fs::create_dir(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
                }
                write_atomically(&path, text.as_bytes())
                    .with_context(|| format!("cannot write `{}`", path.display()))?;
                done.push(format!(
                    "{} {}",
                    if change.old.is_some() { "replaced" } else { "created" },
                    change.path
                ));
            }
            None => {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove `{}`", path.display()))?;
                done.push(format!("moved {} to {}.orig", change.path, change.path));
            }
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_name_both_sides() {
        let change = FileChange {
            path: "railway.json".into(),
            old: None,
            new: Some("{\n}\n".into()),
        };
        assert_eq!(
            diff(&change),
            "--- /dev/null\n+++ b/railway.json\n@@ -0,0 +1,2 @@\n+{\n+}\n"
        );
        let change = FileChange {
            path: "a.json".into(),
            old: Some("x\ny\n".into()),
            new: Some("x\nz\n".into()),
        };
        assert_eq!(
            diff(&change),
            "--- a/a.json\n+++ b/a.json\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"
        );
    }

    #[test]
    fn credentials_are_masked_in_diffs() {
        let key = "sk-proj-Zq3xV9mB2nL5kP8wR4tY7uI1oA6sD0fG";
        let change = FileChange {
            path: "railpack.json".into(),
            old: Some(format!(
                "{{\n  \"API_TOKEN\": \"a8f3k2j5h7g9d1s4\",\n  \"x\": \"{key}\"\n}}\n"
            )),
            new: Some("{}\n".into()),
        };
        let text = diff(&change);
        assert!(!text.contains(&key[4..]), "{text}");
        assert!(!text.contains("a8f3k2j5h7g9d1s4"), "{text}");
        assert!(text.contains("\"API_TOKEN\": \"a8f3************\""), "{text}");
    }

    #[test]
    fn backups_sit_beside_the_file() {
        assert_eq!(
            backup_path(Path::new("/r/packages/web/railpack.json")),
            Path::new("/r/packages/web/railpack.json.orig")
        );
    }
}
