use std::process::ExitCode;

fn main() -> ExitCode {
    match railcheck::run() {
        Ok(code) => code,
        Err(err) => {
            if railcheck::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("railcheck: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
