//! Writes a `.railway/railway.ts` from a plain description of a project: deterministic,
//! formatted like `railway config pull` output (2-space indent, double quotes, trailing commas).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::ResourceKind;

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EmitProject {
    pub(crate) name: String,
    /// `export const partial = "..."`: the file owns only part of the project.
    pub(crate) partial: Option<String>,
    /// `(kind, Railway name)`; only the database kinds are written.
    pub(crate) databases: Vec<(ResourceKind, String)>,
    pub(crate) services: Vec<EmitService>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct EmitService {
    pub(crate) name: String,
    pub(crate) root: Option<String>,
    pub(crate) builder: Option<String>,
    pub(crate) build_command: Option<String>,
    pub(crate) dockerfile_path: Option<String>,
    pub(crate) watch_patterns: Vec<String>,
    pub(crate) start: Option<String>,
    pub(crate) pre_deploy: Vec<String>,
    pub(crate) healthcheck_path: Option<String>,
    pub(crate) healthcheck_timeout: Option<u32>,
    pub(crate) restart_policy_type: Option<String>,
    pub(crate) restart_policy_max_retries: Option<u32>,
    pub(crate) cron_schedule: Option<String>,
    pub(crate) replicas: Option<u32>,
    pub(crate) env: Vec<(String, EmitValue)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum EmitValue {
    Literal(String),
    /// A reference to another resource's variable: typed (`api.env.VAR`) when that resource is
    /// declared earlier in the file, else the string `"${{api.VAR}}"`.
    Ref {
        service: String,
        var: String,
    },
    Preserve,
}

const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "null",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
    "await",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "undefined",
    // The SDK's names, imported into the same scope.
    "defineRailway",
    "project",
    "service",
    "preserve",
    "postgres",
    "mysql",
    "redis",
    "mongo",
    "ctx",
];

/// A TypeScript string literal in double quotes.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// An object key: bare when it is an identifier, quoted otherwise.
fn key(text: &str) -> String {
    if is_identifier(text) {
        text.to_string()
    } else {
        quote(text)
    }
}

/// A camelCase binding for a Railway name (`"koi vue"` -> `koiVue`), unique in `taken`.
fn binding(name: &str, suffix: &str, taken: &mut BTreeSet<String>) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else if out.is_empty() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if RESERVED.contains(&out.as_str()) {
        out.push_str(suffix);
    }
    let mut candidate = out.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{out}{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

fn database_fn(kind: ResourceKind) -> Option<&'static str> {
    match kind {
        ResourceKind::Postgres => Some("postgres"),
        ResourceKind::Mysql => Some("mysql"),
        ResourceKind::Redis => Some("redis"),
        ResourceKind::Mongo => Some("mongo"),
        _ => None,
    }
}

/// Services in an order where every typed reference points backwards (a `const` must be
/// declared before it is read); the given order otherwise. Cycles keep the given order.
fn declaration_order(services: &[EmitService]) -> Vec<usize> {
    let depends = |i: usize, j: usize| {
        i != j
            && services[i]
                .env
                .iter()
                .any(|(_, v)| matches!(v, EmitValue::Ref { service, .. } if *service == services[j].name))
    };
    let mut placed: Vec<usize> = Vec::new();
    while placed.len() < services.len() {
        let ready = (0..services.len())
            .find(|&i| !placed.contains(&i) && (0..services.len()).all(|j| placed.contains(&j) || !depends(i, j)));
        match ready {
            Some(i) => placed.push(i),
            // A cycle: take the first remaining service; its forward references stay strings.
            None => {
                if let Some(i) = (0..services.len()).find(|i| !placed.contains(i)) {
                    placed.push(i);
                }
            }
        }
    }
    placed
}

/// Renders the project as a railway.ts.
pub(crate) fn emit(project: &EmitProject) -> String {
    let mut imports: BTreeSet<&str> = ["defineRailway", "project"].into_iter().collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    // Railway name -> binding, filled as declarations are written.
    let mut declared: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    let mut resources: Vec<String> = Vec::new();

    for (kind, name) in &project.databases {
        let Some(function) = database_fn(*kind) else { continue };
        imports.insert(function);
        let binding = binding(name, "Db", &mut taken);
        let _ = writeln!(body, "  const {binding} = {function}({});", quote(name));
        declared.push((name.clone(), binding.clone()));
        resources.push(binding);
    }

    for index in declaration_order(&project.services) {
        let service = &project.services[index];
        imports.insert("service");
        let binding = binding(&service.name, "Service", &mut taken);
        let mut fields = String::new();
        let mut line = |k: &str, v: String| {
            let _ = writeln!(fields, "    {k}: {v},");
        };
        if let Some(root) = &service.root {
            line("root", quote(root));
        }
        let build_object =
            service.builder.is_some() || service.dockerfile_path.is_some() || !service.watch_patterns.is_empty();
        if build_object {
            let mut parts = Vec::new();
            if let Some(builder) = &service.builder {
                parts.push(format!("      builder: {},", quote(builder)));
            }
            if let Some(command) = &service.build_command {
                parts.push(format!("      buildCommand: {},", quote(command)));
            }
            if let Some(path) = &service.dockerfile_path {
                parts.push(format!("      dockerfilePath: {},", quote(path)));
            }
            if !service.watch_patterns.is_empty() {
                let list: Vec<String> = service.watch_patterns.iter().map(|p| quote(p)).collect();
                parts.push(format!("      watchPatterns: [{}],", list.join(", ")));
            }
            line("build", format!("{{\n{}\n    }}", parts.join("\n")));
        } else if let Some(command) = &service.build_command {
            line("build", quote(command));
        }
        if let Some(start) = &service.start {
            line("start", quote(start));
        }
        match service.pre_deploy.as_slice() {
            [] => {}
            [one] => line("preDeploy", quote(one)),
            many => line(
                "preDeploy",
                format!("[{}]", many.iter().map(|c| quote(c)).collect::<Vec<_>>().join(", ")),
            ),
        }
        if let Some(path) = &service.healthcheck_path {
            line("healthcheck", quote(path));
        }
        if let Some(timeout) = service.healthcheck_timeout {
            line("healthcheckTimeout", timeout.to_string());
        }
        if let Some(replicas) = service.replicas {
            line("replicas", replicas.to_string());
        }
        let mut deploy = Vec::new();
        if let Some(policy) = &service.restart_policy_type {
            deploy.push(format!("      restartPolicyType: {},", quote(policy)));
        }
        if let Some(retries) = service.restart_policy_max_retries {
            deploy.push(format!("      restartPolicyMaxRetries: {retries},"));
        }
        if let Some(cron) = &service.cron_schedule {
            deploy.push(format!("      cronSchedule: {},", quote(cron)));
        }
        if !deploy.is_empty() {
            line("deploy", format!("{{\n{}\n    }}", deploy.join("\n")));
        }
        if !service.env.is_empty() {
            let mut vars = String::from("{\n");
            for (name, value) in &service.env {
                let rendered = match value {
                    EmitValue::Literal(text) => quote(text),
                    EmitValue::Preserve => {
                        imports.insert("preserve");
                        "preserve()".to_string()
                    }
                    EmitValue::Ref { service: target, var } => {
                        match declared.iter().find(|(railway_name, _)| railway_name == target) {
                            Some((_, target_binding)) if is_identifier(var) => format!("{target_binding}.env.{var}"),
                            Some((_, target_binding)) => format!("{target_binding}.env[{}]", quote(var)),
                            None => quote(&format!("${{{{{target}.{var}}}}}")),
                        }
                    }
                };
                let _ = writeln!(vars, "      {}: {rendered},", key(name));
            }
            vars.push_str("    }");
            line("env", vars);
        }
        if fields.is_empty() {
            let _ = writeln!(body, "  const {binding} = service({});", quote(&service.name));
        } else {
            let _ = write!(
                body,
                "  const {binding} = service({}, {{\n{fields}  }});\n",
                quote(&service.name)
            );
        }
        declared.push((service.name.clone(), binding.clone()));
        resources.push(binding);
    }

    let mut out = String::new();
    let names: Vec<&str> = imports.into_iter().collect();
    let _ = writeln!(out, "import {{ {} }} from \"railway/iac\";\n", names.join(", "));
    if let Some(partial) = &project.partial {
        let _ = writeln!(out, "export const partial = {};\n", quote(partial));
    }
    out.push_str("export default defineRailway(() => {\n");
    out.push_str(&body);
    if !body.is_empty() {
        out.push('\n');
    }
    let list = resources.join(", ");
    let single = format!(
        "  return project({}, {{ resources: [{list}] }});\n",
        quote(&project.name)
    );
    if single.len() <= 100 {
        out.push_str(&single);
    } else {
        let _ = writeln!(out, "  return project({}, {{\n    resources: [", quote(&project.name));
        for resource in &resources {
            let _ = writeln!(out, "      {resource},");
        }
        out.push_str("    ],\n  });\n");
    }
    out.push_str("});\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iac::{Field, IacValue, Setting, read};

    pub(crate) fn sample() -> EmitProject {
        EmitProject {
            name: "guide \"monorepo\"".into(),
            partial: None,
            databases: vec![(ResourceKind::Postgres, "Postgres".into())],
            services: vec![
                EmitService {
                    name: "web".into(),
                    root: Some("packages/web".into()),
                    build_command: Some("pnpm build".into()),
                    start: Some("node server.js".into()),
                    healthcheck_path: Some("/health".into()),
                    healthcheck_timeout: Some(120),
                    env: vec![
                        (
                            "API_URL".into(),
                            EmitValue::Ref {
                                service: "api".into(),
                                var: "RAILWAY_PRIVATE_DOMAIN".into(),
                            },
                        ),
                        (
                            "GREETING".into(),
                            EmitValue::Literal("say \"hi\"\n\t\\ ${{api.PORT}} \u{2028}".into()),
                        ),
                        (
                            "NEXT_PUBLIC_URL".into(),
                            EmitValue::Literal("https://${{web.RAILWAY_PUBLIC_DOMAIN}}".into()),
                        ),
                        (
                            "OTHER".into(),
                            EmitValue::Ref {
                                service: "elsewhere".into(),
                                var: "URL".into(),
                            },
                        ),
                    ],
                    ..EmitService::default()
                },
                EmitService {
                    name: "api".into(),
                    root: Some("packages/api".into()),
                    builder: Some("RAILPACK".into()),
                    build_command: Some("pnpm --filter api build".into()),
                    watch_patterns: vec!["packages/api/**".into(), "pnpm-lock.yaml".into()],
                    pre_deploy: vec!["pnpm migrate".into()],
                    restart_policy_type: Some("ON_FAILURE".into()),
                    restart_policy_max_retries: Some(5),
                    replicas: Some(2),
                    env: vec![
                        (
                            "DATABASE_URL".into(),
                            EmitValue::Ref {
                                service: "Postgres".into(),
                                var: "DATABASE_URL".into(),
                            },
                        ),
                        ("STRIPE_SECRET_KEY".into(), EmitValue::Preserve),
                        ("my-odd.key".into(), EmitValue::Literal(String::new())),
                    ],
                    ..EmitService::default()
                },
                EmitService {
                    name: "nightly job".into(),
                    builder: Some("DOCKERFILE".into()),
                    dockerfile_path: Some("jobs/Dockerfile".into()),
                    cron_schedule: Some("0 3 * * *".into()),
                    restart_policy_type: Some("NEVER".into()),
                    ..EmitService::default()
                },
                EmitService {
                    name: "default".into(),
                    ..EmitService::default()
                },
            ],
        }
    }

    fn known<T: Clone>(field: &Field<T>) -> Option<T> {
        field.as_ref().and_then(|f| f.value.known().cloned())
    }

    #[test]
    fn renders_a_formatted_deterministic_file() {
        let text = emit(&sample());
        assert_eq!(text, emit(&sample()));
        assert!(
            text.starts_with("import { defineRailway, postgres, preserve, project, service } from \"railway/iac\";\n")
        );
        // `api` is declared before `web`, which references it.
        let api = text.find("const api = service(\"api\"").unwrap();
        let web = text.find("const web = service(\"web\"").unwrap();
        assert!(api < web, "{text}");
        assert!(
            text.contains("      API_URL: api.env.RAILWAY_PRIVATE_DOMAIN,\n"),
            "{text}"
        );
        assert!(
            text.contains("  const postgresDb = postgres(\"Postgres\");\n"),
            "{text}"
        );
        assert!(
            text.contains("      DATABASE_URL: postgresDb.env.DATABASE_URL,\n"),
            "{text}"
        );
        assert!(text.contains("      OTHER: \"${{elsewhere.URL}}\",\n"), "{text}");
        assert!(text.contains("      \"my-odd.key\": \"\",\n"), "{text}");
        assert!(text.contains("const nightlyJob = service(\"nightly job\""), "{text}");
        assert!(text.contains("const defaultService = service(\"default\");"), "{text}");
        assert!(text.contains(
            "    deploy: {\n      restartPolicyType: \"NEVER\",\n      cronSchedule: \"0 3 * * *\",\n    },\n"
        ));
        assert!(!text.contains('\''));
        assert!(text.ends_with("});\n"));
    }

    #[test]
    fn round_trips_through_the_reader() {
        let project = sample();
        let text = emit(&project);
        let file = read(&text);
        assert_eq!(file.parse_error, None, "{text}");
        assert_eq!(file.unknowns, vec![], "{text}");
        assert_eq!(file.dropped_keys, vec![]);
        assert!(file.templates_with_refs.is_empty());
        assert_eq!(known(&file.project_name).as_deref(), Some(project.name.as_str()));
        assert_eq!(file.databases.len(), 1);
        for expected in &project.services {
            let read = file
                .services
                .iter()
                .find(|s| s.name.value.known() == Some(&expected.name))
                .unwrap();
            assert_eq!(known(&read.root), expected.root);
            assert_eq!(known(&read.builder), expected.builder);
            assert_eq!(known(&read.build_command), expected.build_command);
            assert_eq!(known(&read.dockerfile_path), expected.dockerfile_path);
            let patterns = known(&read.watch_patterns).unwrap_or_default();
            assert_eq!(
                patterns.into_iter().map(|p| p.value).collect::<Vec<_>>(),
                expected.watch_patterns
            );
            assert_eq!(known(&read.start), expected.start);
            let pre = known(&read.pre_deploy).unwrap_or_default();
            assert_eq!(
                pre.into_iter().map(|p| p.value).collect::<Vec<_>>(),
                expected.pre_deploy
            );
            assert_eq!(known(&read.healthcheck_path), expected.healthcheck_path);
            assert_eq!(
                known(&read.healthcheck_timeout),
                expected.healthcheck_timeout.map(f64::from)
            );
            assert_eq!(known(&read.restart_policy_type), expected.restart_policy_type);
            assert_eq!(
                known(&read.restart_policy_max_retries),
                expected.restart_policy_max_retries.map(f64::from)
            );
            assert_eq!(known(&read.cron_schedule), expected.cron_schedule);
            assert_eq!(known(&read.num_replicas), expected.replicas.map(f64::from));
            let env: Vec<(String, EmitValue)> = read
                .env
                .iter()
                .map(|v| {
                    let value = match &v.value.value {
                        IacValue::Literal(s) => match s.strip_prefix("${{").and_then(|s| s.strip_suffix("}}")) {
                            // A reference the emitter had to keep as a string.
                            Some(reference) if !s.contains(' ') && reference.split_once('.').is_some() => {
                                let (service, var) = reference.split_once('.').unwrap_or_default();
                                EmitValue::Ref {
                                    service: service.into(),
                                    var: var.into(),
                                }
                            }
                            _ => EmitValue::Literal(s.clone()),
                        },
                        IacValue::TypedRef { service, var } => EmitValue::Ref {
                            service: service.clone(),
                            var: var.clone(),
                        },
                        IacValue::Preserve => EmitValue::Preserve,
                        other => panic!("unexpected {other:?}"),
                    };
                    (v.name.clone(), value)
                })
                .collect();
            assert_eq!(env, expected.env, "{}", expected.name);
        }
        assert!(file.services.iter().all(|s| matches!(s.name.value, Setting::Known(_))));
    }

    #[test]
    fn references_in_a_cycle_stay_strings() {
        let a = EmitService {
            name: "a".into(),
            env: vec![(
                "B".into(),
                EmitValue::Ref {
                    service: "b".into(),
                    var: "X".into(),
                },
            )],
            ..EmitService::default()
        };
        let b = EmitService {
            name: "b".into(),
            env: vec![(
                "A".into(),
                EmitValue::Ref {
                    service: "a".into(),
                    var: "X-Y".into(),
                },
            )],
            ..EmitService::default()
        };
        let text = emit(&EmitProject {
            name: "p".into(),
            services: vec![a, b],
            ..EmitProject::default()
        });
        assert!(text.contains("B: \"${{b.X}}\""), "{text}");
        assert!(text.contains("A: a.env[\"X-Y\"]"), "{text}");
        assert!(read(&text).unknowns.is_empty());
    }

    /// Writes the sample to `$RAILCHECK_EMIT_SAMPLE`, for `ci/railway-ts-check.sh` to type-check
    /// against the real SDK.
    #[test]
    #[ignore = "writes a file for the CI type check"]
    fn write_sample_for_tsc() {
        if let Ok(path) = std::env::var("RAILCHECK_EMIT_SAMPLE") {
            std::fs::write(path, emit(&sample())).unwrap();
        }
    }

    #[test]
    fn a_partial_and_an_empty_project() {
        let text = emit(&EmitProject {
            name: "p".into(),
            partial: Some("web".into()),
            ..EmitProject::default()
        });
        assert_eq!(
            text,
            "import { defineRailway, project } from \"railway/iac\";\n\nexport const partial = \"web\";\n\n\
             export default defineRailway(() => {\n  return project(\"p\", { resources: [] });\n});\n"
        );
        assert_eq!(
            read(&text).partial.and_then(|p| p.value.known().cloned()).as_deref(),
            Some("web")
        );
    }
}
