//! retired on 2026-11-30. The code stays reserved and
//! `railcheck explain RC305` says why; nothing reports it.

use crate::rules::declare_rule;

declare_rule! {
    /// Retired: a step's `secrets` list does not limit what the step can read.
    ///
    /// **Retired on 2026-11-30.** The code stays reserved; railcheck never reports it. A
    /// `railcheck.toml` that still selects, ignores or sets a severity for RC305 keeps working
    /// and has no effect.
    ///
    /// ## What it checks
    /// Nothing any more. It used to report a native step without a `secrets` list ("it mounts
    /// every service variable") and the guide's `build.secrets`, telling users to give each
    /// step its own `"secrets": [...]` to keep API keys out of it.
    ///
    /// ## Why it matters on Railway
    /// The fact behind it was wrong. On Railway every service variable becomes a plan secret
    /// (core/core.go), and Railpack mounts **every** plan secret as an environment variable into
    /// **every** build command of every step, whatever the step's `secrets` says
    /// (railwayapp/railpack buildkit/build_llb/build_graph.go 263-270: "We want to add all
    /// secrets to all commands, even if they are not specified in the step", since PR #141).
    /// A step's `secrets` list only decides which secrets invalidate that step's cache when
    /// their values change; Railpack's own `examples/secrets` test lists two secrets on a step
    /// whose script reads a third, and passes. So the fix this rule gave limited nothing.
    ///
    /// The only ways to keep a runtime secret out of a Railpack build are not to define it as a
    /// variable of that service, or to build with a Dockerfile, where variables reach the
    /// build only as declared `ARG`s. RC301-RC303 report the guide's build-variable policy as
    /// policy; RC306 reports a top-level `secrets` list, whose names must all be service
    /// variables.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["npm run build"] } } }
    /// ```
    /// This step sees every service variable, and so would the same step with
    /// `"secrets": ["NODE_ENV"]`: nothing to fix here.
    code: RC305,
    name: "step-secrets-unrestricted",
    severity: Warning,
    retired,
}
