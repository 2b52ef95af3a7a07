//! `switchrole pick [--format sh|fish|powershell]`: the TUI drawn on the terminal while
//! stdout is a pipe (as fzf does), for the shell function of `switchrole init`: Enter prints
//! the picked role's static change on stdout, Esc prints nothing and exits 1.

use std::fs::{File, OpenOptions};
use std::io::IsTerminal;
use std::os::fd::AsRawFd;
use std::path::Path;

use crate::session::EnvFormat;

pub fn run(config_path: &Path, format: EnvFormat) -> anyhow::Result<i32> {
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| anyhow::anyhow!("pick needs a terminal to draw on: /dev/tty: {e}"))?;
    let picked = {
        let _on_tty = OnTerminal::redirect(&tty)?;
        crate::tui::pick(config_path)
    };
    match picked? {
        (_, Some(session)) => {
            print!("{}", session.render(format));
            Ok(0)
        }
        (0, None) => Ok(1),
        (code, None) => Ok(code),
    }
}

/// Stdout (and stdin, when it is not the terminal) pointed at the terminal while the TUI
/// runs; put back as they were when dropped.
struct OnTerminal {
    saved: Vec<(i32, File)>,
}

impl OnTerminal {
    fn redirect(tty: &File) -> std::io::Result<OnTerminal> {
        let mut targets = vec![libc::STDOUT_FILENO];
        if !std::io::stdin().is_terminal() {
            targets.push(libc::STDIN_FILENO);
        }
        let mut guard = OnTerminal { saved: Vec::new() };
        for fd in targets {
            // SAFETY: dup/dup2 on descriptors this process owns; the duplicate is owned by
            // the File from here on.
            let copy = unsafe { libc::dup(fd) };
            if copy < 0 {
                return Err(std::io::Error::last_os_error());
            }
            guard
                .saved
                .push((fd, unsafe { std::os::fd::FromRawFd::from_raw_fd(copy) }));
            if unsafe { libc::dup2(tty.as_raw_fd(), fd) } < 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(guard)
    }
}

impl Drop for OnTerminal {
    fn drop(&mut self) {
        for (fd, original) in self.saved.drain(..) {
            // SAFETY: puts back the descriptor saved in `redirect`.
            unsafe { libc::dup2(original.as_raw_fd(), fd) };
        }
    }
}
