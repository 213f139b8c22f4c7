use std::process::ExitCode;

use railcheck::cli::ExitStatus;

fn main() -> ExitCode {
    match railcheck::run() {
        Ok(status) => status.into(),
        Err(err) => {
            if railcheck::is_broken_pipe(&err) {
                return ExitStatus::Success.into();
            }
            eprintln!("railcheck: error: {err:#}");
            ExitStatus::Error.into()
        }
    }
}
