//! Waiting for terminal input without ever spinning: crossterm 0.29 loops without end when
//! its descriptor reads end of file or EIO (issue #793), so the loop asks `poll` first and
//! hands the descriptor to crossterm only when there is input and no hang-up. Also wakes on
//! the signals' pipe ([`super::signals`]), so SIGTERM, SIGHUP and resizes are seen at once.

use std::time::Duration;

use super::signals::Signals;

/// What the wait saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    /// Bytes to read: crossterm may read them now.
    Input,
    /// A signal arrived (terminate, hang-up, resize).
    Signal,
    /// Nothing within the timeout.
    Timeout,
    /// The terminal hung up, or stdin is at an error or closed: nothing will ever come.
    Closed,
}

/// Waits up to `timeout` for input on stdin (the terminal crossterm reads) or a signal.
#[cfg(unix)]
pub fn wait(signals: &Signals, timeout: Duration) -> Ready {
    use std::io::Read;
    use std::os::fd::AsRawFd;

    let mut fds = [
        libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        },
        libc::pollfd {
            fd: signals.wake.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    let ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    // SAFETY: two valid pollfd structs.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, ms) };
    if n <= 0 {
        // Timeout, or EINTR: the loop looks at the signals either way.
        return Ready::Timeout;
    }
    if hung_up(fds[0].revents) {
        return Ready::Closed;
    }
    if fds[1].revents != 0 {
        let mut buf = [0u8; 64];
        while matches!((&signals.wake).read(&mut buf), Ok(n) if n > 0) {}
        return Ready::Signal;
    }
    if fds[0].revents & libc::POLLIN != 0 {
        Ready::Input
    } else {
        Ready::Timeout
    }
}

#[cfg(not(unix))]
pub fn wait(_signals: &Signals, timeout: Duration) -> Ready {
    match crossterm::event::poll(timeout) {
        Ok(true) => Ready::Input,
        Ok(false) => Ready::Timeout,
        Err(_) => Ready::Closed,
    }
}

/// True when the terminal is gone: ask before letting crossterm read again.
#[cfg(unix)]
pub fn closed() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd struct, no waiting.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    n > 0 && hung_up(fd.revents)
}

#[cfg(not(unix))]
pub fn closed() -> bool {
    false
}

#[cfg(unix)]
fn hung_up(revents: libc::c_short) -> bool {
    revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}
