//! Knowledge about the things configs point at, independent of any config format: shell
//! command text, `${{...}}` references, secret shapes, variable classes, web framework
//! routes.

pub mod references;
pub(crate) mod routes;
pub mod secrets;
pub mod shell;
pub(crate) mod varclass;
