//! Enum values of railway.ts in the wrong case.

use crate::diagnostic::Diagnostic;
use crate::iac::Field;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// An enum value in `.railway/railway.ts` written in the wrong case (`builder: "nixpacks"`).
    ///
    /// ## What it checks
    /// `build.builder` (`RAILPACK`, `DOCKERFILE`, `NIXPACKS`, `HEROKU`, `PAKETO`) and
    /// `deploy.restartPolicyType` (`ON_FAILURE`, `ALWAYS`, `NEVER`) whose value matches one of
    /// these only when case is ignored.
    ///
    /// ## Why it matters on Railway
    /// The SDK's types accept only the upper-case values; the CLI never type-checks, so a
    /// lower-case value is passed on to Railway as written. Whether Railway accepts it is not
    /// documented for railway.ts, and `tsc` rejects the file.
    ///
    /// ## Example
    /// ```ts
    /// service("api", { build: { builder: "nixpacks" } })
    /// ```
    /// Fix: `builder: "NIXPACKS"` (or better, `"RAILPACK"`).
    code: RC208,
    name: "iac-enum-case",
    severity: Warning,
    check: File(check),
}

const BUILDERS: &[&str] = &["RAILPACK", "DOCKERFILE", "NIXPACKS", "HEROKU", "PAKETO"];
const RESTART_POLICIES: &[&str] = &["ON_FAILURE", "ALWAYS", "NEVER"];

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(iac) = file.iac.as_deref() else { return };
    for service in &iac.services {
        let name = service.name.value.known().map_or("?", String::as_str);
        let fields: [(&str, &Field<String>, &[&str]); 2] = [
            ("build.builder", &service.builder, BUILDERS),
            (
                "deploy.restartPolicyType",
                &service.restart_policy_type,
                RESTART_POLICIES,
            ),
        ];
        for (key, field, allowed) in fields {
            let Some(spanned) = field else { continue };
            let Some(value) = spanned.value.known() else { continue };
            let upper = value.to_ascii_uppercase();
            if upper == *value || !allowed.contains(&upper.as_str()) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    file.id,
                    spanned.span.clone(),
                    format!("`{key}` of service `{name}` is `\"{value}\"`; the SDK's types accept only `\"{upper}\"`"),
                )
                .help(format!("write `\"{upper}\"`"))
                .service(name.to_string()),
            );
        }
    }
}
