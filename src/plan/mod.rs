//! `railcheck plan`: what Railway and Railpack will do with each service, and where each
//! fact comes from. [`derive`] turns the project model into a [`Plan`] (data only);
//! [`render`] prints it for a terminal or as versioned JSON. Nothing here judges: findings
//! are `validate`'s job.
//!
//! Every fact that another part of railcheck may come to know better lives in one
//! function of `derive.rs`: [`derive::root_fact`] (Root Directory), [`derive::builder_fact`]
//! (builder), [`derive::provider_fact`] (provider), [`derive::package_manager_fact`]
//! (Node package manager).

mod derive;
/// `Plan::render_human` and `Plan::render_json`.
mod render;

pub(crate) use derive::*;
