//! Property tests: pointer -> span mapping is exact for generated JSON, output does not depend
//! on the order files are found in, and masking never lets a generated secret through.
#![allow(clippy::unwrap_used)] // a panic in a test helper is a failed test

use std::path::Path;

use proptest::prelude::*;
use railcheck::facts::secrets;
use railcheck::pipeline;
use railcheck::platform::schema::Schemas;
use railcheck::report::{Format, Report};
use railcheck::settings::Settings;
use railcheck::source::{self, FileId, escape_pointer_segment};
use serde_json::Value;

// ---------------------------------------------------------------- pointer -> span

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        // Escapes, quotes, slashes and tildes: the characters pointers and spans get wrong.
        "[\"\\\\/~\n\t\u{1}é€𝄞a]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z/~\"é ]{0,5}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Separators to put between tokens: whitespace, comments (JWCC, as Railpack accepts).
fn gap() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        3 => "[ \t\n\r]{1,3}",
        1 => Just(" // c\n".to_string()),
        1 => Just("/* c */".to_string()),
    ]
}

/// Prints a value with the given gaps between tokens and optional trailing commas.
fn print(value: &Value, gaps: &mut impl Iterator<Item = String>, trailing: bool, out: &mut String) {
    fn gap(gaps: &mut impl Iterator<Item = String>, out: &mut String) {
        out.push_str(&gaps.next().unwrap_or_default());
    }
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                gap(gaps, out);
                print(item, gaps, trailing, out);
                gap(gaps, out);
                if i + 1 < items.len() || trailing {
                    out.push(',');
                }
            }
            gap(gaps, out);
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                gap(gaps, out);
                out.push_str(&serde_json::to_string(key).unwrap());
                gap(gaps, out);
                out.push(':');
                gap(gaps, out);
                print(item, gaps, trailing, out);
                gap(gaps, out);
                if i + 1 < map.len() || trailing {
                    out.push(',');
                }
            }
            gap(gaps, out);
            out.push('}');
        }
        leaf => out.push_str(&serde_json::to_string(leaf).unwrap()),
    }
}

/// Every JSON Pointer in a value, with the value it names.
fn pointers(value: &Value, prefix: String, out: &mut Vec<(String, Value)>) {
    out.push((prefix.clone(), value.clone()));
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{prefix}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                pointers(item, format!("{prefix}/{}", escape_pointer_segment(key)), out);
            }
        }
        _ => {}
    }
}

/// Re-parses a span's text with the same loader, so containers holding comments work too.
fn reparse(text: &str) -> Value {
    let loaded = source::parse_json(text.to_string(), FileId(0));
    loaded
        .tree
        .unwrap_or_else(|| panic!("span text does not parse: {text:?}"))
        .to_value()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pointer_spans_are_exact(
        value in json_value(),
        gaps in prop::collection::vec(gap(), 0..400),
        trailing in any::<bool>(),
        lead in gap(),
    ) {
        let mut text = lead;
        let mut gaps = gaps.into_iter().chain(std::iter::repeat(String::new()));
        print(&value, &mut gaps, trailing, &mut text);
        text.push('\n');
        let loaded = source::parse_json(text.clone(), FileId(0));
        let tree = loaded.tree.as_ref().expect("generated JSON parses");
        prop_assert_eq!(&tree.to_value(), &value);
        let mut all = Vec::new();
        pointers(&value, String::new(), &mut all);
        for (pointer, expected) in all {
            let node = tree.pointer(&pointer).expect("pointer resolves");
            prop_assert_eq!(&reparse(&text[node.span.clone()]), &expected, "pointer {}", pointer);
            if let Some(member) = tree.pointer_member(&pointer) {
                let key: String = serde_json::from_str(&text[member.key_span.clone()]).unwrap();
                let last = source::pointer_segments(&pointer).last().unwrap();
                prop_assert_eq!(key, last);
            }
        }
    }
}

// ---------------------------------------------------------------- file order

const POOL: &[(&str, &str)] = &[
    (
        "railpack.json",
        r#"{"version": "1", "services": {"web": {"root": "./apps/web", "build": {"provider": "node"}, "deploy": {"startCommand": "yarn start", "environment": {"API_URL": "${{api.RAILWAY_PRIVATE_DOMAIN}}"}}}, "api": {"root": "./apps/api", "nope": 1}}}"#,
    ),
    (
        "apps/web/railpack.json",
        r#"{"provider": "node", "deploy": {"startCommand": "node server.js"}, "bad": true}"#,
    ),
    (
        "apps/web/railway.json",
        r#"{"deploy": {"healthcheckPath": "/health", "healthcheckTimeout": "300"}}"#,
    ),
    (
        "apps/api/railpack.json",
        "{\"provider\": \"python\", // c\n \"steps\": {\"build\": {\"commands\": [\"pip install\"]}},}",
    ),
    (
        "apps/api/railway.toml",
        "[deploy]\nstartCommand = \"gunicorn app:app\"\nunknown = 1\n",
    ),
    ("apps/worker/railpack.json", "{\"provider\": "),
    ("apps/worker/railway.json", "[]"),
    (
        "apps/ünï/railpack.json",
        r#"{"provider": "nodee", "deploy": {"variables": {"OPENAI_API_KEY": "sk-abcdefghijklmnopqrstuvwx"}}}"#,
    ),
    (
        "legacy/railpack.json",
        r#"{"build": {"provider": "node"}, "deploy": {"startCommand": "npm start"}}"#,
    ),
];

