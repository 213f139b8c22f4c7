//! Railway reference variables: `${{shared.VAR}}`, `${{Service.VAR}}`, `${{VAR}}`.
//!
//! A pure parser over one string value. It returns every reference and every syntax
//! error with byte ranges inside that string, in one forward pass (linear time, even on
//! a value holding tens of thousands of unclosed `${{`). Railway allows spaces inside
//! the braces and text around references (`https://${{api.RAILWAY_PUBLIC_DOMAIN}}/v1`).

use std::ops::Range;

/// One `${{ ... }}` in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The whole `${{ ... }}`, as a byte range of the value.
    pub range: Range<usize>,
    /// The service name, `shared`, or `None` for a same-service `${{VAR}}`.
    pub(crate) namespace: Option<String>,
    pub variable: String,
}

impl Reference {
    pub fn is_shared(&self) -> bool {
        self.namespace.as_deref() == Some("shared")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SyntaxErrorKind {
    /// `${{` with no `}}` after it (or another `${{` before it closes).
    Unclosed,
    /// `${{}}` or `${{  }}`.
    Empty,
    /// `${{backend.}}`
    MissingVariable,
    /// `${{.VAR}}`
    MissingNamespace,
    /// `${{a.b.VAR}}`
    TooManyDots,
    /// A character a service or variable name cannot hold.
    BadCharacter(char),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The faulty `${{ ...` as a byte range of the value.
    pub range: Range<usize>,
    pub(crate) kind: SyntaxErrorKind,
}

impl SyntaxError {
    /// A short explanation that never quotes the value itself.
    pub fn describe(&self) -> String {
        match &self.kind {
            SyntaxErrorKind::Unclosed => "`${{` is never closed with `}}`".to_string(),
            SyntaxErrorKind::Empty => "empty reference `${{}}`".to_string(),
            SyntaxErrorKind::MissingVariable => "reference has a service but no variable after the dot".to_string(),
            SyntaxErrorKind::MissingNamespace => "reference has nothing before the dot".to_string(),
            SyntaxErrorKind::TooManyDots => "reference has more than one dot; use `${{service.VARIABLE}}`".to_string(),
            SyntaxErrorKind::BadCharacter(c) => {
                format!("reference contains `{}`, which no name can hold", c.escape_default())
            }
        }
    }
}

/// Everything found in one value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub references: Vec<Reference>,
    pub errors: Vec<SyntaxError>,
}

/// Finds every reference and syntax error in `text`.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let bytes = text.as_bytes();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"${{") {
            if let Some(start) = open {
                parsed.errors.push(SyntaxError {
                    range: start..i,
                    kind: SyntaxErrorKind::Unclosed,
                });
            }
            open = Some(i);
            i += 3;
        } else if bytes[i..].starts_with(b"}}")
            && let Some(start) = open
        {
            let range = start..i + 2;
            match parse_body(&text[start + 3..i]) {
                Ok((namespace, variable)) => parsed.references.push(Reference {
                    range,
                    namespace,
                    variable,
                }),
                Err(kind) => parsed.errors.push(SyntaxError { range, kind }),
            }
            open = None;
            i += 2;
        } else {
            i += 1;
        }
    }
    if let Some(start) = open {
        parsed.errors.push(SyntaxError {
            range: start..text.len(),
            kind: SyntaxErrorKind::Unclosed,
        });
    }
    parsed
}

