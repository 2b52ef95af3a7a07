//! The exported session (SPEC 4): the exact environment change for a role's credentials, the
//! child shell or command that runs with it, and the `env` output formats.
//!
//! Every format is safe under its real consumer whatever a value holds (a display name is
//! other people's text): nothing in a value can run as code, and it reads back exactly.
//! - `sh`: POSIX single quotes (`'` as `'\''`), for `eval` in bash, dash, zsh, ksh.
//! - `fish`: fish single quotes (`\` and `'` escaped).
//! - `powershell`: single quotes, with every character PowerShell takes for a single quote
//!   (`'` and U+2018..U+201B) doubled; `"`-like characters mean nothing there.
//! - `dotenv`: for `set -a; . FILE` in any POSIX shell and for python-dotenv, exact in both:
//!   single quotes when the value holds no `'`, `\` or `$`; else double quotes with `\` and
//!   `"` escaped, and `$` and the backquote written as `${SWITCHROLE_DOLLAR}` and
//!   `${SWITCHROLE_BACKQUOTE}`, two variables the file defines first (in single quotes) when
//!   a value needs them. Both readers expand `${NAME}` once and never expand the result, and
//!   a `$` or backquote typed raw in double quotes would run code in the shell while
//!   `\$` would stay `\$` in python-dotenv: the variables are the one spelling both read
//!   the same. `docker run --env-file` is no consumer: it takes each value raw, quotes
//!   included, and cannot hold a newline; give docker the variables with `-e NAME` from a
//!   shell that ran `eval "$(switchrole env ROLE)"` (docker compose's `env_file` parses
//!   quotes like python-dotenv).

use std::fmt::Write as _;
use std::process::Command;

use crate::aws::Credentials;
use crate::config::{Effective, Role};

/// Variables a session removes from the child's environment.
pub const UNSET: [&str; 3] = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"];

/// Variables holding credentials; switchrole ignores them when it exported them itself.
pub const CREDENTIAL_VARS: [&str; 5] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
];

/// The expiry of static credentials in Unix seconds, for prompt hooks.
pub const EXPIRES_VAR: &str = "SWITCHROLE_EXPIRES";

/// The environment change for one role's session.
pub struct SessionEnv {
    vars: Vec<(&'static str, String)>,
    creds: Credentials,
}

impl std::fmt::Debug for SessionEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.vars.iter().map(|(name, _)| *name).collect();
        f.debug_struct("SessionEnv").field("sets", &names).finish()
    }
}

/// Output formats of `switchrole env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EnvFormat {
    Sh,
    Fish,
    Powershell,
    Json,
    Dotenv,
}

impl EnvFormat {
    /// The format named on the command line (`sh`, `json`, ...), as clap reads it.
    pub fn parse(text: &str) -> Option<EnvFormat> {
        clap::ValueEnum::from_str(text, false).ok()
    }
}

