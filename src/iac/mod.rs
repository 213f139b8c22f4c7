//! A static reader for Railway's Infrastructure as Code file, `.railway/railway.ts`.
//!
//! The Railway CLI runs this file with Node and never type-checks it; railcheck must read it
//! without Node (pre-commit, CI). So the file is parsed with a real TypeScript parser and then
//! evaluated by a small abstract interpreter that knows the `railway/iac` builders
//! (docs: `iac.md`). Whatever it cannot know statically (`process.env`, `execSync`, values that
//! differ per environment) becomes an [`IacValue::Unknown`] / [`Setting::Unknown`] with a short
//! description: never a guess.
//!
//! This module imports nothing from the rest of the crate on purpose: the model wires it in.

mod eval;
mod keys;
mod scan;

pub(crate) mod emit;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub(crate) use emit::{EmitProject, EmitService, EmitValue, emit};

/// Byte offsets into the text given to [`read`].
pub(crate) type Span = Range<usize>;

/// A value with the span of the source text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spanned<T> {
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// A setting that is either known statically or not (the string says why not).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Setting<T> {
    Known(T),
    Unknown(String),
}

impl<T> Setting<T> {
    pub(crate) fn known(&self) -> Option<&T> {
        match self {
            Setting::Known(value) => Some(value),
            Setting::Unknown(_) => None,
        }
    }
}

/// A setting as read: its value (or why it is unknown) and where it is written.
pub(crate) type Field<T> = Option<Spanned<Setting<T>>>;

/// `multiRegionConfig`: region -> replica count.
pub(crate) type RegionCounts = Vec<(Spanned<String>, Setting<f64>)>;

