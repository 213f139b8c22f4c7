use super::*;

fn known<T: Clone>(field: &Field<T>) -> Option<T> {
    field.as_ref().and_then(|f| f.value.known().cloned())
}

fn service<'f>(file: &'f IacFile, name: &str) -> &'f IacService {
    let found = file
        .services
        .iter()
        .find(|s| s.name.value.known().is_some_and(|n| n == name));
    found.unwrap_or_else(|| panic!("no service {name} in {file:#?}"))
}

fn var<'f>(service: &'f IacService, name: &str) -> &'f IacValue {
    let found = service.env.iter().find(|v| v.name == name);
    &found
        .unwrap_or_else(|| panic!("no variable {name} in {:#?}", service.env))
        .value
        .value
}

fn text_at<'t>(text: &'t str, span: &Span) -> &'t str {
    &text[span.clone()]
}

/// Prints what the reader makes of every `*.ts` in `$IAC_REAL_DIR` (real public files, kept
/// outside the repository): `IAC_REAL_DIR=/path cargo test --lib iac::tests::real -- --ignored --nocapture`.
#[test]
#[ignore = "needs IAC_REAL_DIR"]
fn real_files() {
    let Ok(dir) = std::env::var("IAC_REAL_DIR") else { return };
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ts"));
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        // The machine is shared: the minimum and the median of 31 runs, after a warm-up.
        let _ = read(&text);
        let mut runs: Vec<u128> = (0..31)
            .map(|_| {
                let start = std::time::Instant::now();
                std::hint::black_box(read(std::hint::black_box(&text)));
                start.elapsed().as_micros()
            })
            .collect();
        runs.sort_unstable();
        let (min, median) = (runs[0], runs[runs.len() / 2]);
        let file = read(&text);
        println!("## {}", path.file_stem().unwrap().to_string_lossy());
        println!("bytes: {}, read: {min} µs (median {median} µs)", text.len());
        if let Some((message, span)) = &file.parse_error {
            println!("PARSE ERROR: {message} at {span:?}");
        }
        let name = |s: &Spanned<Setting<String>>| match &s.value {
            Setting::Known(n) => n.clone(),
            Setting::Unknown(w) => format!("<unknown: {w}>"),
        };
        let field = |f: &Field<String>| match f {
            None => "-".to_string(),
            Some(Spanned {
                value: Setting::Known(v),
                ..
            }) => v.clone(),
            Some(Spanned {
                value: Setting::Unknown(w),
                ..
            }) => format!("<unknown: {w}>"),
        };
        println!(
            "project: {:?}, partial: {:?}",
            file.project_name.as_ref().map(name),
            file.partial.as_ref().map(name)
        );
        for s in &file.services {
            println!(
                "service {} root={} builder={} build={} start={} health={} timeout={:?} env={} ({} preserve, {} refs)",
                name(&s.name),
                field(&s.root),
                field(&s.builder),
                field(&s.build_command),
                field(&s.start),
                field(&s.healthcheck_path),
                known(&s.healthcheck_timeout),
                s.env.len(),
                s.env.iter().filter(|v| v.value.value == IacValue::Preserve).count(),
                s.env
                    .iter()
                    .filter(|v| matches!(v.value.value, IacValue::TypedRef { .. }))
                    .count(),
            );
        }
        for r in file.databases.iter().chain(&file.volumes).chain(&file.buckets) {
            println!("resource {:?} {}", r.kind, name(&r.name));
        }
        for g in &file.groups {
            println!("group {} {:?}", name(&g.name), g.members);
        }
        for u in &file.unknowns {
            println!(
                "unknown: {} [{}]",
                u.what,
                text_at(&text, &u.span).lines().next().unwrap_or("")
            );
        }
        for d in &file.dropped_keys {
            println!("dropped: {} in {} -> {:?}", d.key, d.service, d.suggestion);
        }
        for d in &file.untyped_keys {
            println!("untyped: {} in {} -> {:?}", d.key, d.service, d.suggestion);
        }
        for t in &file.templates_with_refs {
            println!("backtick ${{{{ at {t:?}");
        }
        println!();
    }
}

