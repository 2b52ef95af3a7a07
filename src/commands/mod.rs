//! One function per command: read the arguments, call the library, print. The only place
//! that writes to stdout/stderr for the CLI.

mod completion;
mod console;
mod doctor;
mod edit;
mod export;
mod import;
mod init;
pub(crate) mod list;
mod mfa;
#[cfg(unix)]
mod pick;
mod policy;
pub mod prompt;
mod setup;
mod sources;
pub(crate) mod switch;
mod unechoed;
mod whoami;

use std::io::IsTerminal;
use std::path::Path;

use crate::aws::AwsError;
use crate::aws::switch::{MfaCodes, Warning};
use crate::cli::{Cli, Command};
use crate::config::{self, Config};

/// Runs the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let config_path = config::locate(cli.config.as_deref());
    match cli.command {
        None if !crate::tui::is_interactive() => list::run(&config_path, false),
        None => crate::tui::run(&config_path),
        Some(Command::List { json }) => list::run(&config_path, json),
        Some(Command::Add(args)) => edit::add(&config_path, args),
        Some(Command::Remove { name }) => edit::remove(&config_path, &name),
        Some(Command::Shell {
            switch,
            static_credentials,
        }) => switch::shell(&config_path, &switch, static_credentials),
        Some(Command::Exec {
            switch,
            server,
            command,
        }) => switch::exec(&config_path, &switch, server, command),
        Some(Command::Env { switch, format }) => switch::env(&config_path, &switch, format),
        Some(Command::CredentialProcess(args)) => switch::credential_process(&config_path, &args),
        Some(Command::Whoami { json }) => whoami::run(json),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "switchrole", &mut std::io::stdout());
            Ok(0)
        }
        Some(Command::Init {
            shell,
            command,
            no_prompt,
        }) => init::run(shell, &command, no_prompt),
        Some(Command::Prompt { format }) => prompt::run(format),
        Some(Command::Policy(args)) => policy::run(&config_path, &args),
        Some(Command::Console(args)) => console::run(&config_path, &args),
        Some(Command::Setup(command)) => setup::run(&config_path, &command),
        Some(Command::Doctor { name, mfa_code }) => {
            doctor::run(&config_path, name.as_deref(), mfa_code)
        }
        Some(Command::Import(source)) => import::run(&config_path, source),
        Some(Command::Export(target)) => export::run(&config_path, target),
        Some(Command::Man) => completion::man(),
        #[cfg(unix)]
        Some(Command::Pick { format }) => pick::run(&config_path, format),
        #[cfg(not(unix))]
        Some(Command::Pick { .. }) => anyhow::bail!("pick needs a Unix terminal (/dev/tty)"),
        Some(Command::Mfa {
            source_profile,
            mfa_serial,
            mfa_code,
            refresh,
        }) => mfa::run(&config_path, source_profile, mfa_serial, mfa_code, refresh),
        Some(Command::Sources { command }) => sources::run(&config_path, command),
    }
}

/// Marks a `credential-process` run for its children (a nested call is refused).
pub const IN_CREDENTIAL_PROCESS: &str = "SWITCHROLE_IN_CREDENTIAL_PROCESS";

/// The config file is named (`--config`, or `$SWITCHROLE_CONFIG`), so the config dir is
/// not needed to find it.
pub fn config_named(on_command_line: bool) -> bool {
    on_command_line || std::env::var_os("SWITCHROLE_CONFIG").is_some_and(|p| !p.is_empty())
}

/// The config, its team sources merged in; what went wrong with a source is said on stderr.
fn load_config(path: &Path) -> anyhow::Result<Config> {
    let config = config::load(path)?;
    print_team_warnings(&config.team);
    Ok(config)
}

/// What went wrong with the team sources, one line each, on stderr.
fn print_team_warnings(team: &crate::config::sources::Team) {
    for warning in &team.warnings {
        // Every piece of a source warning is escaped already (SPEC 10).
        eprintln!("switchrole: warning: {warning}");
    }
}

/// Prints what went wrong on the side of a switch, one line each, on stderr.
fn print_warnings(warnings: &[Warning]) {
    for warning in warnings {
        let text = warning.to_string();
        eprintln!(
            "switchrole: warning: {}",
            crate::untrusted::escape_controls(&text)
        );
    }
}

/// MFA codes from `--mfa-code`, else asked on the terminal (never when there is none),
/// without echoing what is typed.
struct TerminalMfa(Option<String>);

impl MfaCodes for TerminalMfa {
    fn code(&self, serial: &str) -> Result<String, AwsError> {
        if let Some(code) = &self.0 {
            return Ok(code.clone());
        }
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return Err(AwsError::MfaCodeRequired {
                serial: serial.to_string(),
            });
        }
        let prompt = format!(
            "MFA code for {}: ",
            crate::untrusted::escape_controls(serial)
        );
        let line = unechoed::read_line_unechoed(&prompt)
            .map_err(|e| AwsError::Other(format!("cannot read the MFA code: {e}")))?;
        Ok(line.trim().to_string())
    }
}
