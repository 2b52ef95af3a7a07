//! The credential server (SPEC 4a): switchrole stays the child's parent and serves the
//! role's credentials over the AWS container credentials protocol, which every current SDK
//! and the aws CLI read and refresh by themselves, renewed through the switch flow for as
//! long as the child runs. SIGINT is the child's alone; SIGTERM and SIGHUP end both; the
//! child's exit code is the session's; the port closes when the child ends.

mod child_env;
mod http;
mod renew;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

pub use child_env::{SERVER_VARS, forget_own_session, user_files, without_default_credentials};

use crate::aws::{Credentials, Switcher, Target};
use crate::session::{self, SessionEnv};

/// How long the child has to end after a SIGTERM or SIGHUP was passed on.
const GRACE: Duration = Duration::from_secs(2);

/// Runs `command` as `target` with the credential server, until it exits; returns its
/// exit code (128 + signal when a signal ended it).
pub fn run(
    mut command: Command,
    switcher: Switcher,
    target: Target,
    session: &SessionEnv,
    initial: Credentials,
) -> anyhow::Result<i32> {
    let files = child_env::ChildFiles::prepare(&switcher.cache().dir().join("sessions"))?;
    let renewer = Arc::new(renew::Renewer::new(switcher, target, initial));
    let server = http::Server::start(renewer)?;
    session.apply_identity(&mut command);
    for name in session::CREDENTIAL_VARS.iter().chain(&SERVER_VARS) {
        command.env_remove(name);
    }
    command
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.uri())
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", server.token());
    for (name, value) in files.vars() {
        command.env(name, value);
    }
    let mut child = command.spawn().map_err(|e| {
        anyhow::anyhow!(
            "cannot run {}: {e}",
            command.get_program().to_string_lossy()
        )
    })?;
    let signals = Signals::install(child.id())?;
    let status = child.wait();
    let ended_by = signals.finish();
    drop(server);
    drop(files);
    let code = session::exit_code(status?);
    Ok(ended_by.map_or(code, |signal| 128 + signal))
}

/// While the child runs: SIGINT caught and dropped (the terminal sent it to the child
/// too), SIGTERM and SIGHUP passed on to the child by a thread of their own, which kills it
/// when it has not ended after [`GRACE`] (an interactive shell ignores SIGTERM). Handlers,
/// not SIG_IGN: the child starts with the default dispositions.
struct Signals {
    interrupt: signal_hook::SigId,
    handle: signal_hook::iterator::Handle,
    thread: Option<std::thread::JoinHandle<()>>,
    child_done: Arc<AtomicBool>,
    received: Arc<AtomicI32>,
}

impl Signals {
    fn install(child: u32) -> std::io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGKILL, SIGTERM};
        let interrupt = signal_hook::flag::register(SIGINT, Arc::new(AtomicBool::new(false)))?;
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
        let handle = signals.handle();
        let child_done = Arc::new(AtomicBool::new(false));
        let received = Arc::new(AtomicI32::new(0));
        let (done, seen) = (Arc::clone(&child_done), Arc::clone(&received));
        let thread = std::thread::Builder::new()
            .name("switchrole-signals".into())
            .spawn(move || {
                for signal in signals.forever() {
                    seen.store(signal, Ordering::SeqCst);
                    forward(child, signal);
                    let done = Arc::clone(&done);
                    let _ = std::thread::Builder::new()
                        .name("switchrole-grace".into())
                        .spawn(move || {
                            std::thread::sleep(GRACE);
                            if !done.load(Ordering::SeqCst) {
                                forward(child, SIGKILL);
                            }
                        });
                }
            })?;
        Ok(Signals {
            interrupt,
            handle,
            thread: Some(thread),
            child_done,
            received,
        })
    }

    /// Called once the child has ended: stops passing signals on; returns the SIGTERM or
    /// SIGHUP that ended the session, if one did.
    fn finish(mut self) -> Option<i32> {
        self.child_done.store(true, Ordering::SeqCst);
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        signal_hook::low_level::unregister(self.interrupt);
        let signal = self.received.load(Ordering::SeqCst);
        (signal != 0).then_some(signal)
    }
}

#[cfg(unix)]
fn forward(pid: u32, signal: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) on our own child's pid; no memory is touched.
        unsafe {
            libc::kill(pid, signal);
        }
    }
}

#[cfg(not(unix))]
fn forward(_pid: u32, _signal: i32) {}
