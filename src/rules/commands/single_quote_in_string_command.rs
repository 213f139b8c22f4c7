//! a `'` inside a string command ends Railpack's own
//! quoting, so the build runs other words than the file says.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Origin;
use crate::model::Service;
use crate::rules::commands::{self as cmds, CmdRef};
use crate::rules::{Context, declare_rule};

declare_rule! {
    /// A single quote inside a string command breaks Railpack's `sh -c '...'` wrapping.
    ///
    /// ## What it checks
    /// String commands that contain a single quote `'`: string items of a step's `commands` in
    /// `railpack.json`, Railway's `build.buildCommand`, and `RAILPACK_BUILD_CMD` /
    /// `RAILPACK_INSTALL_CMD` service variables. The finding shows the argv Railpack really runs.
    /// Object commands (`{"cmd": ...}`) and start commands are not affected.
    ///
    /// ## Why it matters on Railway
    /// Railpack builds the text `sh -c '` + command + `'` **without escaping** and BuildKit splits
    /// it into words with shlex (railpack core/plan/command.go 154-206, `llb.Shlex` in
    /// buildkit/build_llb; for `railpack.json` the command is the raw JSON token with its quotes
    /// trimmed). A single quote in the command closes Railpack's quote: what was quoted becomes
    /// unquoted and splits at spaces, and only the first piece reaches `sh -c`.
    /// `"echo 'hello world'"` runs `sh -c "echo hello" world` and prints `hello`;
    /// `"python -c 'import main'"` runs `python -c import`; `"bash -c 'source x && y'"` runs
    /// `bash -c source`. Quotes the split leaves unbalanced cut the command off entirely. When the
    /// quoted text is a plain word (`echo 'world' > /hello`, as in Railpack's own examples) the
    /// quotes merely vanish and the command runs as meant: no finding. Quotes around a glob or an
    /// empty word (the result depends on the files present, or on the program) are warnings.
    ///
    /// ## Example
    /// ```json
    /// { "steps": { "build": { "commands": ["...", "python -c 'import main; main.check()'"] } } }
    /// ```
    /// Fix: the object form, which is split into words without a shell and decoded:
    /// `{ "cmd": "python -c 'import main; main.check()'" }`; for shell syntax (`&&`, pipes,
    /// `$VAR`) wrap it yourself: `{ "cmd": "sh -c \"cd web && npm run build\"" }`; or move the
    /// line into a script file (`"sh ./scripts/check.sh"`).
    code: RC716,
    name: "single-quote-in-string-command",
    severity: Error,
    check: Service(check),
}

fn check(cx: &Context<'_>, service: &Service, out: &mut Vec<Diagnostic>) {
    let project = cx.project;
    for (cmd, is_env) in &cmds::sh_commands(service) {
        let Some((text, offset)) = command_text(project, cmd) else {
            continue;
        };
        let Some(quote) = text.find('\'') else { continue };
        let run = railpack_argv(text);
        let verdict = judge(text, &run);
        // Quotes around a plain word vanish and the command runs as meant.
        if verdict == Verdict::Harmless {
            continue;
        }
        let span = match offset {
            Some(start) => start + quote..start + quote + 1,
            None => cmds::span_in(project, cmd.at, cmd.text, quote..quote + 1),
        };
        let shown = show_argv(&run);
        let message = match verdict {
            Verdict::Harmless => format!(
                "Railpack removes these single quotes before `sh` runs the command (it runs {shown}); harmless here, but quoting a space or special character would break it"
            ),
            _ => format!("this single quote breaks Railpack's `sh -c '...'` wrapping: the build runs {shown}"),
        };
        // A Railway setting or a service variable is a plain string: no object form there.
        let help = if offset.is_some() {
            fix(text)
        } else {
            "move the line into a script file (`sh ./scripts/build.sh`), or into a `railpack.json` step written in the object form `{\"cmd\": \"...\"}`; a string setting has no object form".to_string()
        };
        let mut d = Diagnostic::new(&META, cmd.at.file, span, message)
            .pointer(cmd.at.pointer.clone())
            .help(help);
        d = match verdict {
            Verdict::Harmless => d.severity(Severity::Info),
            Verdict::Likely => d.severity(Severity::Warning),
            Verdict::Broken => d,
        };
        if *is_env {
            d = d.note(cmds::env_note(cmd));
        } else if let Some(note) = cmds::origin_note(cmd) {
            // A step that never runs cannot fail the build.
            let lower = if verdict == Verdict::Harmless {
                Severity::Info
            } else {
                Severity::Warning
            };
            d = d.note(note).severity(lower);
        } else {
            d = d.note(
                "Railpack wraps a string command as `sh -c '` + text + `'` without escaping, then splits it into words with shlex (core/plan/command.go)",
            );
        }
        out.push(d);
    }
}

