//! The TUI (`switchrole` with no arguments, SPEC 5): pick a remembered role, assume it, run
//! a shell with its credentials, come back. Elm-shaped: [`model`] holds the state, [`update`]
//! turns keys and background results into state changes plus [`update::Effect`]s (no I/O),
//! [`view`] draws a model, [`keys`] holds every screen's bindings, [`app`] runs the loop and
//! the effects, [`terminal`] owns every terminal mode and restores it on every exit path,
//! [`events`] and [`signals`] make sure a closed terminal or a signal ends the TUI. Must not
//! print to stdout/stderr while the terminal is in raw mode.

pub mod app;
pub mod events;
pub mod files;
pub mod filter;
pub mod form;
pub mod keys;
pub mod model;
pub mod policy;
pub mod signals;
pub mod status;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use std::io::IsTerminal;
use std::path::Path;

/// True when both stdin and stdout are terminals, so the TUI can run.
pub fn is_interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs the TUI on the config at `config_path`; returns the process exit code.
pub fn run(config_path: &Path) -> anyhow::Result<i32> {
    app::run(config_path, app::Enter::Shell).map(|(code, _)| code)
}

/// Runs the TUI as a picker: Enter assumes the role and returns its static session; Esc
/// returns none. Also the exit code the TUI ended with (a signal's, say).
pub fn pick(config_path: &Path) -> anyhow::Result<(i32, app::Picked)> {
    app::run(config_path, app::Enter::Pick)
}
