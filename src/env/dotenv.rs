//! A dotenv (`.env`) parser for `railcheck env`.
//!
//! Accepts what the common loaders (python-dotenv, motdotla/dotenv, docker compose) agree
//! on: `#` comments (whole-line, and after whitespace in unquoted values), an optional
//! `export ` prefix, spaces around `=`, `KEY=` (empty), single quotes (literal, may span
//! lines), double quotes (escapes `\n \r \t \\ \" \$`, may span lines), backticks (like
//! single quotes), unquoted values (trimmed), CRLF and a UTF-8 byte order mark.
//!
//! Problems (a line without `=`, an unclosed quote, a bad name) are reported by line
//! number and never quote the line: a malformed line may hold a credential.

/// One `KEY=value` assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    pub(crate) value: String,
    /// 1-based line of the name.
    pub(crate) line: usize,
}

/// A line railcheck could not read as an assignment. The message never quotes the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Problems kept per file; later ones are only counted (a binary file fed as dotenv
/// would otherwise hold one message per line in memory).
pub(crate) const MAX_PROBLEMS: usize = 50;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// In file order; a name may appear twice (the later one wins when loaded).
    pub(crate) entries: Vec<Entry>,
    /// The first [`MAX_PROBLEMS`] problems.
    pub(crate) problems: Vec<Problem>,
    /// How many problems were found beyond those.
    pub(crate) omitted_problems: usize,
}

/// Parses dotenv text. Never fails: unreadable lines become problems and are skipped.
pub(crate) fn parse(text: &str) -> Parsed {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let mut parser = Parser {
        text: &text,
        pos: 0,
        line: 1,
        out: Parsed::default(),
    };
    while parser.pos < parser.text.len() {
        parser.statement();
    }
    parser.out
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    out: Parsed,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r' | '\u{c}')) {
            self.bump();
        }
    }

    /// Skips to just after the end of the current line.
    fn skip_line(&mut self) {
        match self.rest().find('\n') {
            Some(i) => {
                self.pos += i + 1;
                self.line += 1;
            }
            None => self.pos = self.text.len(),
        }
    }

    fn problem(&mut self, line: usize, message: impl Into<String>) {
        if self.out.problems.len() == MAX_PROBLEMS {
            self.out.omitted_problems += 1;
            return;
        }
        self.out.problems.push(Problem {
            line,
            message: message.into(),
        });
    }

    fn statement(&mut self) {
        self.skip_blanks();
        match self.peek() {
            None => return,
            Some('\n') => {
                self.bump();
                return;
            }
            Some('#') => {
                self.skip_line();
                return;
            }
            _ => {}
        }
        let line = self.line;
        if let Some(after) = self.rest().strip_prefix("export")
            && after.starts_with([' ', '\t'])
        {
            self.pos += "export".len();
            self.skip_blanks();
        }
        let name_len = self.rest().find(['=', '\n', ' ', '\t']).unwrap_or(self.rest().len());
        let name = self.rest()[..name_len].to_string();
        self.pos += name_len;
        self.skip_blanks();
        if self.peek() != Some('=') {
            self.problem(line, "not a `NAME=value` assignment (no `=`); skipped");
            self.skip_line();
            return;
        }
        self.bump();
        if !is_valid_name(&name) {
            let message = if name.is_empty() {
                "an assignment without a name; skipped"
            } else {
                "the name is not a valid variable name (letters, digits, `_`, `.`, `-`, not starting with a digit); skipped"
            };
            self.problem(line, message);
            self.skip_line();
            return;
        }
        self.skip_blanks();
        let value = match self.peek() {
            Some(q @ ('\'' | '"' | '`')) => {
                self.bump();
                match self.quoted(q) {
                    Some(value) => {
                        self.after_closing_quote(line);
                        value
                    }
                    None => {
                        self.problem(line, format!("`{name}`: the opening quote is never closed; skipped"));
                        // Resume on the line after the assignment, not at the end of the file.
                        self.pos = line_start_after(self.text, line);
                        self.line = line + 1;
                        return;
                    }
                }
            }
            _ => self.unquoted(),
        };
        self.out.entries.push(Entry { name, value, line });
    }

    /// Reads up to the closing quote (consumed). `None` when it never closes.
    fn quoted(&mut self, quote: char) -> Option<String> {
        let mut value = String::new();
        loop {
            let c = self.bump()?;
            if c == quote {
                return Some(value);
            }
            if c == '\\' && quote == '"' {
                match self.bump()? {
                    'n' => value.push('\n'),
                    'r' => value.push('\r'),
                    't' => value.push('\t'),
                    c @ ('\\' | '"' | '$' | '\'') => value.push(c),
                    other => {
                        value.push('\\');
                        value.push(other);
                    }
                }
                continue;
            }
            value.push(c);
        }
    }

    /// After a closing quote only blanks and a comment may follow on that line.
    fn after_closing_quote(&mut self, line: usize) {
        self.skip_blanks();
        match self.peek() {
            None | Some('#') | Some('\n') => {}
            Some(_) => self.problem(line, "text after the closing quote is ignored"),
        }
        self.skip_line();
    }

    fn unquoted(&mut self) -> String {
        let end = self.rest().find('\n').unwrap_or(self.rest().len());
        let raw = &self.rest()[..end];
        // ` #` starts a comment; `#` glued to the value is part of it (`color=#fff`).
        let cut = raw
            .char_indices()
            .find(|&(i, c)| c == '#' && i > 0 && raw[..i].ends_with([' ', '\t']))
            .map_or(raw.len(), |(i, _)| i);
        let value = raw[..cut].trim().to_string();
        self.skip_line();
        value
    }
}