fn parse_body(body: &str) -> Result<(Option<String>, String), SyntaxErrorKind> {
    let body = body.trim_matches(|c: char| c == ' ' || c == '\t');
    if body.is_empty() {
        return Err(SyntaxErrorKind::Empty);
    }
    let (namespace, variable) = match body.split_once('.') {
        None => (None, body),
        Some((ns, var)) => {
            if var.contains('.') {
                return Err(SyntaxErrorKind::TooManyDots);
            }
            (Some(ns), var)
        }
    };
    if let Some(ns) = namespace {
        if ns.is_empty() {
            return Err(SyntaxErrorKind::MissingNamespace);
        }
        // Service names hold letters, digits, `-`, `_` and inner spaces.
        if let Some(c) = ns
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ' ')))
        {
            return Err(SyntaxErrorKind::BadCharacter(c));
        }
        if ns.ends_with(' ') {
            return Err(SyntaxErrorKind::BadCharacter(' '));
        }
    }
    if variable.is_empty() {
        return Err(SyntaxErrorKind::MissingVariable);
    }
    if let Some(c) = variable.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_')) {
        return Err(SyntaxErrorKind::BadCharacter(c));
    }
    if variable.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(SyntaxErrorKind::BadCharacter(variable.chars().next().unwrap_or('0')));
    }
    Ok((namespace.map(str::to_string), variable.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (namespace, variable, the matched text) of every reference; no errors allowed.
    fn refs(text: &str) -> Vec<(Option<String>, String, String)> {
        let parsed = parse(text);
        assert!(parsed.errors.is_empty(), "{text}: {:?}", parsed.errors);
        parsed
            .references
            .into_iter()
            .map(|r| (r.namespace, r.variable, text[r.range].to_string()))
            .collect()
    }

    fn r(ns: Option<&str>, var: &str, whole: &str) -> (Option<String>, String, String) {
        (ns.map(str::to_string), var.to_string(), whole.to_string())
    }

    fn error_kinds(text: &str) -> Vec<(SyntaxErrorKind, &str)> {
        parse(text)
            .errors
            .into_iter()
            .map(|e| (e.kind, &text[e.range]))
            .collect()
    }

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            refs("${{shared.API_KEY}}"),
            vec![r(Some("shared"), "API_KEY", "${{shared.API_KEY}}")]
        );
        assert_eq!(
            refs("${{backend.RAILWAY_PUBLIC_DOMAIN}}"),
            vec![r(
                Some("backend"),
                "RAILWAY_PUBLIC_DOMAIN",
                "${{backend.RAILWAY_PUBLIC_DOMAIN}}"
            )]
        );
        assert_eq!(refs("${{PORT}}"), vec![r(None, "PORT", "${{PORT}}")]);
    }

    #[test]
    fn spaces_inside_braces_and_text_around() {
        let text = "https://${{ api.RAILWAY_PUBLIC_DOMAIN }}/v1?x=${{PORT}}";
        let parsed = parse(text);
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.references.len(), 2);
        assert_eq!(
            &text[parsed.references[0].range.clone()],
            "${{ api.RAILWAY_PUBLIC_DOMAIN }}"
        );
        assert_eq!(parsed.references[0].namespace.as_deref(), Some("api"));
        assert_eq!(parsed.references[1].variable, "PORT");
        assert_eq!(parsed.references[1].range.end, text.len());
        let none = parse("plain text, $HOME and ${NOT_A_REF} and }}");
        assert!(none.references.is_empty() && none.errors.is_empty());
    }

    #[test]
    fn service_names_may_hold_dashes_and_inner_spaces() {
        assert_eq!(
            refs("${{monkey-coder-api.PORT}}")[0].0.as_deref(),
            Some("monkey-coder-api")
        );
        assert_eq!(
            parse("${{My Service.PORT}}").references[0].namespace.as_deref(),
            Some("My Service")
        );
    }

    #[test]
    fn syntax_errors_have_kinds_and_ranges() {
        assert_eq!(
            error_kinds("x ${{backend.PORT"),
            vec![(SyntaxErrorKind::Unclosed, "${{backend.PORT")]
        );
        assert_eq!(error_kinds("${{}}"), vec![(SyntaxErrorKind::Empty, "${{}}")]);
        assert_eq!(error_kinds("${{   }}"), vec![(SyntaxErrorKind::Empty, "${{   }}")]);
        assert_eq!(
            error_kinds("${{backend.}}"),
            vec![(SyntaxErrorKind::MissingVariable, "${{backend.}}")]
        );
        assert_eq!(
            error_kinds("${{.PORT}}"),
            vec![(SyntaxErrorKind::MissingNamespace, "${{.PORT}}")]
        );
        assert_eq!(
            error_kinds("${{a.b.C}}"),
            vec![(SyntaxErrorKind::TooManyDots, "${{a.b.C}}")]
        );
        assert_eq!(
            error_kinds("${{backend.API-URL}}"),
            vec![(SyntaxErrorKind::BadCharacter('-'), "${{backend.API-URL}}")]
        );
        assert_eq!(
            error_kinds("${{backend/PORT}}"),
            vec![(SyntaxErrorKind::BadCharacter('/'), "${{backend/PORT}}")]
        );
        assert_eq!(
            error_kinds("${{1PORT}}"),
            vec![(SyntaxErrorKind::BadCharacter('1'), "${{1PORT}}")]
        );
    }

    #[test]
    fn a_second_opening_closes_nothing() {
        let text = "${{a.X ${{b.Y}}";
        let parsed = parse(text);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(&text[parsed.errors[0].range.clone()], "${{a.X ");
        assert_eq!(parsed.references.len(), 1);
        assert_eq!(parsed.references[0].namespace.as_deref(), Some("b"));
    }

    #[test]
    fn multibyte_text_keeps_char_boundaries() {
        let text = "é${{ü.X}}ß${{";
        let parsed = parse(text);
        for r in &parsed.references {
            assert!(text.is_char_boundary(r.range.start) && text.is_char_boundary(r.range.end));
        }
        assert_eq!(parsed.references[0].namespace.as_deref(), Some("ü"));
        assert_eq!(parsed.errors[0].kind, SyntaxErrorKind::Unclosed);
    }

    #[test]
    fn linear_on_fifty_thousand_openings() {
        let text = "${{".repeat(50_000);
        let start = std::time::Instant::now();
        let parsed = parse(&text);
        assert_eq!(parsed.errors.len(), 50_000);
        let closed = "${{ a.B ".repeat(50_000) + "}}";
        let parsed2 = parse(&closed);
        assert_eq!(parsed2.references.len(), 1);
        assert!(start.elapsed().as_millis() < 500, "took {:?}", start.elapsed());
    }
}
