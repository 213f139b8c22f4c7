//! a manifest service whose `root` folder does not exist.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// A service's root folder does not exist in the repository.
    ///
    /// ## What it checks
    /// The `root` of every service in the guide's services manifest, resolved against the
    /// manifest's folder: the folder must exist.
    ///
    /// ## Why it matters on Railway
    /// A service's Root Directory is the folder Railway uploads and Railpack builds. If it does
    /// not exist the deployment fails before the build starts ("could not find root
    /// directory"), and every setting written for the service applies to nothing.
    ///
    /// ## Example
    /// ```json
    /// { "services": { "frontend": { "root": "./packages/webapp" } } }
    /// ```
    /// Fix: `"root": "./packages/web"`, the folder that holds the app.
    code: RC601,
    name: "service-root-missing",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    if service.root_exists {
        return;
    }
    let Some(declared) = &service.declared_at else { return };
    let file = cx.project.file(declared.file);
    let root_pointer = format!("{}/root", declared.pointer);
    let span = file.span_of(&root_pointer).unwrap_or_else(|| declared.key_or_value());
    out.push(
        Diagnostic::new(
            &META,
            declared.file,
            span,
            format!(
                "root folder `{}` of service `{}` does not exist",
                service.root, service.name
            ),
        )
        .pointer(root_pointer)
        .help("point `root` at the folder that holds the service, relative to this file")
        .depends_on_root(),
    );
}