const FULL: &str = r#"import { defineRailway, project, service, postgres, preserve } from "railway/iac";

export default defineRailway((ctx) => {
  const db = postgres("Postgres");
  const api = service("api", {
    root: "apps/api",
    build: "pnpm build",
    start: "node dist/main.js",
    healthcheck: "/health",
    healthcheckTimeout: 60,
    env: {
      NODE_ENV: "production",
      DATABASE_URL: db.env.DATABASE_URL,
      PUBLIC_URL: "https://${{api.RAILWAY_PUBLIC_DOMAIN}}",
      STRIPE_SECRET_KEY: preserve(),
      SHARED_KEY: ctx.shared.SHARED_KEY,
    },
  });
  return project("my-project", { resources: [db, api] });
});
"#;

#[test]
fn reads_the_documented_example() {
    let file = read(FULL);
    assert_eq!(file.parse_error, None);
    assert_eq!(file.unknowns, vec![]);
    assert_eq!(known(&file.project_name).as_deref(), Some("my-project"));
    let api = service(&file, "api");
    assert_eq!(text_at(FULL, &api.name.span), "\"api\"");
    assert!(text_at(FULL, &api.call_span).starts_with("service(\"api\""));
    assert_eq!(known(&api.root).as_deref(), Some("apps/api"));
    assert_eq!(text_at(FULL, &api.root.as_ref().unwrap().span), "\"apps/api\"");
    assert_eq!(known(&api.build_command).as_deref(), Some("pnpm build"));
    assert_eq!(known(&api.start).as_deref(), Some("node dist/main.js"));
    assert_eq!(known(&api.healthcheck_path).as_deref(), Some("/health"));
    assert_eq!(known(&api.healthcheck_timeout), Some(60.0));
    assert_eq!(var(api, "NODE_ENV"), &IacValue::Literal("production".into()));
    assert_eq!(
        var(api, "DATABASE_URL"),
        &IacValue::TypedRef {
            service: "Postgres".into(),
            var: "DATABASE_URL".into()
        }
    );
    assert_eq!(
        var(api, "PUBLIC_URL"),
        &IacValue::Literal("https://${{api.RAILWAY_PUBLIC_DOMAIN}}".into())
    );
    assert_eq!(var(api, "STRIPE_SECRET_KEY"), &IacValue::Preserve);
    assert_eq!(var(api, "SHARED_KEY"), &IacValue::Shared("SHARED_KEY".into()));
    let database_url = api.env.iter().find(|v| v.name == "DATABASE_URL").unwrap();
    assert_eq!(text_at(FULL, &database_url.name_span), "DATABASE_URL");
    assert_eq!(text_at(FULL, &database_url.value.span), "db.env.DATABASE_URL");
    assert_eq!(file.databases.len(), 1);
    assert_eq!(file.databases[0].kind, ResourceKind::Postgres);
    assert!(file.databases[0].provides.contains(&"PGHOST"));
    assert!(file.declared_names().any(|n| n == "Postgres"));
    let imported: Vec<_> = file.sdk_imports.iter().map(|i| i.imported.as_str()).collect();
    assert_eq!(
        imported,
        ["defineRailway", "project", "service", "postgres", "preserve"]
    );
}

