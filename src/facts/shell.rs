//! A static reading of POSIX `sh` command text, the way Railpack runs step and start
//! commands (`sh -c '<text>'`). Nothing here executes anything: the text is split into
//! simple commands on `&&`, `||`, `;`, `|`, `&` and newlines (respecting quotes and
//! backslash escapes), each split into words, and `cd` is followed so that every
//! command knows the folder it runs in, relative to the service root (`/app`).
//!
//! The reading is deliberately shallow: anything it cannot follow (a variable, a glob, a
//! command substitution, a `cd` to somewhere unknown) is marked as such, so that the
//! rules built on it can stay quiet.

use std::ops::Range;

/// Where Railpack puts the service root in the build and in the image.
pub(crate) const APP_DIR: &str = "/app";

/// One word after quote removal, with the byte range it covers in the command text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) span: Range<usize>,
    /// Holds an expansion (`$x`, `$(..)`, backquotes), an unquoted glob character or a
    /// leading `~`: its value is not known statically.
    pub(crate) dynamic: bool,
}

/// The folder a command runs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cwd {
    /// A folder inside the service root, `/`-separated, "" for the root itself.
    Inside(String),
    /// Somewhere this reading cannot follow.
    Unknown,
}

/// Which operator joins a simple command to the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    And,
    Or,
    Seq,
    Pipe,
    Background,
}

#[derive(Clone, Debug)]
pub struct Simple {
    /// `NAME=value` words before the command name.
    pub(crate) assigns: Vec<Word>,
    /// The command name and its arguments (redirections removed).
    pub(crate) argv: Vec<Word>,
    /// Redirection targets (`> out.txt`).
    pub(crate) redirects: Vec<Word>,
    pub(crate) cwd: Cwd,
    /// The operator after this command, if any.
    pub(crate) next: Option<Op>,
    /// The operator before this command, if any.
    pub(crate) prev: Option<Op>,
    /// Byte range of the whole simple command.
    pub(crate) span: Range<usize>,
}

impl Simple {
    pub(crate) fn name(&self) -> Option<&str> {
        self.argv.first().map(|w| w.text.as_str())
    }

    /// The command name without its folder (`/app/.venv/bin/uvicorn` -> `uvicorn`).
    pub(crate) fn base_name(&self) -> Option<&str> {
        self.name().map(|n| n.rsplit('/').next().unwrap_or(n))
    }
}

/// Where a `cd` goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CdTarget {
    /// A folder inside the service root.
    Inside(String),
    /// Above the service root (`cd ..` from the root, `cd /app/..`).
    Outside,
    /// Not known statically (`cd $DIR`, `cd`, `cd /tmp`, `cd -`).
    Unknown,
}

#[derive(Clone, Debug)]
pub(crate) struct Cd {
    /// Index of the `cd` in `Script::commands`.
    pub(crate) command: usize,
    pub(crate) target: Word,
    pub(crate) to: CdTarget,
}

/// A bash-only construct, which `sh` (dash on Railpack's images) rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bashism {
    pub span: Range<usize>,
    /// The construct as written, e.g. `[[`.
    pub(crate) what: &'static str,
}

#[derive(Clone, Debug, Default)]
pub struct Script {
    pub commands: Vec<Simple>,
    pub(crate) cds: Vec<Cd>,
    pub bashisms: Vec<Bashism>,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(Word),
    Op(Op, usize),
    Open(usize),
    Close(usize),
    /// A redirection operator; the next word is its target.
    Redirect(usize),
}

/// Reads a command string. Never fails: unbalanced quotes simply run to the end.
pub fn parse(text: &str) -> Script {
    let mut bashisms = Vec::new();
    let tokens = lex(text, &mut bashisms);
    let mut script = assemble(tokens, &mut bashisms);
    bashisms.sort_by_key(|b| b.span.start);
    bashisms.dedup();
    script.bashisms = bashisms;
    script
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    word: Option<Word>,
}

