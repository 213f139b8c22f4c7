//! a smoke command from `railcheck.toml` failed (only with `--smoke`).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::facts::secrets;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A smoke command listed in `railcheck.toml` failed (run only with `validate --smoke`).
    ///
    /// ## What it checks
    /// With `railcheck validate --smoke`, each command listed under `[services.<name>] smoke` in
    /// `railcheck.toml` runs with `sh -c` in that service's root folder, with a timeout
    /// (`--smoke-timeout`, default 120 seconds). A non-zero exit, a timeout or a command that
    /// cannot start is a finding; the end of its output (secrets masked) is in the note. Without
    /// `--smoke` nothing is executed.
    ///
    /// ## Why it matters on Railway
    /// These are the guide's "backend imports" and "frontend typecheck" checks: a backend that
    /// cannot import, or a frontend that does not typecheck, fails on Railway after minutes of
    /// building. Running them locally before pushing is cheaper.
    ///
    /// ## Example
    /// ```toml
    /// # railcheck.toml
    /// [services.backend]
    /// smoke = ["python -c 'import monkey_coder'"]
    ///
    /// [services.frontend]
    /// smoke = ["yarn typecheck"]
    /// ```
    /// Fix: whatever the command's output says; rerun `railcheck validate --smoke`.
    code: RC890,
    name: "smoke-failed",
    severity: Error,
    check: Project(check),
}

/// At most this much of a command's output goes into the note.
const MAX_OUTPUT_LINES: usize = 30;
const MAX_OUTPUT_BYTES: usize = 4000;

pub enum Outcome {
    Passed,
    Failed { status: String, output: String },
}

/// Runs `sh -c command` in `dir`, killing it (and what it started) after `timeout`.
pub fn run(command: &str, dir: &Path, timeout: Duration) -> Outcome {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return Outcome::Failed {
                status: format!("could not start: {e}"),
                output: String::new(),
            };
        }
    };
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                kill_group(&mut child);
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    // Whatever the command started may still hold the pipes open; stop it too.
    kill_group(&mut child);
    let mut output = out.join().unwrap_or_default();
    output.extend(err.join().unwrap_or_default());
    let output = tail(&String::from_utf8_lossy(&output));
    match status {
        Some(s) if s.success() => Outcome::Passed,
        Some(s) => Outcome::Failed {
            status: s
                .code()
                .map_or_else(|| "killed by a signal".to_string(), |c| format!("exit {c}")),
            output,
        },
        None => Outcome::Failed {
            status: format!("timed out after {} s", timeout.as_secs()),
            output,
        },
    }
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
}

/// The last lines of an output, bounded, with secrets masked.
fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let skip = lines.len().saturating_sub(MAX_OUTPUT_LINES);
    let mut text = lines[skip..].join("\n");
    if text.len() > MAX_OUTPUT_BYTES {
        let mut cut = text.len() - MAX_OUTPUT_BYTES;
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        text = text[cut..].to_string();
    }
    let text = secrets::redact(&text);
    if skip > 0 {
        format!("[… {skip} earlier lines]\n{text}")
    } else {
        text
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let settings = cx.settings;
    if !settings.run_smoke {
        return;
    }
    for (name, commands) in &settings.smoke {
        let Some(service) = cx.project.service(name) else {
            out.push(
                Diagnostic::project(
                    &META,
                    format!("smoke commands for `{name}`, which is not a service of this project"),
                )
                .help(format!(
                    "services: {}",
                    cx.project
                        .services
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            continue;
        };
        let dir = cx.project.abs(&service.root);
        for command in commands {
            let Outcome::Failed { status, output } = run(command, &dir, settings.smoke_timeout) else {
                continue;
            };
            let message = format!("smoke command `{command}` failed ({status})");
            let mut d = match service.anchor() {
                Some(at) => Diagnostic::new(&META, at.file, at.key_or_value(), message),
                None => Diagnostic::project(&META, message),
            };
            d = d
                .help(format!(
                    "it ran with `sh -c` in `{}`",
                    if service.root.is_empty() { "." } else { &service.root }
                ))
                .service(service.name.clone());
            if !output.trim().is_empty() {
                d = d.note(format!("output:\n{output}"));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_fails_and_times_out() {
        let dir = std::env::temp_dir();
        assert!(matches!(run("true", &dir, Duration::from_secs(10)), Outcome::Passed));
        let Outcome::Failed { status, output } = run("echo boom; exit 3", &dir, Duration::from_secs(10)) else {
            panic!("should fail")
        };
        assert_eq!(status, "exit 3");
        assert!(output.contains("boom"));
        let started = Instant::now();
        let Outcome::Failed { status, .. } = run("sleep 30", &dir, Duration::from_millis(300)) else {
            panic!("should time out")
        };
        assert!(status.starts_with("timed out"), "{status}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn output_is_bounded_and_masked() {
        let long: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let t = tail(&long);
        assert!(t.starts_with("[… 70 earlier lines]"));
        assert!(t.ends_with("line 99"));
        let t = tail("key sk-ant-abcdefghijklmnopqrstuvwxyz0123");
        assert!(!t.contains("abcdefghijklmnop"), "{t}");
    }
}