#[test]
fn follows_aliases_constants_and_typescript_expressions() {
    let text = r#"
import { defineRailway as define, project as proj, service as svc, redis, ref } from "railway/iac";
import type { RailwayContext } from "railway/iac";

const ROOT = "apps/web" as const;
const KEY = "HEALTH";
const BASE = Object.freeze({ start: "node server.js", [KEY]: "/ready" });
const COMMON = { LOG_LEVEL: "info" } satisfies Record<string, string>;
const TIMEOUT = 30 * 2;

export default define((ctx: RailwayContext) => {
  const cache = redis("Redis");
  const web = svc("web", {
    root: ROOT,
    start: BASE.start,
    healthcheck: BASE[KEY],
    healthcheckTimeout: TIMEOUT,
    env: { ...COMMON, ROOT, REDIS: ref(cache, "REDIS_URL"), ["X_" + KEY]: `v-${TIMEOUT}` },
  });
  return proj("p", { resources: [cache, web] });
});
"#;
    let file = read(text);
    assert_eq!(file.unknowns, vec![]);
    let web = service(&file, "web");
    assert_eq!(known(&web.root).as_deref(), Some("apps/web"));
    assert_eq!(known(&web.start).as_deref(), Some("node server.js"));
    assert_eq!(known(&web.healthcheck_path).as_deref(), Some("/ready"));
    assert_eq!(known(&web.healthcheck_timeout), Some(60.0));
    assert_eq!(var(web, "LOG_LEVEL"), &IacValue::Literal("info".into()));
    assert_eq!(var(web, "ROOT"), &IacValue::Literal("apps/web".into()));
    assert_eq!(
        var(web, "REDIS"),
        &IacValue::TypedRef {
            service: "Redis".into(),
            var: "REDIS_URL".into()
        }
    );
    assert_eq!(var(web, "X_HEALTH"), &IacValue::Literal("v-60".into()));
    let alias = file.sdk_imports.iter().find(|i| i.imported == "service").unwrap();
    assert_eq!(alias.local, "svc");
}

#[test]
fn expression_bodied_program_and_named_exports() {
    let text = r#"import { defineRailway, project, service } from "railway/iac";
export const partial = "web-only";
export const main = defineRailway(ctx => project("p", { resources: [service("web", { rootDirectory: "web" })] }));
"#;
    let file = read(text);
    assert_eq!(known(&file.partial).as_deref(), Some("web-only"));
    assert_eq!(known(&service(&file, "web").root).as_deref(), Some("web"));
    assert!(text_at(text, file.entry.as_ref().unwrap()).starts_with("main ="));

    let railway = r#"import { service, project } from "railway/iac";
function build(ctx) { return project("p", { resources: [service("a")] }); }
export { build as Railway };"#;
    let file = read(railway);
    assert_eq!(file.services.len(), 1);
    assert_eq!(file.unknowns, vec![]);
}

#[test]
fn github_source_root_and_deploy_settings() {
    let text = r#"import { defineRailway, project, service, github } from "railway/iac";
const repo = github("acme/app", { branch: "prod", rootDirectory: "services/api" });
export default defineRailway(() => {
  const api = service("api", {
    source: repo,
    root: "ignored/because/source/wins",
    build: { builder: "nixpacks", buildCommand: "make", dockerfilePath: "api/Dockerfile", watchPatterns: ["api/**"] },
    run: { command: "./api", healthcheck: "/hc" },
    preDeploy: "migrate",
    replicas: { "us-west2": 2, "europe-west4": { count: 1 } },
    deploy: {
      restartPolicyType: "ON_FAILURE", restartPolicyMaxRetries: 3, cronSchedule: "0 * * * *",
      sleepApplication: true, region: "us-west2", numReplicas: 4, startCommand: "loses",
    },
    configFile: "api/railway.json",
  });
  return project("p", { resources: [api] });
});"#;
    let file = read(text);
    assert_eq!(file.unknowns, vec![]);
    let api = service(&file, "api");
    let source = api.source.as_ref().unwrap();
    assert_eq!(source.kind, SourceKind::Github);
    assert_eq!(known(&source.target).as_deref(), Some("acme/app"));
    assert_eq!(known(&source.branch).as_deref(), Some("prod"));
    assert_eq!(known(&api.root).as_deref(), Some("services/api"));
    assert_eq!(known(&api.builder).as_deref(), Some("nixpacks"));
    assert_eq!(known(&api.build_command).as_deref(), Some("make"));
    assert_eq!(known(&api.dockerfile_path).as_deref(), Some("api/Dockerfile"));
    let patterns = known(&api.watch_patterns).unwrap();
    assert_eq!(
        patterns.iter().map(|p| p.value.as_str()).collect::<Vec<_>>(),
        ["api/**"]
    );
    assert_eq!(known(&api.start).as_deref(), Some("./api"));
    assert_eq!(known(&api.healthcheck_path).as_deref(), Some("/hc"));
    let pre = known(&api.pre_deploy).unwrap();
    assert_eq!(pre[0].value, "migrate");
    assert_eq!(known(&api.restart_policy_type).as_deref(), Some("ON_FAILURE"));
    assert_eq!(known(&api.restart_policy_max_retries), Some(3.0));
    assert_eq!(known(&api.cron_schedule).as_deref(), Some("0 * * * *"));
    assert_eq!(known(&api.sleep_application), Some(true));
    assert_eq!(known(&api.region).as_deref(), Some("us-west2"));
    assert_eq!(known(&api.num_replicas), Some(4.0));
    let regions = known(&api.multi_region).unwrap();
    assert_eq!(regions.len(), 2);
    assert_eq!(regions[1].1, Setting::Known(1.0));
    assert_eq!(known(&api.config_file).as_deref(), Some("api/railway.json"));
}

