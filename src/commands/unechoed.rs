//! Reading a line from the terminal without echoing it (the CLI's MFA code prompt): echo
//! is off while the line is read and restored on every path, Ctrl-C, SIGTERM and SIGHUP
//! included (the signal's usual end follows the restore).

use std::io::BufRead;

/// Shows `prompt` on stderr and reads one line from stdin with the terminal's echo off
/// (when stdin is a terminal); the Enter still moves to the next line. Echo goes off before
/// the prompt is shown, so nothing typed once it is visible is ever echoed.
pub fn read_line_unechoed(prompt: &str) -> std::io::Result<String> {
    use std::io::Write;
    let _echo_off = EchoOff::start();
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line)
}

/// Echo switched off on stdin until dropped.
struct EchoOff {
    #[cfg(unix)]
    saved: libc::termios,
    #[cfg(unix)]
    handlers: Vec<signal_hook::SigId>,
}

#[cfg(unix)]
impl EchoOff {
    fn start() -> Option<EchoOff> {
        let fd = libc::STDIN_FILENO;
        let mut saved = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills the termios it is given, or fails and we stop.
        if unsafe { libc::tcgetattr(fd, saved.as_mut_ptr()) } != 0 {
            return None;
        }
        // SAFETY: initialised by the successful tcgetattr above.
        let saved = unsafe { saved.assume_init() };
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        let mut handlers = Vec::new();
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
            let restore = move || {
                // SAFETY: tcsetattr is async-signal-safe; `saved` is a copy owned here.
                unsafe { libc::tcsetattr(fd, libc::TCSANOW, &saved) };
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            };
            // SAFETY: the action only calls async-signal-safe functions.
            if let Ok(id) = unsafe { signal_hook::low_level::register(signal, restore) } {
                handlers.push(id);
            }
        }
        // SAFETY: `quiet` is a valid termios derived from the terminal's own.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) } != 0 {
            for id in handlers {
                signal_hook::low_level::unregister(id);
            }
            return None;
        }
        Some(EchoOff { saved, handlers })
    }
}

#[cfg(unix)]
impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the termios read in `start`.
        unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.saved) };
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

#[cfg(not(unix))]
impl EchoOff {
    fn start() -> Option<EchoOff> {
        None
    }
}
