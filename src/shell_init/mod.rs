//! Switching the shell you are in, and knowing where you are (SPEC 4b): the scripts of
//! `switchrole init bash|zsh|fish|powershell`, the prompt segment of `switchrole prompt`
//! ([`segment`]), and the private start-up files that give the subshells of `shell` and the
//! TUI the same marker ([`subshell`]). The scripts are templates in this directory; this
//! module fills in the function's name, the prompt setting and the variables a switch sets.
//! Holds no I/O but [`subshell`]'s files.

pub mod segment;
pub mod subshell;

#[cfg(test)]
mod tests;

/// The shells `init` writes a script for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// The variables a switch sets or removes (SPEC 4, the static set): what `--off` gives
/// back as they were before the first switch. A test checks that every variable `env`
/// prints is here.
pub const SWITCH_VARS: [&str; 14] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SECURITY_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "SWITCHROLE",
    "SWITCHROLE_ACCOUNT_ID",
    "SWITCHROLE_ROLE_ARN",
    "SWITCHROLE_COLOR",
    "SWITCHROLE_EXPIRES",
];

/// The variable a loaded integration exports (its value: the shell), for `doctor`.
pub const LOADED_VAR: &str = "SWITCHROLE_SHELL_INIT";

/// Seconds before expiry at which the prompt hook renews (the cache's own threshold, so
/// that the renewal really assumes the role again).
pub const RENEW_BEFORE_SECS: u64 = crate::aws::cache::MIN_REMAINING.as_secs();

const BASH: &str = include_str!("init.bash");
const ZSH: &str = include_str!("init.zsh");
const FISH: &str = include_str!("init.fish");
const POWERSHELL: &str = include_str!("init.ps1");

/// What the script is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `init`: the command, renewal in place, and the marker unless `--no-prompt`.
    Full { prompt: bool },
    /// A subshell of `shell` or the TUI: the marker alone.
    Marker,
}

/// The command name is not a plain word.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} cannot name a shell function: use letters, digits, `_` and `-`, not starting with a digit or `-`",
    crate::config::validate::quoted(.0)
)]
pub struct BadCommandName(pub String);

/// Checks a `--cmd` name: ASCII letters, digits, `_` and `-`, not starting with a digit or
/// `-` (a word every supported shell takes as a function name, unquoted).
pub fn check_command_name(name: &str) -> Result<(), BadCommandName> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if first_ok && rest_ok && name.len() <= 64 {
        Ok(())
    } else {
        Err(BadCommandName(name.to_string()))
    }
}

/// The script for `shell`, with the function named `command` (checked first).
pub fn script(shell: Shell, command: &str, mode: Mode) -> Result<String, BadCommandName> {
    check_command_name(command)?;
    let (template, list) = match shell {
        Shell::Bash | Shell::Zsh => (
            if shell == Shell::Bash { BASH } else { ZSH },
            SWITCH_VARS.join(" "),
        ),
        Shell::Fish => (FISH, SWITCH_VARS.join(" ")),
        Shell::Powershell => (
            POWERSHELL,
            SWITCH_VARS
                .iter()
                .map(|v| format!("'{v}'"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    let (full, prompt) = match mode {
        Mode::Full { prompt } => (true, prompt),
        Mode::Marker => (false, true),
    };
    let flag = |on: bool| if on { "1" } else { "0" };
    Ok(template
        .replace("__SR_CMD__", command)
        .replace("__SR_VARS__", &list)
        .replace("__SR_FULL__", flag(full))
        .replace("__SR_PROMPT__", flag(prompt))
        .replace("__SR_RENEW__", &RENEW_BEFORE_SECS.to_string()))
}

/// POSIX shell single quotes (also zsh's and bash's): `'` becomes `'\''`.
pub fn sh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// fish single quotes: `\` and `'` escaped.
pub fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}