impl Lexer<'_> {
    fn word(&mut self) -> &mut Word {
        let pos = self.pos;
        self.word.get_or_insert_with(|| Word {
            text: String::new(),
            span: pos..pos,
            dynamic: false,
        })
    }

    fn end_word(&mut self) {
        if let Some(mut w) = self.word.take() {
            w.span.end = self.pos;
            // `[`, `[[`, `]` are test syntax, not glob patterns.
            if matches!(w.text.as_str(), "[" | "[[" | "]" | "]]") {
                w.dynamic = false;
            }
            self.tokens.push(Token::Word(w));
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.text[self.pos..].starts_with(s)
    }

    /// Consumes up to the byte that closes a construct opened just before `pos`, honouring
    /// nesting of `open`/`close` and quotes. Returns the end (exclusive).
    fn skip_balanced(&mut self, open: u8, close: u8) -> usize {
        let mut depth = 1;
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            match b {
                b'\\' => self.pos = (self.pos + 1).min(self.bytes.len()),
                b'\'' => self.skip_until(b'\''),
                b'"' => self.skip_double(),
                _ if b == open && open != close => depth += 1,
                _ if b == close => {
                    depth -= 1;
                    if depth == 0 {
                        return self.pos;
                    }
                }
                _ => {}
            }
        }
        self.pos
    }

    fn skip_until(&mut self, end: u8) {
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            if b == end {
                return;
            }
        }
    }

    fn skip_double(&mut self) {
        while let Some(b) = self.peek(0) {
            self.pos += 1;
            match b {
                b'\\' => self.pos = (self.pos + 1).min(self.bytes.len()),
                b'"' => return,
                _ => {}
            }
        }
    }

    /// Handles a `` `command` `` substitution at `pos`: its raw text joins the word, which
    /// becomes dynamic (its value is unknown without running it).
    fn backquote(&mut self) {
        let start = self.pos;
        self.pos += 1;
        self.skip_until(b'`');
        let raw = &self.text[start..self.pos];
        let w = self.word();
        w.text.push_str(raw);
        w.dynamic = true;
    }

    /// Handles a `$` at `pos` (outside single quotes); appends its raw text to the word.
    fn dollar(&mut self, quoted: bool, bashisms: &mut Vec<Bashism>) {
        let start = self.pos;
        self.pos += 1;
        match self.peek(0) {
            Some(b'\'') if !quoted => {
                self.pos += 1;
                while let Some(b) = self.peek(0) {
                    self.pos += 1;
                    match b {
                        b'\\' => self.pos = (self.pos + 1).min(self.bytes.len()),
                        b'\'' => break,
                        _ => {}
                    }
                }
                bashisms.push(Bashism {
                    span: start..start + 2,
                    what: "$'...'",
                });
            }
            Some(b'(') => {
                self.pos += 1;
                self.skip_balanced(b'(', b')');
            }
            Some(b'{') => {
                self.pos += 1;
                let inner_start = self.pos;
                let end = self.skip_balanced(b'{', b'}');
                // Drop the closing `}` when there is one: an unclosed `${` runs to the end of
                // the text, whose last byte may sit inside a multi-byte character.
                let closed = end > inner_start && self.bytes.get(end - 1) == Some(&b'}');
                let inner_end = if closed { end - 1 } else { end };
                let inner = self.text.get(inner_start..inner_end).unwrap_or_default();
                if inner.contains('[') {
                    bashisms.push(Bashism {
                        span: start..end,
                        what: "${name[...]}",
                    });
                }
            }
            Some(b) if b.is_ascii_alphanumeric() || b"_@*#?$!-".contains(&b) => {
                if b.is_ascii_alphabetic() || b == b'_' {
                    while self.peek(0).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
                        self.pos += 1;
                    }
                } else {
                    self.pos += 1;
                }
            }
            _ => {}
        }
        let raw = &self.text[start..self.pos];
        let w = self.word();
        w.text.push_str(raw);
        w.dynamic = true;
    }
}