impl SessionEnv {
    pub fn new(role: &Role, effective: &Effective, creds: &Credentials) -> Self {
        let mut vars = vec![
            ("AWS_ACCESS_KEY_ID", creds.access_key_id.clone()),
            (
                "AWS_SECRET_ACCESS_KEY",
                creds.secret_access_key.expose().to_string(),
            ),
            (
                "AWS_SESSION_TOKEN",
                creds.session_token.expose().to_string(),
            ),
            ("AWS_CREDENTIAL_EXPIRATION", creds.expiration_rfc3339()),
        ];
        if let Some(region) = &effective.region {
            vars.push(("AWS_REGION", region.clone()));
            vars.push(("AWS_DEFAULT_REGION", region.clone()));
        }
        vars.push(("SWITCHROLE", role.name.clone()));
        vars.push(("SWITCHROLE_ACCOUNT_ID", role.account_id.clone()));
        vars.push(("SWITCHROLE_ROLE_ARN", effective.role_arn.clone()));
        if let Some(color) = role
            .color
            .as_deref()
            .and_then(|c| crate::config::color::parse(c).ok())
        {
            vars.push(("SWITCHROLE_COLOR", format!("#{}", color.hex())));
        }
        let expires = creds
            .expiration
            .duration_since(std::time::SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        vars.push((EXPIRES_VAR, expires.to_string()));
        SessionEnv {
            vars,
            creds: creds.clone(),
        }
    }

    /// Applies the change without the static credentials (names, region, colour, and the
    /// variables every session removes): what a credential-server session adds its own to.
    pub fn apply_identity(&self, command: &mut Command) {
        for name in UNSET {
            command.env_remove(name);
        }
        for (name, value) in &self.vars {
            if !CREDENTIAL_VARS.contains(name) && *name != EXPIRES_VAR {
                command.env(name, value);
            }
        }
    }

    /// Applies the change to a child process.
    pub fn apply(&self, command: &mut Command) {
        for name in UNSET {
            command.env_remove(name);
        }
        for (name, value) in &self.vars {
            command.env(name, value);
        }
    }

    /// The `credential_process` JSON document (Version 1).
    pub fn credential_process_json(&self) -> String {
        let doc = serde_json::json!({
            "Version": 1,
            "AccessKeyId": self.creds.access_key_id,
            "SecretAccessKey": self.creds.secret_access_key.expose(),
            "SessionToken": self.creds.session_token.expose(),
            "Expiration": self.creds.expiration_rfc3339(),
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// The change as text for a shell or tool to read.
    pub fn render(&self, format: EnvFormat) -> String {
        let mut out = String::new();
        match format {
            EnvFormat::Json => {
                out = self.credential_process_json();
                out.push('\n');
            }
            EnvFormat::Sh => {
                for (name, value) in &self.vars {
                    let _ = writeln!(out, "export {name}={}", sh_quote(value));
                }
                let _ = writeln!(out, "unset {}", UNSET.join(" "));
            }
            EnvFormat::Fish => {
                for (name, value) in &self.vars {
                    let _ = writeln!(out, "set -gx {name} {};", fish_quote(value));
                }
                for name in UNSET {
                    let _ = writeln!(out, "set -e {name};");
                }
            }
            EnvFormat::Powershell => {
                for (name, value) in &self.vars {
                    let _ = writeln!(out, "$env:{name} = {}", powershell_quote(value));
                }
                for name in UNSET {
                    let _ = writeln!(out, "Remove-Item Env:{name} -ErrorAction SilentlyContinue");
                }
            }
            EnvFormat::Dotenv => {
                let needs = |c: char| {
                    self.vars
                        .iter()
                        .any(|(_, v)| dotenv_double_quoted(v) && v.contains(c))
                };
                if needs('$') {
                    let _ = writeln!(out, "{DOTENV_DOLLAR}='$'");
                }
                if needs('`') {
                    let _ = writeln!(out, "{DOTENV_BACKQUOTE}='`'");
                }
                for (name, value) in &self.vars {
                    let _ = writeln!(out, "{name}={}", dotenv_quote(value));
                }
            }
        }
        out
    }
}

/// POSIX shell single quotes: `'` becomes `'\''`.
fn sh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// fish single quotes: only `\` and `'` are escaped.
fn fish_quote(value: &str) -> String {
    format!("'{}'", value.replace('\\', r"\\").replace('\'', r"\'"))
}

/// PowerShell single quotes: every character PowerShell reads as a single quote (`'`,
/// U+2018..U+201B) is doubled, as PowerShell's own `EscapeSingleQuotedStringContent` does.
fn powershell_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\u{2018}'..='\u{201b}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Defined by a dotenv file whose values need a `$` or a backquote (see the module's comment).
const DOTENV_DOLLAR: &str = "SWITCHROLE_DOLLAR";
const DOTENV_BACKQUOTE: &str = "SWITCHROLE_BACKQUOTE";

fn dotenv_double_quoted(value: &str) -> bool {
    value.contains(['\'', '\\', '$'])
}

/// dotenv, read the same by POSIX shells and python-dotenv (see the module's comment).
fn dotenv_quote(value: &str) -> String {
    if !dotenv_double_quoted(value) {
        return format!("'{value}'");
    }
    let mut out = String::with_capacity(value.len() + 8);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '$' => out.push_str(&format!("${{{DOTENV_DOLLAR}}}")),
            '`' => out.push_str(&format!("${{{DOTENV_BACKQUOTE}}}")),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The user's shell: `$SHELL`, else `/bin/sh`.
pub fn user_shell() -> std::ffi::OsString {
    std::env::var_os("SHELL")
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "/bin/sh".into())
}

/// Runs `command` with the session and waits; returns its exit code (128 + signal when it
/// was killed by a signal, as shells report it).
pub fn run_and_wait(mut command: Command, session: &SessionEnv) -> std::io::Result<i32> {
    session.apply(&mut command);
    let status = command.status()?;
    Ok(exit_code(status))
}

/// Replaces this process with `command` running in the session (Unix), so that its exit code
/// and signals are the child's own; elsewhere runs it and exits with its code.
pub fn exec(mut command: Command, session: &SessionEnv) -> std::io::Error {
    session.apply(&mut command);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.exec()
    }
    #[cfg(not(unix))]
    match command.status() {
        Ok(status) => std::process::exit(exit_code(status)),
        Err(e) => e,
    }
}

/// A child's exit code as shells report it: 128 + signal when a signal ended it.
pub fn exit_code(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    status.code().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Secret;
    use std::time::SystemTime;

    fn session() -> SessionEnv {
        let role = Role {
            name: "It's $HOME \"x\"".into(),
            account_id: "012345678901".into(),
            role_name: "Admin".into(),
            ..Role::default()
        };
        let config = crate::config::Config::default();
        let creds = Credentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: Secret::new("se/cr+et"),
            session_token: Secret::new("to\\ken=="),
            expiration: SystemTime::UNIX_EPOCH,
        };
        SessionEnv::new(&role, &config.effective(&role), &creds)
    }

    #[test]
    fn debug_shows_names_only() {
        let debug = format!("{:?}", session());
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"));
        assert!(!debug.contains("se/cr+et"), "{debug}");
    }

    #[test]
    fn quoting() {
        assert_eq!(sh_quote("a'b"), r"'a'\''b'");
        assert_eq!(fish_quote(r"a\'b"), r"'a\\\'b'");
        assert_eq!(powershell_quote("a'b"), "'a''b'");
        assert_eq!(
            powershell_quote("\u{2018}a\u{2019}b\u{201a}\u{201b}\u{201c}\u{201d}"),
            "'\u{2018}\u{2018}a\u{2019}\u{2019}b\u{201a}\u{201a}\u{201b}\u{201b}\u{201c}\u{201d}'"
        );
        assert_eq!(dotenv_quote("a$b"), r#""a${SWITCHROLE_DOLLAR}b""#);
        assert_eq!(dotenv_quote("it's \"x\""), r#""it's \"x\"""#);
        assert_eq!(dotenv_quote(r"a\b"), r#""a\\b""#);
        assert_eq!(
            dotenv_quote("it's $(x) `y`"),
            r#""it's ${SWITCHROLE_DOLLAR}(x) ${SWITCHROLE_BACKQUOTE}y${SWITCHROLE_BACKQUOTE}""#
        );
        assert_eq!(dotenv_quote("a`b"), "'a`b'");
        assert!(
            session()
                .render(EnvFormat::Sh)
                .contains("unset AWS_PROFILE")
        );
    }
}
