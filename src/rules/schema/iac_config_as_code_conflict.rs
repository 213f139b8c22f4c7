//! A railway.ts service whose root also holds a railway.json / railway.toml.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A service declared in `.railway/railway.ts` that also has a Config-as-Code file in its root.
    ///
    /// ## What it checks
    /// Services of `.railway/railway.ts` whose Root Directory holds a `railway.json` or
    /// `railway.toml`.
    ///
    /// ## Why it matters on Railway
    /// While a service's config file is set to a Config-as-Code file, `railway config plan`
    /// stops with "`<name>` is already managed by `<configFile>`": railway.ts cannot manage it.
    /// Whether the live service still points at the file is not visible from the repository,
    /// hence a warning. After 2026-12-01 Railway no longer reads the file anyway.
    ///
    /// ## Example
    /// `.railway/railway.ts` declares `service("api", { root: "apps/api" })` and
    /// `apps/api/railway.json` exists.
    /// Fix: move the file's remaining settings into the `service(...)` call
    /// (`railcheck migrate` lists them), delete the file, and clear the service's config file
    /// path in its settings.
    code: RC209,
    name: "iac-config-as-code-conflict",
    severity: Warning,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let (Some(at), Some(railway)) = (&service.iac_at, service.railway) else {
        return;
    };
    let other = cx.project.file(railway);
    out.push(
        Diagnostic::new(
            &META,
            at.file,
            at.key_or_value(),
            format!(
                "service `{}` is declared here and also configured by `{}`: Railway refuses to manage it from railway.ts while that file is its config file",
                service.name, other.path
            ),
        )
        .label(railway, 0..0, "Config-as-Code file in the service's root")
        .help(format!(
            "move the remaining settings of `{}` into this service(...) call, delete the file, and clear the config file path in the service settings",
            other.path
        ))
        ,
    );
}
