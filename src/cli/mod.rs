//! What each subcommand does, between the parsed command line and the pipeline.

mod cmd_validate;
mod cmd_docs;
mod cmd_migrate;
mod cmd_env;
mod cmd_probe;
mod cmd_plan;
mod validate_extras;

use cmd_env::*;
use cmd_migrate::*;
use cmd_plan::*;
use cmd_probe::*;
use cmd_validate::*;

pub(crate) mod args;

use std::io::Write;

use anyhow::{Result, bail};
use clap::{CommandFactory, FromArgMatches};

use crate::cli::args::{Cli, ColorChoice, Subcommand};
use crate::rules;

/// How a run ends, as the process exit status (documented in the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: ready (no finding at the failing level), or a command that succeeded.
    Success,
    /// 1: findings at or above the failing level (or a failed probe or audit).
    Findings,
    /// 2: usage error, unreadable target, bad `railcheck.toml`, internal error.
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(match status {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        })
    }
}

pub fn run() -> Result<ExitStatus> {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Subcommand::Validate(args) => validate(args),
        Subcommand::Migrate(args) => migrate(args),
        Subcommand::Env(args) => {
            let sub = matches.subcommand_matches("env").expect("clap matched `env`");
            env(&args, sub)
        }
        Subcommand::Probe(args) => probe_command(&args),
        Subcommand::Plan(args) => plan(&args),
        Subcommand::Rules(args) => {
            print(&cmd_docs::rules_list(&args)?)?;
            Ok(ExitStatus::Success)
        }
        Subcommand::Explain { rule } => {
            let Some(rule) = rules::find(&rule) else {
                bail!("no rule `{rule}`{}", crate::config::did_you_mean(&rule));
            };
            let m = rule.meta;
            print(&format!(
                "{} {} ({})\n\n{}\n\n{}\n",
                m.code,
                m.name,
                level(rule),
                m.summary(),
                m.docs()
            ))?;
            Ok(ExitStatus::Success)
        }
        Subcommand::Schema { name } => {
            let text = crate::platform::schema::bundled(name.as_str()).expect("every SchemaName is bundled");
            print(text)?;
            Ok(ExitStatus::Success)
        }
        Subcommand::Completions { shell } => {
            print(&cmd_docs::completions(shell))?;
            Ok(ExitStatus::Success)
        }
        Subcommand::Man => {
            print(&cmd_docs::man_page()?)?;
            Ok(ExitStatus::Success)
        }
    }
}

/// Where `railcheck.toml` comes from: `--isolated` (none), `--config FILE`, or the search
/// from the project folder up to the repository root.
pub(super) fn config_source(config: Option<&std::path::PathBuf>, isolated: bool) -> crate::config::ConfigSource {
    use crate::config::ConfigSource;
    match (config, isolated) {
        (_, true) => ConfigSource::Isolated,
        (Some(file), false) => ConfigSource::File(file.clone()),
        (None, false) => ConfigSource::Discover,
    }
}

/// A rule's default severity, or `retired`.
fn level(rule: &rules::Rule) -> &'static str {
    if rule.is_retired() {
        "retired"
    } else {
        rule.meta.severity.as_str()
    }
}

fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// `railcheck ... | head` closes the pipe early; that is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Colour in the human format: `--color always|never` decide alone; with `auto`, `NO_COLOR`
/// turns it off, then `CLICOLOR_FORCE` turns it on, otherwise only a terminal gets colour.
pub(crate) fn color_enabled(choice: ColorChoice, no_color: bool, clicolor_force: bool, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color => false,
        ColorChoice::Auto => clicolor_force || is_terminal,
    }
}

/// no-color.org: set and not empty, whatever the value (even `0`). `TERM=dumb` (a terminal
/// without escape sequences) counts as the same request, unless CLICOLOR_FORCE is set.
fn no_color_env() -> bool {
    no_color_from(
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
        clicolor_force_env(),
    )
}

fn no_color_from(no_color: Option<&std::ffi::OsStr>, term: Option<&std::ffi::OsStr>, force: bool) -> bool {
    no_color.is_some_and(|v| !v.is_empty()) || (term.is_some_and(|t| t == "dumb") && !force)
}

/// bixense.com/clicolors: set and not `0`.
fn clicolor_force_env() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_dumb_turns_colour_off_unless_forced() {
        use std::ffi::OsStr;
        let dumb = Some(OsStr::new("dumb"));
        assert!(no_color_from(None, dumb, false));
        assert!(!no_color_from(None, dumb, true));
        assert!(!no_color_from(None, Some(OsStr::new("xterm-256color")), false));
        assert!(no_color_from(Some(OsStr::new("1")), None, true));
        assert!(!no_color_from(Some(OsStr::new("")), None, false));
    }

    #[test]
    fn colour_rules() {
        use ColorChoice::*;
        // (choice, NO_COLOR, CLICOLOR_FORCE, terminal) -> colour
        let cases = [
            (Auto, false, false, true, true),
            (Auto, false, false, false, false),
            (Auto, true, false, true, false),
            (Auto, false, true, false, true),
            (Auto, true, true, true, false),
            (Always, true, false, false, true),
            (Never, false, true, true, false),
        ];
        for (choice, no_color, force, tty, want) in cases {
            assert_eq!(
                color_enabled(choice, no_color, force, tty),
                want,
                "{choice:?} {no_color} {force} {tty}"
            );
        }
    }
}
