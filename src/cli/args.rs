//! Command-line interface (clap derive). Parsed options stay here; `config.rs` holds
//! what they resolve to.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, ValueEnum};

use crate::config::ConfigSource;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "railcheck",
    version,
    about = "Check a repository's Railway and Railpack configs before you push"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Subcommand,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum Subcommand {
    /// Check the configs of a project (default: the current folder) and print a readiness report.
    Validate(ValidateArgs),
    /// Audit a service's variables: class, credentials, references, what the build can see.
    /// Never prints a value.
    Env(EnvArgs),
    /// Probe live health endpoints and check the guide's health contract.
    Probe(ProbeArgs),
    /// List every rule: code, name, the severity you will see (after railcheck.toml), summary.
    Rules(RulesArgs),
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
    /// Turn the guide's layout (services manifest, guide-format service files) and
    /// railway.json/railway.toml files into a native railpack.json per service and one
    /// .railway/railway.ts, with the service map in railcheck.toml.
    /// Prints the plan as unified diffs; changes nothing without --write.
    Migrate(MigrateArgs),
    /// Show what Railway and Railpack will do with each service (root, builder, provider,
    /// steps, shells, what the build can read, start command, health check, variables) and
    /// where each fact comes from. Reads files only; never prints a secret value.
    Plan(PlanArgs),
    /// Print a shell completion script (e.g. `railcheck completions bash > /etc/bash_completion.d/railcheck`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page in roff (e.g. `railcheck man > /usr/local/share/man/man1/railcheck.1`).
    Man,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub(crate) format: OutputFormat,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// `--config` and `--isolated`: where `railcheck.toml` comes from (`validate`, `plan`, `rules`).
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// Read settings from this file instead of looking for railcheck.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub(crate) config: Option<PathBuf>,
    /// Ignore every railcheck.toml: use the default settings and the options given here.
    #[arg(long)]
    pub(crate) isolated: bool,
}

impl ConfigArgs {
    pub(crate) fn source(&self) -> ConfigSource {
        super::config_source(self.config.as_ref(), self.isolated)
    }
}

/// `--format human|json` (`env`, `probe`, `plan`): one versioned JSON document, or text.
#[derive(Debug, Args)]
pub(crate) struct FormatArg {
    /// Output format (json: versioned, `schema_version` 1).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub(crate) format: OutputFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum SchemaName {
    Railpack,
    Services,
    Railway,
}

impl SchemaName {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SchemaName::Railpack => "railpack",
            SchemaName::Services => "services",
            SchemaName::Railway => "railway",
        }
    }
}

/// `--kind`: what a config file with another name is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConfigKind {
    /// A Railpack config (what `railpack.json` holds).
    Railpack,
    /// A Railway config-as-code file (what `railway.json` or `railway.toml` holds).
    Railway,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Deny {
    /// Warnings fail the run too.
    Warnings,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// A project folder, or config files inside one (only their findings are reported).
    pub(crate) paths: Vec<PathBuf>,
    /// Output format [default: human, or github when GITHUB_ACTIONS=true].
    #[arg(long, value_enum, alias = "output-format")]
    pub(crate) format: Option<Format>,
    /// The kind of the config files given as arguments whose names do not say it
    /// (default: from their content).
    #[arg(long, value_enum, value_name = "KIND")]
    pub(crate) kind: Option<ConfigKind>,
    /// Write the report to this file (atomically, creating its folder) instead of standard
    /// output; `-` is standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output_file: Option<PathBuf>,
    /// When to use colour in the human format (auto: on a terminal, unless NO_COLOR is set or
    /// TERM=dumb; CLICOLOR_FORCE=1 forces it).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// Fail on warnings as well as errors.
    #[arg(long, value_enum)]
    pub(crate) deny: Option<Deny>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub(crate) exit_zero: bool,
    /// Only run these rules (codes, code prefixes such as RC3, or names).
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Vec<String>,
    /// Skip these rules (codes, code prefixes, or names).
    #[arg(long, value_delimiter = ',')]
    pub(crate) ignore: Vec<String>,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Skip paths matching this glob (relative to the project root); repeatable.
    #[arg(long)]
    pub(crate) exclude: Vec<String>,
    /// Run the smoke commands `railcheck.toml` lists per service (`[services.NAME] smoke = [...]`).
    #[arg(long)]
    pub(crate) smoke: bool,
    /// Seconds each smoke command may run before it is killed.
    #[arg(long, value_name = "SECS", default_value_t = crate::settings::DEFAULT_SMOKE_TIMEOUT_SECS, requires = "smoke")]
    pub(crate) smoke_timeout: u64,
    /// Print only the findings and the summary line, without the per-service verdicts.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    #[command(flatten)]
    pub(crate) extras: ValidateExtras,
}

