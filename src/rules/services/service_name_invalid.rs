//! a service name Railway cannot have.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A service name longer than Railway's 32-character limit.
    ///
    /// ## What it checks
    /// The names of the services in the guide's services manifest: at most 32 characters.
    ///
    /// ## Why it matters on Railway
    /// Railway service names are at most 32 characters, so a longer name cannot be the
    /// service's real name, and every `${{name.VAR}}` reference written with it resolves to
    /// nothing.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "monkey-coder-backend-api-service-production": { "root": "." } } }
    /// ```
    /// Fix: a name of at most 32 characters, e.g. `monkey-coder-api`.
    code: RC605,
    name: "service-name-invalid",
    severity: Error,
    check: Service(check),
}

pub(crate) const MAX_NAME: usize = 32;

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let Some(declared) = &service.declared_at else { return };
    let len = service.name.chars().count();
    if len <= MAX_NAME {
        return;
    }
    out.push(
        Diagnostic::new(
            &META,
            declared.file,
            declared.key_or_value(),
            format!("service name is {len} characters; Railway allows at most {MAX_NAME}"),
        )
        .pointer(declared.pointer.clone())
        .help("shorten the name here, in Railway, and in every `${{name.VAR}}` reference"),
    );
}