/// Byte offset of the start of line `line + 1` (1-based `line`).
fn line_start_after(text: &str, line: usize) -> usize {
    text.match_indices('\n')
        .nth(line - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Names most loaders accept: letters, digits, `_`, `.`, `-`, not starting with a digit.
pub(crate) fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        let parsed = parse(text);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        parsed.entries.into_iter().map(|e| (e.name, e.value)).collect()
    }

    fn p(name: &str, value: &str) -> (String, String) {
        (name.to_string(), value.to_string())
    }

    #[test]
    fn plain_comments_export_and_spaces() {
        let text = "# a comment\n\nA=1\nexport B=two words  \n  C = spaced # trailing comment\nD=#glued\nexported=x\n";
        assert_eq!(
            pairs(text),
            vec![
                p("A", "1"),
                p("B", "two words"),
                p("C", "spaced"),
                p("D", "#glued"),
                p("exported", "x")
            ]
        );
    }

    #[test]
    fn empty_values() {
        assert_eq!(
            pairs("EMPTY=\nQUOTED=\"\"\nSINGLE=''\nLAST="),
            vec![p("EMPTY", ""), p("QUOTED", ""), p("SINGLE", ""), p("LAST", "")]
        );
    }

    #[test]
    fn quotes_and_escapes() {
        let text = r#"S='lit\n $HOME # not a comment'
D="a\nb\t\"q\" \\ \$x \z"
B=`back tick`
H="hash # inside" # comment
"#;
        assert_eq!(
            pairs(text),
            vec![
                p("S", r"lit\n $HOME # not a comment"),
                p("D", "a\nb\t\"q\" \\ $x \\z"),
                p("B", "back tick"),
                p("H", "hash # inside"),
            ]
        );
    }

    #[test]
    fn multi_line_quoted_values_keep_line_numbers() {
        let text = "KEY=\"-----BEGIN\nline two\n-----END\"\nNEXT=1\nS='a\nb'\nLAST=2\n";
        let parsed = parse(text);
        assert!(parsed.problems.is_empty());
        let got: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            vec![
                ("KEY", "-----BEGIN\nline two\n-----END", 1),
                ("NEXT", "1", 4),
                ("S", "a\nb", 5),
                ("LAST", "2", 7)
            ]
        );
    }

    #[test]
    fn crlf_and_bom() {
        assert_eq!(
            pairs("\u{feff}A=1\r\nB=\"x\r\ny\"\r\nC=3"),
            vec![p("A", "1"), p("B", "x\ny"), p("C", "3")]
        );
    }

    #[test]
    fn problems_name_lines_never_text() {
        let text =
            "A=1\nsk-proj-SECRETSECRETSECRET\nB=2\nC=\"unterminated value\nD=4\n9BAD=1\n=nameless\nE='ok' junk\n";
        let parsed = parse(text);
        let names: Vec<_> = parsed.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["A", "B", "D", "E"]);
        let lines: Vec<_> = parsed.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 4, 6, 7, 8]);
        for problem in &parsed.problems {
            for secret in ["SECRET", "unterminated", "junk", "nameless"] {
                assert!(!problem.message.contains(secret), "{}", problem.message);
            }
        }
    }

    #[test]
    fn duplicates_are_all_kept_in_order() {
        let parsed = parse("A=1\nA=2\n");
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(parsed.entries[1].value, "2");
        assert_eq!(parsed.entries[1].line, 2);
    }

    #[test]
    fn names() {
        assert!(is_valid_name("A_B.c-d"));
        assert!(is_valid_name("_X"));
        assert!(!is_valid_name("1A"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("A B"));
    }
}
