//! The rule pages `docs/rules/RCnnn.md`, generated from the rule declarations (code, name,
//! severity, summary, docs). `UPDATE_DOCS=1 cargo test --test rule_docs` rewrites them;
//! without it that test fails when a page is out of date.

use crate::diagnostic::RuleMeta;
use crate::rules;

/// The folder of the generated pages, relative to the repository root.
pub const RULE_DOCS_DIR: &str = "docs/rules";

const GENERATED: &str = "<!-- Generated from the rule's declaration in src/rules by \
`UPDATE_DOCS=1 cargo test --test rule_docs`. Do not edit by hand. -->";

/// One rule's page.
pub(crate) fn rule_page(meta: &RuleMeta) -> String {
    format!(
        "{GENERATED}\n\n# {code} {name}\n\n{summary}\n\n- Default severity: **{severity}**\n- Select or ignore it by code \
         (`{code}`), code prefix (`{prefix}`) or name (`{name}`); silence one finding with \
         `// railcheck-ignore {code}: reason` (`#` in TOML) on its line or the line before.\n\n{docs}\n",
        code = meta.code,
        name = meta.name,
        summary = meta.summary(),
        severity = meta.severity.as_str(),
        prefix = &meta.code[..3],
        docs = meta.docs(),
    )
}

/// The index page: every rule with its severity and summary.
pub(crate) fn index_page() -> String {
    let mut text = format!(
        "{GENERATED}\n\n# Rules\n\n`railcheck explain CODE` prints the same text in a terminal.\n\n\
         | Code | Name | Default severity | Summary |\n|---|---|---|---|\n"
    );
    for rule in rules::all() {
        let m = rule.meta;
        text.push_str(&format!(
            "| [{code}]({code}.md) | `{name}` | {severity} | {summary} |\n",
            code = m.code,
            name = m.name,
            severity = m.severity.as_str(),
            summary = m.summary().replace('|', "\\|"),
        ));
    }
    text
}

/// Every generated page: (file name inside [`RULE_DOCS_DIR`], contents).
pub fn pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = rules::all()
        .into_iter()
        .map(|r| (format!("{}.md", r.meta.code), rule_page(r.meta)))
        .collect();
    pages.push(("README.md".to_string(), index_page()));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_has_the_title_severity_and_the_three_sections() {
        let page = rule_page(crate::rules::find("RC202").unwrap().meta);
        assert!(page.contains("# RC202 ignored-key\n"), "{page}");
        assert!(page.contains("Default severity: **warning**"), "{page}");
        for section in ["## What it checks", "## Why it matters on Railway", "## Example"] {
            assert!(page.contains(section), "{section}");
        }
    }
}
