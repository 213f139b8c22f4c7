//! Key tables of the `railway` npm package 3.11.0 (`dist/index-*.d.ts`, `IntentServiceConfig`,
//! `BuildConfig`, `DeployConfig`; runtime `dist/iac/index.js`, `service()`), and where a
//! misplaced key belongs.

/// Keys `service()` reads. Anything else is dropped without a word.
pub(crate) const SERVICE_KEYS: &[&str] = &[
    "source",
    "root",
    "rootDirectory",
    "build",
    "deploy",
    "run",
    "start",
    "startCommand",
    "preDeploy",
    "preDeployCommand",
    "healthcheck",
    "healthcheckPath",
    "healthcheckTimeout",
    "replicas",
    "regions",
    "networking",
    "domains",
    "tcp",
    "tcpProxies",
    "env",
    "variables",
    "volumeMounts",
    "configFile",
    "parentServiceId",
    "groupId",
    "clusterRole",
    "replicaConfig",
    "clusterDisplay",
];

/// `run: {...}`: the SDK reads these four and nothing else.
pub(crate) const RUN_KEYS: &[&str] = &["command", "preDeploy", "healthcheck", "healthcheckTimeout"];

/// `BuildConfig`. The SDK spreads the object as is, so other keys reach the CLI.
pub(crate) const BUILD_KEYS: &[&str] = &[
    "builder",
    "watchPatterns",
    "buildCommand",
    "buildEnvironment",
    "dockerfilePath",
    "nixpacksConfigPath",
    "nixpacksPlan",
    "nixpacksVersion",
    "railpackVersion",
];

/// `DeployConfig`, spread as is like `build`.
pub(crate) const DEPLOY_KEYS: &[&str] = &[
    "startCommand",
    "preDeployCommand",
    "numReplicas",
    "healthcheckPath",
    "healthcheckTimeout",
    "sleepApplication",
    "runtime",
    "registryCredentials",
    "restartPolicyType",
    "restartPolicyMaxRetries",
    "cronSchedule",
    "region",
    "multiRegionConfig",
    "limitOverride",
    "requiredMountPath",
    "overlapSeconds",
    "drainingSeconds",
    "useLegacyStacker",
    "ipv6EgressEnabled",
];

/// `RailwayProvidedVariable`: every service and database has these.
const PROVIDED: [&str; 14] = [
    "RAILWAY_PUBLIC_DOMAIN",
    "RAILWAY_PRIVATE_DOMAIN",
    "RAILWAY_TCP_PROXY_DOMAIN",
    "RAILWAY_TCP_PROXY_PORT",
    "RAILWAY_DEPLOYMENT_ID",
    "RAILWAY_DEPLOYMENT_DRAINING_SECONDS",
    "RAILWAY_ENVIRONMENT",
    "RAILWAY_ENVIRONMENT_ID",
    "RAILWAY_PROJECT_ID",
    "RAILWAY_PROJECT_NAME",
    "RAILWAY_SERVICE_ID",
    "RAILWAY_SERVICE_NAME",
    "RAILWAY_REPLICA_ID",
    "PORT",
];

macro_rules! with_provided {
    ($($extra:literal),* $(,)?) => {
        &[
            $($extra,)*
            PROVIDED[0], PROVIDED[1], PROVIDED[2], PROVIDED[3], PROVIDED[4], PROVIDED[5], PROVIDED[6],
            PROVIDED[7], PROVIDED[8], PROVIDED[9], PROVIDED[10], PROVIDED[11], PROVIDED[12], PROVIDED[13],
        ]
    };
}

/// `PostgresVariable`.
pub(crate) const POSTGRES_VARS: &[&str] = with_provided!(
    "DATABASE_PUBLIC_URL",
    "DATABASE_URL",
    "PGDATA",
    "PGDATABASE",
    "PGHOST",
    "PGPASSWORD",
    "PGPORT",
    "PGUSER",
    "POSTGRES_DB",
    "POSTGRES_PASSWORD",
    "POSTGRES_USER",
    "SSL_CERT_DAYS",
);
/// `MySqlVariable`.
pub(crate) const MYSQL_VARS: &[&str] = with_provided!(
    "MYSQL_DATABASE",
    "MYSQL_PUBLIC_URL",
    "MYSQL_ROOT_PASSWORD",
    "MYSQL_URL",
    "MYSQLDATABASE",
    "MYSQLHOST",
    "MYSQLPASSWORD",
    "MYSQLPORT",
    "MYSQLUSER",
);
/// `RedisVariable`.
pub(crate) const REDIS_VARS: &[&str] = with_provided!(
    "REDIS_PASSWORD",
    "REDIS_PUBLIC_URL",
    "REDIS_URL",
    "REDISHOST",
    "REDISPASSWORD",
    "REDISPORT",
    "REDISUSER",
);
/// `MongoVariable`.
pub(crate) const MONGO_VARS: &[&str] = with_provided!(
    "MONGO_INITDB_ROOT_PASSWORD",
    "MONGO_INITDB_ROOT_USERNAME",
    "MONGO_PUBLIC_URL",
    "MONGO_URL",
    "MONGOHOST",
    "MONGOPASSWORD",
    "MONGOPORT",
    "MONGOUSER",
);
/// A `database(name, engine, ...)` of another engine: only Railway's own variables are known.
pub(crate) const PROVIDED_VARS: &[&str] = with_provided!();
/// Buckets expose these to `ref(bucket, "...")` (iac.md); `bucket()` has no `.env` accessor.
pub(crate) const BUCKET_VARS: &[&str] = &["BUCKET", "ENDPOINT", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "REGION"];