/// The text Railpack wraps, and the file offset of its first byte when it is the raw
/// JSON token: `railpack.json` commands are taken from the token as written, escapes and
/// all, with the surrounding quotes trimmed. Railway's `buildCommand` and service
/// variables reach Railpack decoded.
fn command_text<'a>(project: &'a crate::model::Project, cmd: &'a CmdRef<'a>) -> Option<(&'a str, Option<usize>)> {
    let from_railpack = cmd.step.is_some() && cmd.origin != Origin::Railway;
    if !from_railpack {
        return Some((cmd.text, None));
    }
    let file = project.file(cmd.at.file);
    let raw = file.text.get(cmd.at.span.clone())?;
    if !raw.starts_with('"') {
        return Some((cmd.text, None));
    }
    // Go's `strings.Trim(token, "\"")`: every leading and trailing quote goes.
    let leading = raw.len() - raw.trim_start_matches('"').len();
    Some((raw.trim_matches('"'), Some(cmd.at.span.start + leading)))
}

/// What Railpack runs for a string command: the argv, and whether the split succeeded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Argv {
    pub(crate) words: Vec<String>,
    /// `false` when shlex stopped at an unclosed quote or a trailing backslash: BuildKit
    /// ignores the error and runs the words before it.
    pub(crate) complete: bool,
}

/// `sh -c '` + text + `'`, split as BuildKit's `llb.Shlex` (google/shlex) splits it.
pub(crate) fn railpack_argv(text: &str) -> Argv {
    shlex_split(&format!("sh -c '{text}'"))
}

/// google/shlex `Split`: words separated by space, tab, CR, LF; `"..."` with backslash
/// escapes, `'...'` literal, `\` escapes outside quotes, `#` at a word start begins a
/// comment to the end of the line. On an unclosed quote or a trailing backslash the word
/// being read is dropped and the split stops (an error BuildKit ignores).
pub(crate) fn shlex_split(s: &str) -> Argv {
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        Start,
        Word,
        Escape,
        EscapeInDouble,
        Double,
        Single,
        Comment,
    }
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut words = Vec::new();
    let mut word = String::new();
    let mut state = St::Start;
    for c in s.chars() {
        state = match state {
            St::Start if is_space(c) => St::Start,
            St::Start | St::Word if c == '"' => St::Double,
            St::Start | St::Word if c == '\'' => St::Single,
            St::Start | St::Word if c == '\\' => St::Escape,
            St::Start if c == '#' => St::Comment,
            St::Word if is_space(c) => {
                words.push(std::mem::take(&mut word));
                St::Start
            }
            St::Start | St::Word | St::Escape => {
                word.push(c);
                St::Word
            }
            St::EscapeInDouble => {
                word.push(c);
                St::Double
            }
            St::Double if c == '"' => St::Word,
            St::Double if c == '\\' => St::EscapeInDouble,
            St::Single if c == '\'' => St::Word,
            St::Double | St::Single => {
                word.push(c);
                state
            }
            St::Comment if c == '\n' => St::Start,
            St::Comment => St::Comment,
        };
    }
    match state {
        St::Word => {
            words.push(word);
            Argv { words, complete: true }
        }
        St::Start | St::Comment => Argv { words, complete: true },
        _ => Argv { words, complete: false },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// The quotes only vanish: `sh` gets the same words.
    Harmless,
    /// The quotes vanish around something whose meaning may change (a glob, an empty word).
    Likely,
    /// Different words, a cut-off command, or shell syntax that was quoted is not any more.
    Broken,
}

/// Compares what `sh` gets with what the file says.
fn judge(text: &str, run: &Argv) -> Verdict {
    let unquoted: String = text.chars().filter(|&c| c != '\'').collect();
    let same_words = run.complete
        && run.words.len() == 3
        && run.words[..2] == ["sh", "-c"]
        && run.words[2] == unquoted
        && !text.contains('"');
    if !same_words {
        return Verdict::Broken;
    }
    // The text between each pair of quotes, which `sh` now sees unquoted.
    let quoted: Vec<&str> = text.split('\'').skip(1).step_by(2).collect();
    let syntax = |c: char| "()[]{};&|<>$`\"\\*?~#!".contains(c) || c.is_whitespace();
    if quoted.iter().any(|q| q.contains(|c: char| "();&|<>$`\"\\".contains(c))) {
        Verdict::Broken
    } else if quoted.iter().any(|q| q.is_empty() || q.contains(syntax)) {
        Verdict::Likely
    } else {
        Verdict::Harmless
    }
}

