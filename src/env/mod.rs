//! `railcheck env`: audits a service's variables (from dotenv files, the JSON that
//! `railway variables --json` prints, or this process's environment) for what the build
//! can see. Replaces the guide's `filter_build_vars.sh`.
//!
//! Names are classified by [`crate::facts::varclass`], values by [`crate::facts::secrets`] (credential
//! shape) and [`crate::facts::references`] (`${{...}}`). **No value, nor any part of one, is
//! ever put into a row, a finding or a problem**: everything printed is a name, a file
//! name, a line number, or text written here.

mod input;
mod audit;
mod render;

pub(crate) use audit::*;
pub(crate) use input::*;

pub(crate) mod dotenv;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::facts::varclass::VarClass;
    use crate::settings::Settings;

    fn inputs(vars: &[(&str, &str)]) -> Inputs {
        Inputs {
            sources: vec![("dotenv".into(), ".env".into())],
            variables: vars
                .iter()
                .enumerate()
                .map(|(i, (n, v))| Loaded {
                    name: n.to_string(),
                    value: v.to_string(),
                    at: Place {
                        source: ".env".into(),
                        line: Some(i + 1),
                    },
                    overrides: Vec::new(),
                })
                .collect(),
            problems: Vec::new(),
        }
    }

    fn codes(audit: &Audit, name: &str) -> Vec<&'static str> {
        audit.codes_of(name)
    }

    #[test]
    fn classifies_and_flags_without_a_service() {
        let audit = audit(
            inputs(&[
                ("OPENAI_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwx"),
                ("LOG_LEVEL", "debug"),
                ("NEXT_PUBLIC_API_URL", "https://${{api.RAILWAY_PUBLIC_DOMAIN}}"),
                ("PORT", "8080"),
                ("RAILPACK_NODE_VERSION", "22"),
                ("WEIRD", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            ]),
            None,
            &Settings::default(),
        );
        assert_eq!(codes(&audit, "OPENAI_API_KEY"), vec!["RC302"]);
        assert_eq!(codes(&audit, "LOG_LEVEL"), vec!["RC301"]);
        assert!(codes(&audit, "NEXT_PUBLIC_API_URL").is_empty());
        assert!(codes(&audit, "PORT").is_empty());
        assert!(codes(&audit, "RAILPACK_NODE_VERSION").is_empty());
        assert_eq!(codes(&audit, "WEIRD"), vec!["RC302"]);
        assert!(audit.rows.iter().all(|r| r.build_visible));
        // The build-variable allowlist is the guide's policy: a warning at most.
        assert!(audit.failing(Severity::Warning) && !audit.failing(Severity::Error));
        let row = audit.rows.iter().find(|r| r.name == "NEXT_PUBLIC_API_URL").unwrap();
        assert_eq!(row.references, 1);
        assert_eq!(row.class, VarClass::BuildNeeded);
    }

    #[test]
    fn steps_restrict_what_the_build_sees() {
        let steps = StepSecrets {
            service: "api".into(),
            steps: vec![
                ("install".into(), Some(vec![])),
                ("build".into(), Some(vec!["NEXT_PUBLIC_X".into()])),
                ("migrate".into(), None),
            ],
        };
        let a = audit(
            inputs(&[
                ("DATABASE_URL", "postgres://u:${{PGPASSWORD}}@h/db"),
                ("NEXT_PUBLIC_X", "1"),
            ]),
            Some(&steps),
            &Settings::default(),
        );
        let db = a.rows.iter().find(|r| r.name == "DATABASE_URL").unwrap();
        assert!(db.build_visible);
        assert_eq!(db.mounted_by, vec!["migrate"]);
        assert_eq!(db.restricted_by, vec!["install", "build"]);
        let finding = a.findings.iter().find(|f| f.rule.code == "RC302").unwrap();
        assert!(finding.note.as_deref().unwrap().contains("`install`, `build` restrict"));

        let strict = StepSecrets {
            service: "api".into(),
            steps: vec![("install".into(), Some(vec![])), ("build".into(), Some(vec![]))],
        };
        let a = audit(inputs(&[("DATABASE_URL", "x")]), Some(&strict), &Settings::default());
        assert!(!a.rows[0].build_visible);
        assert!(a.findings.is_empty());
    }

    #[test]
    fn too_many_counts_only_user_set_names() {
        let mut vars: Vec<(String, String)> = (0..11).map(|i| (format!("FLAG_{i}"), "1".to_string())).collect();
        vars.push(("RAILWAY_PROJECT_ID".into(), "x".into()));
        let refs: Vec<(&str, &str)> = vars.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let a = audit(inputs(&refs), None, &Settings::default());
        let f = a.findings.iter().find(|f| f.rule.code == "RC303").unwrap();
        assert!(f.message.starts_with("11 variables"), "{}", f.message);
        let a = audit(inputs(&refs[1..]), None, &Settings::default());
        assert!(!a.findings.iter().any(|f| f.rule.code == "RC303"));
    }

    #[test]
    fn references_literal_credentials_and_private_network() {
        let a = audit(
            inputs(&[
                (
                    "DATABASE_URL",
                    "postgresql://postgres:Xy7pQ2rLm9@${{Postgres.RAILWAY_PRIVATE_DOMAIN}}:5432/db",
                ),
                ("NEXT_PUBLIC_API", "http://${{api.RAILWAY_PRIVATE_DOMAIN}}:8000"),
                ("BROKEN", "${{api.PORT"),
                ("OLD", "${{web.RAILWAY_STATIC_URL}}"),
                ("NEXT_PUBLIC_STRIPE", "sk_live_abcdefghijklmnopqrstu"),
            ]),
            None,
            &Settings::default(),
        );
        assert_eq!(codes(&a, "DATABASE_URL"), vec!["RC302", "RC304"]);
        assert_eq!(codes(&a, "NEXT_PUBLIC_API"), vec!["RC505"]);
        assert_eq!(codes(&a, "BROKEN"), vec!["RC301", "RC501"]);
        assert_eq!(codes(&a, "OLD"), vec!["RC301", "RC507"]);
        assert_eq!(codes(&a, "NEXT_PUBLIC_STRIPE"), vec!["RC304"]);
    }

    /// `env` and `validate` apply railcheck.toml's selection and severity overrides alike:
    /// the same settings turn the same findings into the same (code, severity) list.
    #[test]
    fn settings_apply_as_in_validate() {
        use crate::diagnostic::Diagnostic;
        let vars = [
            (
                "DATABASE_URL",
                "postgresql://postgres:Xy7pQ2rLm9@${{Postgres.RAILWAY_PRIVATE_DOMAIN}}:5432/db",
            ),
            ("NEXT_PUBLIC_API", "http://${{api.RAILWAY_PRIVATE_DOMAIN}}:8000"),
            ("BROKEN", "${{api.PORT"),
            ("OLD", "${{web.RAILWAY_STATIC_URL}}"),
        ];
        let configs = [
            // A severity override by code and one by name; a rule ignored by name, one by code.
            (
                "[rules]\nignore = [\"private-network-at-build\", \"RC507\"]\n\
                 [rules.severity]\nRC301 = \"error\"\nhardcoded-secret = \"info\"\n",
                vec![
                    ("RC301", Severity::Error),
                    ("RC301", Severity::Error),
                    ("RC302", Severity::Warning),
                    ("RC304", Severity::Info),
                    ("RC501", Severity::Error),
                ],
            ),
            // A selection by prefix, narrowed by an ignore.
            (
                "[rules]\nselect = [\"RC3\"]\nignore = [\"RC302\"]\n",
                vec![
                    ("RC301", Severity::Info),
                    ("RC301", Severity::Info),
                    ("RC304", Severity::Error),
                ],
            ),
        ];
        for (text, expected) in configs {
            let settings = crate::config::parse(text, "railcheck.toml").unwrap();
            let mut env = audit(inputs(&vars), None, &settings);
            let diagnostics: Vec<Diagnostic> = env
                .findings
                .iter()
                .map(|f| Diagnostic::project(f.rule, f.message.clone()).severity(f.severity))
                .collect();
            let mut validate: Vec<_> = settings
                .apply(diagnostics, |_| None)
                .iter()
                .map(|d| (d.rule.code, d.severity))
                .collect();
            env.apply(&settings);
            let mut env: Vec<_> = env.findings.iter().map(|f| (f.rule.code, f.severity)).collect();
            env.sort();
            validate.sort();
            assert_eq!(env, validate, "{text}");
            assert_eq!(env, expected, "{text}");
        }
    }

    #[test]
    fn later_sources_win_and_remember_where() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "A=1\nB=2\n").unwrap();
        let json = dir.path().join("vars.json");
        std::fs::write(&json, r#"{"B": "3", "C": 4, "D": null}"#).unwrap();
        let loaded = load(&[SourceSpec::Dotenv(env.clone()), SourceSpec::RailwayJson(json.clone())]).unwrap();
        let names: Vec<_> = loaded.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["A", "B", "C"]);
        let b = &loaded.variables[1];
        assert_eq!(b.at.source, json.display().to_string());
        assert_eq!(b.overrides[0].line, Some(2));
        assert_eq!(b.value, "3");
        assert_eq!(loaded.variables[2].value, "4");
        assert_eq!(loaded.problems.len(), 1);
        assert!(loaded.problems[0].message.contains("`D` is null"));
    }

    #[test]
    fn problems_are_capped_per_source() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join(".env");
        std::fs::write(&env, "junk\n".repeat(60) + "A=1\n").unwrap();
        let loaded = load(&[SourceSpec::Dotenv(env)]).unwrap();
        assert_eq!(loaded.problems.len(), dotenv::MAX_PROBLEMS + 1);
        assert_eq!(loaded.problems.last().unwrap().message, "10 more problems not listed");
        assert_eq!(loaded.variables.len(), 1);
    }

    #[test]
    fn bad_inputs_are_usage_errors_without_content() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("vars.json");
        std::fs::write(&json, "[\"sk-proj-abcdefghijklmnopqrst\"]").unwrap();
        let err = load(&[SourceSpec::RailwayJson(json.clone())]).unwrap_err();
        assert!(err.to_string().contains("flat object"), "{err}");
        std::fs::write(&json, "{\"A\": \"sk-proj-abcdefghij").unwrap();
        let err = format!("{:#}", load(&[SourceSpec::RailwayJson(json)]).unwrap_err());
        assert!(err.contains("not valid JSON") && !err.contains("abcde"), "{err}");
        assert!(load(&[SourceSpec::Dotenv(dir.path().join("missing"))]).is_err());
    }
}
