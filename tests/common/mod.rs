//! Helpers shared by the integration tests. Each test crate uses a subset.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // test helpers: a panic is a failed test

use std::path::Path;

use assert_cmd::Command;

/// The binary, with the environment that changes its output format or colour removed.
pub fn railcheck() -> Command {
    let mut cmd = Command::cargo_bin("railcheck").unwrap();
    cmd.env_remove("GITHUB_ACTIONS")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("NO_COLOR");
    cmd
}

/// Writes `text` at `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
