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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use child_env::{SERVER_VARS, forget_own_session, without_default_credentials};

use crate::aws::{Credentials, Switcher, Target};
use crate::session::{self, SessionEnv};

/// How long the child has to end after a SIGTERM or SIGHUP was passed on.
const GRACE: Duration = Duration::from_secs(2);

/// How often the parent looks at the child and at the signals while waiting.
const WAIT_TICK: Duration = Duration::from_millis(50);

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
    let signals = Signals::install()?;
    let mut child = command.spawn().map_err(|e| {
        anyhow::anyhow!(
            "cannot run {}: {e}",
            command.get_program().to_string_lossy()
        )
    })?;
    let mut forwarded_at = None;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if let Some(signal) = signals.pending() {
            forward(child.id(), signal);
            forwarded_at.get_or_insert_with(Instant::now);
        }
        // An interactive shell ignores SIGTERM: after the grace period it is killed.
        if forwarded_at.is_some_and(|at: Instant| at.elapsed() > GRACE) {
            let _ = child.kill();
            forwarded_at = None;
        }
        std::thread::sleep(WAIT_TICK);
    };
    drop(server);
    drop(files);
    let code = session::exit_code(status);
    Ok(signals.ended_by().map_or(code, |signal| 128 + signal))
}

/// SIGINT caught and dropped (the terminal sent it to the child too); SIGTERM and SIGHUP
/// remembered, to be passed on to the child. Handlers, not SIG_IGN: the child starts with
/// the default dispositions.
struct Signals {
    ids: Vec<signal_hook::SigId>,
    interrupted: Arc<AtomicBool>,
    received: Arc<AtomicUsize>,
    forwarded: AtomicUsize,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let interrupted = Arc::new(AtomicBool::new(false));
        let received = Arc::new(AtomicUsize::new(0));
        let mut ids = vec![signal_hook::flag::register(
            SIGINT,
            Arc::clone(&interrupted),
        )?];
        for signal in [SIGTERM, SIGHUP] {
            let received = Arc::clone(&received);
            let signal_number = usize::try_from(signal).unwrap_or_default();
            // SAFETY: the handler only stores into an atomic, which is async-signal-safe.
            let id = unsafe {
                signal_hook::low_level::register(signal, move || {
                    received.store(signal_number, Ordering::SeqCst);
                })
            }?;
            ids.push(id);
        }
        Ok(Signals {
            ids,
            interrupted,
            received,
            forwarded: AtomicUsize::new(0),
        })
    }

    /// A SIGTERM or SIGHUP not yet passed on.
    fn pending(&self) -> Option<i32> {
        let signal = self.received.load(Ordering::SeqCst);
        (signal != 0 && self.forwarded.swap(signal, Ordering::SeqCst) != signal)
            .then(|| i32::try_from(signal).unwrap_or_default())
    }

    /// The SIGTERM or SIGHUP that ended the session, if one did.
    fn ended_by(&self) -> Option<i32> {
        let signal = self.received.load(Ordering::SeqCst);
        (signal != 0).then(|| i32::try_from(signal).unwrap_or_default())
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
        self.interrupted.store(false, Ordering::SeqCst);
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
