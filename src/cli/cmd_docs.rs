//! `railcheck man`, `completions` and `rules`: what the tool says about itself.

use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;
use clap::builder::PossibleValuesParser;

use crate::cli::args::{Cli, OutputFormat, RulesArgs};
use crate::config::{self, Flags};
use crate::rules;

/// Every rule code and name: completion candidates for `--select`, `--ignore`, `explain`.
fn rule_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = rules::all().iter().flat_map(|r| [r.meta.code, r.meta.name]).collect();
    words.push("ALL");
    words
}

/// The completion script for `shell`. The command is given the rule codes and names as
/// possible values of `--select`, `--ignore` and `explain RULE` for the script only:
/// parsing still accepts prefixes (`RC3`) and reports typos with "did you mean".
pub(super) fn completions(shell: clap_complete::Shell) -> String {
    let words = rule_words();
    let mut cmd = Cli::command()
        .mut_subcommand("validate", |c| {
            c.mut_arg("select", |a| a.value_parser(PossibleValuesParser::new(words.clone())))
                .mut_arg("ignore", |a| a.value_parser(PossibleValuesParser::new(words.clone())))
        })
        .mut_subcommand("explain", |c| {
            c.mut_arg("rule", |a| a.value_parser(PossibleValuesParser::new(words.clone())))
        });
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "railcheck", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Ready: no finding at the failing level (errors; warnings too with \fB\-\-deny warnings\fR).
Also \fBvalidate\fR given only files that are not Railway or Railpack configs (a hook's unrelated files).
.TP
\fB1\fR
At least one finding at the failing level (\fBenv \-\-check\fR: an error; \fBprobe\fR: a failed check).
.TP
\fB2\fR
Usage error, missing path, unknown rule selector, invalid \fIrailcheck.toml\fR, unreadable target,
no Railway or Railpack configuration found in the folder given, failure to write \fB\-\-output\-file\fR, internal error.
"#;

const FILES: &str = r#".SH FILES
.TP
\fIrailpack.json\fR
Railpack's config (or the guide's services manifest); any file named by \fBRAILPACK_CONFIG_FILE\fR.
.TP
\fIrailway.json\fR, \fIrailway.toml\fR
Railway config-as-code.
.TP
\fIrailcheck.toml\fR
railcheck's settings, found in the project folder or its nearest ancestor up to the repository root
(\fB\-\-config\fR names another, \fB\-\-isolated\fR reads none).
"#;

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBGITHUB_ACTIONS\fR
When \fBtrue\fR, \fBvalidate\fR defaults to \fB\-\-format github\fR.
.TP
\fBGITHUB_STEP_SUMMARY\fR
With \fB\-\-format github\fR, the findings and the verdict are appended to this file (the job summary).
.TP
\fBNO_COLOR\fR
Set and not empty: no colour (with \fB\-\-color auto\fR).
.TP
\fBCLICOLOR_FORCE\fR
Set and not \fB0\fR: colour even when not on a terminal (with \fB\-\-color auto\fR).
.TP
\fBTERM\fR
\fBdumb\fR: no colour (with \fB\-\-color auto\fR), unless \fBCLICOLOR_FORCE\fR is set.
"#;

const EXAMPLES: &str = r#".SH EXAMPLES
.TP
\fBrailcheck validate\fR
Check the project in the current folder.
.TP
\fBrailcheck validate apps/api/railpack.json\fR
Check the project around the file; report only that file's findings (what pre-commit runs).
.TP
\fBrailcheck validate \-\-format sarif \-o reports/railcheck.sarif\fR
Write SARIF for GitHub code scanning.
.TP
\fBrailcheck validate \-\-select RC3 \-\-ignore RC303\fR
Only the secret rules, without RC303.
.TP
\fBrailcheck env \-\-dotenv .env \-\-service api\fR
Audit variables; never prints a value.
.TP
\fBrailcheck probe https://api.example.com/health \-\-retries 5\fR
Check a live health endpoint.
.TP
\fBrailcheck explain RC202\fR
A rule's documentation.
"#;

/// The whole man page: the command, then every subcommand with its options, exit status,
/// files, environment and examples.
pub(super) fn man_page() -> Result<String> {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let name = sub.get_name();
        let mut part = Vec::new();
        let full = sub.clone().bin_name(format!("railcheck {name}"));
        let sub_man = clap_mangen::Man::new(full);
        sub_man.render_synopsis_section(&mut part)?;
        sub_man.render_options_section(&mut part)?;
        let about = sub
            .get_long_about()
            .or(sub.get_about())
            .map(|a| a.to_string())
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&part)
            .replace(
                ".SH SYNOPSIS\n",
                &format!(".SS \"railcheck {name}\"\n{}\n.PP\n", roff_text(&about)),
            )
            .replace(".SH OPTIONS\n", "");
        page.extend_from_slice(text.as_bytes());
    }
    page.extend_from_slice(EXIT_STATUS.as_bytes());
    page.extend_from_slice(FILES.as_bytes());
    page.extend_from_slice(ENVIRONMENT.as_bytes());
    page.extend_from_slice(EXAMPLES.as_bytes());
    man.render_version_section(&mut page)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// Plain text as a roff paragraph: backslashes and dashes escaped, no line starting with a
/// control character.
fn roff_text(text: &str) -> String {
    text.replace('\\', "\\e")
        .replace('-', "\\-")
        .lines()
        .map(|l| {
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(serde::Serialize)]
struct RuleRow {
    code: &'static str,
    name: &'static str,
    /// What users will see: after `railcheck.toml`'s `[rules.severity]`.
    severity: &'static str,
    default_severity: &'static str,
    /// Whether the selection (`select`/`ignore`) runs it.
    enabled: bool,
    /// A retired rule keeps its code reserved and never reports.
    retired: bool,
    summary: &'static str,
}

/// `railcheck rules`: every rule with the severity users will see in this folder (after the
/// `railcheck.toml` that applies here), and whether the selection runs it.
pub(super) fn rules_list(args: &RulesArgs) -> Result<String> {
    let source = args.config.source();
    let settings = config::resolve(Path::new("."), &source, &Flags::default())?.settings;
    let rows: Vec<RuleRow> = rules::all()
        .iter()
        .map(|r| {
            let m = r.meta;
            let severity = settings.severity_of(m, m.severity);
            RuleRow {
                code: m.code,
                name: m.name,
                severity: severity.as_str(),
                default_severity: m.severity.as_str(),
                enabled: settings.rule_enabled(m) && !r.is_retired(),
                retired: r.is_retired(),
                summary: m.summary(),
            }
        })
        .collect();
    Ok(match args.format {
        OutputFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        OutputFormat::Human => {
            let mut out = String::new();
            for r in &rows {
                let mut severity = r.severity.to_string();
                if r.severity != r.default_severity {
                    severity.push('*');
                }
                if r.retired {
                    severity = "retired".to_string();
                } else if !r.enabled {
                    severity = "off".to_string();
                }
                out.push_str(&format!("{}  {:<32} {:<8} {}\n", r.code, r.name, severity, r.summary));
            }
            if rows
                .iter()
                .any(|r| !r.retired && (r.severity != r.default_severity || !r.enabled))
            {
                out.push_str("\n* severity set by railcheck.toml; off: not selected by railcheck.toml\n");
            }
            out
        }
    })
}
