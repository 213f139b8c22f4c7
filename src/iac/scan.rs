//! A lexical scan for `${{` inside backtick templates. It runs on the text, not the tree,
//! because `` `https://${{api.RAILWAY_PUBLIC_DOMAIN}}` `` does not even parse (`{api.X}` is not
//! an object literal), and the user still deserves to be told why.

use super::Span;

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    LineComment,
    BlockComment,
    Quoted(u8),
    Template,
}

/// Spans of every `${{` written inside a backtick template.
pub(crate) fn backtick_references(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut state = State::Code;
    // One entry per open `${`: the brace depth of the code inside it.
    let mut interpolations: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let next = bytes.get(i + 1).copied();
        match state {
            State::Code => match byte {
                b'/' if next == Some(b'/') => state = State::LineComment,
                b'/' if next == Some(b'*') => state = State::BlockComment,
                b'"' | b'\'' => state = State::Quoted(byte),
                b'`' => state = State::Template,
                b'{' => {
                    if let Some(depth) = interpolations.last_mut() {
                        *depth += 1;
                    }
                }
                b'}' => match interpolations.last_mut() {
                    Some(0) => {
                        interpolations.pop();
                        state = State::Template;
                    }
                    Some(depth) => *depth -= 1,
                    None => {}
                },
                _ => {}
            },
            State::LineComment => {
                if byte == b'\n' {
                    state = State::Code;
                }
            }
            State::BlockComment => {
                if byte == b'*' && next == Some(b'/') {
                    state = State::Code;
                    i += 1;
                }
            }
            State::Quoted(quote) => {
                if byte == b'\\' {
                    i += 1;
                } else if byte == quote || byte == b'\n' {
                    state = State::Code;
                }
            }
            State::Template => match byte {
                b'\\' => i += 1,
                b'`' => state = State::Code,
                b'$' if next == Some(b'{') => {
                    if bytes.get(i + 2) == Some(&b'{') {
                        found.push(i..i + 3);
                    }
                    interpolations.push(0);
                    state = State::Code;
                    i += 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    found
}
