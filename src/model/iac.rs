//! Services declared in `.railway/railway.ts` (Infrastructure as Code), read by
//! [`crate::iac::read`] when the file was loaded. A railway.ts service whose Root Directory is
//! the folder of a folder-discovered service (e.g. its `railpack.json`) is the same service.
//! Every setting gets a [`Loc`] in the railway.ts with a readable pointer such as
//! `/services/api/healthcheck` and the origin [`Origin::RailwayTs`].

use crate::facts::references;
use crate::iac::{Field, IacService, IacValue, Setting as IacSetting, Span};
use crate::source::{FileKind, Node, NodeKind, SourceFile, escape_pointer_segment};

use super::{
    Loc, Origin, Project, Scope, Service, Setting, Step, StepCommand, StepCommandKind, Variable, normalize_root,
};

pub(super) fn add_services(project: &Project, services: &mut Vec<Service>) {
    let Some(file) = project.files.iter().find(|f| f.kind == FileKind::RailwayTs) else {
        return;
    };
    let Some(iac) = file.iac.as_deref() else { return };
    for svc in &iac.services {
        let name = match &svc.name.value {
            IacSetting::Known(name) => name.clone(),
            IacSetting::Unknown(_) => continue,
        };
        // No `root`: Railway's default Root Directory is the repository root.
        let root = match known(&svc.root) {
            Some(root) => normalize_root("", root),
            None if svc.root.is_none() => String::new(),
            None => continue,
        };
        let idx = match services.iter().position(|s| s.dir == root && s.iac_at.is_none()) {
            Some(idx) => {
                // A folder service takes the Railway name; a manifest's own name stays.
                if services[idx].declared_at.is_none() {
                    services[idx].name = name.clone();
                }
                idx
            }
            None => {
                let exists = project.abs(&root).is_dir();
                services.push(Service::new(name.clone(), root.clone(), exists));
                services.len() - 1
            }
        };
        let service = &mut services[idx];
        let base = format!("/services/{}", escape_pointer_segment(&name));
        let declared = Loc {
            file: file.id,
            pointer: base.clone(),
            span: svc.call_span.clone(),
            key_span: Some(svc.name.span.clone()),
        };
        // The file Railway reads states the Root Directory (no `root`: the repository root).
        let from = if svc.root.is_some() {
            format!("`root` of service `{name}` in .railway/railway.ts")
        } else {
            format!(
                "service `{name}` in .railway/railway.ts, which sets no `root` (Railway's default: the repository root)"
            )
        };
        service.root_fact = super::root::RootFact::known(root.clone(), from, Some(declared.clone()));
        service.iac_at = Some(declared);
        extract(file, svc, &base, service);
    }
}

fn at(file: &SourceFile, base: &str, key: &str, span: &Span) -> Loc {
    Loc {
        file: file.id,
        pointer: format!("{base}/{key}"),
        span: span.clone(),
        key_span: None,
    }
}

fn known<T>(field: &Field<T>) -> Option<&T> {
    field.as_ref().and_then(|f| f.value.known())
}

fn string_setting(file: &SourceFile, base: &str, key: &str, field: &Field<String>) -> Option<Setting<String>> {
    let spanned = field.as_ref()?;
    Some(Setting {
        value: spanned.value.known()?.clone(),
        at: at(file, base, key, &spanned.span),
        origin: Origin::RailwayTs,
    })
}

fn extract(file: &SourceFile, svc: &IacService, base: &str, service: &mut Service) {
    if let Some(path) = string_setting(file, base, "healthcheck", &svc.healthcheck_path) {
        service.health_paths.push(path);
    }
    if let Some(timeout) = &svc.healthcheck_timeout
        && let Some(seconds) = timeout.value.known()
    {
        // The rules judge a timeout as written: keep the source text as the number.
        let text = file
            .text
            .get(timeout.span.clone())
            .map_or_else(|| seconds.to_string(), str::to_string);
        service.health_timeouts.push(Setting {
            value: Node::new(timeout.span.clone(), NodeKind::Number(text)),
            at: at(file, base, "healthcheckTimeout", &timeout.span),
            origin: Origin::RailwayTs,
        });
    }
    if let Some(start) = string_setting(file, base, "start", &svc.start) {
        service.start_commands.push(start);
    }
    if let Some(builder) = string_setting(file, base, "build/builder", &svc.builder) {
        service.builder = Some(builder);
    }
    if let Some(cmd) = string_setting(file, base, "build/buildCommand", &svc.build_command) {
        service.steps.push(Step {
            name: "buildCommand".to_string(),
            at: cmd.at.clone(),
            origin: Origin::RailwayTs,
            commands: vec![StepCommand {
                kind: StepCommandKind::Shell(cmd.value.clone()),
                at: cmd.at,
            }],
            inputs: Vec::new(),
            secrets: None,
        });
    }
    for var in &svc.env {
        let name_at = Loc {
            file: file.id,
            pointer: format!("{base}/env/{}", escape_pointer_segment(&var.name)),
            span: var.name_span.clone(),
            key_span: Some(var.name_span.clone()),
        };
        let value_at = Loc {
            span: var.value.span.clone(),
            ..name_at.clone()
        };
        // Every form becomes the string Railway stores: a typed reference is `${{svc.VAR}}`.
        let text = match &var.value.value {
            IacValue::Literal(s) => Some(s.clone()),
            IacValue::TypedRef { service, var } => Some(format!("${{{{{service}.{var}}}}}")),
            IacValue::Shared(name) => Some(format!("${{{{shared.{name}}}}}")),
            IacValue::Preserve | IacValue::Declared { .. } | IacValue::Unknown(_) => None,
        };
        // Offsets map exactly only for a literal written without escapes.
        let value_offset = match &var.value.value {
            IacValue::Literal(s) => {
                let span = &var.value.span;
                file.text
                    .get(span.start + 1..span.end.saturating_sub(1))
                    .filter(|inner| inner == s)
                    .map(|_| span.start + 1)
            }
            _ => None,
        };
        service.variables.push(Variable {
            name: var.name.clone(),
            at: name_at,
            value: text.as_ref().map(|v| Setting {
                value: v.clone(),
                at: value_at,
                origin: Origin::RailwayTs,
            }),
            scope: Scope::Service,
            origin: Origin::RailwayTs,
            step: None,
            refs: text.as_deref().map(references::parse).unwrap_or_default(),
            value_offset,
        });
    }
}
