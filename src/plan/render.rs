//! The plan for a terminal (grouped by service) and as JSON (`schema_version` 1).

use std::fmt::Write as _;

use colored::Colorize;

use super::derive::{Certainty, Plan, ServicePlan, StepPlan};
use crate::report::defang;

impl Plan {
    pub(crate) fn render_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a plan serializes");
        text.push('\n');
        text
    }

    pub(crate) fn render_human(&self, color: bool) -> String {
        let mut out = String::new();
        if self.services.is_empty() {
            let _ = writeln!(out, "No service found: no Railway or Railpack config in this project.");
            return out;
        }
        for (i, service) in self.services.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            render_service(&mut out, service, color);
        }
        let _ = writeln!(
            out,
            "\n{} service{}. railcheck reads the files only: service settings in Railway's dashboard override them.",
            self.services.len(),
            if self.services.len() == 1 { "" } else { "s" }
        );
        defang(&out).into_owned()
    }
}

fn paint(text: &str, color: bool, style: impl Fn(&str) -> colored::ColoredString) -> String {
    if color {
        style(text).to_string()
    } else {
        text.to_string()
    }
}

/// `  label       text`, label padded to one column.
fn line(out: &mut String, label: &str, text: &str, color: bool) {
    let _ = writeln!(out, "  {} {text}", paint(&format!("{label:<11}"), color, |s| s.bold()));
}

fn render_service(out: &mut String, s: &ServicePlan, color: bool) {
    let title = format!("service {}", s.name);
    let _ = writeln!(out, "── {}", paint(&title, color, |t| t.bold().cyan()));
    line(out, "name", &format!("{} (from {})", s.name, s.name_from), color);
    let certainty = match s.root.certainty {
        Certainty::Known => "known",
        Certainty::Inferred => "inferred",
        Certainty::Unknown => "unknown",
    };
    let missing = if s.root.exists {
        ""
    } else {
        "; the folder does not exist"
    };
    line(
        out,
        "root",
        &format!("{} ({certainty}: {}{missing})", s.root.path, s.root.from),
        color,
    );
    for (i, file) in s.config_files.iter().enumerate() {
        line(
            out,
            if i == 0 { "files" } else { "" },
            &format!("{}: {}, read by {}", file.path, file.kind, file.read_by),
            color,
        );
    }
    line(
        out,
        "builder",
        &format!("{} ({})", s.builder.value, s.builder.from),
        color,
    );
    if let Some(p) = &s.provider {
        line(out, "provider", &format!("{} ({})", p.value, p.from), color);
    }
    if let Some(pm) = &s.package_manager {
        line(out, "pkg manager", &format!("{} ({})", pm.value, pm.from), color);
    }
    for (i, p) in s.packages.iter().enumerate() {
        line(
            out,
            if i == 0 { "packages" } else { "" },
            &format!("{} ({})", p.value, p.from),
            color,
        );
    }
    let (run, not_run): (Vec<&StepPlan>, Vec<&StepPlan>) = s.steps.iter().partition(|st| st.runs);
    if !run.is_empty() {
        line(
            out,
            "steps",
            "what Railpack runs, build commands in `sh -c` (dash):",
            color,
        );
        for step in run {
            render_step(out, step, color);
        }
    }
    if !not_run.is_empty() {
        line(
            out,
            "not run",
            "steps in the guide's files, which Railpack never runs:",
            color,
        );
        for step in not_run {
            render_step(out, step, color);
        }
    }
    if !s.deploy_inputs.is_empty() {
        for (i, input) in s.deploy_inputs.iter().enumerate() {
            line(out, if i == 0 { "image" } else { "" }, input, color);
        }
    }
    if let Some(env) = &s.build_env {
        let names = if !env.all_service_variables {
            "only the service variables the Dockerfile declares as `ARG`".to_string()
        } else if env.known_names.is_empty() {
            "every service variable (none named in the files)".to_string()
        } else {
            format!(
                "every service variable; named in the files: {}",
                env.known_names.join(", ")
            )
        };
        line(out, "build reads", &names, color);
        if env.all_service_variables {
            line(out, "", &format!("({})", env.note), color);
        }
    }
    let start = match &s.start.command {
        Some(cmd) => format!(
            "`{cmd}` ({}{}); runs in {}",
            s.start.from,
            if s.start.read {
                ""
            } else {
                ", not read: the provider's generated start command runs"
            },
            s.start.shell
        ),
        None => format!("{}; runs in {}", s.start.from, s.start.shell),
    };
    line(out, "start", &start, color);
    let health = match &s.health.path {
        Some(path) => format!(
            "{path}{} ({}; {})",
            s.health
                .timeout
                .as_ref()
                .map(|t| format!(", timeout {t}"))
                .unwrap_or_default(),
            s.health.from,
            if s.health.read_by_railway {
                "read by Railway"
            } else {
                "not read by Railway"
            }
        ),
        None => "none".to_string(),
    };
    line(out, "health", &health, color);
    line(out, "", &format!("({})", s.health.note), color);
    for (i, v) in s.variables.iter().enumerate() {
        let value = v.value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default();
        let refs = if v.references.is_empty() {
            String::new()
        } else {
            format!("; references {}", v.references.join(", "))
        };
        line(
            out,
            if i == 0 { "variables" } else { "" },
            &format!(
                "{}{value} ({}, {}; applied: {}{refs})",
                v.name, v.scope, v.from, v.applied
            ),
            color,
        );
    }
}

fn render_step(out: &mut String, step: &StepPlan, color: bool) {
    let _ = writeln!(out, "    {} ({})", paint(&step.name, color, |s| s.bold()), step.from);
    if let Some(generated) = &step.generated_commands {
        let _ = writeln!(out, "      {generated}");
    }
    for input in &step.inputs {
        let _ = writeln!(out, "      input: {input}");
    }
    for cmd in &step.commands {
        let how = match (&cmd.shell, cmd.form.as_str()) {
            (Some(shell), "invalid") => format!("[no known command form: this JSON text runs in {shell}]"),
            (Some(shell), _) => format!("[{shell}]"),
            (None, "exec") => "[exec, no shell]".to_string(),
            (None, form) => format!("[{form}]"),
        };
        let _ = writeln!(out, "      $ {} {}", cmd.text, paint(&how, color, |s| s.dimmed()));
    }
    if !step.variables.is_empty() {
        let _ = writeln!(out, "      variables: {}", step.variables.join(", "));
    }
    if let Some(list) = &step.secrets_list {
        let listed = if list.is_empty() {
            "none".to_string()
        } else {
            list.join(", ")
        };
        let _ = writeln!(
            out,
            "      secrets list: {listed} (cache only: every service variable is still mounted)"
        );
    }
}
