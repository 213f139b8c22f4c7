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

pub mod emit;

#[cfg(test)]
mod tests;

use std::ops::Range;

pub use emit::{EmitProject, EmitService, EmitValue, emit};

/// Byte offsets into the text given to [`read`].
pub type Span = Range<usize>;

/// A value with the span of the source text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A setting that is either known statically or not (the string says why not).
#[derive(Clone, Debug, PartialEq)]
pub enum Setting<T> {
    Known(T),
    Unknown(String),
}

impl<T> Setting<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Setting::Known(value) => Some(value),
            Setting::Unknown(_) => None,
        }
    }
}

/// A setting as read: its value (or why it is unknown) and where it is written.
pub type Field<T> = Option<Spanned<Setting<T>>>;

/// `multiRegionConfig`: region -> replica count.
pub type RegionCounts = Vec<(Spanned<String>, Setting<f64>)>;

/// Everything read from one railway.ts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IacFile {
    /// The parser's first error and its position; when set, nothing else but
    /// `templates_with_refs` is filled.
    pub parse_error: Option<(String, Span)>,
    /// `import { service as svc } from "railway/iac"`: what was imported, under which name.
    pub sdk_imports: Vec<SdkImport>,
    /// `export const partial = "..."`.
    pub partial: Field<String>,
    /// The first argument of `project(...)` (or `name` of a returned plain object).
    pub project_name: Field<String>,
    /// The program that was evaluated (`export default` / `main` / `Railway`).
    pub entry: Option<Span>,
    pub services: Vec<IacService>,
    /// `postgres`, `mysql`, `redis`, `mongo`, `database`.
    pub databases: Vec<IacResource>,
    pub volumes: Vec<IacResource>,
    pub buckets: Vec<IacResource>,
    pub groups: Vec<IacGroup>,
    /// Values railcheck could not read statically, with what they are.
    pub unknowns: Vec<Unknown>,
    /// Service keys the SDK does not copy (it drops them silently).
    pub dropped_keys: Vec<DroppedKey>,
    /// Keys inside `build` / `deploy` that the SDK's types do not have: the SDK passes them on
    /// to the CLI unchanged, `tsc` would reject them.
    pub untyped_keys: Vec<DroppedKey>,
    /// A `${{` inside a backtick template: JavaScript interpolates it (or fails to parse).
    pub templates_with_refs: Vec<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SdkImport {
    /// The SDK's export name (`service`).
    pub imported: String,
    /// The local binding (`svc` in `import { service as svc }`).
    pub local: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub span: Span,
    /// What could not be read, e.g. `process.env.PORT`, `call to a user function buildEnv()`.
    pub what: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DroppedKey {
    /// The Railway service name, as written (or the source text when it is not static).
    pub service: String,
    /// The key path, e.g. `restarts`, `run.cmd`, `deploy.healthCheckPath`.
    pub key: String,
    /// The key itself.
    pub span: Span,
    /// Where the setting belongs, e.g. `deploy.restartPolicyType`.
    pub suggestion: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceKind {
    /// `service(...)`
    Service,
    /// `fn(...)`: a Railway Function.
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Github,
    Image,
    Template,
    Empty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IacSource {
    pub kind: SourceKind,
    /// The repository, image or template name.
    pub target: Field<String>,
    /// As written; `github()` defaults it to `main`.
    pub branch: Field<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IacService {
    pub name: Spanned<Setting<String>>,
    /// The whole `service(...)` call.
    pub call_span: Span,
    pub kind: ServiceKind,
    /// `source`; `None` when the service has none (deployed with `railway up`).
    pub source: Option<IacSource>,
    /// The Root Directory: `root ?? rootDirectory`, or the source's `rootDirectory`.
    pub root: Field<String>,
    /// As written (`"nixpacks"` stays lowercase, so a rule can point at the case).
    pub builder: Field<String>,
    pub build_command: Field<String>,
    pub dockerfile_path: Field<String>,
    pub watch_patterns: Field<Vec<Spanned<String>>>,
    pub railpack_version: Field<String>,
    /// `start ?? startCommand ?? run.command ?? deploy.startCommand`, as the SDK resolves it.
    pub start: Field<String>,
    pub pre_deploy: Field<Vec<Spanned<String>>>,
    pub healthcheck_path: Field<String>,
    pub healthcheck_timeout: Field<f64>,
    pub restart_policy_type: Field<String>,
    pub restart_policy_max_retries: Field<f64>,
    pub cron_schedule: Field<String>,
    pub num_replicas: Field<f64>,
    pub region: Field<String>,
    pub sleep_application: Field<bool>,
    /// `replicas` / `regions` as a region -> count map (`multiRegionConfig`).
    pub multi_region: Field<RegionCounts>,
    pub config_file: Field<String>,
    /// The group this service is put in by `group(name, [...])` or `groupId`.
    pub group: Option<String>,
    /// `{...variables, ...env}` in key order, later keys winning.
    pub env: Vec<IacVar>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IacVar {
    pub name: String,
    /// The key in `env` (or the place a helper made it, e.g. the name in a `NAMES` list).
    pub name_span: Span,
    /// Where the value is written: when `env` names a constant (`URL: publicUrl`), the
    /// constant's definition, so a literal secret is pointed at where it sits.
    pub value: Spanned<IacValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IacValue {
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
pub enum ResourceKind {
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
pub struct IacResource {
    pub kind: ResourceKind,
    pub name: Spanned<Setting<String>>,
    pub call_span: Span,
    /// The variables a service can reference (`db.env.DATABASE_URL`), per the SDK's types.
    pub provides: &'static [&'static str],
    pub group: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IacGroup {
    pub name: Spanned<Setting<String>>,
    /// Names of the resources put into it.
    pub members: Vec<String>,
}

impl IacFile {
    /// Every name a reference may use: services, databases, volumes and buckets.
    pub fn declared_names(&self) -> impl Iterator<Item = &str> {
        let services = self.services.iter().filter_map(|s| s.name.value.known());
        let others = self.databases.iter().chain(&self.volumes).chain(&self.buckets);
        services
            .chain(others.filter_map(|r| r.name.value.known()))
            .map(String::as_str)
    }
}

/// Reads a railway.ts. Never fails and never panics: a file that does not parse has
/// `parse_error` set.
pub fn read(text: &str) -> IacFile {
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