#[test]
fn dropped_and_untyped_keys_with_suggestions() {
    let text = r#"import { defineRailway, project, service } from "railway/iac";
export default defineRailway(() => project("p", { resources: [
  service("worker", {
    restarts: "on_failure",
    restartLimit: 5,
    cron: "*/5 * * * *",
    healthCheckPath: "/health",
    startCmd: "node worker.js",
    run: { cmd: "x" },
    build: { command: "make" },
    deploy: { healthCheckTimeout: 30 },
  }),
] }));"#;
    let file = read(text);
    let dropped: Vec<(&str, Option<&str>)> = file
        .dropped_keys
        .iter()
        .map(|d| (d.key.as_str(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        dropped,
        [
            ("restarts", Some("deploy.restartPolicyType")),
            ("restartLimit", Some("deploy.restartPolicyMaxRetries")),
            ("cron", Some("deploy.cronSchedule")),
            ("healthCheckPath", Some("healthcheck")),
            ("startCmd", Some("start")),
            ("run.cmd", Some("run.command")),
        ]
    );
    assert_eq!(text_at(text, &file.dropped_keys[0].span), "restarts");
    assert!(file.dropped_keys.iter().all(|d| d.service == "worker"));
    let untyped: Vec<(&str, Option<&str>)> = file
        .untyped_keys
        .iter()
        .map(|d| (d.key.as_str(), d.suggestion.as_deref()))
        .collect();
    assert_eq!(
        untyped,
        [
            ("build.command", Some("build.buildCommand")),
            ("deploy.healthCheckTimeout", Some("deploy.healthcheckTimeout"))
        ]
    );
    // The dropped keys leave nothing behind.
    let worker = service(&file, "worker");
    assert_eq!(worker.start, None);
    assert_eq!(worker.healthcheck_path, None);
    assert_eq!(worker.restart_policy_type, None);
}

#[test]
fn typo_suggestions_come_from_edit_distance() {
    let file = read(
        r#"import { service, project } from "railway/iac";
export default () => project("p", { resources: [service("a", { healtcheck: "/h", enviroment: {} })] });"#,
    );
    let suggestions: Vec<_> = file.dropped_keys.iter().map(|d| d.suggestion.as_deref()).collect();
    assert_eq!(suggestions, [Some("healthcheck"), Some("env")]);
}

#[test]
fn unknown_values_are_described_never_guessed() {
    let text = r#"import { defineRailway, project, service } from "railway/iac";
import { execSync } from "node:child_process";
import { buildEnv } from "./env";
const SHA = execSync("git rev-parse HEAD").toString();
export default defineRailway((ctx) => {
  const api = service("api", {
    start: process.env.START ?? "node .",
    healthcheck: ctx.environment === "production" ? "/health" : "/",
    healthcheckTimeout: ctx.isEnvironment("production") ? 60 : 60,
    env: {
      PORT: process.env.PORT,
      SHA,
      URL: `https://${ctx.environment}.example.com`,
      MORE: buildEnv(),
    },
  });
  return project("p", { resources: [api] });
});"#;
    let file = read(text);
    let api = service(&file, "api");
    let unknown = |f: &Field<String>| match &f.as_ref().unwrap().value {
        Setting::Unknown(what) => what.clone(),
        Setting::Known(v) => panic!("known {v}"),
    };
    assert!(unknown(&api.start).contains("process.env.START"), "{:?}", api.start);
    assert!(
        unknown(&api.healthcheck_path).contains("ctx.environment"),
        "{:?}",
        api.healthcheck_path
    );
    // Both branches agree: no doubt.
    assert_eq!(known(&api.healthcheck_timeout), Some(60.0));
    let what = |name: &str| match var(api, name) {
        IacValue::Unknown(what) => what.clone(),
        other => panic!("{name} is {other:?}"),
    };
    assert!(what("PORT").contains("process.env.PORT"));
    assert!(what("SHA").contains("execSync"));
    assert!(what("URL").contains("template literal"));
    assert!(what("MORE").contains("buildEnv"));
    // Each unknown is listed once, where it is written.
    assert_eq!(file.unknowns.len(), 6, "{:#?}", file.unknowns);
    assert!(
        file.unknowns
            .iter()
            .any(|u| text_at(text, &u.span) == "process.env.PORT")
    );
}

#[test]
fn user_helpers_and_the_from_entries_idiom() {
    let text = r#"import { defineRailway, project, service, preserve } from "railway/iac";
const NAMES = ["A", "B"] as const;
const preserved = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, preserve()]));
function literal(value: string) { return value; }
export default defineRailway(() => {
  const one = service("one", { env: Object.fromEntries(NAMES.map((n) => [n, preserve()])) });
  const two = service("two", { env: { ...preserved(["C", ...NAMES]), D: literal("d") } });
  const three = service("three", { env: { ...Object.fromEntries(["E"].map((k) => [k, preserve()])) } });
  return project("p", { resources: [one, two, three] });
});"#;
    let file = read(text);
    assert_eq!(file.unknowns, vec![]);
    let names = |s: &IacService| s.env.iter().map(|v| v.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(service(&file, "one")), ["A", "B"]);
    assert_eq!(names(service(&file, "two")), ["C", "A", "B", "D"]);
    assert_eq!(names(service(&file, "three")), ["E"]);
    assert!(
        service(&file, "one")
            .env
            .iter()
            .all(|v| v.value.value == IacValue::Preserve)
    );
    assert_eq!(var(service(&file, "two"), "D"), &IacValue::Literal("d".into()));
}

