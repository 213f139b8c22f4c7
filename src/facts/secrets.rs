//! What a credential looks like, and how to mask one. Used by the loader (to mask code
//! frames), by the report (a last redaction pass over every message) and by the rules.

use std::ops::Range;

/// At most this many characters of a secret are ever shown.
pub const VISIBLE_PREFIX: usize = 4;

/// Short form for messages: `sk-p…`. Values under 12 characters show nothing.
pub fn mask(value: &str) -> String {
    let count = value.chars().count();
    if count < 12 {
        return "…".to_string();
    }
    let prefix: String = value.chars().take(VISIBLE_PREFIX).collect();
    format!("{prefix}…")
}

/// Mask for code frames that keeps both the byte length and the character count, so every
/// span and every column stays where it was: each hidden character becomes a mask character
/// of the same UTF-8 length (`*`, `×`, `∗`, `🞱`). A one-byte `*` for a two-byte character
/// would shift every later span, garbling the frame and letting part of the next secret through.
pub fn mask_same_width(original: &str) -> String {
    let keep = if original.chars().count() >= 12 {
        VISIBLE_PREFIX
    } else {
        0
    };
    let mut out = String::with_capacity(original.len());
    for (i, c) in original.chars().enumerate() {
        if i < keep {
            out.push(c);
        } else {
            out.push(match c.len_utf8() {
                1 => '*',
                2 => '×',
                3 => '∗',
                _ => '🞱',
            });
        }
    }
    out
}

