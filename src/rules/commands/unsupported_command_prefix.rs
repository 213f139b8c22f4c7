//! `PATH:`, `COPY:`, `RUN#..:`, `FILE#..:` strings.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::declare_rule;

declare_rule! {
    /// A `PATH:`, `COPY:`, `RUN#name:` or `FILE#name:` string command, which Railpack runs as shell text.
    ///
    /// ## What it checks
    /// String items of a step's `commands` that start with one of the prefixes Railpack's
    /// documentation shows for its plan format: `PATH:`, `COPY:`, `RUN#name:`, `FILE#name:`.
    ///
    /// ## Why it matters on Railway
    /// From `railpack.json` these prefixes are never recognised: the whole string runs as a
    /// shell command, so `PATH:/app/bin` fails with "PATH:/app/bin: not found" and the build
    /// stops. The object forms do what the prefixes promise.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["PATH:/app/node_modules/.bin", "COPY:dist /srv"] } } }
    /// ```
    /// Fix:
    /// ```json
    /// { "steps": { "build": { "commands": [
    ///   { "path": "/app/node_modules/.bin" },
    ///   { "src": "dist", "dest": "/srv" }
    /// ] } } }
    /// ```
    code: RC707,
    name: "unsupported-command-prefix",
    severity: Error,
    check: Service(check),
}

/// The prefix and the object form to use instead.
fn prefix(text: &str) -> Option<(&str, String)> {
    let text = text.trim_start();
    if let Some(rest) = text.strip_prefix("PATH:") {
        return Some(("PATH:", format!("{{ \"path\": \"{}\" }}", rest.trim())));
    }
    if let Some(rest) = text.strip_prefix("COPY:") {
        let mut parts = rest.split_whitespace();
        let (src, dest) = (parts.next().unwrap_or("SRC"), parts.next().unwrap_or("DEST"));
        return Some(("COPY:", format!("{{ \"src\": \"{src}\", \"dest\": \"{dest}\" }}")));
    }
    for (p, form) in [("RUN#", "run"), ("FILE#", "file")] {
        let Some(rest) = text.strip_prefix(p) else { continue };
        let Some((name, body)) = rest.split_once(':') else {
            continue;
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            continue;
        }
        let suggestion = if form == "run" {
            format!("{{ \"cmd\": \"{}\", \"customName\": \"{name}\" }}", body.trim())
        } else {
            format!("{{ \"path\": \"{}\", \"name\": \"{name}\" }}", body.trim())
        };
        return Some((p, suggestion));
    }
    None
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for cmd in cmds::service_commands(service) {
        if cmd.form != Form::Shell || cmd.origin.is_railway() {
            continue;
        }
        let Some((p, suggestion)) = prefix(cmd.text) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &META,
            cmd.at.file,
            cmd.at.span.clone(),
            format!("`{p}` is not recognised in railpack.json: this string runs as a shell command"),
        )
        .pointer(cmd.at.pointer.clone())
        .help(format!("use the object form: `{suggestion}`"));
        d = cmds::never_runs(d, &cmd);
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::prefix;

    #[test]
    fn prefixes() {
        assert_eq!(prefix("PATH:/app/bin").unwrap().1, r#"{ "path": "/app/bin" }"#);
        assert_eq!(
            prefix("COPY:dist /srv").unwrap().1,
            r#"{ "src": "dist", "dest": "/srv" }"#
        );
        assert_eq!(
            prefix("RUN#build:npm run build").unwrap().1,
            r#"{ "cmd": "npm run build", "customName": "build" }"#
        );
        assert!(prefix("FILE#cfg:/etc/app.conf").is_some());
        assert!(prefix("npm run build").is_none());
        assert!(prefix("echo PATH:x").is_none());
        assert!(prefix("RUN# x:y").is_none());
    }
}
