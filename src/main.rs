//! switchrole: parse the command line, dispatch, turn errors into exit codes. Every error
//! is printed here, once per cause and with control characters escaped.

use clap::{CommandFactory, Parser};
use switchrole::{cli, commands, complete, dirs, server, untrusted};

fn main() {
    #[cfg(unix)]
    set_signal_dispositions();
    // A shell's dynamic completion request (COMPLETE=<shell>) is answered here, then exits.
    clap_complete::CompleteEnv::with_factory(cli::Cli::command)
        .shells(complete::SHELLS)
        .complete();
    let cli = cli::Cli::parse();
    if needs_dirs(cli.command.as_ref())
        && let Err(err) = dirs::check(config_named(&cli))
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
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("switchrole: {}", error_text(&err));
            1
        }
    };
    std::process::exit(code);
}

/// `err` and its causes on one line, each cause once (a message that already quotes its
/// source is not followed by it again), with control characters escaped line by line.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let part = cause.to_string();
        if text.contains(&part) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&part);
    }
    text.split('\n')
        .map(|line| untrusted::escape_controls(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the command reads or writes the config, cache or state dirs (any command not
/// known to need none does, so that a new command is checked too).
fn needs_dirs(command: Option<&cli::Command>) -> bool {
    !matches!(
        command,
        Some(cli::Command::Completions { .. } | cli::Command::Man | cli::Command::Whoami { .. })
    )
}

/// The config file is named, so the config dir is not needed to find it.
fn config_named(cli: &cli::Cli) -> bool {
    cli.config.is_some() || std::env::var_os("SWITCHROLE_CONFIG").is_some_and(|p| !p.is_empty())
}

/// A closed stdout (`switchrole env X | head -c1`) ends the process quietly, as it ends
/// `cat`, instead of a panic in `println!`: SIGPIPE gets its default action back (Rust's
/// runtime ignores it; children get the default anyway). A file size limit (`ulimit -f`)
/// makes writes fail with EFBIG instead of killing the process mid-write: SIGXFSZ is
/// caught by a handler that does nothing (a handler, not SIG_IGN, so that `exec` and the
/// shells switchrole starts get the default back).
#[cfg(unix)]
fn set_signal_dispositions() {
    extern "C" fn do_nothing(_signal: libc::c_int) {}
    let handler: extern "C" fn(libc::c_int) = do_nothing;
    // SAFETY: called first thing in `main`, before any other thread exists; `do_nothing`
    // is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::signal(libc::SIGXFSZ, handler as libc::sighandler_t);
    }
}

/// Marks this process as a `credential-process` for its children.
const IN_CREDENTIAL_PROCESS: &str = "SWITCHROLE_IN_CREDENTIAL_PROCESS";

/// An AWS tool runs `credential-process` with the `AWS_PROFILE` it was asked for, which is
/// usually the very profile whose `credential_process` is switchrole: base credentials must
/// not come from it (the `source_profile` of the config says where they come from), or
/// switchrole would call itself without end. A nested call is refused outright.
fn guard_credential_process() -> Result<(), &'static str> {
    if std::env::var_os(IN_CREDENTIAL_PROCESS).is_some() {
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
        std::env::set_var(IN_CREDENTIAL_PROCESS, "1");
    }
    Ok(())
}
