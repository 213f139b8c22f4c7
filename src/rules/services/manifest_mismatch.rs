//! the manifest and a service's own file disagree.

use crate::diagnostic::Diagnostic;
use crate::model::{Input, InputKind, Origin, Service, Setting};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// The services manifest and a service's own file set different start commands, providers or deploy inputs.
    ///
    /// ## What it checks
    /// For each service of the guide's services manifest, its start command, provider and
    /// `deploy.inputs` against the same settings in the service's own files (`railpack.json`
    /// in any dialect, `railway.json`/`railway.toml`). Health check disagreements are RC406's.
    ///
    /// ## Why it matters on Railway
    /// Nothing reads the guide's manifest (domain.md section 2: Railpack reads neither
    /// `services` nor anything under it; Railway has no such file). The service's own files
    /// win: Railpack reads `deploy.startCommand` and `deploy.inputs` of the service's
    /// `railpack.json`, and Railway's start command overrides it. Two copies that disagree mean
    /// the one people edit and review (often the manifest) is not the one that deploys: the
    /// service starts with a different command or builds with a different provider than the
    /// manifest says. Which copy is meant railcheck cannot tell: a warning.
    ///
    /// ## Example
    /// Manifest: `"startCommand": "yarn start"`; `packages/web/railpack.json`:
    /// `"startCommand": "node server.js"`.
    /// Fix: keep the setting only in the service's own file and delete it from the manifest.
    code: RC603,
    name: "manifest-mismatch",
    severity: Warning,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    if service.declared_at.is_none() {
        return;
    }
    compare(service, &service.start_commands, "start command", out);
    compare(service, &service.providers, "provider", out);
    let manifest = service.deploy_inputs.iter().find(|(o, _)| *o == Origin::Manifest);
    let Some((_, expected)) = manifest else { return };
    for (origin, inputs) in &service.deploy_inputs {
        if *origin == Origin::Manifest || same_inputs(expected, inputs) {
            continue;
        }
        let (Some(first), Some(theirs)) = (inputs.first(), expected.first()) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                &META,
                first.at.file,
                first.at.span.clone(),
                format!(
                    "`deploy.inputs` of `{}` differ from the services manifest",
                    service.name
                ),
            )
            .label(theirs.at.file, theirs.at.span.clone(), "the manifest says this")
            .help("keep `deploy.inputs` only in the service's railpack.json"),
        );
    }
}

fn same_inputs(a: &[Input], b: &[Input]) -> bool {
    let key = |i: &Input| -> (InputKind, Vec<String>, Vec<String>) {
        (
            i.kind.clone(),
            i.include.iter().map(|s| s.value.clone()).collect(),
            i.exclude.iter().map(|s| s.value.clone()).collect(),
        )
    };
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| key(x) == key(y))
}

fn compare(service: &Service, settings: &[Setting<String>], what: &str, out: &mut Vec<Diagnostic>) {
    let Some(manifest) = settings.iter().find(|s| s.origin == Origin::Manifest) else {
        return;
    };
    for other in settings {
        if other.origin == Origin::Manifest || other.value.trim() == manifest.value.trim() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                other.at.file,
                other.at.span.clone(),
                format!("{what} of `{}` here differs from the services manifest", service.name),
            )
            .pointer(other.at.pointer.clone())
            .label(
                manifest.at.file,
                manifest.at.span.clone(),
                "the manifest says this; nothing reads it",
            )
            .help(format!(
                "{} wins; delete the manifest's copy or make them equal",
                other.origin.describe()
            )),
        );
    }
}
