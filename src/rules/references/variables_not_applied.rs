//! references in railpack.json, and the guide's `environment` blocks.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::references;
use crate::model::Service;
use crate::model::{Origin, Scope};
use crate::rules::Context;
use crate::rules::declare_rule;

declare_rule! {
    /// Variables no file applies: `${{...}}` inside railpack.json (error), the guide's `environment` blocks (warning).
    ///
    /// ## What it checks
    /// - A `${{...}}` reference inside a native `railpack.json` value (step or deploy
    ///   `variables`, commands, the start command): an error.
    /// - The guide's `deploy.environment` blocks (and a services manifest's `deploy.variables`,
    ///   which Railpack never sees): a warning per block, listing the names to set as service
    ///   variables in Railway. A guide-format service file's `deploy.variables` *is* read by
    ///   Railpack (`deploy` is one of its own keys), as run-time variables.
    ///
    /// ## Why it matters on Railway
    /// References are resolved only in Railway **service variables** (dashboard, Raw editor,
    /// CLI). Neither Railway nor Railpack resolves `${{...}}` inside `railpack.json`, so the
    /// value reaches the build or the app as literal text, and a command running it under
    /// `sh` fails with "bad substitution". The guide's `environment` block is read by no
    /// one: unless the names are set on the service in Railway, the app runs without them
    /// (for `NEXT_PUBLIC_API_URL`, the frontend is built with no API URL at all).
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "variables": { "API_URL": "https://${{api.RAILWAY_PUBLIC_DOMAIN}}" } } }
    /// ```
    /// Fix: delete it from `railpack.json` and set `API_URL` on the service in Railway:
    /// `railway variables --set 'API_URL=https://${{api.RAILWAY_PUBLIC_DOMAIN}}'`.
    code: RC508,
    name: "variables-not-applied",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for v in &service.variables {
        // Railpack applies native values, and a guide-format file's `deploy.variables`.
        let applied_literally =
            v.origin == Origin::Railpack || (v.origin == Origin::GuideService && v.scope == Scope::Runtime);
        if !applied_literally {
            continue;
        }
        let Some(first) = v.refs.references.first() else {
            continue;
        };
        let when = if v.scope == Scope::Runtime {
            "the app"
        } else {
            "the build"
        };
        // `"X": "${{X}}"` in deploy.variables: the service variable `X` is set in the
        // container's environment at run time and wins over the image's value.
        let self_reference = v.scope == Scope::Runtime
            && v.refs.references.len() == 1
            && first.namespace.is_none()
            && first.variable == v.name
            && v.value_str().is_some_and(|t| first.range == (0..t.len()));
        if self_reference {
            out.push(
                Diagnostic::new(
                    &META,
                    v.at.file,
                    v.span_in_value(first.range.clone()),
                    format!("`{}` refers to itself: redundant while the service variable `{}` exists, literal text when it does not", v.name, v.name),
                )
                .severity(Severity::Warning)
                .help(format!("delete `{}` from railpack.json; the service variable of that name reaches the app without it", v.name))
                .note("service variables are set in the container's environment at run time and override the image's `deploy.variables`")
                ,
            );
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                v.at.file,
                v.span_in_value(first.range.clone()),
                format!(
                    "`{}` reaches {when} as literal text: railpack.json does not resolve `${{{{...}}}}` references",
                    v.name
                ),
            )
            .help(format!(
                "remove `{}` from railpack.json and set it as a service variable in Railway, where references resolve",
                v.name
            )),
        );
    }
    let commands = service
        .steps
        .iter()
        .filter(|s| s.origin == Origin::Railpack)
        .flat_map(|s| s.commands.iter().filter_map(|c| Some((c.shell_text()?, &c.at))));
    let starts = service
        .start_commands
        .iter()
        .filter(|c| matches!(c.origin, Origin::Railpack | Origin::GuideService))
        .map(|c| (c.value.as_str(), &c.at));
    for (text, at) in commands.chain(starts) {
        if !text.contains("${{") || references::parse(text).references.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                at.file,
                at.span.clone(),
                "this command holds a `${{...}}` reference, which nothing resolves: `sh` fails with \"bad substitution\"",
            )
            .pointer(at.pointer.clone())
            .help("set the value as a service variable in Railway and read it as `$NAME` in the command")
            ,
        );
    }
    // The guide's environment blocks: one warning per block.
    let mut blocks: BTreeMap<(crate::source::FileId, String), Vec<&str>> = BTreeMap::new();
    for v in &service.variables {
        if v.scope == Scope::Service && matches!(v.origin, Origin::Manifest | Origin::GuideService) {
            let block =
                v.at.pointer
                    .rsplit_once('/')
                    .map_or("", |(parent, _)| parent)
                    .to_string();
            blocks.entry((v.at.file, block)).or_default().push(&v.name);
        }
    }
    for ((file, block), names) in blocks {
        let source = project.file(file);
        let span = source
            .key_span_of(&block)
            .or_else(|| source.span_of(&block))
            .unwrap_or(0..0);
        let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let what = if names.len() == 1 {
            "as a service variable"
        } else {
            "as service variables"
        };
        out.push(
            Diagnostic::new(
                &META,
                file,
                span,
                format!("no file applies this block: set {list} {what} on `{}` in Railway", service.name),
            )
            .severity(Severity::Warning)
            .pointer(block)
            .help(format!(
                "in Railway, open service `{}` > Variables (or `railway variables --service {} --set NAME=VALUE`) and add each one; references like `${{{{backend.RAILWAY_PUBLIC_DOMAIN}}}}` resolve there",
                service.name, service.name
            ))
            .note("Railpack does not read the guide's `environment` block and Railway reads no railpack.json")
            ,
        );
    }
}
