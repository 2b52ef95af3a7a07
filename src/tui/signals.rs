//! How the TUI is ended from outside (SPEC 5, issue 9): SIGTERM ends it with 143, SIGHUP and
//! a terminal that went away (hung up, closed) with 129, SIGINT with 130. The loop looks at
//! [`Signals::exit_code`] on every turn and ends the normal way (restoring through the
//! guard); a watcher thread makes sure SIGTERM, SIGHUP and a hang-up end the process even when
//! the loop cannot look (blocked in a call, or inside crossterm's reader, which spins on end of
//! input: crossterm issue #793): after a short grace it restores the terminal and `_exit`s.
//! While a child (the shell) has the terminal the watcher waits: the loop ends as soon as the
//! child returns. SIGINT is only a flag (Ctrl-C in the child's shell reaches us too).

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// Exit codes: 128 + the signal's number.
pub const EXIT_HANGUP: i32 = 128 + 1;
pub const EXIT_INTERRUPT: i32 = 128 + 2;
pub const EXIT_TERMINATE: i32 = 128 + 15;

/// How long the loop gets to end by itself once an exit was asked for.
const GRACE: Duration = Duration::from_millis(400);
/// How long the forced exit waits for the terminal's restore (a write may block).
const RESTORE_WAIT: Duration = Duration::from_millis(300);

/// The exit code asked for (0: none). The first request wins.
static EXIT_CODE: AtomicI32 = AtomicI32::new(0);

/// Asks the TUI to end with `code`, unless an exit was asked for already.
pub fn request_exit(code: i32) {
    let _ = EXIT_CODE.compare_exchange(0, code, Ordering::SeqCst, Ordering::SeqCst);
}

fn requested_exit() -> Option<i32> {
    match EXIT_CODE.load(Ordering::SeqCst) {
        0 => None,
        code => Some(code),
    }
}

/// The installed handlers, and the pipe the loop's wait wakes on.
#[derive(Debug)]
pub struct Signals {
    interrupt: Arc<AtomicBool>,
    #[cfg(unix)]
    flags: Flags,
    /// Readable after SIGTERM, SIGHUP or SIGWINCH (see [`super::events::wait`]).
    #[cfg(unix)]
    pub(super) wake: std::os::unix::net::UnixStream,
}

impl Signals {
    /// Installs the handlers and starts the watcher thread.
    #[cfg(unix)]
    pub fn install() -> io::Result<Signals> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
        use signal_hook::low_level::pipe;
        use std::os::unix::net::UnixStream;

        let terminate = Arc::new(AtomicBool::new(false));
        let hangup = Arc::new(AtomicBool::new(false));
        let interrupt = Arc::new(AtomicBool::new(false));
        // Flags first: handlers run in the order registered, so a woken reader sees them.
        signal_hook::flag::register(SIGTERM, Arc::clone(&terminate))?;
        signal_hook::flag::register(SIGHUP, Arc::clone(&hangup))?;
        signal_hook::flag::register(SIGINT, Arc::clone(&interrupt))?;
        let (wake, wake_writer) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        for signal in [SIGTERM, SIGHUP, SIGWINCH] {
            pipe::register(signal, wake_writer.try_clone()?)?;
        }
        let (watch, watch_writer) = UnixStream::pair()?;
        watch.set_nonblocking(true)?;
        for signal in [SIGTERM, SIGHUP] {
            pipe::register(signal, watch_writer.try_clone()?)?;
        }
        let flags = Flags { terminate, hangup };
        let watched = flags.clone();
        std::thread::Builder::new()
            .name("switchrole-watch".into())
            .spawn(move || watch_loop(watch, &watched))?;
        Ok(Signals {
            interrupt,
            flags,
            wake,
        })
    }

    #[cfg(not(unix))]
    pub fn install() -> io::Result<Signals> {
        Ok(Signals {
            interrupt: Arc::default(),
        })
    }

    /// The exit code to quit with, when a signal or a hang-up asked to.
    pub fn exit_code(&self) -> Option<i32> {
        #[cfg(unix)]
        self.flags.check();
        requested_exit().or_else(|| {
            self.interrupt
                .load(Ordering::SeqCst)
                .then_some(EXIT_INTERRUPT)
        })
    }

    /// Forgets a SIGINT that reached us while a child had the terminal (Ctrl-C in the shell).
    pub fn clear_interrupt(&self) {
        self.interrupt.store(false, Ordering::SeqCst);
    }
}

#[cfg(unix)]
#[derive(Debug, Clone)]
struct Flags {
    terminate: Arc<AtomicBool>,
    hangup: Arc<AtomicBool>,
}

#[cfg(unix)]
impl Flags {
    fn check(&self) {
        if self.terminate.load(Ordering::SeqCst) {
            request_exit(EXIT_TERMINATE);
        }
        if self.hangup.load(Ordering::SeqCst) {
            request_exit(EXIT_HANGUP);
        }
    }
}

/// Sleeps in `poll` until a signal or a hang-up of stdin (the terminal); once an exit is
/// asked for, gives the loop [`GRACE`] of time holding the terminal, then forces the exit.
#[cfg(unix)]
fn watch_loop(mut wake: std::os::unix::net::UnixStream, flags: &Flags) {
    use std::os::fd::AsRawFd;

    let mut tty = libc::STDIN_FILENO;
    // Time the TUI has held the terminal since the exit was asked for.
    let mut waited = Duration::ZERO;
    let mut last = Instant::now();
    loop {
        let asked = requested_exit();
        let timeout_ms = if asked.is_some() { 50 } else { -1 };
        let mut fds = [
            libc::pollfd {
                fd: wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            // No events asked: poll still reports a hang-up, an error, a closed descriptor.
            libc::pollfd {
                fd: tty,
                events: 0,
                revents: 0,
            },
        ];
        // SAFETY: two valid pollfd structs; a negative fd is ignored by poll.
        unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout_ms) };
        let mut buf = [0u8; 64];
        while matches!(wake.read(&mut buf), Ok(n) if n > 0) {}
        flags.check();
        if fds[1].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            // Reported on every poll from now on: stop watching the descriptor.
            tty = -1;
            request_exit(EXIT_HANGUP);
        }
        let now = Instant::now();
        if asked.is_some() && super::terminal::is_active() {
            waited += now - last;
        }
        last = now;
        if let Some(code) = asked
            && waited >= GRACE
        {
            force_exit(code);
        }
    }
}

/// Restores the terminal (waiting at most [`RESTORE_WAIT`]: a write to a stuck terminal may
/// block) and ends the process at once, whatever the other threads are doing.
#[cfg(unix)]
fn force_exit(code: i32) -> ! {
    let (done, restored) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("switchrole-restore".into())
        .spawn(move || {
            super::terminal::restore();
            let _ = done.send(());
        });
    if spawned.is_ok() {
        let _ = restored.recv_timeout(RESTORE_WAIT);
    }
    // SAFETY: `_exit` ends the process without running atexit handlers or flushing stdio,
    // which could block on the same stuck terminal.
    unsafe { libc::_exit(code) }
}
