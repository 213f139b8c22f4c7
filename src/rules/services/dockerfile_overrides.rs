//! a `Dockerfile` in the service root wins over Railpack.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::root::BuilderKind;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A `Dockerfile` in the service root makes Railway ignore Railpack, even with `builder: RAILPACK`.
    ///
    /// ## What it checks
    /// Services configured for Railpack (a `railpack.json`, or `build.builder: "RAILPACK"` in
    /// their Railway config) whose root folder holds a file named exactly `Dockerfile`.
    /// Services whose Railway config says `builder: "DOCKERFILE"` (or `NIXPACKS`) and that
    /// still have a `railpack.json`: it is unused. With any builder other than Railpack,
    /// railcheck skips its Railpack checks for the service (they would judge a file nobody
    /// reads).
    ///
    /// ## Why it matters on Railway
    /// Railway's config-as-code reference: "Railway will always build with a Dockerfile if it
    /// finds one". The Dockerfile is used and `railpack.json` is ignored, whatever the builder
    /// setting says, so the steps, packages and start command written for Railpack never
    /// apply.
    ///
    /// ## Example
    /// `packages/web/Dockerfile` next to `packages/web/railpack.json`.
    /// Fix: delete or rename the Dockerfile (e.g. `Dockerfile.local`), or commit to it: set
    /// `"builder": "DOCKERFILE"` and remove `railpack.json`.
    code: RC604,
    name: "dockerfile-overrides",
    severity: Warning,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let builder = service.builder.as_ref();
    let explicit_railpack = builder.is_some_and(|b| b.value.eq_ignore_ascii_case("RAILPACK"));
    let from = &service.build.from;
    let message = match service.build.kind {
        BuilderKind::Railpack => return,
        BuilderKind::Dockerfile if from.starts_with("`build.builder`") => {
            if service.railpack.is_none() {
                return;
            }
            format!("this railpack.json is unused: Railway builds the service with a Dockerfile ({from})")
        }
        BuilderKind::Dockerfile => {
            if service.railpack.is_none() && !explicit_railpack {
                return;
            }
            let dockerfile = if service.root.is_empty() {
                "Dockerfile".to_string()
            } else {
                format!("{}/Dockerfile", service.root)
            };
            if explicit_railpack {
                format!("`{dockerfile}` exists, so Railway builds with it despite `builder: RAILPACK`")
            } else {
                format!("`{dockerfile}` exists, so Railway builds with it and ignores this railpack.json")
            }
        }
        BuilderKind::Nixpacks => {
            if service.railpack.is_none() {
                return;
            }
            format!("this railpack.json is unused: Railway builds the service with Nixpacks ({from})")
        }
    };
    let (file, span, pointer) = match (builder.filter(|_| explicit_railpack), service.railpack) {
        (Some(b), _) => (b.at.file, b.at.span.clone(), Some(b.at.pointer.clone())),
        (None, Some(file)) => (file, 0..0, None),
        (None, None) => return,
    };
    let found_file = service.build.kind == BuilderKind::Dockerfile && !from.starts_with("`build.builder`");
    let mut d = Diagnostic::new(&META, file, span, message);
    d = if found_file {
        d.help("delete or rename the Dockerfile (e.g. `Dockerfile.local`) to build with Railpack, or drop railpack.json: none of its settings apply")
            .note("Railway's config reference: \"Railway will always build with a Dockerfile if it finds one\"; railcheck skips its Railpack checks for this service")
    } else {
        d.help("drop railpack.json (none of its settings apply), or build with Railpack (`builder: RAILPACK` in the service settings or .railway/railway.ts)")
            .note("only Railpack reads railpack.json; railcheck skips its Railpack checks for this service")
    };
    if let Some(p) = pointer {
        d = d.pointer(p);
    }
    out.push(d);
}