fn lex(text: &str, bashisms: &mut Vec<Bashism>) -> Vec<Token> {
    let mut lx = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::new(),
        word: None,
    };
    while let Some(b) = lx.peek(0) {
        match b {
            b' ' | b'\t' | b'\r' => {
                lx.end_word();
                lx.pos += 1;
            }
            b'\n' => {
                lx.end_word();
                lx.tokens.push(Token::Op(Op::Seq, lx.pos));
                lx.pos += 1;
            }
            b'#' if lx.word.is_none() => lx.skip_until(b'\n'),
            b'\\' => {
                let next = lx.text[lx.pos + 1..].chars().next();
                match next {
                    Some('\n') => lx.pos += 2,
                    Some(c) => {
                        lx.word().text.push(c);
                        lx.pos += 1 + c.len_utf8();
                    }
                    None => lx.pos += 1,
                }
            }
            b'\'' => {
                lx.word();
                lx.pos += 1;
                let start = lx.pos;
                lx.skip_until(b'\'');
                let end = if lx.bytes.get(lx.pos - 1) == Some(&b'\'') && lx.pos > start {
                    lx.pos - 1
                } else {
                    lx.pos
                };
                let inner = &text[start..end];
                lx.word().text.push_str(inner);
            }
            b'"' => {
                lx.word();
                lx.pos += 1;
                while let Some(c) = lx.peek(0) {
                    match c {
                        b'"' => {
                            lx.pos += 1;
                            break;
                        }
                        b'\\' => {
                            let next = text[lx.pos + 1..].chars().next();
                            match next {
                                Some(n @ ('$' | '`' | '"' | '\\')) => {
                                    lx.word().text.push(n);
                                    lx.pos += 2;
                                }
                                Some('\n') => lx.pos += 2,
                                _ => {
                                    lx.word().text.push('\\');
                                    lx.pos += 1;
                                }
                            }
                        }
                        b'$' => lx.dollar(true, bashisms),
                        b'`' => lx.backquote(),
                        _ => {
                            let c = text[lx.pos..].chars().next().expect("in bounds");
                            lx.word().text.push(c);
                            lx.pos += c.len_utf8();
                        }
                    }
                }
            }
            b'$' => lx.dollar(false, bashisms),
            b'`' => lx.backquote(),
            b'&' => {
                lx.end_word();
                let at = lx.pos;
                if lx.starts_with("&&") {
                    lx.tokens.push(Token::Op(Op::And, at));
                    lx.pos += 2;
                } else if lx.starts_with("&>") {
                    bashisms.push(Bashism {
                        span: at..at + 2,
                        what: "&>",
                    });
                    lx.pos += if lx.starts_with("&>>") { 3 } else { 2 };
                    lx.tokens.push(Token::Redirect(at));
                } else {
                    lx.tokens.push(Token::Op(Op::Background, at));
                    lx.pos += 1;
                }
            }
            b'|' => {
                lx.end_word();
                let at = lx.pos;
                if lx.starts_with("||") {
                    lx.tokens.push(Token::Op(Op::Or, at));
                    lx.pos += 2;
                } else {
                    if lx.starts_with("|&") {
                        bashisms.push(Bashism {
                            span: at..at + 2,
                            what: "|&",
                        });
                        lx.pos += 1;
                    }
                    lx.tokens.push(Token::Op(Op::Pipe, at));
                    lx.pos += 1;
                }
            }
            b';' => {
                lx.end_word();
                lx.tokens.push(Token::Op(Op::Seq, lx.pos));
                lx.pos += if lx.starts_with(";;") { 2 } else { 1 };
            }
            b'(' => {
                let is_array = lx
                    .word
                    .as_ref()
                    .is_some_and(|w| w.text.ends_with('=') && is_assignment(&w.text));
                if is_array {
                    let start = lx.pos;
                    lx.pos += 1;
                    lx.skip_balanced(b'(', b')');
                    bashisms.push(Bashism {
                        span: start - 1..start + 1,
                        what: "name=(...)",
                    });
                    let raw = &text[start..lx.pos];
                    let w = lx.word();
                    w.text.push_str(raw);
                    w.dynamic = true;
                } else {
                    lx.end_word();
                    lx.tokens.push(Token::Open(lx.pos));
                    lx.pos += 1;
                }
            }
            b')' => {
                lx.end_word();
                lx.tokens.push(Token::Close(lx.pos));
                lx.pos += 1;
            }
            b'<' | b'>' => {
                // `2>` and `2>&1`: a word of digits right before is the descriptor.
                if lx.word.as_ref().is_some_and(|w| {
                    !w.text.is_empty()
                        && w.text.bytes().all(|c| c.is_ascii_digit())
                        && w.span.start + w.text.len() == lx.pos
                }) {
                    lx.word = None;
                }
                lx.end_word();
                let at = lx.pos;
                if lx.starts_with("<<<") {
                    bashisms.push(Bashism {
                        span: at..at + 3,
                        what: "<<<",
                    });
                    lx.pos += 3;
                } else if lx.starts_with("<(") || lx.starts_with(">(") {
                    bashisms.push(Bashism {
                        span: at..at + 2,
                        what: if b == b'<' { "<(...)" } else { ">(...)" },
                    });
                    lx.pos += 2;
                    lx.skip_balanced(b'(', b')');
                    continue;
                } else if lx.starts_with(">&") || lx.starts_with("<&") {
                    lx.pos += 2;
                    // `>&2`, `2>&1`: the descriptor is not a file.
                    while lx.peek(0).is_some_and(|c| c.is_ascii_digit() || c == b'-') {
                        lx.pos += 1;
                    }
                    continue;
                } else if lx.starts_with(">>") || lx.starts_with("<<") || lx.starts_with(">|") || lx.starts_with("<>") {
                    lx.pos += 2;
                } else {
                    lx.pos += 1;
                }
                lx.tokens.push(Token::Redirect(at));
            }
            b'*' | b'?' | b'[' => {
                let c = b as char;
                let w = lx.word();
                w.text.push(c);
                w.dynamic = true;
                lx.pos += 1;
            }
            b'~' if lx.word.is_none() => {
                let w = lx.word();
                w.text.push('~');
                w.dynamic = true;
                lx.pos += 1;
            }
            _ => {
                let c = text[lx.pos..].chars().next().expect("in bounds");
                lx.word().text.push(c);
                lx.pos += c.len_utf8();
            }
        }
    }
    lx.end_word();
    lx.tokens
}

