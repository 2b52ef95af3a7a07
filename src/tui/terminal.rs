//! Every terminal mode the TUI changes, and getting them back on every exit path.
//!
//! [`TerminalGuard`] enters raw mode, the alternate screen and bracketed paste and hides the
//! cursor; its `Drop` undoes all of it (normal quit and `?` error returns). The panic hook
//! restores first and prints the panic after, then exits, so a panic in the loop or in a
//! background thread never leaves a raw terminal or a loop drawing on a restored one.
//! The terminal's original termios is saved once at start and put back on every restore
//! (crossterm only remembers the mode in force when raw mode was last enabled, which a
//! child that left the tty raw would poison). [`TerminalGuard::suspend`] and
//! [`TerminalGuard::resume`] hand the terminal to a child in cooked mode and take it back.
//! Signals and a terminal that goes away are [`super::signals`]' business.
//! Nothing here panics or prints while the terminal is raw.

use std::io::{self, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::cursor::{Hide, Show};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// True while the TUI owns the terminal (raw, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);

#[cfg(unix)]
mod termios {
    //! The terminal's mode at start (`tcgetattr` on stdin), put back on every restore.
    use std::sync::OnceLock;

    static ORIGINAL: OnceLock<libc::termios> = OnceLock::new();

    pub fn save() {
        if ORIGINAL.get().is_some() {
            return;
        }
        // SAFETY: `termios` is plain data; tcgetattr fills it or fails without touching it.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut mode) } == 0 {
            let _ = ORIGINAL.set(mode);
        }
    }

    pub fn restore() {
        if let Some(mode) = ORIGINAL.get() {
            // SAFETY: a termios obtained from tcgetattr on the same descriptor.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, mode) };
        }
    }

    /// Makes this process's group the terminal's foreground group again (a job-control shell
    /// may have left its own there). SIGTTOU is ignored meanwhile, as tcsetpgrp from a
    /// background group would otherwise stop us.
    pub fn reclaim_foreground() {
        // SAFETY: plain libc calls on stdin; the old SIGTTOU disposition is put back.
        unsafe {
            let old = libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::tcsetpgrp(libc::STDIN_FILENO, libc::getpgrp());
            libc::signal(libc::SIGTTOU, old);
        }
    }
}

#[cfg(not(unix))]
mod termios {
    pub fn save() {}
    pub fn restore() {}
    pub fn reclaim_foreground() {}
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        Hide
    )?;
    Ok(())
}

/// True while the TUI has the terminal (not handed to a child, not restored for exit).
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Puts the terminal back as it was at start. Safe to call twice, from any thread, from the
/// panic hook; errors are ignored (there is nowhere left to report them).
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
        let _ = out.flush();
        let _ = disable_raw_mode();
    }
    termios::restore();
}

/// Restores the terminal before any panic message is printed, then ends the process: a
/// panic anywhere (the loop, a background thread) must not leave the loop drawing on a
/// restored terminal.
fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
            std::process::exit(101);
        }));
    });
}

type Screen = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs; dropping it restores the terminal.
pub struct TerminalGuard {
    /// Never dropped by the compiler: see [`dispose`].
    terminal: ManuallyDrop<Screen>,
}

/// Lets go of a ratatui terminal. Its `Drop` shows a hidden cursor and, when that fails (the
/// terminal went away), reports it with `eprintln!`, which panics on a closed stderr: so the
/// cursor is shown here first, and a terminal that cannot take it is forgotten instead.
fn dispose(mut terminal: Screen) {
    if terminal.show_cursor().is_ok() {
        drop(terminal);
    } else {
        std::mem::forget(terminal);
    }
}

impl TerminalGuard {
    /// Saves the original mode, installs the panic hook, and enters the TUI's modes.
    pub fn new() -> io::Result<TerminalGuard> {
        termios::save();
        install_panic_hook();
        if let Err(e) = enter() {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(TerminalGuard {
                terminal: ManuallyDrop::new(terminal),
            }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    pub fn terminal(&mut self) -> &mut Screen {
        &mut self.terminal
    }

    /// Hands the terminal over: main screen, cursor shown, cooked mode as at start.
    pub fn suspend(&mut self) {
        restore();
    }

    /// Takes the terminal back after a child: foreground group, original mode then raw,
    /// alternate screen; drops keys typed meanwhile; the next draw repaints everything at
    /// the current size.
    pub fn resume(&mut self) -> io::Result<()> {
        termios::reclaim_foreground();
        termios::restore();
        enter()?;
        // Never let crossterm read a terminal that went away meanwhile: it would spin.
        while !super::events::closed() && event::poll(Duration::ZERO)? {
            let _ = event::read()?;
        }
        // A new terminal (not `Terminal::clear`, which asks the terminal for the cursor
        // position): empty buffers, so the next draw repaints everything at the current size.
        execute!(io::stdout(), Clear(ClearType::All))?;
        let fresh = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        dispose(std::mem::replace(&mut *self.terminal, fresh));
        Ok(())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // SAFETY: `self.terminal` is taken once, here, and never used again.
        dispose(unsafe { ManuallyDrop::take(&mut self.terminal) });
    }
}