/// Everything read from one railway.ts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct IacFile {
    /// The parser's first error and its position; when set, nothing else but
    /// `templates_with_refs` is filled.
    pub(crate) parse_error: Option<(String, Span)>,
    /// `import { service as svc } from "railway/iac"`: what was imported, under which name.
    pub(crate) sdk_imports: Vec<SdkImport>,
    /// `export const partial = "..."`.
    pub(crate) partial: Field<String>,
    /// The first argument of `project(...)` (or `name` of a returned plain object).
    pub(crate) project_name: Field<String>,
    /// The program that was evaluated (`export default` / `main` / `Railway`).
    pub(crate) entry: Option<Span>,
    pub(crate) services: Vec<IacService>,
    /// `postgres`, `mysql`, `redis`, `mongo`, `database`.
    pub(crate) databases: Vec<IacResource>,
    pub(crate) volumes: Vec<IacResource>,
    pub(crate) buckets: Vec<IacResource>,
    pub(crate) groups: Vec<IacGroup>,
    /// Values railcheck could not read statically, with what they are.
    pub(crate) unknowns: Vec<Unknown>,
    /// Service keys the SDK does not copy (it drops them silently).
    pub(crate) dropped_keys: Vec<DroppedKey>,
    /// Keys inside `build` / `deploy` that the SDK's types do not have: the SDK passes them on
    /// to the CLI unchanged, `tsc` would reject them.
    pub(crate) untyped_keys: Vec<DroppedKey>,
    /// A `${{` inside a backtick template: JavaScript interpolates it (or fails to parse).
    pub(crate) templates_with_refs: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SdkImport {
    /// The SDK's export name (`service`).
    pub(crate) imported: String,
    /// The local binding (`svc` in `import { service as svc }`).
    pub(crate) local: String,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Unknown {
    pub(crate) span: Span,
    /// What could not be read, e.g. `process.env.PORT`, `call to a user function buildEnv()`.
    pub(crate) what: String,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DroppedKey {
    /// The Railway service name, as written (or the source text when it is not static).
    pub(crate) service: String,
    /// The key path, e.g. `restarts`, `run.cmd`, `deploy.healthCheckPath`.
    pub(crate) key: String,
    /// The key itself.
    pub(crate) span: Span,
    /// Where the setting belongs, e.g. `deploy.restartPolicyType`.
    pub(crate) suggestion: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ServiceKind {
    /// `service(...)`
    Service,
    /// `fn(...)`: a Railway Function.
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SourceKind {
    Github,
    Image,
    Template,
    Empty,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IacSource {
    pub(crate) kind: SourceKind,
    /// The repository, image or template name.
    pub(crate) target: Field<String>,
    /// As written; `github()` defaults it to `main`.
    pub(crate) branch: Field<String>,
    pub(crate) span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IacService {
    pub(crate) name: Spanned<Setting<String>>,
    /// The whole `service(...)` call.
    pub(crate) call_span: Span,
    pub(crate) kind: ServiceKind,
    /// `source`; `None` when the service has none (deployed with `railway up`).
    pub(crate) source: Option<IacSource>,
    /// The Root Directory: `root ?? rootDirectory`, or the source's `rootDirectory`.
    pub(crate) root: Field<String>,
    /// As written (`"nixpacks"` stays lowercase, so a rule can point at the case).
    pub(crate) builder: Field<String>,
    pub(crate) build_command: Field<String>,
    pub(crate) dockerfile_path: Field<String>,
    pub(crate) watch_patterns: Field<Vec<Spanned<String>>>,
    pub(crate) railpack_version: Field<String>,
    /// `start ?? startCommand ?? run.command ?? deploy.startCommand`, as the SDK resolves it.
    pub(crate) start: Field<String>,
    pub(crate) pre_deploy: Field<Vec<Spanned<String>>>,
    pub(crate) healthcheck_path: Field<String>,
    pub(crate) healthcheck_timeout: Field<f64>,
    pub(crate) restart_policy_type: Field<String>,
    pub(crate) restart_policy_max_retries: Field<f64>,
    pub(crate) cron_schedule: Field<String>,
    pub(crate) num_replicas: Field<f64>,
    pub(crate) region: Field<String>,
    pub(crate) sleep_application: Field<bool>,
    /// `replicas` / `regions` as a region -> count map (`multiRegionConfig`).
    pub(crate) multi_region: Field<RegionCounts>,
    pub(crate) config_file: Field<String>,
    /// The group this service is put in by `group(name, [...])` or `groupId`.
    pub(crate) group: Option<String>,
    /// `{...variables, ...env}` in key order, later keys winning.
    pub(crate) env: Vec<IacVar>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IacVar {
    pub(crate) name: String,
    /// The key in `env` (or the place a helper made it, e.g. the name in a `NAMES` list).
    pub(crate) name_span: Span,
    /// Where the value is written: when `env` names a constant (`URL: publicUrl`), the
    /// constant's definition, so a literal secret is pointed at where it sits.
    pub(crate) value: Spanned<IacValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum IacValue {
    /// A string, as JavaScript evaluates it; a `${{svc.VAR}}` inside stays as written.
    Literal(String),
    /// `x.env.VAR` / `ref(x, "VAR")`: `service` is the Railway name of `x`.
    TypedRef {
        service: String,
        var: String,
    },
    /// `preserve()` (or `{ preserveExisting: true }`): keep the live value.
    Preserve,
    /// `ctx.shared.NAME`: `${{shared.NAME}}`.
    Shared(String),
    /// A variable config object without a value (`{ description, isOptional }`): the variable is
    /// declared, its value lives in Railway.
    Declared {
        description: Option<String>,
        optional: bool,
        default: Option<String>,
    },
    Unknown(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResourceKind {
    Postgres,
    Mysql,
    Redis,
    Mongo,
    /// `database(name, engine, {...})` with any other engine.
    Database,
    Volume,
    Bucket,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IacResource {
    pub(crate) kind: ResourceKind,
    pub(crate) name: Spanned<Setting<String>>,
    pub(crate) call_span: Span,
    /// The variables a service can reference (`db.env.DATABASE_URL`), per the SDK's types.
    pub(crate) provides: &'static [&'static str],
    pub(crate) group: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct IacGroup {
    pub(crate) name: Spanned<Setting<String>>,
    /// Names of the resources put into it.
    pub(crate) members: Vec<String>,
}

impl IacFile {
    /// Every name a reference may use: services, databases, volumes and buckets.
    pub(crate) fn declared_names(&self) -> impl Iterator<Item = &str> {
        let services = self.services.iter().filter_map(|s| s.name.value.known());
        let others = self.databases.iter().chain(&self.volumes).chain(&self.buckets);
        services
            .chain(others.filter_map(|r| r.name.value.known()))
            .map(String::as_str)
    }
}

/// Reads a railway.ts. Never fails and never panics: a file that does not parse has
/// `parse_error` set.
pub(crate) fn read(text: &str) -> IacFile {
    let mut file = IacFile {
        templates_with_refs: scan::backtick_references(text),
        ..IacFile::default()
    };
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, text, oxc_span::SourceType::ts()).parse();
    if let Some(error) = parsed.diagnostics.errors().next() {
        let span = error.labels.first().map_or(0..0, |label| {
            let span = label.span();
            span.start as usize..span.end as usize
        });
        file.parse_error = Some((error.message.to_string(), span));
        return file;
    }
    if parsed.panicked {
        file.parse_error = Some(("the TypeScript parser gave up on this file".to_string(), 0..text.len()));
        return file;
    }
    eval::evaluate(&parsed.program, text, &mut file);
    file
}
