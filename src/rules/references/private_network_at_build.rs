//! the private network used where only the build (or a browser) runs.

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::shell::unwrap_command;
use crate::facts::varclass;
use crate::model::Scope;
use crate::model::Service;
use crate::rules::Context;
use crate::rules::commands::{self as cmds};
use crate::rules::declare_rule;

declare_rule! {
    /// A build command that connects to the private network, or a public build-time variable holding a private host.
    ///
    /// ## What it checks
    /// Two uses of the private network (`${{...RAILWAY_PRIVATE_DOMAIN}}` or a `*.railway.internal`
    /// host) that cannot work:
    ///
    /// - a build command that actually connects somewhere: `curl`, `wget`, database clients
    ///   (`psql`, `mysql`, `mongosh`, `redis-cli`, `pg_dump`, ...) and migrations (`prisma migrate
    ///   deploy`, `prisma db push`, `alembic upgrade`, `manage.py migrate`, `rails db:migrate`,
    ///   `knex`/`sequelize`/`typeorm`/`drizzle-kit` migrations), given a private host literally or
    ///   through a variable (`curl $API_URL` with `API_URL` private); a migration that reads a
    ///   private `DATABASE_URL` from the environment is a warning (the tool's URL is inferred);
    /// - a public build-time variable (`NEXT_PUBLIC_*`, `VITE_*`, `REACT_APP_*`) holding a private
    ///   host: it is inlined into browser code at build time.
    ///
    /// A private URL in a step's `variables` is **not** reported by itself: step variables also
    /// reach the runtime image (domain.md section 1), so server code reading it at run time
    /// works. Writing a `.railway.internal` host into a file during the build connects to
    /// nothing and is fine too.
    ///
    /// ## Why it matters on Railway
    /// Private networking works at run time only, never during the build (domain.md section 4):
    /// a build command that fetches from `api.railway.internal` or migrates a database there
    /// fails to resolve the host, and the build fails. A browser is never on the private network
    /// either, so a public-prefixed variable pointing there breaks every client request.
    ///
    /// ## Example
    /// ```json
    /// { "NEXT_PUBLIC_API_URL": "http://${{api.RAILWAY_PRIVATE_DOMAIN}}:8000" }
    /// ```
    /// Fix: `"https://${{api.RAILWAY_PUBLIC_DOMAIN}}"` for the browser; keep the private URL in
    /// a server-only variable read at run time. A migration against a private database belongs
    /// in the start command or a pre-deploy command, which run on the private network.
    code: RC505,
    name: "private-network-at-build",
    severity: Error,
    check: Service(check),
}

fn private(text: &str) -> Option<usize> {
    text.find("RAILWAY_PRIVATE_DOMAIN")
        .or_else(|| text.find(".railway.internal"))
}

/// Programs that open a network connection to the host they are given.
const CONNECTORS: &[&str] = &[
    "curl",
    "wget",
    "http",
    "https",
    "nc",
    "psql",
    "pg_dump",
    "pg_restore",
    "pg_isready",
    "mysql",
    "mysqldump",
    "mariadb",
    "mongosh",
    "mongo",
    "mongodump",
    "mongorestore",
    "redis-cli",
    "grpcurl",
];

/// Does this command run a migration (which connects to the database it is configured for)?
fn is_migration(words: &[&str]) -> bool {
    let has = |w: &str| words.contains(&w);
    let any_prefix = |p: &str| words.iter().any(|w| w.starts_with(p));
    (has("prisma") && (has("migrate") || has("db")))
        || (has("alembic") && has("upgrade"))
        || (words.iter().any(|w| w.ends_with("manage.py")) && has("migrate"))
        || ((has("rails") || has("rake")) && any_prefix("db:"))
        || (has("knex") && any_prefix("migrate"))
        || (has("sequelize") && any_prefix("db:migrate"))
        || (has("typeorm") && any_prefix("migration:run"))
        || (has("drizzle-kit") && (has("push") || has("migrate")))
        || (has("flyway") && has("migrate"))
}

/// `$NAME` and `${NAME}` references in shell text.
fn referenced_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        let inner = rest.strip_prefix('{').unwrap_or(rest);
        let end = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        if end > 0 {
            names.push(&inner[..end]);
        }
    }
    names
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    for v in &service.variables {
        let Some(value) = v.value_str() else { continue };
        // Step variables also reach the runtime image, where the private network works.
        if !(varclass::is_public(&v.name) && v.scope != Scope::Runtime) {
            continue;
        }
        let Some(at) = private(value) else { continue };
        let range = v
            .refs
            .references
            .iter()
            .find(|r| r.variable == "RAILWAY_PRIVATE_DOMAIN")
            .map_or(at..at, |r| r.range.clone());
        out.push(
            Diagnostic::new(
                &META,
                v.at.file,
                v.span_in_value(range),
                format!(
                    "`{}` is inlined into browser code at build time, and a browser cannot reach the private network",
                    v.name
                ),
            )
            .help("use `https://${{service.RAILWAY_PUBLIC_DOMAIN}}` here; keep private URLs in server-side variables read at run time")
            ,
        );
    }
    let private_var = |name: &str| {
        service
            .variables
            .iter()
            .any(|v| v.name == name && v.value_str().is_some_and(|value| private(value).is_some()))
    };
    for cmd in cmds::service_commands(service).into_iter().filter(|c| c.is_build()) {
        let script = cmds::parse(&cmd);
        for simple in &script.commands {
            let start = unwrap_command(&simple.argv);
            let Some(first) = simple.argv.get(start) else { continue };
            let name = first.text.rsplit('/').next().unwrap_or(&first.text);
            let words: Vec<&str> = simple.argv[start..].iter().map(|w| w.text.as_str()).collect();
            let raw = cmd.text.get(simple.span.clone()).unwrap_or_default();
            let connects = CONNECTORS.contains(&name);
            let migrates = is_migration(&words);
            if !(connects || migrates) {
                continue;
            }
            let named = if private(raw).is_some() {
                Some("a `.railway.internal` host".to_string())
            } else {
                referenced_names(raw)
                    .into_iter()
                    .find(|n| private_var(n))
                    .map(|n| format!("`{n}`, which holds a private host,"))
            };
            let (what, severity) = match named {
                Some(what) => (what, Severity::Error),
                None if migrates && private_var("DATABASE_URL") => (
                    "`DATABASE_URL`, which holds a private host,".to_string(),
                    Severity::Warning,
                ),
                None => continue,
            };
            let step = cmd.step.map_or("build", |s| s.name.as_str());
            let mut d = Diagnostic::new(
                &META,
                cmd.at.file,
                cmds::span_in(cx.project, cmd.at, cmd.text, simple.span.clone()),
                format!(
                    "step `{step}` runs `{name}` against {what} during the build, where the private network does not exist"
                ),
            )
            .severity(severity)
            .pointer(cmd.at.pointer.clone())
            .help("connect through the public domain at build time, or move this work to the start command or a pre-deploy command, which run on the private network")
            ;
            d = cmds::never_runs(d, &cmd);
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_and_references() {
        assert!(is_migration(&["npx", "prisma", "migrate", "deploy"]));
        assert!(is_migration(&["python", "manage.py", "migrate"]));
        assert!(is_migration(&["alembic", "upgrade", "head"]));
        assert!(!is_migration(&["prisma", "generate"]));
        assert_eq!(referenced_names("curl -f $API_URL/x ${DB}x $1"), ["API_URL", "DB", "1"]);
    }
}