#[test]
fn groups_buckets_volumes_and_assignments() {
    let text = r#"import { defineRailway, project, service, postgres, bucket, volume, group, ref } from "railway/iac";
export default defineRailway(() => {
  const Postgres = postgres("Postgres");
  Postgres.networking = { tcpProxies: { "5432": {} } };
  const files = bucket("files", { region: "ams" });
  const data = volume("data");
  const api = service("api", {
    env: { BUCKET: ref(files, "BUCKET"), BAD: files.env.ENDPOINT },
    volumeMounts: { "/data": data },
  });
  api.deploy.healthcheckPath = "/late";
  api.somethingElse = 1;
  return project("p", { resources: [group("backend", [Postgres, api]), files, data] });
});"#;
    let file = read(text);
    assert_eq!(file.groups.len(), 1);
    assert_eq!(file.groups[0].members, ["Postgres", "api"]);
    let api = service(&file, "api");
    assert_eq!(api.group.as_deref(), Some("backend"));
    assert_eq!(file.databases[0].group.as_deref(), Some("backend"));
    assert_eq!(
        var(api, "BUCKET"),
        &IacValue::TypedRef {
            service: "files".into(),
            var: "BUCKET".into()
        }
    );
    assert!(matches!(var(api, "BAD"), IacValue::Unknown(w) if w.contains("no `.env`")));
    assert_eq!(known(&api.healthcheck_path).as_deref(), Some("/late"));
    assert_eq!(file.buckets.len(), 1);
    assert_eq!(file.volumes.len(), 1);
    let notes: Vec<_> = file.unknowns.iter().map(|u| u.what.as_str()).collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(notes.iter().any(|n| n.contains("somethingElse")));
}