/// Baseline, fixes and introspection (`validate_extras.rs`).
#[derive(Debug, Args)]
pub(crate) struct ValidateExtras {
    /// Report only findings that are not recorded in this baseline file (it must exist;
    /// record it with --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Record today's findings in the --baseline file (created or replaced, atomically) and exit 0.
    #[arg(long, requires = "baseline")]
    pub(crate) write_baseline: bool,
    /// Apply the certain fixes (key renames, `--frozen-lockfile` -> `--immutable` under Yarn Berry),
    /// keeping comments and formatting, then report what remains.
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    pub(crate) fix: bool,
    /// Print the fixes --fix would apply as unified diffs and change nothing (exit 1 when there are some).
    #[arg(long, conflicts_with = "write_baseline")]
    pub(crate) diff: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub(crate) statistics: bool,
    /// Print the resolved settings and where each value comes from (default, railcheck.toml:LINE, a flag); check nothing.
    #[arg(long, conflicts_with = "show_files")]
    pub(crate) show_settings: bool,
    /// Print the config files found, the ones refused and the paths skipped, with why; check nothing.
    #[arg(long)]
    pub(crate) show_files: bool,
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// The project folder (default: the current folder).
    pub(crate) path: Option<PathBuf>,
    /// Write the files (each original kept as <name>.orig). Without it nothing changes.
    #[arg(long)]
    pub(crate) write: bool,
    /// With --write: overwrite existing .orig files and files with uncommitted changes.
    #[arg(long, requires = "write")]
    pub(crate) force: bool,
    /// The railcheck.toml to add the service map to, instead of looking for one.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The project folder (default: the current folder).
    pub(crate) path: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: FormatArg,
    /// When to use colour in the human format.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Skip paths matching this glob (relative to the project root); repeatable.
    #[arg(long)]
    pub(crate) exclude: Vec<String>,
}

/// Output formats of `env`, `probe`, `plan` and `rules` (`validate` has `report::Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("sources")
        .required(true)
        .multiple(true)
        .args(["dotenv", "railway_json", "from_env"])
))]
pub(crate) struct EnvArgs {
    /// A dotenv file (`-` for standard input); repeatable. Later sources win.
    #[arg(long, value_name = "FILE")]
    pub(crate) dotenv: Vec<PathBuf>,
    /// The JSON object `railway variables --json` prints (`-` for standard input); repeatable.
    #[arg(long, value_name = "FILE")]
    pub(crate) railway_json: Vec<PathBuf>,
    /// This process's environment.
    #[arg(long)]
    pub(crate) from_env: bool,
    /// Take this service's railpack.json steps into account (which steps restrict their secrets).
    #[arg(long, value_name = "NAME")]
    pub(crate) service: Option<String>,
    /// The project holding `--service`, whose railcheck.toml applies (default: the current folder).
    #[arg(long, value_name = "PATH")]
    pub(crate) project: Option<PathBuf>,
    /// Use this railcheck.toml instead of the one found from the project folder.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) output: FormatArg,
    /// Exit 1 when there is an error-level finding (default: always exit 0).
    #[arg(long)]
    pub(crate) check: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ProbeArgs {
    /// Health endpoint URLs (`https://api.example.com/health`).
    #[arg(value_name = "URL")]
    pub(crate) urls: Vec<String>,
    /// Seconds each attempt may take, connection to last byte.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    pub(crate) timeout: f64,
    /// Extra attempts while there is no answer or the status is not 200.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) retries: u32,
    /// Seconds between attempts.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub(crate) interval: f64,
    /// How many seconds old (or ahead) the body's `timestamp` may be.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub(crate) max_skew: u64,
    /// Require the body's `service` field to equal NAME.
    #[arg(long, value_name = "NAME")]
    pub(crate) expect_service: Option<String>,
    /// Probe the health path each service configures, in this project (default: `.`).
    /// Write `--project=PATH` when URLs follow.
    #[arg(long, value_name = "PATH", num_args = 0..=1, default_missing_value = ".")]
    pub(crate) project: Option<PathBuf>,
    /// `SERVICE=URL`: where a service of `--project` is deployed; repeatable.
    #[arg(long = "base-url", value_name = "SERVICE=URL", requires = "project")]
    pub(crate) base_url: Vec<String>,
    #[command(flatten)]
    pub(crate) output: FormatArg,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
