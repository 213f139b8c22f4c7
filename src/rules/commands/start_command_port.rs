//! a server that hard-codes its port or listens on localhost.

use crate::diagnostic::Diagnostic;
use crate::facts::shell::{Word, unwrap_command};
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds, Form};
use crate::rules::declare_rule;

declare_rule! {
    /// A start command that hard-codes the port or binds only localhost instead of `$PORT` on `0.0.0.0`.
    ///
    /// ## What it checks
    /// Start commands that run a server whose flags railcheck knows: `uvicorn`, `gunicorn`,
    /// `hypercorn`, `next start`, `serve`, `flask run`, `rails server`, `http-server`. It reports a
    /// literal port (`--port 8000`, `-b 0.0.0.0:8000`) and a bind to `127.0.0.1`/`localhost`,
    /// including the localhost default of `uvicorn`, `hypercorn` and `flask run` when no host is
    /// given. `$PORT`, `${PORT:-8000}` and other expansions are fine.
    ///
    /// ## Why it matters on Railway
    /// Railway routes traffic (and the health check) to the port in `$PORT` from outside the
    /// container. A server on a fixed port gets no traffic unless the domain's target port is set
    /// by hand, and one on `127.0.0.1` is unreachable: the health check fails and the deploy never
    /// goes live.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "startCommand": "uvicorn main:app --port 8000" } }
    /// ```
    /// Fix: `uvicorn main:app --host 0.0.0.0 --port ${PORT:-8000}`.
    code: RC714,
    name: "start-command-port",
    severity: Warning,
    check: Service(check),
}

#[derive(Default)]
struct Flags<'a> {
    host: Option<&'a Word>,
    port: Option<&'a Word>,
    /// `host:port` binds.
    binds: Vec<&'a Word>,
    /// The server may be configured elsewhere (`--fd`, a config file).
    configured_elsewhere: bool,
}

/// The value of `name` in `args` (`--port 80`, `--port=80`, `-p80` is not supported).
fn collect<'a>(args: &'a [Word], host: &[&str], port: &[&str], bind: &[&str], other: &[&str]) -> Flags<'a> {
    let mut flags = Flags::default();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let t = word.text.as_str();
        let (flag, inline) = match t.split_once('=') {
            Some((f, _)) if t.starts_with("--") => (f, true),
            _ => (t, false),
        };
        let slot: Option<&mut Option<&Word>> = if host.contains(&flag) {
            Some(&mut flags.host)
        } else if port.contains(&flag) {
            Some(&mut flags.port)
        } else {
            None
        };
        if other.contains(&flag) {
            flags.configured_elsewhere = true;
        }
        if let Some(slot) = slot {
            if !inline {
                *slot = args.get(i + 1);
                i += 2;
                continue;
            }
            *slot = Some(word);
        } else if bind.contains(&flag) && !inline {
            if let Some(v) = args.get(i + 1) {
                flags.binds.push(v);
            }
            i += 2;
            continue;
        } else if bind.contains(&flag) {
            flags.binds.push(word);
        }
        i += 1;
    }
    flags
}

/// The value part of `--port=80` or the word itself.
fn value(word: &Word) -> &str {
    if word.text.starts_with("--") {
        word.text.split_once('=').map_or(&word.text, |(_, v)| v)
    } else {
        &word.text
    }
}

fn is_local(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "::1" | "[::1]")
}

fn is_literal_port(word: &Word, port: &str) -> bool {
    !word.dynamic && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
}