fn render_all(files: Vec<(String, Vec<u8>)>, schemas: &Schemas) -> Vec<String> {
    let settings = Settings::default();
    let outcome = pipeline::validate_memory(Path::new("/nonexistent/order"), "order", files, &settings, schemas);
    let report = Report {
        project: &outcome.project,
        diagnostics: &outcome.diagnostics,
        fail_level: settings.fail_level,
        color: false,
        base: "",
        quiet: false,
    };
    <Format as clap::ValueEnum>::value_variants()
        .iter()
        .map(|&f| report.render(f))
        .collect()
}

fn pool_files(chosen: &[usize]) -> Vec<(String, Vec<u8>)> {
    chosen
        .iter()
        .map(|&i| (POOL[i].0.to_string(), POOL[i].1.as_bytes().to_vec()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn output_does_not_depend_on_discovery_order(
        chosen in prop::sample::subsequence((0..POOL.len()).collect::<Vec<_>>(), 1..=POOL.len())
            .prop_flat_map(|chosen| (Just(chosen.clone()), Just(chosen).prop_shuffle())),
    ) {
        let schemas = Schemas::compile().unwrap();
        let (sorted, shuffled) = chosen;
        let expected = render_all(pool_files(&sorted), &schemas);
        let mut reversed = sorted.clone();
        reversed.reverse();
        prop_assert_eq!(&render_all(pool_files(&shuffled), &schemas), &expected);
        prop_assert_eq!(&render_all(pool_files(&reversed), &schemas), &expected);
    }
}

// ---------------------------------------------------------------- masking

fn secret_like() -> impl Strategy<Value = String> {
    let body = |n: usize| proptest::string::string_regex(&format!("[A-Za-z0-9]{{{n},40}}")).unwrap();
    prop_oneof![
        body(24).prop_map(|b| format!("sk-{b}")),
        body(24).prop_map(|b| format!("sk-ant-api03-{b}")),
        body(24).prop_map(|b| format!("gsk_{b}")),
        body(36).prop_map(|b| format!("ghp_{b}")),
        body(20).prop_map(|b| format!("sk_live_{b}")),
        body(20).prop_map(|b| format!("xoxb-{b}")),
        body(32).prop_map(|b| format!("AIza{b}")),
        "AKIA[A-Z0-9]{16}",
        (body(10), body(10), body(10)).prop_map(|(a, b, c)| format!("eyJ{a}.{b}.{c}")),
    ]
}

/// A URL password: what must be hidden is the password alone.
fn url_password() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!%^&*_+-]{10,30}".prop_filter("not a placeholder", |p| {
        !p.chars().all(|c| c == '*' || c == 'x' || c == 'X')
    })
}

fn assert_no_window(haystack: &str, secret: &str) -> Result<(), TestCaseError> {
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.windows(8) {
        let window: String = window.iter().collect();
        prop_assert!(
            !haystack.contains(&window),
            "`{}` of a secret shows in {:?}",
            window,
            haystack
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn masks_never_show_more_than_a_prefix(secret in secret_like(), before in "[ a-z=:]{0,8}", after in "[ a-z.,]{0,8}") {
        prop_assert!(!secrets::find_in(&secret).is_empty(), "not detected: {}", secret);
        let text = format!("{before} {secret} {after}");
        assert_no_window(&secrets::redact(&text), &secret)?;
        assert_no_window(&secrets::mask(&secret), &secret)?;
        let same = secrets::mask_same_width(&secret);
        prop_assert_eq!(same.len(), secret.len());
        prop_assert_eq!(same.chars().count(), secret.chars().count());
        assert_no_window(&same, &secret)?;
    }

    #[test]
    fn url_passwords_are_masked(password in url_password(), user in "[a-z]{1,8}") {
        let url = format!("postgres://{user}:{password}@db.internal:5432/app");
        let text = format!("DATABASE_URL={url} and again {password}");
        assert_no_window(&secrets::redact(&text), &password)?;
    }

}

proptest! {
    // Each case runs the whole pipeline and renders every format.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn planted_secrets_never_reach_any_report(secret in secret_like(), password in url_password(), place in 0usize..5) {
        let url = format!("postgres://app:{password}@db:5432/x");
        let file = match place {
            0 => format!(r#"{{"deploy": {{"variables": {{"K": "{secret}", "DATABASE_URL": "{url}"}}}}, "unknown": 1}}"#),
            1 => format!(r#"{{"steps": {{"b": {{"commands": ["curl -H 'Bearer {secret}' {url}"], "bad": 1}}}}}}"#),
            2 => format!(r#"{{"deploy": {{"startCommand": "API={secret} DB={url} node x", "nope": 1}}}}"#),
            3 => format!("{{\n// {secret} {url}\n\"provider\": \"nodee\", \"{secret}\": 1}}"),
            _ => format!(r#"{{"deploy": {{"startCommand": "{secret} {url}" "#),
        };
        let schemas = Schemas::compile().unwrap();
        for report in render_all(vec![("railpack.json".to_string(), file.into_bytes())], &schemas) {
            assert_no_window(&report, &secret)?;
            assert_no_window(&report, &password)?;
        }
    }
}
