//! Keys in `.railway/railway.ts` that the SDK silently drops.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::SourceFile;

declare_rule! {
    /// A key in `.railway/railway.ts` that the `railway/iac` SDK drops without a word.
    ///
    /// ## What it checks
    /// Keys of `service(name, {...})` that the SDK does not copy (`restarts`, `restartLimit`,
    /// `cron`, `healthCheckPath`, ...), reported as errors with the key they belong under
    /// (`deploy.restartPolicyType`, `deploy.restartPolicyMaxRetries`, `deploy.cronSchedule`,
    /// `healthcheck`). Keys inside `build` / `deploy` that the SDK's types do not have are
    /// passed on to the CLI unchanged and rejected by `tsc`: a warning.
    ///
    /// ## Why it matters on Railway
    /// The Railway CLI runs railway.ts with Node and never type-checks it; the SDK copies only
    /// the keys it knows, so `service("worker", { cron: "0 * * * *" })` deploys a worker that
    /// never runs on a schedule, and `apply` reports nothing.
    ///
    /// ## Example
    /// ```ts
    /// service("worker", { restarts: "ON_FAILURE", cron: "0 * * * *" })
    /// ```
    /// Fix:
    /// ```ts
    /// service("worker", { deploy: { restartPolicyType: "ON_FAILURE", cronSchedule: "0 * * * *" } })
    /// ```
    code: RC207,
    name: "iac-dropped-key",
    severity: Error,
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let Some(iac) = file.iac.as_deref() else { return };
    let dropped = iac.dropped_keys.iter().map(|k| (k, true));
    for (key, is_dropped) in dropped.chain(iac.untyped_keys.iter().map(|k| (k, false))) {
        let message = if is_dropped {
            format!(
                "`{}` on service `{}` is dropped by the railway SDK: the setting never reaches Railway",
                key.key, key.service
            )
        } else {
            format!(
                "`{}` on service `{}` is not a key of the railway SDK's types: `tsc` rejects it and Railway may ignore it",
                key.key, key.service
            )
        };
        let mut d = Diagnostic::new(&META, file.id, key.span.clone(), message).service(key.service.clone());
        if !is_dropped {
            d = d.severity(Severity::Warning);
        }
        d = match &key.suggestion {
            Some(to) => d.help(format!("did you mean `{to}`?")),
            None => d.help("remove it, or move the setting to the service settings in Railway"),
        };
        out.push(d);
    }
}
