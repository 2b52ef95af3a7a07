//! `shell`, `exec`, `env` and `credential-process`: credentials for a role, then the session.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use super::{TerminalMfa, load_config, print_warnings};
use crate::aws::{Switcher, Target};
use crate::cli::SwitchArgs;
use crate::session::{self, EnvFormat, SessionEnv};

/// Obtains the session for `args.name` (cache first) and records the use when asked.
fn session_for(path: &Path, args: &SwitchArgs, record: bool) -> anyhow::Result<SessionEnv> {
    let config = load_config(path)?;
    let role = config.find(&args.name)?;
    let target = Target::new(&config, role);
    let switcher = Switcher::standard();
    let mfa = TerminalMfa(args.mfa_code.clone());
    let assumed = switcher.credentials(&target, args.refresh, &mfa)?;
    print_warnings(&assumed.warnings);
    if record {
        switcher.record_use(&role.name);
    }
    Ok(SessionEnv::new(
        role,
        &target.effective,
        &assumed.credentials,
    ))
}

pub fn shell(path: &Path, args: &SwitchArgs) -> anyhow::Result<i32> {
    let session = session_for(path, args, true)?;
    let shell = session::user_shell();
    let err = session::exec(Command::new(&shell), &session);
    anyhow::bail!("cannot start the shell {}: {err}", shell.to_string_lossy())
}

pub fn exec(path: &Path, args: &SwitchArgs, command: Vec<OsString>) -> anyhow::Result<i32> {
    let session = session_for(path, args, true)?;
    let mut argv = command.into_iter();
    let program = argv.next().unwrap_or_default();
    let mut child = Command::new(&program);
    child.args(argv);
    let err = session::exec(child, &session);
    anyhow::bail!("cannot run {}: {err}", program.to_string_lossy())
}

pub fn env(path: &Path, args: &SwitchArgs, format: EnvFormat) -> anyhow::Result<i32> {
    let session = session_for(path, args, true)?;
    print!("{}", session.render(format));
    Ok(0)
}

pub fn credential_process(path: &Path, args: &SwitchArgs) -> anyhow::Result<i32> {
    let session = session_for(path, args, false)?;
    println!("{}", session.credential_process_json());
    Ok(0)
}
