//! Command-line interface (clap derive). Parsed options stay here; `config.rs` holds
//! what they resolve to.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "railcheck",
    version,
    about = "Check a repository's Railway and Railpack configs before you push"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the configs of a project (default: the current folder) and print a readiness report.
    Validate(ValidateArgs),
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print a rule's documentation.
    Explain {
        /// A rule code (RC202) or name (ignored-key).
        rule: String,
    },
    /// Print a bundled JSON schema.
    Schema {
        #[arg(value_enum)]
        name: SchemaName,
    },
    /// Print a shell completion script (e.g. `railcheck completions bash > /etc/bash_completion.d/railcheck`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page in roff (e.g. `railcheck man > /usr/local/share/man/man1/railcheck.1`).
    Man,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SchemaName {
    Railpack,
    Services,
    Railway,
}

impl SchemaName {
    pub fn as_str(self) -> &'static str {
        match self {
            SchemaName::Railpack => "railpack",
            SchemaName::Services => "services",
            SchemaName::Railway => "railway",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the run too.
    Warnings,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A project folder, or config files inside one (only their findings are reported).
    pub paths: Vec<PathBuf>,
    /// Output format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// When to use colour in the human format (auto: on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE=1 forces it).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Fail on warnings as well as errors.
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Only run these rules (codes, code prefixes such as RC3, or names).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (codes, code prefixes, or names).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Read settings from this file instead of looking for railcheck.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every railcheck.toml; use defaults and the command line only.
    #[arg(long)]
    pub isolated: bool,
    /// Skip paths matching this glob (relative to the project root); repeatable.
    #[arg(long)]
    pub exclude: Vec<String>,
    /// Run the smoke commands `railcheck.toml` lists per service (`[services.NAME] smoke = [...]`).
    #[arg(long)]
    pub smoke: bool,
    /// Seconds each smoke command may run before it is killed.
    #[arg(long, value_name = "SECS", default_value_t = crate::config::DEFAULT_SMOKE_TIMEOUT_SECS, requires = "smoke")]
    pub smoke_timeout: u64,
    /// Print only the findings and the summary line, without the per-service verdicts.
    #[arg(long, short)]
    pub quiet: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
