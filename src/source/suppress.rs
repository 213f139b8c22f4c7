//! Inline suppressions: `// railcheck-ignore RC202, RC204: reason` (JSON/JWCC, TypeScript)
//! or `# railcheck-ignore RC202: reason` (TOML). Text-based, so it works for any file with
//! a line index: a comment marker counts only outside string literals.

use std::ops::Range;

use super::LineIndex;

/// The marker word after the comment characters.
pub(crate) const MARKER: &str = "railcheck-ignore";

/// Which comments a file's language has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CommentSyntax {
    /// `//` line comments (JWCC, TypeScript); strings in `"`, `'` or backticks.
    Slashes,
    /// `#` line comments (TOML); basic strings in `"`, literal strings in `'`.
    Hash,
}

/// One `railcheck-ignore` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suppression {
    /// 1-based line of the comment.
    pub(crate) line: usize,
    /// 1-based line whose findings it silences: its own line after code, else the next one.
    pub(crate) target_line: usize,
    /// The comment, from its marker to the end of the line (trailing spaces excluded).
    pub(crate) span: Range<usize>,
    /// The rule codes or names it lists, each with its span.
    pub(crate) rules: Vec<(String, Range<usize>)>,
    /// The text after `:`, when there is one.
    pub(crate) reason: Option<String>,
}

/// Every suppression comment of a text.
pub(crate) fn scan(text: &str, syntax: CommentSyntax) -> Vec<Suppression> {
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    let mut found = Vec::new();
    let mut offset = 0;
    for (n, raw_line) in text.split_inclusive('\n').enumerate() {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if let Some(marker) = comment_start(line, syntax) {
            let comment_body = &line[marker..];
            let body = comment_body
                .trim_start_matches(if syntax == CommentSyntax::Slashes { "//" } else { "#" })
                .trim_start();
            let body_at = marker + (comment_body.len() - body.len());
            if let Some(rest) = body.strip_prefix(MARKER)
                && (rest.is_empty() || rest.starts_with([' ', '\t', ':']))
            {
                let rest_at = body_at + MARKER.len();
                let (list, reason) = match rest.split_once(':') {
                    Some((list, reason)) => (list, Some(reason.trim())),
                    None => (rest, None),
                };
                let mut rules = Vec::new();
                let mut at = 0;
                for word in list.split(|c: char| c == ',' || c.is_whitespace()) {
                    if !word.is_empty() {
                        let start = offset + rest_at + at;
                        rules.push((word.to_string(), start..start + word.len()));
                    }
                    at += word.len() + 1;
                }
                let code_before = !line[..marker].trim().is_empty();
                let number = n + 1;
                found.push(Suppression {
                    line: number,
                    target_line: if code_before { number } else { number + 1 },
                    span: offset + marker..offset + line.trim_end().len(),
                    rules,
                    reason: reason.filter(|r| !r.is_empty()).map(str::to_string),
                });
            }
        }
        offset += raw_line.len();
    }
    debug_assert!(found.iter().all(|s| lines.line_col(text, s.span.start).0 == s.line));
    found
}

/// Byte offset of the line comment's first character, outside any string literal.
/// Strings are assumed not to span lines (true of JSON; TOML multi-line strings and
/// template literals holding a marker are the rare exception).
fn comment_start(line: &str, syntax: CommentSyntax) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                // TOML literal strings (`'...'`) have no escapes.
                if b == b'\\' && !(syntax == CommentSyntax::Hash && q == b'\'') {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match (syntax, b) {
                (_, b'"' | b'\'') => quote = Some(b),
                (CommentSyntax::Slashes, b'`') => quote = Some(b),
                (CommentSyntax::Slashes, b'/') if bytes.get(i + 1) == Some(&b'/') => return Some(i),
                (CommentSyntax::Hash, b'#') => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_and_own_line_comments() {
        let text = "{\n  // railcheck-ignore RC202: legacy key kept for the old builder\n  \"startCmd\": \"x\",\n  \"env\": {} // railcheck-ignore RC202, RC204\n}\n";
        let found = scan(text, CommentSyntax::Slashes);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].target_line), (2, 3));
        assert_eq!(found[0].rules.len(), 1);
        assert_eq!(&text[found[0].rules[0].1.clone()], "RC202");
        assert_eq!(found[0].reason.as_deref(), Some("legacy key kept for the old builder"));
        assert_eq!((found[1].line, found[1].target_line), (4, 4));
        let names: Vec<_> = found[1].rules.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(names, ["RC202", "RC204"]);
        assert_eq!(&text[found[1].rules[1].1.clone()], "RC204");
        assert_eq!(found[1].reason, None);
        assert!(text[found[1].span.clone()].starts_with("// railcheck-ignore"));
    }

    #[test]
    fn markers_inside_strings_do_not_count() {
        let text = "{ \"a\": \"// railcheck-ignore RC202\", \"b\": \"\\\" // railcheck-ignore RC1\" }\n";
        assert!(scan(text, CommentSyntax::Slashes).is_empty());
        let toml = "a = \"# railcheck-ignore RC202\"\nb = 'c:\\' # railcheck-ignore RC301: test value\n";
        let found = scan(toml, CommentSyntax::Hash);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].target_line), (2, 2));
        assert_eq!(found[0].reason.as_deref(), Some("test value"));
    }

    #[test]
    fn other_comments_and_lookalikes_are_not_suppressions() {
        let text = "// railcheck-ignored RC202\n// see railcheck-ignore docs\n//railcheck-ignore RC202\n";
        let found = scan(text, CommentSyntax::Slashes);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
        assert!(scan("# railcheck-ignore RC1\n", CommentSyntax::Slashes).is_empty());
    }
}
