//! Rewrites migrate applies to command text, each only when it is sure, and the reasons
//! it gives when it is not. Commands are read with `crate::facts::shell`; nothing is executed.

use std::path::Path;

use crate::facts::shell::{self, CdTarget, Op, unwrap_command};

/// What migrate knows about the service a command runs in.
pub(crate) struct CommandContext<'a> {
    /// The service root relative to the project root, "" for the root itself.
    pub(crate) root: &'a str,
    /// The service root on disk.
    pub(crate) root_dir: &'a Path,
    /// Why the service's Yarn is Berry (2+), when it is.
    pub(crate) yarn_berry: Option<&'a str>,
}

/// A command after the fixes, with what was changed and what was left alone and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Fixed {
    pub(crate) text: String,
    pub(crate) applied: Vec<String>,
    pub(crate) refused: Vec<String>,
}

pub(crate) fn fix_command(text: &str, cx: &CommandContext<'_>) -> Fixed {
    let mut fixed = Fixed {
        text: text.to_string(),
        ..Fixed::default()
    };
    redundant_cd(&mut fixed, cx);
    frozen_lockfile(&mut fixed, cx);
    fixed
}

/// `cd /app/packages/web && yarn build` in a service whose root is `packages/web`: the
/// root already is `/app`, so the `cd` fails. Dropped only when it is the first command,
/// joined by `&&`, goes to exactly the root, and the root has no folder of that name.
fn redundant_cd(fixed: &mut Fixed, cx: &CommandContext<'_>) {
    if cx.root.is_empty() {
        return;
    }
    let script = shell::parse(&fixed.text);
    for cd in &script.cds {
        let CdTarget::Inside(rel) = &cd.to else { continue };
        let repeats_root = rel == cx.root || rel.starts_with(&format!("{}/", cx.root));
        if !repeats_root || cx.root_dir.join(rel).is_dir() {
            continue;
        }
        let simple = &script.commands[cd.command];
        let written = &fixed.text[simple.span.clone()];
        let refuse = |why: String| format!("left `{written}` in `{}` as it is: {why}", fixed.text);
        let reason = if cd.command != 0 {
            Some(refuse(
                "it is not the first command, so the folder it starts from is not certain".into(),
            ))
        } else if rel != cx.root {
            let inner = &rel[cx.root.len() + 1..];
            Some(refuse(format!(
                "it goes below the service root; write `cd /app/{inner}` (the root `{}` is `/app`)",
                cx.root
            )))
        } else if simple.argv.len() != 2 || !simple.assigns.is_empty() || !simple.redirects.is_empty() {
            Some(refuse(
                "the `cd` has more than one argument, an assignment or a redirection".into(),
            ))
        } else if simple.next != Some(Op::And) || script.commands.len() < 2 {
            Some(refuse(
                "it is not followed by `&& command`, so dropping it could change what runs".into(),
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            fixed.refused.push(reason);
            return;
        }
        let rest_start = script.commands[1].span.start;
        let dropped = fixed.text[..rest_start].trim_end().to_string();
        fixed.text = fixed.text[rest_start..].to_string();
        fixed.applied.push(format!(
            "dropped `{dropped}`: the service root `{}` already is `/app`, where `{}` now runs",
            cx.root, fixed.text
        ));
        return;
    }
}

/// `yarn install --frozen-lockfile` with Yarn Berry: the flag is a deprecated alias of
/// `--immutable` (YN0050) that early Yarn 2 rejected.
fn frozen_lockfile(fixed: &mut Fixed, cx: &CommandContext<'_>) {
    let Some(reason) = cx.yarn_berry else { return };
    let script = shell::parse(&fixed.text);
    let mut spans = Vec::new();
    for simple in &script.commands {
        let argv = &simple.argv[unwrap_command(&simple.argv)..];
        let is_install = argv.first().is_some_and(|w| w.text == "yarn")
            && argv
                .get(1)
                .is_none_or(|w| w.text == "install" || w.text.starts_with('-'));
        if !is_install {
            continue;
        }
        spans.extend(
            argv.iter()
                .filter(|w| w.text == "--frozen-lockfile" && !w.dynamic)
                .map(|w| w.span.clone()),
        );
    }
    if spans.is_empty() {
        return;
    }
    for span in spans.iter().rev() {
        fixed.text.replace_range(span.clone(), "--immutable");
    }
    fixed.applied.push(format!(
        "`--frozen-lockfile` -> `--immutable` in `{}` ({reason}; Yarn 2+ deprecates the old flag)",
        fixed.text
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str, root: &str, berry: bool) -> Fixed {
        let dir = tempfile::tempdir().unwrap();
        fix_command(
            text,
            &CommandContext {
                root,
                root_dir: dir.path(),
                yarn_berry: berry.then_some("package.json declares yarn@4"),
            },
        )
    }

    #[test]
    fn drops_a_cd_into_the_root_itself() {
        let f = fix(
            "cd /app/packages/web && RAILWAY_ENVIRONMENT=production yarn build",
            "packages/web",
            false,
        );
        assert_eq!(f.text, "RAILWAY_ENVIRONMENT=production yarn build");
        assert_eq!(f.applied.len(), 1, "{f:?}");
        assert!(f.applied[0].starts_with("dropped `cd /app/packages/web &&`"), "{f:?}");
        let f = fix("cd packages/web && yarn build", "packages/web", false);
        assert_eq!(f.text, "yarn build");
    }

    #[test]
    fn refuses_when_not_sure() {
        for (text, why) in [
            ("cd /app/packages/web; yarn build", "not followed by `&& command`"),
            ("yarn x && cd /app/packages/web && yarn build", "not the first command"),
            ("cd /app/packages/web/src && yarn build", "write `cd /app/src`"),
            ("cd /app/packages/web", "not followed by"),
        ] {
            let f = fix(text, "packages/web", false);
            assert_eq!(f.text, text);
            assert!(f.applied.is_empty());
            assert_eq!(f.refused.len(), 1, "{text}: {f:?}");
            assert!(f.refused[0].contains(why), "{text}: {f:?}");
        }
        // A valid cd, a root service, and a cd the root really has: nothing to say.
        for (text, root) in [
            ("cd /app && yarn install", "packages/web"),
            ("cd packages/core && pip install -e .", ""),
        ] {
            assert_eq!(
                fix(text, root, false),
                Fixed {
                    text: text.into(),
                    ..Fixed::default()
                }
            );
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("web")).unwrap();
        let cx = CommandContext {
            root: "web",
            root_dir: dir.path(),
            yarn_berry: None,
        };
        assert!(fix_command("cd web && make", &cx).refused.is_empty());
        assert_eq!(fix_command("cd web && make", &cx).text, "cd web && make");
    }

    #[test]
    fn frozen_lockfile_becomes_immutable_only_with_berry() {
        let f = fix("cd /app && yarn install --frozen-lockfile", "packages/web", true);
        assert_eq!(f.text, "cd /app && yarn install --immutable");
        assert_eq!(f.applied.len(), 1);
        assert_eq!(fix("yarn --frozen-lockfile", "", true).text, "yarn --immutable");
        let classic = fix("yarn install --frozen-lockfile", "", false);
        assert_eq!(classic.text, "yarn install --frozen-lockfile");
        assert!(classic.applied.is_empty());
        // Not an install: left alone.
        assert_eq!(
            fix("yarn build --frozen-lockfile", "", true).text,
            "yarn build --frozen-lockfile"
        );
    }
}