/// Misplacements seen in real files, checked before the edit distance.
const SERVICE_HINTS: &[(&str, &str)] = &[
    ("restarts", "deploy.restartPolicyType"),
    ("restart", "deploy.restartPolicyType"),
    ("restartPolicy", "deploy.restartPolicyType"),
    ("restartPolicyType", "deploy.restartPolicyType"),
    ("restartLimit", "deploy.restartPolicyMaxRetries"),
    ("maxRetries", "deploy.restartPolicyMaxRetries"),
    ("restartPolicyMaxRetries", "deploy.restartPolicyMaxRetries"),
    ("cron", "deploy.cronSchedule"),
    ("schedule", "deploy.cronSchedule"),
    ("cronSchedule", "deploy.cronSchedule"),
    ("healthCheckPath", "healthcheck"),
    ("healthCheck", "healthcheck"),
    ("healthCheckTimeout", "healthcheckTimeout"),
    ("startCmd", "start"),
    ("command", "start"),
    ("cmd", "start"),
    ("buildCommand", "build"),
    ("buildCmd", "build"),
    ("builder", "build.builder"),
    ("dockerfilePath", "build.dockerfilePath"),
    ("dockerfile", "build.dockerfilePath"),
    ("watchPatterns", "build.watchPatterns"),
    ("railpackVersion", "build.railpackVersion"),
    ("numReplicas", "replicas"),
    ("multiRegionConfig", "replicas"),
    ("region", "deploy.region"),
    ("sleepApplication", "deploy.sleepApplication"),
    ("sleep", "deploy.sleepApplication"),
    ("overlapSeconds", "deploy.overlapSeconds"),
    ("drainingSeconds", "deploy.drainingSeconds"),
    ("limitOverride", "deploy.limitOverride"),
    ("requiredMountPath", "deploy.requiredMountPath"),
    ("preDeployCmd", "preDeploy"),
    ("releaseCommand", "preDeploy"),
    ("rootDir", "root"),
    ("directory", "root"),
    ("cwd", "root"),
    ("image", "source: image(\"...\")"),
    ("repo", "source: github(\"...\")"),
    ("github", "source: github(\"...\")"),
    ("branch", "source: github(\"...\", { branch })"),
    ("environment", "env"),
    ("envVars", "env"),
    ("vars", "env"),
    ("environmentVariables", "env"),
    ("domain", "domains"),
    ("customDomains", "domains"),
    ("volumes", "volumeMounts"),
    ("volume", "volumeMounts"),
    ("mounts", "volumeMounts"),
];

const BUILD_HINTS: &[(&str, &str)] = &[
    ("command", "build.buildCommand"),
    ("cmd", "build.buildCommand"),
    ("dockerfile", "build.dockerfilePath"),
    ("startCommand", "start"),
    ("start", "start"),
    ("healthcheckPath", "healthcheck"),
    ("watch", "build.watchPatterns"),
];

const RUN_HINTS: &[(&str, &str)] = &[
    ("cmd", "run.command"),
    ("start", "run.command"),
    ("startCommand", "run.command"),
    ("preDeployCommand", "run.preDeploy"),
    ("healthcheckPath", "run.healthcheck"),
    ("healthCheck", "run.healthcheck"),
    ("healthCheckPath", "run.healthcheck"),
    ("healthCheckTimeout", "run.healthcheckTimeout"),
];

const DEPLOY_HINTS: &[(&str, &str)] = &[
    ("restarts", "deploy.restartPolicyType"),
    ("restartPolicy", "deploy.restartPolicyType"),
    ("restartLimit", "deploy.restartPolicyMaxRetries"),
    ("maxRetries", "deploy.restartPolicyMaxRetries"),
    ("cron", "deploy.cronSchedule"),
    ("healthCheckPath", "deploy.healthcheckPath"),
    ("healthcheck", "deploy.healthcheckPath"),
    ("healthCheckTimeout", "deploy.healthcheckTimeout"),
    ("start", "deploy.startCommand"),
    ("command", "deploy.startCommand"),
    ("replicas", "deploy.numReplicas"),
    ("buildCommand", "build"),
];

/// Which table a key is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Level {
    Service,
    Run,
    Build,
    Deploy,
}

impl Level {
    fn keys(self) -> &'static [&'static str] {
        match self {
            Level::Service => SERVICE_KEYS,
            Level::Run => RUN_KEYS,
            Level::Build => BUILD_KEYS,
            Level::Deploy => DEPLOY_KEYS,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Level::Service => "",
            Level::Run => "run.",
            Level::Build => "build.",
            Level::Deploy => "deploy.",
        }
    }

    pub(crate) fn knows(self, key: &str) -> bool {
        self.keys().contains(&key)
    }

    /// Where `key`, unknown at this level, most likely belongs.
    pub(crate) fn suggest(self, key: &str) -> Option<String> {
        let hints: &[(&str, &str)] = match self {
            Level::Service => SERVICE_HINTS,
            Level::Build => BUILD_HINTS,
            Level::Deploy => DEPLOY_HINTS,
            Level::Run => RUN_HINTS,
        };
        if let Some((_, to)) = hints.iter().find(|(from, _)| *from == key) {
            return Some((*to).to_string());
        }
        // A typo of a valid key, or of a known misplacement (`enviroment` -> `env`).
        let lower = key.to_ascii_lowercase();
        let valid = self.keys().iter().map(|k| (*k, format!("{}{k}", self.prefix())));
        let misplaced = hints.iter().map(|(from, to)| (*from, (*to).to_string()));
        let (distance, best) = valid
            .chain(misplaced)
            .map(|(candidate, target)| (levenshtein(&lower, &candidate.to_ascii_lowercase()), target))
            .min()?;
        // Two edits catch typos and case slips without suggesting unrelated keys.
        (distance <= 2.min(key.len() / 3 + 1)).then_some(best)
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