#[test]
fn plain_object_result_guards_and_environment_branches() {
    let text = r#"import { defineRailway, service, postgres } from "railway/iac";
export default defineRailway((ctx) => {
  if (!ctx.isEnvironment("production")) {
    throw new Error("production only");
  }
  const prod = ctx.isEnvironment("production");
  const db = postgres("Postgres");
  const web = service("web", { source: { repo: "a/b", branch: prod ? "main" : "dev" } });
  return { name: "Plain", resources: [db, web] };
});"#;
    let file = read(text);
    assert_eq!(known(&file.project_name).as_deref(), Some("Plain"));
    let web = service(&file, "web");
    let source = web.source.as_ref().unwrap();
    assert_eq!(known(&source.target).as_deref(), Some("a/b"));
    assert!(matches!(&source.branch.as_ref().unwrap().value, Setting::Unknown(w) if w.contains("prod")));
}

#[test]
fn destructured_context_and_constants() {
    let text = r#"import { defineRailway, project, service } from "railway/iac";
const { ROOT, CMD: start = "fallback" } = { ROOT: "apps/web" };
const [FIRST] = ["/health"];
export default defineRailway(({ shared, environment }) => project("p", { resources: [
  service("web", { root: ROOT, start, healthcheck: FIRST, env: { K: shared.K, E: environment } }),
] }));"#;
    let file = read(text);
    let web = service(&file, "web");
    assert_eq!(known(&web.root).as_deref(), Some("apps/web"));
    assert_eq!(known(&web.start).as_deref(), Some("fallback"));
    assert_eq!(known(&web.healthcheck_path).as_deref(), Some("/health"));
    assert_eq!(var(web, "K"), &IacValue::Shared("K".into()));
    assert!(matches!(var(web, "E"), IacValue::Unknown(w) if w.contains("ctx.environment")));
}

#[test]
fn a_result_that_depends_on_the_environment_is_unknown() {
    let text = r#"import { defineRailway, project } from "railway/iac";
import { dev, production } from "./environments";
export default defineRailway((ctx) => {
  const resources = ctx.isEnvironment("production") ? production() : dev();
  return project("CallCaster", { resources });
});"#;
    let file = read(text);
    assert_eq!(known(&file.project_name).as_deref(), Some("CallCaster"));
    assert!(file.services.is_empty());
    assert_eq!(file.unknowns.len(), 1, "{:#?}", file.unknowns);
}

#[test]
fn values_that_are_not_strings_are_flagged() {
    let text = r#"import { project, service } from "railway/iac";
export default () => project("p", { resources: [service("a", { env: { PORT: 3000, ON: true } })] });"#;
    let file = read(text);
    let a = service(&file, "a");
    assert!(matches!(var(a, "PORT"), IacValue::Unknown(w) if w.contains("not a string")));
    assert!(matches!(var(a, "ON"), IacValue::Unknown(_)));
}

#[test]
fn variable_config_objects() {
    let text = r#"import { project, service } from "railway/iac";
export default () => project("p", { resources: [service("a", { env: {
  A: { value: "x", description: "d" },
  B: { description: "set in Railway", isOptional: true },
  C: { preserveExisting: true },
  D: { defaultValue: "5" },
} })] });"#;
    let file = read(text);
    let a = service(&file, "a");
    assert_eq!(var(a, "A"), &IacValue::Literal("x".into()));
    assert_eq!(
        var(a, "B"),
        &IacValue::Declared {
            description: Some("set in Railway".into()),
            optional: true,
            default: None
        }
    );
    assert_eq!(var(a, "C"), &IacValue::Preserve);
    assert_eq!(
        var(a, "D"),
        &IacValue::Declared {
            description: None,
            optional: false,
            default: Some("5".into())
        }
    );
}