/// Problems with one server invocation: (word to point at, message).
fn problems<'a>(argv: &'a [Word], assigns: &[Word], has_var: &dyn Fn(&str) -> bool) -> Vec<(Option<&'a Word>, String)> {
    let start = unwrap_command(argv);
    let mut args = &argv[start..];
    let Some(first) = args.first() else { return Vec::new() };
    let mut name = first.text.rsplit('/').next().unwrap_or(&first.text).to_string();
    if name == "node" && args.get(1).is_some_and(|w| w.text.ends_with("next/dist/bin/next")) {
        name = "next".into();
        args = &args[1..];
    }
    let sub = args.get(1).map(|w| w.text.as_str());
    let assigned = |var: &str| assigns.iter().any(|a| a.text.starts_with(&format!("{var}="))) || has_var(var);
    let mut out = Vec::new();
    let (flags, default_local, env_host): (Flags<'_>, bool, Option<&str>) = match (name.as_str(), sub) {
        ("uvicorn", _) => (
            collect(&args[1..], &["--host"], &["--port"], &[], &["--fd", "--uds"]),
            true,
            Some("UVICORN_HOST"),
        ),
        ("hypercorn", _) => (
            collect(&args[1..], &[], &[], &["-b", "--bind"], &["-c", "--config"]),
            true,
            Some("HYPERCORN_BIND"),
        ),
        ("gunicorn", _) => (
            collect(&args[1..], &[], &[], &["-b", "--bind"], &["-c", "--config"]),
            false,
            None,
        ),
        ("next", Some("start")) => (
            collect(&args[2..], &["-H", "--hostname"], &["-p", "--port"], &[], &[]),
            false,
            None,
        ),
        ("serve", _) => (
            collect(&args[1..], &[], &["-p", "--port"], &["-l", "--listen"], &[]),
            false,
            None,
        ),
        ("flask", Some("run")) => (
            collect(&args[2..], &["-h", "--host"], &["-p", "--port"], &[], &[]),
            true,
            Some("FLASK_RUN_HOST"),
        ),
        ("rails", Some("s" | "server")) => (
            collect(&args[2..], &["-b", "--binding"], &["-p", "--port"], &[], &[]),
            false,
            None,
        ),
        ("http-server", _) => (collect(&args[1..], &["-a"], &["-p", "--port"], &[], &[]), false, None),
        _ => return out,
    };
    if let Some(word) = flags.host {
        let host = value(word);
        if !word.dynamic && is_local(host) {
            out.push((
                Some(word),
                format!("`{name}` binds `{host}`, which is unreachable from outside the container"),
            ));
        }
    }
    if let Some(word) = flags.port {
        let port = value(word);
        if is_literal_port(word, port) {
            out.push((
                Some(word),
                format!("`{name}` listens on the fixed port {port}, not `$PORT`"),
            ));
        }
    }
    for word in &flags.binds {
        if word.dynamic && !word.text.contains(':') {
            continue;
        }
        let raw = value(word);
        let raw = raw.strip_prefix("tcp://").unwrap_or(raw);
        let (host, port) = match raw.rsplit_once(':') {
            Some((h, p)) => (h, p),
            None if raw.bytes().all(|b| b.is_ascii_digit()) => ("", raw),
            None => (raw, ""),
        };
        if is_local(host) {
            out.push((
                Some(word),
                format!("`{name}` binds `{host}`, which is unreachable from outside the container"),
            ));
        } else if is_literal_port(word, port) && !port.is_empty() && !host.contains('$') {
            out.push((
                Some(word),
                format!("`{name}` listens on the fixed port {port}, not `$PORT`"),
            ));
        }
    }
    let no_host = flags.host.is_none() && flags.binds.is_empty() && !flags.configured_elsewhere;
    if default_local && no_host && !env_host.is_some_and(assigned) {
        out.push((
            Some(first),
            format!("`{name}` listens on 127.0.0.1 by default, which is unreachable from outside the container"),
        ));
    }
    out
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    let has_var = |name: &str| service.variables.iter().any(|v| v.name == name);
    for cmd in cmds::service_commands(service) {
        if cmd.form != Form::Start {
            continue;
        }
        let script = cmds::parse(&cmd);
        for simple in &script.commands {
            for (word, message) in problems(&simple.argv, &simple.assigns, &has_var) {
                let span = word.map_or(simple.span.clone(), |w| w.span.clone());
                let mut d = Diagnostic::new(&META, cmd.at.file, cmds::span_in(project, cmd.at, cmd.text, span), message)
                    .pointer(cmd.at.pointer.clone())
                    .help("Railway sends traffic to `$PORT` from outside the container: listen on `0.0.0.0` and `${PORT:-8000}`")
                    ;
                d = cmds::never_runs(d, &cmd);
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problems;
    use crate::facts::shell::parse;

    fn found(text: &str) -> Vec<String> {
        let script = parse(text);
        let s = &script.commands[0];
        problems(&s.argv, &s.assigns, &|_| false)
            .into_iter()
            .map(|p| p.1)
            .collect()
    }

    #[test]
    fn flags_known_servers() {
        assert_eq!(found("uvicorn main:app --host 0.0.0.0 --port 8000").len(), 1);
        assert_eq!(found("uvicorn main:app --port $PORT").len(), 1);
        assert_eq!(found("gunicorn -b 127.0.0.1:$PORT app:app").len(), 1);
        assert_eq!(found("gunicorn --bind=0.0.0.0:8000 app:app").len(), 1);
        assert_eq!(found("npx next start -p 3000").len(), 1);
        assert_eq!(found("npx serve -s dist -l 3000").len(), 1);
        assert_eq!(found("flask run --port $PORT").len(), 1);
        assert_eq!(found("bundle exec rails s -b localhost").len(), 1);
        assert_eq!(found("rails server -b 127.0.0.1 -p $PORT").len(), 1);
        assert_eq!(found("http-server dist -p 8080").len(), 1);
    }

    #[test]
    fn quiet_on_correct_commands() {
        for text in [
            "uvicorn main:app --host 0.0.0.0 --port ${PORT:-8000}",
            "python -m uvicorn app.main:app --host 0.0.0.0 --port $PORT",
            "gunicorn app:app",
            "gunicorn --bind 0.0.0.0:$PORT app:app",
            "python -m gunicorn --worker-class gevent --bind 0.0.0.0:$PORT src.main:app",
            "hypercorn app:app --bind 0.0.0.0:$PORT",
            "next start",
            "node node_modules/next/dist/bin/next start -p ${PORT} -H 0.0.0.0",
            "npx serve -s out -l $PORT",
            "serve -s dist",
            "flask run --host 0.0.0.0 --port $PORT",
            "UVICORN_HOST=0.0.0.0 uvicorn main:app",
            "uvicorn main:app --fd 0",
            "npm start",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
