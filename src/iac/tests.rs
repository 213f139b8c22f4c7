use super::*;

fn known<T: Clone>(field: &Field<T>) -> Option<T> {
    field.as_ref().and_then(|f| f.value.known().cloned())
}

fn service<'f>(file: &'f IacFile, name: &str) -> &'f IacService {
    let found = file
        .services
        .iter()
        .find(|s| s.name.value.known().is_some_and(|n| n == name));
    found.unwrap_or_else(|| panic!("no service {name} in {file:#?}"))
}

fn var<'f>(service: &'f IacService, name: &str) -> &'f IacValue {
    let found = service.env.iter().find(|v| v.name == name);
    &found
        .unwrap_or_else(|| panic!("no variable {name} in {:#?}", service.env))
        .value
        .value
}

fn text_at<'t>(text: &'t str, span: &Span) -> &'t str {
    &text[span.clone()]
}

/// Prints what the reader makes of every `*.ts` in `$IAC_REAL_DIR` (real public files, kept
/// outside the repository): `IAC_REAL_DIR=/path cargo test --lib iac::tests::real -- --ignored --nocapture`.
#[test]
#[ignore = "needs IAC_REAL_DIR"]
fn real_files() {
    let Ok(dir) = std::env::var("IAC_REAL_DIR") else { return };
    let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "ts"));
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        // Warm up once so the figure is the parse, not the first page faults.
        let _ = read(&text);
        let runs = 20;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(read(std::hint::black_box(&text)));
        }
        let micros = start.elapsed().as_micros() / runs;
        let file = read(&text);
        println!("## {}", path.file_stem().unwrap().to_string_lossy());
        println!("bytes: {}, read: {micros} µs", text.len());
        if let Some((message, span)) = &file.parse_error {
            println!("PARSE ERROR: {message} at {span:?}");
        }
        let name = |s: &Spanned<Setting<String>>| match &s.value {
            Setting::Known(n) => n.clone(),
            Setting::Unknown(w) => format!("<unknown: {w}>"),
        };
        let field = |f: &Field<String>| match f {
            None => "-".to_string(),
            Some(Spanned {
                value: Setting::Known(v),
                ..
            }) => v.clone(),
            Some(Spanned {
                value: Setting::Unknown(w),
                ..
            }) => format!("<unknown: {w}>"),
        };
        println!(
            "project: {:?}, partial: {:?}",
            file.project_name.as_ref().map(name),
            file.partial.as_ref().map(name)
        );
        for s in &file.services {
            println!(
                "service {} root={} builder={} build={} start={} health={} timeout={:?} env={} ({} preserve, {} refs)",
                name(&s.name),
                field(&s.root),
                field(&s.builder),
                field(&s.build_command),
                field(&s.start),
                field(&s.healthcheck_path),
                known(&s.healthcheck_timeout),
                s.env.len(),
                s.env.iter().filter(|v| v.value.value == IacValue::Preserve).count(),
                s.env
                    .iter()
                    .filter(|v| matches!(v.value.value, IacValue::TypedRef { .. }))
                    .count(),
            );
        }
        for r in file.databases.iter().chain(&file.volumes).chain(&file.buckets) {
            println!("resource {:?} {}", r.kind, name(&r.name));
        }
        for g in &file.groups {
            println!("group {} {:?}", name(&g.name), g.members);
        }
        for u in &file.unknowns {
            println!(
                "unknown: {} [{}]",
                u.what,
                text_at(&text, &u.span).lines().next().unwrap_or("")
            );
        }
        for d in &file.dropped_keys {
            println!("dropped: {} in {} -> {:?}", d.key, d.service, d.suggestion);
        }
        for d in &file.untyped_keys {
            println!("untyped: {} in {} -> {:?}", d.key, d.service, d.suggestion);
        }
        for t in &file.templates_with_refs {
            println!("backtick ${{{{ at {t:?}");
        }
        println!();
    }
}
