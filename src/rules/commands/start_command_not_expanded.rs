//! with the Dockerfile builder Railway runs the start
//! command without a shell, so `$PORT` reaches the program as the literal text `$PORT`.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Origin;
use crate::model::Service;
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// `$PORT` (or any `$VAR`) in a start command that Railway runs without a shell (Dockerfile builder).
    ///
    /// ## What it checks
    /// Railway start commands (`deploy.startCommand` of the service's Railway config) that use
    /// a variable (`$PORT`, `${PORT}`, `$HOST`) of a service built with a Dockerfile, unless the
    /// command already starts a shell (`sh -c "..."`, `/bin/bash -c "..."`). An explicit
    /// `builder: DOCKERFILE` makes it an error; a `Dockerfile` found in the service's folder a
    /// warning, since the service's Root Directory may be elsewhere.
    ///
    /// ## Why it matters on Railway
    /// With a Dockerfile (or an image), Railway's start command overrides the image's
    /// `ENTRYPOINT` in **exec form**: no shell runs it, and exec form does no variable
    /// expansion (railwayapp/docs deployments/start-command; domain.md section 1). So
    /// `uvicorn main:app --port $PORT` receives the five characters `$PORT` and stops with
    /// "Invalid value for '--port'", and `node server.js --port=${PORT}` listens nowhere useful.
    /// With the Railpack builder the same command works: it runs under `/bin/bash -c`.
    ///
    /// ## Example
    /// ```json
    /// { "build": { "builder": "DOCKERFILE" }, "deploy": { "startCommand": "uvicorn main:app --host 0.0.0.0 --port $PORT" } }
    /// ```
    /// Fix: wrap it in a shell, `/bin/sh -c "exec uvicorn main:app --host 0.0.0.0 --port $PORT"`,
    /// set as the start command in `.railway/railway.ts` or the service settings; or drop the
    /// start command and use a shell-form `CMD` in the Dockerfile.
    code: RC719,
    name: "start-command-not-expanded",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let project = cx.project;
    let explicit = service
        .builder
        .as_ref()
        .is_some_and(|b| b.value.eq_ignore_ascii_case("dockerfile"));
    let found = fs.is_file(&project.abs(&service.root).join("Dockerfile"));
    if !explicit && !found {
        return;
    }
    for start in service
        .start_commands
        .iter()
        .filter(|s| s.origin == Origin::Railway && s.at.pointer == "/deploy/startCommand")
    {
        let text = start.value.trim();
        if starts_a_shell(text) {
            continue;
        }
        let Some((offset, name)) = first_variable(text) else {
            continue;
        };
        let at = start.value.find(text).unwrap_or(0) + offset;
        let span = crate::rules::commands::span_in(project, &start.at, &start.value, at..at + name.len());
        let mut d = Diagnostic::new(
            &META,
            start.at.file,
            span,
            format!("`{name}` is not expanded: with a Dockerfile, Railway runs the start command without a shell"),
        )
        .pointer(start.at.pointer.clone())
        .help(format!(
            "wrap it in a shell, `/bin/sh -c \"exec {text}\"`, set as the start command in `.railway/railway.ts` or the service settings; or use a shell-form `CMD` in the Dockerfile"
        ))
        .note("Railway's start command overrides the image's ENTRYPOINT in exec form, which does no variable expansion (docs: deployments/start-command)")
        ;
        if let Some(builder) = service.builder.as_ref().filter(|_| explicit) {
            d = d.label(builder.at.file, builder.at.span.clone(), "the Dockerfile builder");
        } else {
            d = d.severity(Severity::Warning).note(
                "a `Dockerfile` in this folder makes Railway build with it, if this folder is the service's Root Directory",
            );
        }
        out.push(d);
    }
}

/// `sh -c ...`, `/bin/bash -c ...`, `bash -lc ...`: the shell expands the variables.
fn starts_a_shell(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(program) = words.next() else { return false };
    let program = program.rsplit('/').next().unwrap_or(program);
    if !matches!(program, "sh" | "bash" | "dash" | "ash" | "zsh") {
        return false;
    }
    words
        .next()
        .is_some_and(|flag| flag.starts_with('-') && flag.contains('c'))
}

/// The first `$NAME` or `${NAME...}` in the text: byte offset and the text as written.
fn first_variable(text: &str) -> Option<(usize, &str)> {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('$') {
        let rest = &text[i + 1..];
        if rest.starts_with('{') {
            let end = rest.find('}')?;
            return Some((i, &text[i..i + 2 + end]));
        }
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len > 0 && !bytes[i + 1].is_ascii_digit() {
            return Some((i, &text[i..i + 1 + len]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_shells() {
        assert_eq!(first_variable("uvicorn a:b --port $PORT"), Some((19, "$PORT")));
        assert_eq!(
            first_variable("node s.js --port=${PORT:-3000}"),
            Some((17, "${PORT:-3000}"))
        );
        assert_eq!(first_variable("node server.js"), None);
        assert_eq!(first_variable("echo $1"), None);
        assert!(starts_a_shell("/bin/sh -c \"exec node s.js --port $PORT\""));
        assert!(starts_a_shell("bash -lc 'x'"));
        assert!(!starts_a_shell("node -c x"));
    }
}
