//! A reference in railway.ts to a service the file does not declare.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::references;
use crate::iac::IacValue;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// A `${{svc.VAR}}` or `svc.env.VAR` in `.railway/railway.ts` naming a service the file does not declare.
    ///
    /// ## What it checks
    /// References in the `env` of railway.ts services whose service name is neither `shared`
    /// nor a service, database, volume or bucket declared in the file. An error when the file
    /// has no `export const partial`; a warning with a partial, whose other services may be
    /// declared in another partial.
    ///
    /// ## Why it matters on Railway
    /// `railway config apply` treats the project as exactly what the file declares: a service
    /// it does not declare is deleted from the environment, and a reference to it resolves to
    /// an empty string. Service names are case-sensitive.
    ///
    /// ## Example
    /// ```ts
    /// service("web", { env: { API_URL: "https://${{Backend.RAILWAY_PUBLIC_DOMAIN}}" } })
    /// ```
    /// while the file declares `service("backend", ...)`.
    /// Fix: `"https://${{backend.RAILWAY_PUBLIC_DOMAIN}}"`.
    code: RC510,
    name: "iac-undeclared-service",
    severity: Error,
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(iac) = file.iac.as_deref() else { return };
    let declared: Vec<&str> = iac.declared_names().collect();
    let partial = iac.partial.is_some();
    for service in &iac.services {
        let owner = service.name.value.known().map_or("?", String::as_str);
        for var in &service.env {
            let span = &var.value.span;
            // (service named, span of the reference)
            let mut named: Vec<(String, std::ops::Range<usize>)> = Vec::new();
            match &var.value.value {
                IacValue::TypedRef { service, .. } => named.push((service.clone(), span.clone())),
                IacValue::Literal(text) => {
                    let exact = file.text.get(span.start + 1..span.end.saturating_sub(1)) == Some(text.as_str());
                    for r in references::parse(text).references {
                        let Some(ns) = r.namespace else { continue };
                        let at = if exact {
                            span.start + 1 + r.range.start..span.start + 1 + r.range.end
                        } else {
                            span.clone()
                        };
                        named.push((ns, at));
                    }
                }
                _ => {}
            }
            for (ns, at) in named {
                if ns == "shared" || declared.contains(&ns.as_str()) {
                    continue;
                }
                let suggestion = declared
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(&ns))
                    .copied()
                    .or_else(|| crate::util::text::closest(&ns, declared.iter().copied()));
                let mut d = Diagnostic::new(
                    &META,
                    file.id,
                    at,
                    format!(
                        "`{}` of `{owner}` references service `{ns}`, which this file does not declare",
                        var.name
                    ),
                )
                .service(owner.to_string());
                d = match suggestion {
                    Some(s) => d.help(format!("did you mean `{s}`? Service names are case-sensitive")),
                    None if partial => d.help("declare it in this file, or make sure another partial declares it"),
                    None => {
                        d.help("declare it in this file: `railway config apply` manages only what the file declares")
                    }
                };
                if partial {
                    d = d
                        .severity(Severity::Warning)
                        .note("this file is a partial: the service may be declared in another partial");
                }
                out.push(d);
            }
        }
    }
}