/// A known credential shape found inside `text`, as a byte range of `text` and a kind.
pub fn find_in(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut found = Vec::new();
    for (start, token) in tokens(text) {
        // The shortest shape (`a://b:c@`) has 8 characters; most tokens in a config are shorter.
        if token.len() < 8 {
            continue;
        }
        if let Some(kind) = known_shape(token) {
            found.push((start..start + token.len(), kind));
        } else if let Some(range) = url_password(token) {
            found.push((start + range.start..start + range.end, "URL with a password"));
        } else {
            // A key glued to a prefix: `x-token:eyJ...`, `https://h/?k/sk-...`, `user@ghp_...`.
            let mut offset = 0;
            for piece in token.split([':', '@', '/', '&', '?']) {
                if let Some(kind) = known_shape(piece) {
                    found.push((start + offset..start + offset + piece.len(), kind));
                }
                offset += piece.len() + 1;
            }
        }
    }
    // Every PEM private key, not only the first one.
    let mut from = 0;
    while let Some(offset) = find_str(&text[from..], "-----BEGIN") {
        let begin = from + offset;
        let rest = &text[begin..];
        let header_end = rest.char_indices().nth(80).map_or(rest.len(), |(i, _)| i);
        let header = &rest[..header_end];
        let end = rest
            .find("-----END")
            .map_or(text.len(), |e| begin + e + "-----END".len());
        if header.contains("PRIVATE KEY") {
            found.push((begin..end, "private key"));
        }
        from = end.max(begin + "-----BEGIN".len());
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// Does a whole value, stored under `name`, look like a credential?
pub fn classify_value(name: Option<&str>, value: &str) -> Option<&'static str> {
    if let Some((_, kind)) = find_in(value).into_iter().next() {
        return Some(kind);
    }
    // `is_high_entropy` needs 16 bytes; checking that first skips the name test for short values.
    let secret_name = value.len() >= 16 && name.is_some_and(is_secret_name);
    (secret_name && is_high_entropy(value)).then_some("high-entropy value under a secret-like name")
}

/// Names that hold credentials by convention.
pub(crate) fn is_secret_name(name: &str) -> bool {
    // One pass, case-insensitive, without allocating: this runs for many string values.
    let name = name.as_bytes();
    (0..name.len()).any(|i| {
        let rest = &name[i..];
        let words: &[&str] = match name[i].to_ascii_uppercase() {
            b'K' => &["KEY"],
            b'T' => &["TOKEN"],
            b'S' => &["SECRET"],
            b'P' => &["PASSWORD", "PASSWD", "PRIVATE"],
            b'D' => &["DSN"],
            b'C' => &["CREDENTIAL"],
            _ => return false,
        };
        words
            .iter()
            .any(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// Substring search for the short needles used here; `str::find` sets up a two-way
/// searcher per call, which costs more than scanning the short strings checked here.
fn find_str(haystack: &str, needle: &str) -> Option<usize> {
    let (first, rest) = needle.as_bytes().split_first()?;
    let haystack = haystack.as_bytes();
    // Compare only where the first byte matches: most texts hold few `-` or `:`.
    (0..haystack.len()).find(|&i| haystack[i] == *first && haystack[i + 1..].starts_with(rest))
}

/// Splits on characters that never occur inside a credential token; lazily, so that a
/// 10 MiB file of `0,0,0,…` costs no memory here.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let is_sep = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '=' | ',' | ';' | '(' | ')' | '<' | '>');
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let start = chars.by_ref().find(|&(_, c)| !is_sep(c))?.0;
        let end = chars.by_ref().find(|&(_, c)| is_sep(c)).map_or(text.len(), |(i, _)| i);
        Some((start, &text[start..end]))
    })
}

/// The first characters of every shape `known_shape` recognizes: anything else is rejected
/// before the prefix checks, which matters because every string of every file is checked.
const SHAPE_STARTS: &[u8] = b"sgrxAe";

fn known_shape(token: &str) -> Option<&'static str> {
    if !token.as_bytes().first().is_some_and(|b| SHAPE_STARTS.contains(b)) {
        return None;
    }
    let token = token.trim_end_matches([':', '.']);
    let body_ok = |prefix: &str, min: usize| {
        token.strip_prefix(prefix).is_some_and(|rest| {
            rest.len() >= min && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    };
    if body_ok("sk-ant-", 20) {
        return Some("Anthropic API key");
    }
    if body_ok("sk-", 20) {
        return Some("OpenAI-style API key");
    }
    if body_ok("gsk_", 20) {
        return Some("Groq API key");
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"].iter().any(|p| body_ok(p, 30)) || body_ok("github_pat_", 30) {
        return Some("GitHub token");
    }
    if ["sk_live_", "rk_live_", "sk_test_", "rk_test_"]
        .iter()
        .any(|p| body_ok(p, 16))
    {
        return Some("Stripe secret key");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-"]
        .iter()
        .any(|p| body_ok(p, 10))
    {
        return Some("Slack token");
    }
    if body_ok("AIza", 30) {
        return Some("Google API key");
    }
    if token.len() == 20
        && token.starts_with("AKIA")
        && token[4..].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("AWS access key id");
    }
    if is_jwt(token) {
        return Some("JSON Web Token");
    }
    None
}

fn is_jwt(token: &str) -> bool {
    if !token.starts_with("eyJ") {
        return false;
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    payload.len() >= 8
        && signature.len() >= 8
        && [header, payload, signature]
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

/// The password part of `scheme://user:password@host`, unless it is a placeholder or a reference.
fn url_password(token: &str) -> Option<Range<usize>> {
    let scheme_end = find_str(token, "://")? + 3;
    let rest = &token[scheme_end..];
    let at = rest.find('@')?;
    let userinfo = &rest[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    let placeholder = password.is_empty()
        || password.contains("${")
        || password.starts_with('$')
        || password.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || is_masked(password)
        || ["password", "pass", "secret", "changeme", "<password>"].contains(&password.to_ascii_lowercase().as_str());
    if placeholder {
        return None;
    }
    let start = scheme_end + colon + 1;
    Some(start..start + password.len())
}

/// Already masked by `mask` or `mask_same_width`: a short visible prefix, then mask characters.
fn is_masked(value: &str) -> bool {
    let rest: Vec<char> = value.chars().skip(VISIBLE_PREFIX).collect();
    !rest.is_empty() && rest.iter().all(|c| matches!(c, '*' | '×' | '∗' | '🞱' | '…'))
}

/// Long, varied, and without spaces or references: what generated keys look like.
pub fn is_high_entropy(value: &str) -> bool {
    if value.len() < 16 || value.contains("${") || value.contains(char::is_whitespace) || value.contains("://") {
        return false;
    }
    // An environment variable name (`NEXT_PUBLIC_SUPABASE_ANON_KEY2`), a path or a
    // dotted identifier is not a generated key.
    let name_like = value.contains('_')
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if name_like || value.starts_with('/') || value.starts_with("./") {
        return false;
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
    ];
    if classes.iter().filter(|&&b| b).count() < 2 {
        return false;
    }
    shannon_entropy(value) >= 3.5
}

fn shannon_entropy(value: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in value.bytes() {
        counts[b as usize] += 1;
    }
    let len = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Found credentials shorter than this many characters are masked where found but not
/// hunted for elsewhere (a shorter one can equal the visible prefix of a longer one).
pub const MIN_REPEATED_SECRET: usize = 8;

/// Byte ranges of `text` to hide: every credential `find_in` sees, plus every other
/// occurrence of a found credential (a password seen in a URL is hidden wherever else it
/// appears), sorted and merged so that no part of overlapping finds shows.
pub(crate) fn secret_ranges(text: &str) -> Vec<Range<usize>> {
    let found = find_in(text);
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(found.len());
    let mut seen: Vec<&str> = Vec::new();
    for (range, _) in found {
        let secret = &text[range.clone()];
        if secret.chars().count() >= MIN_REPEATED_SECRET && !seen.contains(&secret) {
            seen.push(secret);
            ranges.extend(text.match_indices(secret).map(|(at, s)| at..at + s.len()));
        }
        ranges.push(range);
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Masks every occurrence of the `known` credentials (longest first), then anything else
/// secret-shaped: the last pass over every message and every rendered report.
pub(crate) fn scrub(text: &str, known: &[String]) -> String {
    redact(&mask_known(text, known))
}

/// Masks every occurrence of the `known` credentials (longest first). The last pass over a
/// whole rendered report: cheap (one substring search per credential), and enough there,
/// since every message was already scrubbed and every credential shape in a file is known.
pub(crate) fn mask_known<'t>(text: &'t str, known: &[String]) -> std::borrow::Cow<'t, str> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for secret in known {
        if text.len() >= secret.len() && text.contains(secret.as_str()) {
            text = std::borrow::Cow::Owned(text.replace(secret.as_str(), &mask(secret)));
        }
    }
    text
}

/// Masks every secret-shaped substring of a rendered message.
pub fn redact(text: &str) -> String {
    let ranges = secret_ranges(text);
    if ranges.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in ranges {
        out.push_str(&text[last..range.start]);
        out.push_str(&mask(&text[range.clone()]));
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_show_at_most_four_characters() {
        assert_eq!(mask("sk-proj-abcdefghijklmnop"), "sk-p…");
        assert_eq!(mask("short"), "…");
        assert_eq!(mask_same_width("sk-proj-abcdefghij"), "sk-p**************");
        let cyrillic = "пароль-пароль-€𝄞";
        let masked = mask_same_width(cyrillic);
        assert_eq!(masked, "паро××*××××××*∗🞱");
        assert_eq!(
            (masked.len(), masked.chars().count()),
            (cyrillic.len(), cyrillic.chars().count())
        );
    }

    #[test]
    fn finds_provider_keys_jwts_and_url_passwords() {
        let text = "curl -H 'Authorization: Bearer sk-abcdefghijklmnopqrstuvwx' postgres://u:hunter2hunter@db:5432/x";
        let kinds: Vec<_> = find_in(text).into_iter().map(|(r, k)| (&text[r], k)).collect();
        assert_eq!(
            kinds,
            vec![
                ("sk-abcdefghijklmnopqrstuvwx", "OpenAI-style API key"),
                ("hunter2hunter", "URL with a password")
            ]
        );
        assert!(find_in("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX2hlcmU").len() == 1);
        assert!(find_in("postgres://user:${{PGPASSWORD}}@host").is_empty());
        assert!(find_in("https://${{backend.RAILWAY_PUBLIC_DOMAIN}}").is_empty());
    }

    #[test]
    fn redact_hides_every_occurrence_and_overlaps() {
        let text = "postgres://u:hunter2hunter@db/x and again hunter2hunter";
        assert_eq!(redact(text), "postgres://u:hunt…@db/x and again hunt…");
        let pem = "-----BEGIN PRIVATE KEY-----\\nsk-abcdefghijklmnopqrstuvwx\\n-----END PRIVATE KEY-----";
        let out = redact(pem);
        assert!(!out.contains("abcdefgh"), "{out}");
        assert_eq!(secret_ranges(pem).len(), 1);
    }

    #[test]
    fn masked_passwords_are_not_masked_again() {
        let frame = format!("postgres://u:{}@h/x", mask_same_width("Tr0ub4dor-And-3-Horses"));
        assert_eq!(redact(&frame), frame);
        assert_eq!(redact("postgres://u:Tr0u…@h/x"), "postgres://u:Tr0u…@h/x");
    }

    #[test]
    fn fuzz_regressions() {
        // A password seen in a URL and again elsewhere (found by the `secrets` fuzz target).
        let text = "Beatgres://user:p%40s{w0rd@db:5432/ser:p%40s{w0rd@db:5432/app";
        assert!(!redact(text).contains("p%40s{w0rd"));
        // A short find inside a longer one: the merged range is masked once.
        let text = "postgres://u:пароль-паропароль@CN Roabc@@@://u:паро@@@--VATE";
        let out = redact(text);
        assert!(!out.contains("пароль-паропароль"), "{out}");
        assert!(!out.contains("ль-паро"), "{out}");
    }

    #[test]
    fn finds_keys_glued_to_a_prefix() {
        let text = "--header x-token:eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlX2hlcmU";
        let found = find_in(text);
        assert_eq!(found.len(), 1);
        assert!(text[found[0].0.clone()].starts_with("eyJ"));
        assert!(find_in("https://example.com/v1/models").is_empty());
    }

    #[test]
    fn redact_masks_inside_sentences() {
        let out = redact("value sk-ant-REALKEYREALKEYREALKEY1 is bad");
        assert_eq!(out, "value sk-a… is bad");
    }

    #[test]
    fn entropy_needs_a_secret_name() {
        assert_eq!(
            classify_value(Some("JWT_SECRET_KEY"), "q8Vz3Lm1Xp0Rt7Yb2Nc5"),
            Some("high-entropy value under a secret-like name")
        );
        assert_eq!(classify_value(Some("BUILD_ID"), "q8Vz3Lm1Xp0Rt7Yb2Nc5"), None);
        assert_eq!(classify_value(Some("API_KEY"), "production"), None);
    }

    #[test]
    fn secret_names_match_case_insensitively_anywhere() {
        let reference = |name: &str| {
            let upper = name.to_ascii_uppercase();
            [
                "KEY",
                "TOKEN",
                "SECRET",
                "PASSWORD",
                "PASSWD",
                "DSN",
                "CREDENTIAL",
                "PRIVATE",
            ]
            .iter()
            .any(|w| upper.contains(w))
        };
        for name in [
            "OPENAI_API_KEY",
            "apiKey",
            "github_token",
            "Client_Secret",
            "DB_PASSWD",
            "db_password",
            "SENTRY_DSN",
            "GOOGLE_CREDENTIALS",
            "private_key_pem",
            "KE",
            "PORT",
            "NODE_ENV",
            "PASSWOR",
            "",
            "pk",
            "monkey",
            "Dsn",
        ] {
            assert_eq!(is_secret_name(name), reference(name), "{name}");
        }
    }

    #[test]
    fn tokens_split_on_every_separator() {
        let text = "  a=b,(c) 'd'\t\"e\";<f>`g` ";
        let found: Vec<_> = tokens(text).map(|(i, t)| (i, t.to_string())).collect();
        let want: Vec<_> = ["a", "b", "c", "d", "e", "f", "g"]
            .iter()
            .map(|t| (text.find(t).unwrap(), t.to_string()))
            .collect();
        assert_eq!(found, want);
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("x").collect::<Vec<_>>(), vec![(0, "x")]);
    }

    #[test]
    fn find_str_finds_the_first_occurrence() {
        assert_eq!(find_str("a://b://", "://"), Some(1));
        assert_eq!(find_str("--- -----BEGIN", "-----BEGIN"), Some(4));
        assert_eq!(find_str("ab", "abc"), None);
        assert_eq!(find_str("", "x"), None);
        assert_eq!(find_str("x", ""), None);
    }

    #[test]
    fn private_key_blocks_are_found() {
        let text = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
        let found = find_in(text);
        assert_eq!(found.last().map(|(_, k)| *k), Some("private key"));
        assert!(find_in("-----BEGIN CERTIFICATE-----").is_empty());
    }
}