#[test]
fn env_wins_over_variables_and_keeps_the_first_place() {
    let text = r#"import { project, service } from "railway/iac";
export default () => project("p", { resources: [service("a", {
  variables: { A: "v", B: "v" },
  env: { B: "e", C: "e" },
})] });"#;
    let a = &read(text).services[0];
    let all: Vec<_> = a.env.iter().map(|v| (v.name.as_str(), v.value.value.clone())).collect();
    assert_eq!(
        all,
        [
            ("A", IacValue::Literal("v".into())),
            ("B", IacValue::Literal("e".into())),
            ("C", IacValue::Literal("e".into()))
        ]
    );
}

#[test]
fn backtick_references_are_found_even_when_the_file_does_not_parse() {
    let text = "import { service } from \"railway/iac\";\nconst a = `https://${{api.RAILWAY_PUBLIC_DOMAIN}}`;\n";
    let file = read(text);
    assert!(file.parse_error.is_some());
    assert_eq!(file.templates_with_refs.len(), 1);
    assert_eq!(text_at(text, &file.templates_with_refs[0]), "${{");

    // `${{NAME}}` parses (an object literal) and interpolates "[object Object]".
    let text = r#"import { project, service } from "railway/iac";
// `${{not.in.a.comment}}` and "${{ nor a string }}"
export default () => project("p", { resources: [service("a", { env: { U: `x-${{RAILWAY_PUBLIC_DOMAIN}}` } })] });"#;
    let file = read(text);
    assert_eq!(file.parse_error, None);
    assert_eq!(file.templates_with_refs.len(), 1);
    assert!(matches!(var(&file.services[0], "U"), IacValue::Unknown(_)));
    // Nested templates and braces inside interpolations.
    assert_eq!(scan::backtick_references("`a${ {b: `c${{d}}`}.b }`").len(), 1);
}

#[test]
fn parse_errors_have_a_position() {
    let text = "import { service } from \"railway/iac\";\nexport default defineRailway(() => {\n  const a = service(\"a\", { start: });\n";
    let file = read(text);
    let (message, span) = file.parse_error.clone().unwrap();
    assert!(!message.is_empty());
    assert!(span.start > 40 && span.start <= text.len(), "{span:?}");
    assert!(file.services.is_empty());
}

#[test]
fn a_file_without_a_program_says_so() {
    let file = read("import { service } from \"railway/iac\";\nconst a = service(\"a\");\n");
    assert!(file.unknowns[0].what.contains("export default"));
    assert!(read("").unknowns[0].what.contains("export default"));
}

#[test]
fn never_panics_on_truncations_and_garbage() {
    let texts = [FULL, include_str!("tests.rs")];
    for text in texts {
        let mut cut = 0;
        while cut <= text.len() {
            if text.is_char_boundary(cut) {
                let _ = read(&text[..cut]);
            }
            cut += 7;
        }
    }
    for garbage in [
        "`${",
        "`${{",
        "/*",
        "(((((",
        "x.y.z = 1",
        "export default 5",
        "export default (() => a)()",
    ] {
        let _ = read(garbage);
    }
    // Deep nesting: the parser copes, the evaluator stops at its depth limit.
    let deep = format!(
        "import {{ project }} from \"railway/iac\";\nexport default () => project(\"p\", {{ resources: {}1{} }});",
        "[".repeat(500),
        "]".repeat(500)
    );
    let file = read(&deep);
    assert_eq!(file.parse_error, None);
    assert!(!file.unknowns.is_empty());
    // Recursion in user code stops at a depth limit.
    let file = read(
        r#"import { project, service } from "railway/iac";
const f = (n) => f(n);
export default () => project("p", { resources: [service("a", { start: f(1) })] });"#,
    );
    assert!(
        file.services[0]
            .start
            .as_ref()
            .is_some_and(|s| s.value.known().is_none())
    );
}