/// `NAME=...` where NAME is a valid shell name.
pub(crate) fn is_assignment(word: &str) -> bool {
    let Some((name, _)) = word.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reserved words that may start a command line and are followed by another command.
const LEADING_KEYWORDS: &[&str] = &["if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"];
const ENDING_KEYWORDS: &[&str] = &["fi", "done", "}", "esac"];

fn assemble(tokens: Vec<Token>, bashisms: &mut Vec<Bashism>) -> Script {
    let mut script = Script::default();
    let mut cwd = Cwd::Inside(String::new());
    let mut stack: Vec<Cwd> = Vec::new();
    let mut current: Option<Simple> = None;
    let mut pending_redirect = false;
    let mut prev_op: Option<Op> = None;

    let finish = |current: &mut Option<Simple>,
                  next: Option<Op>,
                  cwd: &mut Cwd,
                  script: &mut Script,
                  bashisms: &mut Vec<Bashism>| {
        let Some(mut simple) = current.take() else { return };
        simple.next = next;
        if simple.argv.is_empty() && simple.assigns.is_empty() {
            return;
        }
        let index = script.commands.len();
        if let Some(bashism) = bash_command(&simple) {
            bashisms.push(bashism);
        }
        if simple.name() == Some("cd") {
            let target = simple.argv[1..]
                .iter()
                .find(|w| !w.text.starts_with('-') || w.text == "-");
            let to = match target {
                Some(t) => resolve_cd(cwd, t),
                None => CdTarget::Unknown,
            };
            // In a pipeline each part runs in a subshell: the `cd` does not last.
            if next != Some(Op::Pipe) && simple.prev != Some(Op::Pipe) {
                *cwd = match &to {
                    CdTarget::Inside(p) => Cwd::Inside(p.clone()),
                    _ => Cwd::Unknown,
                };
            }
            if let Some(t) = target {
                script.cds.push(Cd {
                    command: index,
                    target: t.clone(),
                    to,
                });
            }
        }
        script.commands.push(simple);
    };

    for token in tokens {
        match token {
            Token::Word(w) => {
                if pending_redirect {
                    pending_redirect = false;
                    if let Some(simple) = current.as_mut() {
                        simple.redirects.push(w);
                        continue;
                    }
                    let mut simple = empty(&cwd, prev_op, w.span.start);
                    simple.redirects.push(w);
                    current = Some(simple);
                    continue;
                }
                let simple = current.get_or_insert_with(|| empty(&cwd, prev_op, w.span.start));
                simple.span.end = w.span.end;
                if simple.argv.is_empty() {
                    if LEADING_KEYWORDS.contains(&w.text.as_str()) && !w.dynamic {
                        continue;
                    }
                    if ENDING_KEYWORDS.contains(&w.text.as_str()) && !w.dynamic {
                        continue;
                    }
                    if is_assignment(&w.text) {
                        simple.assigns.push(w);
                        continue;
                    }
                }
                simple.argv.push(w);
            }
            Token::Redirect(at) => {
                pending_redirect = true;
                current.get_or_insert_with(|| empty(&cwd, prev_op, at));
            }
            Token::Op(op, _) => {
                pending_redirect = false;
                finish(&mut current, Some(op), &mut cwd, &mut script, bashisms);
                prev_op = Some(op);
            }
            Token::Open(_) => {
                finish(&mut current, None, &mut cwd, &mut script, bashisms);
                stack.push(cwd.clone());
            }
            Token::Close(_) => {
                finish(&mut current, None, &mut cwd, &mut script, bashisms);
                if let Some(saved) = stack.pop() {
                    cwd = saved;
                }
            }
        }
    }
    finish(&mut current, None, &mut cwd, &mut script, bashisms);
    script
}

fn empty(cwd: &Cwd, prev: Option<Op>, at: usize) -> Simple {
    Simple {
        assigns: Vec::new(),
        argv: Vec::new(),
        redirects: Vec::new(),
        cwd: cwd.clone(),
        next: None,
        prev,
        span: at..at,
    }
}

/// Bash-only commands and test syntax.
fn bash_command(simple: &Simple) -> Option<Bashism> {
    let first = simple.argv.first()?;
    if first.dynamic {
        return None;
    }
    let what = match first.text.as_str() {
        "[[" => "[[",
        "source" => "source",
        "function" => "function",
        "pushd" => "pushd",
        "popd" => "popd",
        "shopt" => "shopt",
        "declare" => "declare",
        "[" | "test" => {
            let eq = simple.argv.iter().skip(1).find(|w| w.text == "==" && !w.dynamic)?;
            return Some(Bashism {
                span: eq.span.clone(),
                what: "==",
            });
        }
        _ => return None,
    };
    Some(Bashism {
        span: first.span.clone(),
        what,
    })
}

/// Where `cd target` goes from `cwd`.
pub(crate) fn resolve_cd(cwd: &Cwd, target: &Word) -> CdTarget {
    if target.dynamic || target.text.is_empty() || target.text == "-" {
        return CdTarget::Unknown;
    }
    let text = target.text.as_str();
    let (base, rest) = if let Some(rest) = text.strip_prefix(APP_DIR) {
        if !(rest.is_empty() || rest.starts_with('/')) {
            return CdTarget::Unknown;
        }
        (String::new(), rest)
    } else if text.starts_with('/') {
        return CdTarget::Unknown;
    } else {
        match cwd {
            Cwd::Inside(p) => (p.clone(), text),
            Cwd::Unknown => return CdTarget::Unknown,
        }
    };
    match join_path(&base, rest) {
        Some(path) => CdTarget::Inside(path),
        None => CdTarget::Outside,
    }
}

/// Joins a relative path onto a folder inside the root; `None` when it climbs above it.
pub(crate) fn join_path(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Wrappers that run the rest of their arguments as a command: `exec`, `env A=b`,
/// `uv run`, `poetry run`, `npx`, ... Returns the index of the wrapped command's name.
pub(crate) fn unwrap_command(argv: &[Word]) -> usize {
    let mut i = 0;
    loop {
        let Some(word) = argv.get(i) else { return i };
        let name = word.text.rsplit('/').next().unwrap_or(&word.text);
        let sub = argv.get(i + 1).map(|w| w.text.as_str());
        i += match (name, sub) {
            ("exec" | "nohup" | "time" | "command", _) => 1,
            ("env", _) => {
                let mut j = 1;
                while argv
                    .get(i + j)
                    .is_some_and(|w| is_assignment(&w.text) || w.text.starts_with('-'))
                {
                    j += 1;
                }
                j
            }
            ("uv" | "poetry" | "pipenv" | "pdm" | "rye" | "hatch", Some("run")) => {
                let mut j = 2;
                while argv.get(i + j).is_some_and(|w| w.text.starts_with('-')) {
                    j += 1;
                }
                j
            }
            ("npx" | "bunx" | "pnpx", _) => {
                let mut j = 1;
                while argv.get(i + j).is_some_and(|w| w.text.starts_with('-')) {
                    j += 1;
                }
                j
            }
            ("yarn" | "pnpm" | "bun", Some("exec" | "dlx" | "x")) | ("bundle", Some("exec")) => 2,
            ("python" | "python3", Some("-m")) if argv.get(i + 2).is_some() => 2,
            _ => return i,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &Simple) -> Vec<&str> {
        s.argv.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn unclosed_parameter_expansion_before_multibyte_text() {
        // Found by the `shell` fuzz target: slicing inside `Ǚ` panicked.
        parse("$ d .0:${ a]B\u{1d9}\u{7f2},");
        parse("echo ${é");
        let script = parse("echo ${arr[0]}");
        assert_eq!(script.bashisms.len(), 1);
    }

    #[test]
    fn splits_on_operators_outside_quotes() {
        let script = parse(r#"echo "a && b" && ls 'x;y' | grep z; true || false"#);
        let all: Vec<Vec<&str>> = script.commands.iter().map(words).collect();
        assert_eq!(
            all,
            vec![
                vec!["echo", "a && b"],
                vec!["ls", "x;y"],
                vec!["grep", "z"],
                vec!["true"],
                vec!["false"]
            ]
        );
        assert_eq!(script.commands[0].next, Some(Op::And));
        assert_eq!(script.commands[1].next, Some(Op::Pipe));
        assert_eq!(script.commands[3].next, Some(Op::Or));
    }

    #[test]
    fn backslash_escapes_and_spans() {
        let text = r"echo a\ b\;c";
        let script = parse(text);
        assert_eq!(words(&script.commands[0]), vec!["echo", "a b;c"]);
        let w = &script.commands[0].argv[1];
        assert_eq!(&text[w.span.clone()], r"a\ b\;c");
    }

    #[test]
    fn assignments_and_redirections_are_not_arguments() {
        let script = parse("RAILWAY_ENVIRONMENT=production yarn build > out.log 2>&1");
        let s = &script.commands[0];
        assert_eq!(s.assigns[0].text, "RAILWAY_ENVIRONMENT=production");
        assert_eq!(words(s), vec!["yarn", "build"]);
        assert_eq!(s.redirects[0].text, "out.log");
    }

    #[test]
    fn cd_is_followed_within_one_string() {
        let script = parse("cd packages/core && pip install -e . && cd ../web && yarn build");
        assert_eq!(script.commands[1].cwd, Cwd::Inside("packages/core".into()));
        assert_eq!(script.commands[3].cwd, Cwd::Inside("packages/web".into()));
        let script = parse("cd /app/packages/web && yarn build");
        assert_eq!(script.cds[0].to, CdTarget::Inside("packages/web".into()));
        let script = parse("cd .. && yarn install");
        assert_eq!(script.cds[0].to, CdTarget::Outside);
        assert_eq!(script.commands[1].cwd, Cwd::Unknown);
        let script = parse("cd /app/x/../.. && ls");
        assert_eq!(script.cds[0].to, CdTarget::Outside);
        for unknown in [
            "cd $DIR && ls",
            "cd && ls",
            "cd /tmp && ls",
            "cd ~/x && ls",
            "cd /application",
        ] {
            assert_eq!(
                parse(unknown).cds.first().map_or(CdTarget::Unknown, |c| c.to.clone()),
                CdTarget::Unknown
            );
        }
    }

    #[test]
    fn subshells_restore_the_folder() {
        let script = parse("(cd web && npm ci) && npm run build");
        assert_eq!(script.commands[1].cwd, Cwd::Inside("web".into()));
        assert_eq!(script.commands[2].cwd, Cwd::Inside(String::new()));
        let script = parse("cd apps/api && (uv pip install -r requirements.txt || pip install -r requirements.txt)");
        assert_eq!(script.commands[1].cwd, Cwd::Inside("apps/api".into()));
        assert_eq!(script.commands[2].cwd, Cwd::Inside("apps/api".into()));
    }

    #[test]
    fn dynamic_words_are_marked() {
        let script = parse(r#"python $APP "${X:-y}" ./*.py ~/a `pwd` "$(date)" plain"#);
        let dynamic: Vec<bool> = script.commands[0].argv.iter().map(|w| w.dynamic).collect();
        assert_eq!(dynamic, vec![false, true, true, true, true, true, true, false]);
    }

    #[test]
    fn finds_bashisms() {
        let cases = [
            ("[[ -f x ]] && echo y", "[["),
            ("source .venv/bin/activate && python app.py", "source"),
            ("function f { echo; }", "function"),
            ("arr=(a b) && echo ok", "name=(...)"),
            ("echo ${arr[0]}", "${name[...]}"),
            ("make &> log", "&>"),
            ("cat <<< hi", "<<<"),
            ("echo $'a\\n'", "$'...'"),
            ("diff <(ls a) <(ls b)", "<(...)"),
            ("[ \"$A\" == x ] && echo", "=="),
        ];
        for (text, what) in cases {
            let mut found: Vec<_> = parse(text).bashisms.iter().map(|b| b.what).collect();
            found.dedup();
            assert_eq!(found, vec![what], "{text}");
        }
        for posix in [
            "[ -f x ] && . .venv/bin/activate",
            "echo '[[ not a test ]]' \"source\"",
            "cmd > out 2>&1 &",
            "echo 'arr=(a b)'",
            "x=$(ls) && echo \"$x\"",
            "[ \"$A\" = x ]",
        ] {
            assert!(parse(posix).bashisms.is_empty(), "{posix}: {:?}", parse(posix).bashisms);
        }
    }

    #[test]
    fn keywords_do_not_hide_commands() {
        let script = parse("if [ -f x ]; then cd web; fi");
        let names: Vec<_> = script.commands.iter().filter_map(Simple::name).collect();
        assert_eq!(names, vec!["[", "cd"]);
    }

    #[test]
    fn wrappers_are_unwrapped() {
        for (text, name) in [
            ("uv run uvicorn main:app", "uvicorn"),
            ("poetry run python main.py", "python"),
            ("python -m uvicorn app:app", "uvicorn"),
            ("npx --yes serve -s dist", "serve"),
            ("exec env A=1 node server.js", "node"),
        ] {
            let script = parse(text);
            let argv = &script.commands[0].argv;
            assert_eq!(argv[unwrap_command(argv)].text, name, "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "'",
            "\"",
            "\\",
            "$",
            "$(",
            "${",
            "`",
            "((",
            "))",
            "<",
            "a=(",
            "é\\é",
            "echo \"\\",
            "2>",
        ] {
            let _ = parse(text);
        }
    }
}
