//! a Railway domain used with the wrong scheme or without a port.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// `RAILWAY_PUBLIC_DOMAIN` without `https://`, or `RAILWAY_PRIVATE_DOMAIN` with `https://` or without a port.
    ///
    /// ## What it checks
    /// References to `RAILWAY_PUBLIC_DOMAIN` preceded by `http://`, or making up the whole
    /// value of a URL-named variable (`*_URL`, `*_URI`, `*_ORIGIN`, `*_ENDPOINT`) with no
    /// scheme; references to `RAILWAY_PRIVATE_DOMAIN` preceded by `https://`, or used in a URL
    /// without an explicit `:port`. A bare domain in a host-named variable is fine.
    ///
    /// ## Why it matters on Railway
    /// `RAILWAY_PUBLIC_DOMAIN` is a bare host name (`api-production.up.railway.app`): without
    /// `https://` a URL is relative, and with `http://` browsers block mixed content from an
    /// https page. The private network (`<service>.railway.internal`) speaks plain HTTP to the
    /// port the app listens on: `https://` fails the TLS handshake and a URL without a port
    /// goes to port 80, where nothing listens.
    ///
    /// ## Example
    /// ```json
    /// { "API_URL": "https://${{api.RAILWAY_PRIVATE_DOMAIN}}" }
    /// ```
    /// Fix: `"http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}"`.
    code: RC504,
    name: "domain-scheme",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for v in &service.variables {
        let Some(value) = v.value_str() else { continue };
        for r in &v.refs.references {
            let before = &value[..r.range.start];
            let after = &value[r.range.end..];
            let url_name = super::is_url_name(&v.name) && before.is_empty();
            let problem = match r.variable.as_str() {
                "RAILWAY_PUBLIC_DOMAIN" if before.ends_with("http://") => Some((
                    "uses `http://` with the public domain; Railway serves it over HTTPS",
                    "write `https://` before the reference",
                )),
                "RAILWAY_PUBLIC_DOMAIN" if url_name => Some((
                    "is a bare host name, not a URL: it needs `https://`",
                    "write `https://` before the reference",
                )),
                "RAILWAY_PRIVATE_DOMAIN" if before.ends_with("https://") => Some((
                    "uses `https://` on the private network, which speaks plain HTTP",
                    "use `http://` and the target's port: `http://${{service.RAILWAY_PRIVATE_DOMAIN}}:${{service.PORT}}`",
                )),
                "RAILWAY_PRIVATE_DOMAIN" if (before.ends_with("http://") || url_name) && !after.starts_with(':') => {
                    Some((
                        "has no port: private URLs go to port 80, where nothing listens",
                        "add the port the target listens on: `http://${{service.RAILWAY_PRIVATE_DOMAIN}}:${{service.PORT}}`",
                    ))
                }
                _ => None,
            };
            let Some((what, help)) = problem else { continue };
            out.push(
                Diagnostic::new(
                    &META,
                    v.at.file,
                    v.span_in_value(r.range.clone()),
                    format!("`{}` {what}", v.name),
                )
                .help(help),
            );
        }
    }
}
