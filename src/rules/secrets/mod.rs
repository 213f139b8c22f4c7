//! RC3xx: secrets and the build.

pub(crate) mod build_secret_not_allowed;
pub(crate) mod hardcoded_secret;
pub(crate) mod runtime_secret_at_build;
pub(crate) mod step_secrets_unrestricted;
pub(crate) mod too_many_build_variables;
pub(crate) mod top_level_secrets_no_limit;

use super::Rule;

pub(crate) static RULES: &[&Rule] = &[
    &build_secret_not_allowed::RULE,
    &runtime_secret_at_build::RULE,
    &too_many_build_variables::RULE,
    &hardcoded_secret::RULE,
    &top_level_secrets_no_limit::RULE,
];

/// Codes kept reserved after their rule was withdrawn: listed by `railcheck rules`,
/// explained by `railcheck explain`, never reported.
pub(crate) static RETIRED: &[&Rule] = &[&step_secrets_unrestricted::RULE];

/// Why a `secrets` list is policy, not a mechanism (domain.md section 1).
pub(crate) const LIST_LIMITS_NOTHING: &str = "Railpack mounts every service variable into every build command, whatever a `secrets` list says (railpack buildkit/build_llb/build_graph.go 263-270): listing or unlisting a name changes nothing about what the build can read";

/// The only ways to keep a runtime secret out of a Railpack build.
pub(crate) const KEEP_OUT_OF_BUILD: &str = "to keep a value out of the build, do not define it as a variable of this service, or build with a Dockerfile, where only declared `ARG`s reach the build";

use crate::model::{Origin, Variable};

/// Where a `secrets` list entry sits, in words: "the guide's `build.secrets`",
/// "step `build`'s `secrets`", "the top-level `secrets`".
pub(crate) fn list_name(v: &Variable) -> String {
    match (&v.step, v.origin) {
        (Some(step), _) => format!("step `{step}`'s `secrets`"),
        (None, Origin::Manifest | Origin::GuideService) => "the guide's `build.secrets`".to_string(),
        (None, _) => "the top-level `secrets`".to_string(),
    }
}
