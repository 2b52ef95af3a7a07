//! Shell integration beyond `completions SHELL`: dynamic completion of role names through
//! clap_complete's `COMPLETE=<shell> switchrole` protocol, and the man page (clap_mangen).
//!
//! The shell's registration script (`source <(COMPLETE=bash switchrole)`) calls back
//! `COMPLETE=bash switchrole -- WORDS…` at each Tab; `main` answers it before parsing,
//! with [`role_names`] as the candidates of every NAME argument.

use std::ffi::OsString;

use clap::CommandFactory;
use clap_complete::engine::CompletionCandidate;

use crate::cli::Cli;
use crate::config;

/// The remembered display names, for completing a NAME argument. Reads the config named by
/// `--config` on the line being completed, else the usual location; nothing on errors.
pub fn role_names() -> Vec<CompletionCandidate> {
    let path = config_flag(std::env::args_os());
    let Ok(config) = config::load(&config::locate(path.as_deref())) else {
        return Vec::new();
    };
    config
        .roles
        .iter()
        .map(|role| {
            CompletionCandidate::new(role.name.clone()).help(Some(role.account_and_role().into()))
        })
        .collect()
}

/// The value of `--config PATH` / `--config=PATH` among `args`.
fn config_flag(args: impl IntoIterator<Item = OsString>) -> Option<std::path::PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(Into::into);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            return Some(value.into());
        }
    }
    None
}

/// `switchrole man`: the man page, as roff, on stdout.
pub fn man() -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        // `switchrole man | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        result => result.map(|()| 0).map_err(Into::into),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn finds_the_config_flag() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            config_flag(args(&["sr", "--", "sr", "--config", "/x.toml", "shell"])),
            Some("/x.toml".into())
        );
        assert_eq!(
            config_flag(args(&["sr", "--config=/y.toml"])),
            Some("/y.toml".into())
        );
        assert_eq!(config_flag(args(&["sr", "shell"])), None);
    }
}
