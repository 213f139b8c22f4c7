//! Knowledge about the things configs point at, independent of any config format: shell
//! command text, `${{...}}` references, secret shapes, variable classes, web framework
//! routes.

pub(crate) mod references;
pub(crate) mod routes;
pub mod secrets;
pub(crate) mod shell;
pub(crate) mod varclass;
