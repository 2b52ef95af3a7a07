//! `shell`, `exec`, `env` and `credential-process`: credentials for a role, then the session:
//! served and renewing (`shell` by default, `exec --server`) or static. The shell of `shell`
//! shows the role in its prompt (`shell_init::subshell`).

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use super::{TerminalMfa, load_config, print_warnings};
use crate::aws::{Credentials, Switcher, Target};
use crate::cli::SwitchArgs;
use crate::server;
use crate::session::{self, EnvFormat, SessionEnv};
use crate::shell_init::subshell;

/// A switch about to happen: the flow, the role, and its first credentials (cache first).
struct Switch {
    switcher: Switcher,
    target: Target,
    session: SessionEnv,
    credentials: Credentials,
    /// `[defaults] credentials` asks for a server (the default) rather than static keys.
    serves: bool,
    /// `[defaults] prompt`: the subshell shows the role in its prompt (the default).
    prompt: bool,
}

/// Obtains the session for `args.name` and records the use when asked.
fn switch_for(path: &Path, args: &SwitchArgs, record: bool) -> anyhow::Result<Switch> {
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
    Ok(Switch {
        session: SessionEnv::new(role, &target.effective, &assumed.credentials),
        switcher,
        target,
        credentials: assumed.credentials,
        serves: config.defaults.serves_credentials(),
        prompt: config.defaults.shows_prompt(),
    })
}

fn session_for(path: &Path, args: &SwitchArgs, record: bool) -> anyhow::Result<SessionEnv> {
    switch_for(path, args, record).map(|switch| switch.session)
}

/// Runs `command` in the switch: with the credential server, or exec'd with static ones.
fn run(switch: Switch, command: Command, served: bool) -> anyhow::Result<i32> {
    if served {
        return server::run(
            command,
            switch.switcher,
            switch.target,
            &switch.session,
            switch.credentials,
        );
    }
    let program = command.get_program().to_string_lossy().into_owned();
    let err = session::exec(command, &switch.session);
    anyhow::bail!("cannot run {program}: {err}")
}

pub fn shell(path: &Path, args: &SwitchArgs, static_credentials: bool) -> anyhow::Result<i32> {
    let switch = switch_for(path, args, true)?;
    let served = switch.serves && !static_credentials;
    let files = subshell::default_dir(switch.switcher.cache().dir());
    let command = subshell::command(&session::user_shell(), switch.prompt, &files)?;
    run(switch, command, served)
}

pub fn exec(
    path: &Path,
    args: &SwitchArgs,
    served: bool,
    command: Vec<OsString>,
) -> anyhow::Result<i32> {
    let switch = switch_for(path, args, true)?;
    let mut argv = command.into_iter();
    let mut child = Command::new(argv.next().unwrap_or_default());
    child.args(argv);
    run(switch, child, served)
}

pub fn env(path: &Path, args: &SwitchArgs, format: EnvFormat) -> anyhow::Result<i32> {
    let session = session_for(path, args, true)?;
    print!("{}", session.render(format));
    Ok(0)
}

/// `env NAME --format F` answered from the config's snapshot and the credential cache alone
/// (the front's way); `None` when that takes more (the core then runs the command).
pub fn env_from_cache(path: &Path, name: &str, format: EnvFormat) -> Option<i32> {
    let (session, role) = session_from_cache(path, name)?;
    print!("{}", session.render(format));
    let _ = crate::state::record_use(&crate::state::default_path(), &role);
    Some(0)
}

/// `credential-process NAME` answered as [`env_from_cache`] answers `env`.
pub fn credential_process_from_cache(path: &Path, name: &str) -> Option<i32> {
    let (session, _) = session_from_cache(path, name)?;
    println!("{}", session.credential_process_json());
    Some(0)
}

/// The session of `name` and its display name, from the snapshot and a cache hit: only
/// the heads of the roles and the one role found are decoded.
fn session_from_cache(path: &Path, name: &str) -> Option<(SessionEnv, String)> {
    let mut mapped = crate::config::snapshot::Mapped::new();
    let rows = crate::config::load_snapshot(path, &mut mapped)?;
    let found = crate::config::position(rows.heads(), name)?;
    let config = crate::config::Config {
        path: path.to_path_buf(),
        exists: true,
        roles: vec![rows.role(found)?],
        defaults: rows.defaults,
        team: rows.team,
    };
    super::print_team_warnings(&config.team);
    let role = config.roles.first()?;
    let target = Target::new(&config, role);
    let cache = crate::aws::cache::CredentialCache::default_location();
    let credentials = crate::aws::switch::cached_in(&cache, &target, SystemTime::now())?;
    let session = SessionEnv::new(role, &target.effective, &credentials);
    Some((session, role.name.clone()))
}

pub fn credential_process(path: &Path, args: &SwitchArgs) -> anyhow::Result<i32> {
    let session = session_for(path, args, false)?;
    println!("{}", session.credential_process_json());
    Ok(0)
}
