//! the guide's `next.config` check, as information.

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::rules::guide::{next_config, strip_js_comments};

declare_rule! {
    /// A Next.js service whose `next.config.*` never reads `RAILWAY_ENVIRONMENT(_NAME)`.
    ///
    /// ## What it checks
    /// For each service whose root holds `next.config.{js,mjs,ts,cjs,mts}`, whether the file
    /// mentions `RAILWAY_ENVIRONMENT_NAME` (or the older `RAILWAY_ENVIRONMENT`) outside comments.
    /// This is the check the guide's `validate-deployment.sh` made with `grep`, kept for parity.
    ///
    /// ## Why it matters on Railway
    /// The guide's frontend switches its build on the Railway environment (production, PR
    /// environments). A config that never reads the variable builds the same way everywhere,
    /// which is fine for many apps: this is information, not a fault. Railway provides
    /// `RAILWAY_ENVIRONMENT_NAME`; `RAILWAY_ENVIRONMENT` is deprecated.
    ///
    /// ## Example
    /// ```js
    /// // next.config.mjs
    /// export default { reactStrictMode: true };
    /// ```
    /// Fix, if the build should know the environment:
    /// ```js
    /// const isProduction = process.env.RAILWAY_ENVIRONMENT_NAME === "production";
    /// export default { reactStrictMode: true, productionBrowserSourceMaps: !isProduction };
    /// ```
    code: RC801,
    name: "next-railway-environment",
    severity: Info,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let fs = cx.fs;
    let Some((path, text)) = next_config(fs, cx.project, service) else {
        return;
    };
    if strip_js_comments(&text).contains("RAILWAY_ENVIRONMENT") {
        return;
    }
    let Some(anchor) = service.anchor() else { return };
    out.push(
        Diagnostic::new(
            &META,
            anchor.file,
            anchor.key_or_value(),
            format!("`{path}` never reads `RAILWAY_ENVIRONMENT_NAME`"),
        )
        .help("read `process.env.RAILWAY_ENVIRONMENT_NAME` in the config if the build should differ per Railway environment; otherwise ignore this")
        .note("the guide's validate-deployment.sh required this; Railway's current name is RAILWAY_ENVIRONMENT_NAME")
        ,
    );
}
