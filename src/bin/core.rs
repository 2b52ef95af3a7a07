//! switchrole-core, the whole of switchrole: parse the command line, dispatch, turn errors
//! into exit codes. Every error is printed here ([`process::error_text`]: once per cause,
//! control characters escaped). The `switchrole` front runs it for every command line it
//! does not answer itself (src/front.rs); it also runs alone (`cargo run`).

#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::{CommandFactory, Parser};
use switchrole::{cli, commands, complete, dirs, process, server};

fn main() {
    process::set_up();
    // A shell's dynamic completion request (COMPLETE=<shell>) is answered here, then exits.
    clap_complete::CompleteEnv::with_factory(cli::Cli::command)
        .shells(complete::SHELLS)
        .complete();
    // A bare `switchrole` (the TUI) needs no command tree.
    let cli = if std::env::args_os().len() > 1 {
        cli::Cli::parse()
    } else {
        cli::Cli {
            config: None,
            command: None,
        }
    };
    if needs_dirs(cli.command.as_ref())
        && let Err(err) = dirs::check(commands::config_named(cli.config.is_some()))
    {
        eprintln!("switchrole: {err}");
        std::process::exit(1);
    }
    if !matches!(cli.command, Some(cli::Command::Whoami { .. })) {
        server::forget_own_session();
    }
    if matches!(cli.command, Some(cli::Command::CredentialProcess(_)))
        && let Err(err) = guard_credential_process()
    {
        eprintln!("switchrole: {err}");
        std::process::exit(1);
    }
    std::process::exit(process::exit_code(commands::run(cli)));
}

/// Whether the command reads or writes the config, cache or state dirs (any command not
/// known to need none does, so that a new command is checked too).
fn needs_dirs(command: Option<&cli::Command>) -> bool {
    !matches!(
        command,
        Some(
            cli::Command::Completions { .. }
                | cli::Command::Man
                | cli::Command::Whoami { .. }
                | cli::Command::Init { .. }
                | cli::Command::Prompt { .. }
        )
    )
}

/// An AWS tool runs `credential-process` with the `AWS_PROFILE` it was asked for, which is
/// usually the very profile whose `credential_process` is switchrole: base credentials must
/// not come from it (the `source_profile` of the config says where they come from), or
/// switchrole would call itself without end. A nested call is refused outright.
fn guard_credential_process() -> Result<(), &'static str> {
    if std::env::var_os(commands::IN_CREDENTIAL_PROCESS).is_some() {
        return Err(
            "credential-process was called from itself: the profile that runs \
                    `switchrole credential-process` cannot also be its base credentials; \
                    set source_profile in the config's [defaults] or for the role",
        );
    }
    // SAFETY: called at the start of `main`, before any other thread exists.
    unsafe {
        std::env::remove_var("AWS_PROFILE");
        std::env::remove_var("AWS_DEFAULT_PROFILE");
        std::env::set_var(commands::IN_CREDENTIAL_PROCESS, "1");
    }
    Ok(())
}
