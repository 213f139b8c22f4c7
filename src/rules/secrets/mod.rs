//! RC3xx: secrets and the build.

pub mod build_secret_not_allowed;
pub mod hardcoded_secret;
pub mod runtime_secret_at_build;
pub mod step_secrets_unrestricted;
pub mod too_many_build_variables;
pub mod top_level_secrets_no_limit;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &build_secret_not_allowed::RULE,
    &runtime_secret_at_build::RULE,
    &too_many_build_variables::RULE,
    &hardcoded_secret::RULE,
    &step_secrets_unrestricted::RULE,
    &top_level_secrets_no_limit::RULE,
];

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
