//! a literal credential written in a config file.

use crate::diagnostic::Diagnostic;
use crate::facts::secrets;
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::{Node, NodeKind, SourceFile, escape_pointer_segment};

declare_rule! {
    /// A literal credential in a config file (API key, JWT, private key, URL password).
    ///
    /// ## What it checks
    /// Every string in every config file (variables, commands, start commands, anything):
    /// known provider key shapes (OpenAI, Anthropic, Groq, GitHub, Stripe, Slack, Google, AWS
    /// access key ids), JSON Web Tokens, private-key blocks, URLs with `user:password@`, and
    /// long high-entropy values under secret-like names (`*_KEY`, `*_SECRET`, `*_TOKEN`, ...).
    /// References (`${{shared.OPENAI_API_KEY}}`) and placeholders are not credentials. The
    /// finding names the variable and the kind of credential, never the value; code frames
    /// show at most its first 4 characters.
    ///
    /// ## Why it matters on Railway
    /// Config files are committed: anyone who can read the repository (or a fork, or a CI log)
    /// has the key. Values in `railpack.json` also end up in the build plan and image
    /// environment. Railway keeps credentials as (sealed) service variables instead.
    ///
    /// ## Example
    /// ```json
    /// { "deploy": { "variables": { "OPENAI_API_KEY": "sk-proj-..." } } }
    /// ```
    /// Fix: delete the value from the file, rotate the key, and set `OPENAI_API_KEY` as a
    /// service variable in Railway (or `${{shared.OPENAI_API_KEY}}` there).
    code: RC304,
    name: "hardcoded-secret",
    severity: Error,
    check: File(check),
}

fn check(_cx: &Context<'_>, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    // (node, the member key it sits under, pointer, inside a `secrets` list of names)
    let mut stack: Vec<_> = file
        .tree
        .iter()
        .map(|tree| (tree, None::<&str>, String::new(), false))
        .collect();
    while let Some((node, key, pointer, in_names)) = stack.pop() {
        match &node.kind {
            NodeKind::String(value) => report(file, node, value, key, &pointer, in_names, out),
            NodeKind::Array(items) => {
                let names = key == Some("secrets");
                for (i, item) in items.iter().enumerate() {
                    stack.push((item, key, format!("{pointer}/{i}"), names));
                }
            }
            NodeKind::Object(members) => {
                for m in members {
                    let p = format!("{pointer}/{}", escape_pointer_segment(&m.key));
                    stack.push((&m.value, Some(m.key.as_str()), p, false));
                }
            }
            _ => {}
        }
    }
    // `.railway/railway.ts` is committed too: its literal `env` values.
    for service in file.iac.iter().flat_map(|iac| &iac.services) {
        let name = service.name.value.known().map_or("?", String::as_str);
        for var in &service.env {
            if let crate::iac::IacValue::Literal(value) = &var.value.value {
                let node = Node::new(var.value.span.clone(), NodeKind::String(value.clone()));
                let pointer = format!(
                    "/services/{}/env/{}",
                    escape_pointer_segment(name),
                    escape_pointer_segment(&var.name)
                );
                let before = out.len();
                report(file, &node, value, Some(&var.name), &pointer, false, out);
                for d in &mut out[before..] {
                    d.help = Some(format!(
                        "remove it from the file and rotate it; write `{}: preserve()` and set the value in Railway",
                        var.name
                    ));
                }
            }
        }
    }
}

fn report(
    file: &SourceFile,
    node: &Node,
    value: &str,
    key: Option<&str>,
    pointer: &str,
    in_names: bool,
    out: &mut Vec<Diagnostic>,
) {
    let raw = file.text.get(node.span.clone()).unwrap_or_default();
    let (span, kind) = match secrets::find_in(raw).into_iter().next() {
        Some((range, kind)) => (node.span.start + range.start..node.span.start + range.end, kind),
        None => {
            if in_names {
                return;
            }
            let Some(kind) = secrets::classify_value(key, value) else {
                return;
            };
            (node.span.clone(), kind)
        }
    };
    let holder = match key {
        Some("commands" | "cmd") => "a command".to_string(),
        Some("startCommand" | "startCmd") => "the start command".to_string(),
        Some("buildCommand" | "preDeployCommand") => "a build or pre-deploy command".to_string(),
        Some(k) if !in_names && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => format!("`{k}`"),
        _ => "this value".to_string(),
    };
    out.push(
        Diagnostic::new(&META, file.id, span, format!("{holder} holds a literal {kind}"))
            .pointer(pointer.to_string())
            .help("remove it from the file and rotate it; set it as a service variable in Railway instead")
            .note("anyone who can read the repository can read this credential"),
    );
}
