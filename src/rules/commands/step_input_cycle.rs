//! steps whose inputs depend on each other in a circle.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::Service;
use crate::model::{InputKind, Step};
use crate::rules::Context;
use crate::rules::declare_rule;
use crate::source::FileId;

declare_rule! {
    /// Steps whose inputs depend on each other in a cycle.
    ///
    /// ## What it checks
    /// The graph of step inputs (`{ "step": "name" }`, `"$name"`) among the steps one file defines.
    /// A cycle, including a step that names itself, is reported once, with its path
    /// (`install -> build -> install`).
    ///
    /// ## Why it matters on Railway
    /// A step's inputs are the layers it starts from, so a cycle has no first step. Railpack
    /// cannot order the plan; the guide's project saw BuildKit fail on circular inputs.
    ///
    /// ## Example
    /// ```json
    /// { "steps": {
    ///   "install": { "inputs": [{ "step": "build" }], "commands": ["npm ci"] },
    ///   "build": { "inputs": [{ "step": "install" }], "commands": ["npm run build"] }
    /// } }
    /// ```
    /// Fix: `install` starts from the provider's packages layer instead:
    /// `"inputs": [{ "step": "packages:mise" }]`, or drop its `inputs`.
    code: RC709,
    name: "step-input-cycle",
    severity: Error,
    check: Service(check),
}

fn check(_cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<FileId, Vec<&Step>> = BTreeMap::new();
    for step in service.steps.iter().filter(|s| !s.origin.is_railway()) {
        by_file.entry(step.at.file).or_default().push(step);
    }
    for (file, steps) in by_file {
        for cycle in cycles(&steps) {
            let first = steps[cycle[0]];
            let path: Vec<&str> = cycle
                .iter()
                .chain(std::iter::once(&cycle[0]))
                .map(|&i| steps[i].name.as_str())
                .collect();
            let mut d = Diagnostic::new(
                &META,
                file,
                first.at.key_or_value(),
                format!("step inputs form a cycle: {}", path.join(" -> ")),
            )
            .pointer(first.at.pointer.clone())
            .help("a step's first input is the layer it starts from; break the cycle so that one step starts from `packages:mise`, an image, or nothing")
            ;
            for (k, &i) in cycle.iter().enumerate() {
                let next = &steps[cycle[(k + 1) % cycle.len()]].name;
                if let Some(input) = steps[i]
                    .inputs
                    .iter()
                    .find(|inp| matches!(&inp.kind, InputKind::Step(n) if n == next))
                {
                    d = d.label(
                        file,
                        input.at.span.clone(),
                        format!("`{}` needs `{next}`", steps[i].name),
                    );
                }
            }
            out.push(d);
        }
    }
}

/// One cycle per strongly connected component that has one, as step indexes starting at
/// the first step (in file order) of the component.
fn cycles(steps: &[&Step]) -> Vec<Vec<usize>> {
    let edges: Vec<Vec<usize>> = steps
        .iter()
        .map(|s| {
            let mut targets: Vec<usize> = s
                .inputs
                .iter()
                .filter_map(|i| match &i.kind {
                    InputKind::Step(n) => steps.iter().position(|t| &t.name == n),
                    _ => None,
                })
                .collect();
            targets.dedup();
            targets
        })
        .collect();
    let mut found = Vec::new();
    let mut done = vec![false; steps.len()];
    for start in 0..steps.len() {
        if done[start] {
            continue;
        }
        // Shortest path from `start` back to itself (breadth-first), if any.
        let mut prev: Vec<Option<usize>> = vec![None; steps.len()];
        let mut queue = std::collections::VecDeque::from([start]);
        let mut seen = vec![false; steps.len()];
        let mut closing = None;
        while let Some(n) = queue.pop_front() {
            for &m in &edges[n] {
                if m == start {
                    closing = Some(n);
                    break;
                }
                if !seen[m] {
                    seen[m] = true;
                    prev[m] = Some(n);
                    queue.push_back(m);
                }
            }
            if closing.is_some() {
                break;
            }
        }
        let Some(mut n) = closing else { continue };
        let mut path = vec![n];
        while n != start {
            n = prev[n].expect("on the path");
            path.push(n);
        }
        path.reverse();
        for &i in &path {
            done[i] = true;
        }
        found.push(path);
    }
    found
}
