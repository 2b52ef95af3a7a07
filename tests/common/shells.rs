#![allow(dead_code)]
//! Real shells for the shell-integration tests: which are installed (a test that needs a
//! missing one prints SKIPPED and returns), and a `Command` running a script in one with the
//! switchrole binary first in PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::TestEnv;

/// The shell's path, or `None` after printing why the test is skipped.
pub fn installed(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/bin", "/bin", "/usr/local/bin", "/opt/homebrew/bin"] {
        let path = Path::new(dir).join(name);
        if path.exists() {
            return Some(path);
        }
    }
    println!("SKIPPED: {name} is not installed (tests/run.py installs zsh and fish on Debian)");
    None
}

/// The directory of the switchrole binary under test.
pub fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_switchrole"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// PATH with `first` (then the binary's directory) ahead of the inherited one.
pub fn path_with(first: Option<&Path>) -> String {
    let mut dirs: Vec<String> = first.iter().map(|p| p.display().to_string()).collect();
    dirs.push(bin_dir().display().to_string());
    dirs.push(std::env::var("PATH").unwrap_or_default());
    dirs.join(":")
}

/// `script` run by `shell` (bash, zsh, fish or dash) without the user's rc files.
pub fn script_command(env: &TestEnv, shell: &Path, script: &str) -> Command {
    let name = shell.file_name().unwrap().to_str().unwrap();
    let mut cmd = env.command_for(shell);
    match name {
        "bash" => cmd.args(["--norc", "--noprofile", "-c", script]),
        "zsh" => cmd.args(["-f", "-c", script]),
        "fish" => cmd.args(["--no-config", "-c", script]),
        _ => cmd.args(["-c", script]),
    };
    cmd.env("PATH", path_with(None));
    cmd
}

/// A marker-free writable wrapper directory holding `switchrole`, which appends a line to
/// `count` for each run and then runs the real binary.
pub fn counting_wrapper(dir: &Path) -> (PathBuf, PathBuf) {
    let wrapper_dir = dir.join("wrapper");
    std::fs::create_dir_all(&wrapper_dir).unwrap();
    let count = dir.join("switchrole-runs");
    let script = format!(
        "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
        count.display(),
        env!("CARGO_BIN_EXE_switchrole")
    );
    let path = wrapper_dir.join("switchrole");
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (wrapper_dir, count)
}

/// How many times the counting wrapper ran.
pub fn runs(count: &Path) -> usize {
    std::fs::read_to_string(count).map_or(0, |t| t.lines().count())
}
