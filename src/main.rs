//! switchrole: parse the command line, dispatch, turn errors into exit codes. Every error
//! is printed here, once per cause and with control characters escaped.

use clap::{CommandFactory, Parser};
use switchrole::{cli, commands, complete, dirs, session, untrusted};

fn main() {
    #[cfg(unix)]
    set_signal_dispositions();
    end_quietly_on_closed_output();
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
        ignore_own_session_credentials();
    }
    if matches!(cli.command, Some(cli::Command::CredentialProcess(_)))
        && let Err(err) = guard_credential_process()
    {
        eprintln!("switchrole: {err}");
        std::process::exit(1);
    }
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(err) if is_closed_output(&err) => die_of_sigpipe(),
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

/// A file size limit (`ulimit -f`) makes writes fail with EFBIG instead of killing the
/// process mid-write: SIGXFSZ is caught by a handler that does nothing (a handler, not
/// SIG_IGN, so that `exec` and the shells switchrole starts get the default back).
/// SIGPIPE stays ignored (Rust's default): sockets and pipes to children report EPIPE as
/// an error; a closed stdout is handled by [`end_quietly_on_closed_output`].
#[cfg(unix)]
fn set_signal_dispositions() {
    extern "C" fn do_nothing(_signal: libc::c_int) {}
    let handler: extern "C" fn(libc::c_int) = do_nothing;
    // SAFETY: called first thing in `main`, before any other thread exists; `do_nothing`
    // is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGXFSZ, handler as libc::sighandler_t);
    }
}

/// A closed stdout or stderr (`switchrole env X | head -c1`) ends the process as it ends
/// `cat`, by SIGPIPE, silently: a panic on EPIPE (`println!`'s, or a library's `expect`
/// on a write, as clap_complete's generator does) and an EPIPE error returned by a
/// command both end here instead of a panic (exit 101) or an error message. SIGPIPE's
/// default action is not restored for the whole run instead, because a socket written
/// with `writev` (hyper's way) would then kill the process when its peer goes away.
fn end_quietly_on_closed_output() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.contains("Broken pipe") || message.contains("BrokenPipe") {
            die_of_sigpipe();
        }
        previous(info);
    }));
}

/// Ends the process the way a closed pipe ends a Unix tool (exit status 128 + SIGPIPE).
fn die_of_sigpipe() -> ! {
    #[cfg(unix)]
    // SAFETY: restores the default action and raises the signal; nothing runs after it.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(141)
}

/// True when `err` is an EPIPE from writing our own output.
fn is_closed_output(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
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
