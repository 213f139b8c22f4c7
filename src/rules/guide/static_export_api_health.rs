//! `output: 'export'` while the health check is an API route.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::rules::guide::{next_config, strip_js_comments};

declare_rule! {
    /// A Next.js static export whose API-route health check is served without a fallback (custom start command or `RAILPACK_NO_SPA`).
    ///
    /// ## What it checks
    /// A service whose `next.config.*` sets `output: 'export'` unconditionally (a plain property of
    /// the exported object, not inside a condition), whose health check path starts with `/api/`,
    /// and which Railpack will **not** serve with its own Caddy: `RAILPACK_NO_SPA` is set, or a
    /// custom start command serves the export with a static file server that has no fallback to
    /// `index.html` (`serve out`, `http-server`, `python -m http.server`; `serve -s` has one). The
    /// config is read as text: when the setting is computed or conditional, railcheck says nothing.
    ///
    /// ## Why it matters on Railway
    /// A static export contains no server and no API routes. Without a custom start command,
    /// Railpack deploys it as a single-page app served by Caddy, whose Caddyfile answers
    /// `/health` and, through its `try_files` fallback to `/index.html`, every other path with 200
    /// (core/providers/node/spa.go; domain.md section 1, "Single-page apps"): the health check
    /// passes, so railcheck stays quiet. A custom start command turns that off (so does
    /// `RAILPACK_NO_SPA`): a plain file server answers `/api/health` with 404, Railway's health
    /// check never gets its 200, and the deploy fails. The guide's frontend exported statically
    /// at one point while probing `/api/health`.
    ///
    /// ## Example
    /// ```js
    /// // next.config.mjs, with healthcheckPath "/api/health" and start command "npx serve out"
    /// export default { output: "export" };
    /// ```
    /// Fix: drop the custom start command and let Railpack serve the export with Caddy, or serve
    /// with a fallback (`npx serve -s out`), or point the health check at a page the export has
    /// (`/`).
    code: RC802,
    name: "static-export-api-health",
    severity: Warning,
    check: Service(check),
}

/// Byte offset of an unconditional `output: 'export'` property, if there is one.
pub(crate) fn static_export_at(text: &str) -> Option<usize> {
    let code = strip_js_comments(text);
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(found) = code[from..].find("output") {
        let at = from + found;
        from = at + 6;
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || matches!(bytes[at - 1], b'_' | b'$' | b'.')) {
            continue;
        }
        let rest = code[at + 6..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else { continue };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else {
            continue;
        };
        let Some(after) = rest[1..].strip_prefix("export") else {
            continue;
        };
        let Some(after) = after.strip_prefix(quote) else {
            continue;
        };
        if !matches!(after.trim_start().chars().next(), None | Some(',' | '}')) {
            continue;
        }
        if unconditional_object(&code[..at]) {
            return Some(at);
        }
    }
    None
}

/// Is the object literal that encloses the end of `before` a plain value: assigned,
/// exported, returned, or passed to a call (not behind `?`, `:`, `&&`, `||` or `if`)?
fn unconditional_object(before: &str) -> bool {
    let bytes = before.as_bytes();
    let mut depth = 0usize;
    let mut i = bytes.len();
    let open = loop {
        if i == 0 {
            return false;
        }
        i -= 1;
        match bytes[i] {
            b'}' => depth += 1,
            b'{' if depth == 0 => break i,
            b'{' => depth -= 1,
            _ => {}
        }
    };
    let lead = before[..open].trim_end();
    let lead = lead.strip_suffix('(').map_or(lead, str::trim_end);
    let plain = lead.ends_with('=')
        || lead.ends_with("=>")
        || lead.ends_with("default")
        || lead.ends_with("return") && !before.contains("if")
        || lead.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') && before[..open].trim_end().ends_with('(');
    plain && !lead.ends_with("==") && !lead.ends_with("!=")
}

/// Static file servers that answer a missing path with 404, unless given a fallback flag.
const STATIC_SERVERS: &[(&str, &[&str])] = &[
    ("serve", &["-s", "--single"]),
    ("http-server", &["--proxy", "-P"]),
    ("http.server", &[]),
    ("sirv", &["-s", "--single"]),
    ("static-server", &[]),
];

/// The static file server a start command runs without a fallback to `index.html`.
fn server_without_fallback(command: &str) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    STATIC_SERVERS.iter().find_map(|(server, fallbacks)| {
        let runs = words.iter().any(|w| w == server || w.ends_with(&format!("/{server}")));
        let falls_back = words.iter().any(|w| fallbacks.contains(w));
        (runs && !falls_back).then_some(*server)
    })
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let Some(health) = service
        .health_paths
        .iter()
        .find(|h| h.value == "/api" || h.value.starts_with("/api/"))
    else {
        return;
    };
    let Some((path, text)) = next_config(fs, cx.project, service) else {
        return;
    };
    let Some(at) = static_export_at(&text) else { return };
    // Without a custom start command Railpack serves the export with Caddy, which
    // answers every path with 200: the health check passes.
    let served_by = if crate::rules::health::no_spa(service) {
        "`RAILPACK_NO_SPA` turns off Railpack's Caddy server".to_string()
    } else {
        let Some(command) = crate::rules::health::custom_start_command(fs, cx.project, service) else {
            return;
        };
        let Some(server) = server_without_fallback(&command) else {
            return;
        };
        format!("the start command serves it with `{server}`, which has no fallback to `index.html`")
    };
    let line = text[..at].matches('\n').count() + 1;
    out.push(
        Diagnostic::new(
            &META,
            health.at.file,
            health.at.span.clone(),
            format!(
                "health check `{}` is an API route, but `{path}` exports a static site and {served_by}",
                health.value
            ),
        )
        .pointer(health.at.pointer.clone())
        .help("the export has no API routes, so the path answers 404: drop the custom start command so Railpack serves the export with Caddy (which answers every path), serve it with a fallback (`serve -s`), or check a page such as `/`")
        .note(format!("`output: 'export'` is set at {path}:{line}"))
        ,
    );
}

#[cfg(test)]
mod tests {
    use super::{server_without_fallback, static_export_at};

    #[test]
    fn static_servers_without_a_fallback() {
        assert_eq!(server_without_fallback("npx serve out"), Some("serve"));
        assert_eq!(
            server_without_fallback("python -m http.server $PORT -d out"),
            Some("http.server")
        );
        assert_eq!(server_without_fallback("npx serve -s out"), None);
        assert_eq!(server_without_fallback("node server.js"), None);
        assert_eq!(server_without_fallback("next start"), None);
    }

    #[test]
    fn finds_only_unconditional_exports() {
        for text in [
            "export default { output: 'export' };",
            "const nextConfig = {\n  reactStrictMode: true,\n  output: \"export\",\n};\nmodule.exports = nextConfig;",
            "module.exports = withBundleAnalyzer({ output: 'export', images: { unoptimized: true } })",
            "const config: NextConfig = { output: `export` }\nexport default config",
        ] {
            assert!(static_export_at(text).is_some(), "{text}");
        }
        for text in [
            "export default { output: 'standalone' };",
            "export default { output: process.env.EXPORT ? 'export' : undefined };",
            "export default { ...(isExport ? { output: 'export' } : {}) };",
            "export default { ...(isExport && { output: 'export' }) };",
            "// output: 'export'\nexport default {};",
            "/* output: 'export' */ export default {};",
            "const c = {}; if (x) { c.output = 'export' }",
            "export default { output: 'export' || undefined };",
            "const s = \"output: 'export'\";",
        ] {
            assert!(static_export_at(text).is_none(), "{text}");
        }
    }
}
