//! The front of the `switchrole` binary: answers the command lines that run many times a
//! minute from the environment and the caches alone, and runs `switchrole-core` with the
//! same arguments for everything else.
//!
//! Why two binaries: most of the time a process of the whole tool spends before `main` is
//! the dynamic loader relocating its tables (34,000 pointers into the SDK, TLS and TUI code,
//! ASLR kept), several times the cost of the hello world a prompt hook is compared with.
//! This binary links only what the answers below need. What it answers, it answers with the
//! very functions the core uses for the same case; what it does not recognise exactly, or
//! cannot answer from a cache (a miss, an error to explain, `--help`), goes to the core
//! unchanged, by `exec` on Unix: the same process, so exit codes and signals are the core's.
//!
//! Answered here:
//! - `prompt [--format F]` (from the environment alone);
//! - `env NAME [--format F]` and `credential-process NAME` while the config's snapshot is
//!   current and the role's cached credentials have more than five minutes left;
//! - `list [--json]` while the config's snapshot is current.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use crate::session::EnvFormat;

/// The core's file name, beside this binary.
const CORE: &str = "switchrole-core";

/// Answers the command line, or runs the core with it; never returns.
pub fn main() -> ! {
    let argv: Vec<OsString> = std::env::args_os().collect();
    if let Some(code) = answer(argv.get(1..).unwrap_or_default()) {
        std::process::exit(code);
    }
    run_core(&argv)
}

/// A command line the front can answer from the caches.
#[derive(Debug, PartialEq, Eq)]
enum Line<'a> {
    Env { name: &'a str, format: EnvFormat },
    CredentialProcess { name: &'a str },
    List { json: bool },
}

/// The exit code of a command line answered here; `None` leaves it to the core.
fn answer(args: &[OsString]) -> Option<i32> {
    if std::env::var_os("COMPLETE").is_some() {
        return None; // a shell's completion request: clap's, in the core
    }
    if let Some(code) = crate::commands::prompt::fast(args) {
        return Some(code);
    }
    let words: Vec<&str> = args.iter().map(|a| a.to_str()).collect::<Option<_>>()?;
    let (config, line) = parse(&words)?;
    if std::env::var_os(crate::commands::IN_CREDENTIAL_PROCESS).is_some()
        || crate::dirs::check(crate::commands::config_named(config.is_some())).is_err()
    {
        return None;
    }
    crate::process::set_up();
    // What the core does first for these commands (all but `whoami`): the credentials a
    // switchrole session exported are the client's, not the user's.
    crate::server::forget_own_session();
    let path = crate::config::locate(config.map(Path::new));
    match line {
        Line::Env { name, format } => crate::commands::switch::env_from_cache(&path, name, format),
        Line::CredentialProcess { name } => {
            crate::commands::switch::credential_process_from_cache(&path, name)
        }
        Line::List { json } => crate::commands::list::from_snapshot(&path, json),
    }
}

/// The command lines of [`Line`], in the spellings clap accepts for them (options before,
/// between or after the name, `--opt=value`, `--` before the name, the global `--config`
/// anywhere); anything else, a repeated option included, is `None`.
fn parse<'a>(words: &[&'a str]) -> Option<(Option<&'a str>, Line<'a>)> {
    let mut config = None;
    let mut format = None;
    let mut json = false;
    let mut positional = Vec::new();
    let mut words = words.iter().copied();
    while let Some(word) = words.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value)),
            _ => (word, None),
        };
        match option {
            "--" => {
                positional.extend(words.by_ref());
            }
            "--config" | "--format" => {
                let value = match inline {
                    Some(value) => value,
                    None => words.next()?,
                };
                let slot = if option == "--config" {
                    &mut config
                } else {
                    &mut format
                };
                if slot.replace(value).is_some() {
                    return None;
                }
            }
            "--json" if inline.is_none() && !json => json = true,
            _ if word.starts_with('-') => return None,
            _ => positional.push(word),
        }
    }
    let line = match (positional.as_slice(), format, json) {
        (["env", name], format, false) => Line::Env {
            name,
            format: match format {
                None => EnvFormat::Sh,
                Some(text) => EnvFormat::parse(text)?,
            },
        },
        (["credential-process", name], None, false) => Line::CredentialProcess { name },
        (["list"], None, json) => Line::List { json },
        _ => return None,
    };
    Some((config, line))
}

/// Runs the core with this command line (its first word kept, for clap's messages).
fn run_core(argv: &[OsString]) -> ! {
    let program = argv
        .first()
        .map_or(OsStr::new("switchrole"), |p| p.as_os_str());
    let core = core_path();
    let mut command = std::process::Command::new(&core);
    command.args(argv.get(1..).unwrap_or_default());
    #[cfg(unix)]
    let err = {
        use std::os::unix::process::CommandExt;
        command.arg0(program).exec()
    };
    #[cfg(not(unix))]
    let err = match command.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(err) => err,
    };
    let _ = program;
    eprintln!(
        "switchrole: cannot run {}: {err}; it is installed beside switchrole \
         (`cargo install --path .` installs both)",
        core.display()
    );
    std::process::exit(1)
}

/// `switchrole-core` in this binary's directory (symbolic links resolved).
fn core_path() -> PathBuf {
    beside_this_binary(CORE)
}

/// The `switchrole` command (this front) in the running binary's directory, whichever of
/// the two binaries runs: what users and AWS tools call.
pub fn command_path() -> PathBuf {
    beside_this_binary("switchrole")
}

fn beside_this_binary(program: &str) -> PathBuf {
    let name = format!("{program}{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(&name)))
        .unwrap_or_else(|| PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &str) -> Option<(Option<&str>, Line<'_>)> {
        parse(&words.split(' ').collect::<Vec<_>>())
    }

    #[test]
    fn the_spellings_clap_accepts() {
        let env = |name, format| Line::Env { name, format };
        assert_eq!(line("env acme"), Some((None, env("acme", EnvFormat::Sh))));
        for words in [
            "env acme --format json",
            "env --format json acme",
            "env --format=json -- acme",
            "--format json env acme",
        ] {
            assert_eq!(
                line(words),
                Some((None, env("acme", EnvFormat::Json))),
                "{words}"
            );
        }
        assert_eq!(
            line("--config /c env -- -odd"),
            Some((Some("/c"), env("-odd", EnvFormat::Sh)))
        );
        assert_eq!(
            line("credential-process acme --config=/c"),
            Some((Some("/c"), Line::CredentialProcess { name: "acme" }))
        );
        assert_eq!(line("list --json"), Some((None, Line::List { json: true })));
        assert_eq!(line("list"), Some((None, Line::List { json: false })));
    }

    #[test]
    fn everything_else_goes_to_the_core() {
        for words in [
            "env",
            "env a b",
            "env acme --refresh",
            "env acme --mfa-code 123456",
            "env acme --format json --format sh",
            "env acme --format yaml",
            "env acme --format",
            "env acme -h",
            "env acme --help",
            "list --json --json",
            "list --json=1",
            "list extra",
            "list --format sh",
            "credential-process acme --format json",
            "shell acme",
            "--version",
            "",
        ] {
            assert_eq!(line(words), None, "{words}");
        }
    }
}
