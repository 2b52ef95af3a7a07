//! switchrole: parse the command line, dispatch, turn errors into exit codes.

use clap::Parser;
use switchrole::{cli, commands, session};

fn main() {
    let cli = cli::Cli::parse();
    if !matches!(cli.command, Some(cli::Command::Whoami { .. })) {
        ignore_own_session_credentials();
    }
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("switchrole: {err:#}");
            1
        }
    };
    std::process::exit(code);
}

/// Inside a switchrole session the exported credentials are the client's, not the user's:
/// forget them so that the base user assumes the next role, never a chain through the last.
fn ignore_own_session_credentials() {
    if std::env::var_os("SWITCHROLE").is_none() {
        return;
    }
    for name in session::CREDENTIAL_VARS {
        // SAFETY: called at the start of `main`, before any other thread exists.
        unsafe { std::env::remove_var(name) };
    }
}
