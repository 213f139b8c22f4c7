//! a `Dockerfile` in the service root wins over Railpack.

use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A `Dockerfile` in the service root makes Railway ignore Railpack, even with `builder: RAILPACK`.
    ///
    /// ## What it checks
    /// Services configured for Railpack (a `railpack.json`, or `build.builder: "RAILPACK"` in
    /// their Railway config) whose root folder holds a file named exactly `Dockerfile`.
    /// Services whose Railway config says `builder: "DOCKERFILE"` are left alone.
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
    check: check,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &cx.project.services {
        let builder = service.builder.as_ref();
        let explicit_railpack = builder.is_some_and(|b| b.value.eq_ignore_ascii_case("RAILPACK"));
        if builder.is_some_and(|b| b.value.eq_ignore_ascii_case("DOCKERFILE")) {
            continue;
        }
        if service.railpack.is_none() && !explicit_railpack {
            continue;
        }
        if !crate::util::fscache::is_file(&cx.project.abs(&service.root).join("Dockerfile")) {
            continue;
        }
        let dockerfile = if service.root.is_empty() {
            "Dockerfile".to_string()
        } else {
            format!("{}/Dockerfile", service.root)
        };
        let (file, span, pointer) = match (builder.filter(|_| explicit_railpack), service.railpack) {
            (Some(b), _) => (b.at.file, b.at.span.clone(), Some(b.at.pointer.clone())),
            (None, Some(file)) => (file, 0..0, None),
            (None, None) => continue,
        };
        let message = if explicit_railpack {
            format!("`{dockerfile}` exists, so Railway builds with it despite `builder: RAILPACK`")
        } else {
            format!("`{dockerfile}` exists, so Railway builds with it and ignores this railpack.json")
        };
        let mut d = Diagnostic::new(&META, file, span, message)
            .help("delete or rename the Dockerfile (e.g. `Dockerfile.local`), or switch to `builder: DOCKERFILE` and drop railpack.json")
            .note("Railway's config reference: \"Railway will always build with a Dockerfile if it finds one\"")
            .service(service.name.clone());
        if let Some(p) = pointer {
            d = d.pointer(p);
        }
        out.push(d);
    }
}