/// `["sh", "-c", "echo hello", "world"]`, plus a word on a cut-off split.
fn show_argv(run: &Argv) -> String {
    let words: Vec<String> = run.words.iter().map(|w| format!("{w:?}")).collect();
    let mut shown = format!("[{}]", words.join(", "));
    if !run.complete {
        shown.push_str(" (its quotes do not pair, so the rest of the command is dropped)");
    }
    shown
}

/// The object form written out when it can be, else the general advice.
fn fix(text: &str) -> String {
    let general = "use the object form `{\"cmd\": \"...\"}` (split into words without a shell, so quotes work as written; for `&&`, pipes or `$VAR` write `sh -c \\\"...\\\"` inside it), or move the line into a script file";
    if text.contains(['"', '\\', '\n']) {
        return general.to_string();
    }
    // Shell syntax outside the quotes needs a shell; inside them it is the argument's text.
    let outside: String = text.split('\'').step_by(2).collect();
    let needs_shell = outside.contains(|c: char| "&|;<>$`()*?~#".contains(c));
    if needs_shell {
        format!("use the object form `{{\"cmd\": \"sh -c \\\"{text}\\\"\"}}`, or move the line into a script file")
    } else {
        format!(
            "use the object form `{{\"cmd\": \"{text}\"}}` (split into words without a shell, so the quotes work as written), or move the line into a script file"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(text: &str) -> Vec<String> {
        railpack_argv(text).words
    }

    #[test]
    fn the_issues_examples_run_what_railpack_runs() {
        // Checked against ../shared/tools/railpack-string-command (Railpack b5e80580).
        assert_eq!(argv("echo 'hello world'"), ["sh", "-c", "echo hello", "world"]);
        assert_eq!(
            argv("python -c 'import main'"),
            ["sh", "-c", "python -c import", "main"]
        );
        assert_eq!(
            argv("bash -c 'source x && y'"),
            ["sh", "-c", "bash -c source", "x", "&&", "y"]
        );
        assert_eq!(argv("npm run build"), ["sh", "-c", "npm run build"]);
        assert_eq!(argv("echo 'world' > /hello"), ["sh", "-c", "echo world > /hello"]);
    }

    #[test]
    fn shlex_follows_google_shlex() {
        let split = |s: &str| shlex_split(s).words;
        assert_eq!(split(r#"a "b c" d\ e 'f g'"#), ["a", "b c", "d e", "f g"]);
        assert_eq!(split(r#""a\"b""#), [r#"a"b"#]);
        assert_eq!(split("a #comment\nb"), ["a", "b"]);
        assert_eq!(split("a#b"), ["a#b"]);
        assert_eq!(split("a ''"), ["a", ""]);
        // An unclosed quote: BuildKit drops the word and runs what came before.
        assert_eq!(
            shlex_split("sh -c 'echo it's'"),
            Argv {
                words: vec!["sh".into(), "-c".into()],
                complete: false
            }
        );
    }

    #[test]
    fn verdicts() {
        let v = |t: &str| judge(t, &railpack_argv(t));
        assert_eq!(v("echo 'hello world'"), Verdict::Broken);
        assert_eq!(v("python -c 'print(1)'"), Verdict::Broken);
        assert_eq!(v("echo '$HOME'"), Verdict::Broken);
        assert_eq!(v("echo \"it's\""), Verdict::Broken);
        assert_eq!(v("echo it's"), Verdict::Broken);
        assert_eq!(v("ls '*.txt'"), Verdict::Likely);
        assert_eq!(v("git commit -m ''"), Verdict::Likely);
        assert_eq!(v("echo 'world' > /hello"), Verdict::Harmless);
        assert_eq!(v("uv pip install --system '.[dev]'"), Verdict::Likely);
        assert_eq!(v("echo 'Building now' && npm run build"), Verdict::Broken);
    }

    #[test]
    fn fixes_write_the_object_form() {
        assert_eq!(
            fix("python -c 'import main'"),
            "use the object form `{\"cmd\": \"python -c 'import main'\"}` (split into words without a shell, so the quotes work as written), or move the line into a script file"
        );
        assert!(fix("echo 'a b' && ls").contains(r#"{"cmd": "sh -c \"echo 'a b' && ls\""}"#));
        assert!(fix("python -c 'import a; a.b()'").contains(r#"{"cmd": "python -c 'import a; a.b()'"}"#));
    }
}
