//! Reading the variables to audit: dotenv files, `railway variables --json` output, this
//! process's environment.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use serde::Serialize;

use super::*;

/// Inputs larger than this are refused (the same bound as config files).
pub(super) const MAX_INPUT_BYTES: u64 = 10 * 1024 * 1024;

/// Where variables come from, in command-line order (later sources win).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SourceSpec {
    Dotenv(PathBuf),
    RailwayJson(PathBuf),
    Environment,
}

impl SourceSpec {
    fn kind(&self) -> &'static str {
        match self {
            SourceSpec::Dotenv(_) => "dotenv",
            SourceSpec::RailwayJson(_) => "railway-json",
            SourceSpec::Environment => "environment",
        }
    }

    fn label(&self) -> String {
        match self {
            SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) if p.as_os_str() == "-" => "<stdin>".to_string(),
            SourceSpec::Dotenv(p) | SourceSpec::RailwayJson(p) => p.display().to_string(),
            SourceSpec::Environment => "environment".to_string(),
        }
    }
}

/// Where one assignment was read: a source and, for dotenv files, a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Place {
    pub(crate) source: String,
    pub(crate) line: Option<usize>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.source),
            None => f.write_str(&self.source),
        }
    }
}

/// A variable after merging the sources. `value` never leaves this module.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub(crate) name: String,
    pub(super) value: String,
    pub(crate) at: Place,
    /// Earlier assignments of the same name that this one overrides.
    pub(crate) overrides: Vec<Place>,
}

/// Something in an input that is not a variable: reported, never fatal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct InputProblem {
    #[serde(flatten)]
    pub(crate) at: Place,
    pub(crate) message: String,
}

#[derive(Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) sources: Vec<(String, String)>,
    pub(crate) variables: Vec<Loaded>,
    pub(crate) problems: Vec<InputProblem>,
}

/// Reads every source in order; a later assignment of a name overrides an earlier one.
/// Fails (a usage error) only when a file cannot be read or is not the expected shape.
pub(crate) fn load(specs: &[SourceSpec]) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for spec in specs {
        let label = spec.label();
        inputs.sources.push((spec.kind().to_string(), label.clone()));
        let assignments: Vec<(String, String, Option<usize>)> = match spec {
            SourceSpec::Dotenv(path) => {
                let text = read_input(path)?;
                let parsed = dotenv::parse(&text);
                inputs
                    .problems
                    .extend(parsed.problems.into_iter().map(|p| InputProblem {
                        at: Place {
                            source: label.clone(),
                            line: Some(p.line),
                        },
                        message: p.message,
                    }));
                if parsed.omitted_problems > 0 {
                    inputs.problems.push(InputProblem {
                        at: Place {
                            source: label.clone(),
                            line: None,
                        },
                        message: format!("{} more problems not listed", parsed.omitted_problems),
                    });
                }
                parsed
                    .entries
                    .into_iter()
                    .map(|e| (e.name, e.value, Some(e.line)))
                    .collect()
            }
            SourceSpec::RailwayJson(path) => {
                let text = read_input(path)?;
                railway_json(&text, &label, &mut inputs.problems)?
                    .into_iter()
                    .map(|(n, v)| (n, v, None))
                    .collect()
            }
            SourceSpec::Environment => {
                let mut vars = Vec::new();
                for (name, value) in std::env::vars_os() {
                    match (name.into_string(), value.into_string()) {
                        (Ok(name), Ok(value)) => vars.push((name, value, None)),
                        (name, _) => inputs.problems.push(InputProblem {
                            at: Place {
                                source: label.clone(),
                                line: None,
                            },
                            message: match name {
                                Ok(name) => format!("`{name}` has a value that is not UTF-8; skipped"),
                                Err(_) => "a variable whose name is not UTF-8 was skipped".to_string(),
                            },
                        }),
                    }
                }
                vars.sort_by(|a, b| a.0.cmp(&b.0));
                vars
            }
        };
        for (name, value, line) in assignments {
            let at = Place {
                source: label.clone(),
                line,
            };
            match by_name.get(&name) {
                Some(&i) => {
                    let var = &mut inputs.variables[i];
                    let previous = std::mem::replace(&mut var.at, at);
                    var.overrides.push(previous);
                    var.value = value;
                }
                None => {
                    by_name.insert(name.clone(), inputs.variables.len());
                    inputs.variables.push(Loaded {
                        name,
                        value,
                        at,
                        overrides: Vec::new(),
                    });
                }
            }
        }
    }
    inputs.variables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(inputs)
}

/// A file, or standard input for `-`, bounded in size and decoded as UTF-8.
pub(super) fn read_input(path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        if !path.is_file() {
            bail!("`{}` is not a readable file", path.display());
        }
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
            .with_context(|| format!("cannot read `{}`", path.display()))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!("`{}` is over the 10 MiB limit", path.display());
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "`{}` is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The flat `{"NAME": "value"}` object `railway variables --json` prints. Numbers and
/// booleans are taken as their JSON text; nested values and nulls are skipped.
pub(super) fn railway_json(text: &str, label: &str, problems: &mut Vec<InputProblem>) -> Result<Vec<(String, String)>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        // serde_json's message for an untyped parse names the problem, not the text.
        anyhow::anyhow!("`{label}` is not valid JSON (line {}, column {})", e.line(), e.column())
    })?;
    let serde_json::Value::Object(object) = value else {
        bail!("`{label}` is not the JSON object `railway variables --json` prints (a flat object of name -> string)");
    };
    let mut out = Vec::new();
    for (name, value) in object {
        let value = match value {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            other => {
                let kind = match other {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Array(_) => "an array",
                    _ => "an object",
                };
                problems.push(InputProblem {
                    at: Place {
                        source: label.to_string(),
                        line: None,
                    },
                    message: format!("`{name}` is {kind}, not a string; skipped"),
                });
                continue;
            }
        };
        out.push((name, value));
    }
    Ok(out)
}
