//! The keys Railpack reads in its own format (`railpack.json`), from its Go structs at
//! railwayapp/railpack b5e80580 (domain.md section 1). A test checks them against the
//! bundled schema, so the two cannot drift apart.

/// Top-level keys of Railpack's own format (`railpack.json`).
pub(crate) const RAILPACK_ROOT: &[&str] = &[
    "$schema",
    "provider",
    "buildAptPackages",
    "packages",
    "caches",
    "secrets",
    "steps",
    "deploy",
    "exclude",
];
/// Top-level keys only Railpack's own format has, the ones that describe the build: all of
/// [`RAILPACK_ROOT`] but `$schema` and `deploy`, which a guide-format file has too.
pub(crate) fn railpack_build_root() -> impl Iterator<Item = &'static str> {
    RAILPACK_ROOT
        .iter()
        .copied()
        .filter(|k| !matches!(*k, "$schema" | "deploy"))
}

/// `deploy` keys of Railpack's own format.
pub(crate) const RAILPACK_DEPLOY: &[&str] = &["base", "inputs", "startCommand", "variables", "paths", "aptPackages"];
/// Step keys of Railpack's own format.
pub(crate) const RAILPACK_STEP: &[&str] = &[
    "inputs",
    "commands",
    "secrets",
    "assets",
    "variables",
    "caches",
    "deployOutputs",
];

/// Top-level keys only the guide's format has (`services` for its manifest; `version`,
/// `metadata` for its service files).
pub(crate) const GUIDE_ROOT: &[&str] = &["services", "version", "metadata"];
/// `deploy` keys of Railway's config-as-code (`railway.json`) that Railpack's `deploy`
/// does not have: a file with one of them was written for Railway.
pub(crate) const RAILWAY_ONLY_DEPLOY: &[&str] = &[
    "healthcheckPath",
    "healthcheckTimeout",
    "restartPolicyType",
    "numReplicas",
    "preDeployCommand",
];

/// Field names of Railpack's config structs, by where the object sits.
pub(crate) const CACHE_FIELDS: &[&str] = &["directory", "type"];
pub(crate) const COMMAND_FIELDS: &[&str] = &["cmd", "customName", "path", "name", "mode", "src", "dest", "image"];
pub(crate) const LAYER_FIELDS: &[&str] = &["step", "image", "local", "include", "exclude", "spread"];
pub(crate) const FILTER_FIELDS: &[&str] = &["include", "exclude"];

#[cfg(test)]
mod tests {
    use super::*;

    fn properties(schema: &serde_json::Value, pointer: &str) -> Vec<String> {
        let mut keys: Vec<String> = schema
            .pointer(pointer)
            .and_then(|p| p.as_object())
            .unwrap_or_else(|| panic!("no properties at {pointer}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn sorted(keys: &[&str]) -> Vec<String> {
        let mut keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        keys.sort();
        keys
    }

    #[test]
    fn key_lists_match_the_bundled_railpack_schema() {
        let schema: serde_json::Value = serde_json::from_str(crate::platform::schema::RAILPACK).unwrap();
        assert_eq!(sorted(RAILPACK_ROOT), properties(&schema, "/properties"));
        assert_eq!(sorted(RAILPACK_DEPLOY), properties(&schema, "/$defs/deploy/properties"));
        assert_eq!(sorted(RAILPACK_STEP), properties(&schema, "/$defs/step/properties"));
    }
}
