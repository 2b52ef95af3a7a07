//! The loop: terminal events and background results become [`Msg`]s, [`update`] changes the
//! model and returns effects, this module runs them (AssumeRole on a Tokio runtime in a
//! background thread, config writes, policy files, handing the terminal to the shell), and
//! the screen is redrawn. Events are read on this thread only, and only while the TUI has
//! the terminal, so keys typed in the child shell stay the shell's; [`events::wait`] is asked
//! first so that crossterm never reads a terminal that went away (it would spin). Key
//! releases/repeats are dropped in [`translate`], the one place that filters them.

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, SystemTime};

use crossterm::event::{self, Event, KeyEventKind};

use super::events::{self, Ready};
use super::files::write_new_file;
use super::model::Model;
use super::signals::{self, Signals};
use super::terminal::TerminalGuard;
use super::theme::Theme;
use super::update::{Effect, External, Msg, update};
use super::view;
use crate::aws::switch::{GivenMfaCode, Plan};
use crate::aws::{AwsError, Credentials, Switcher, Target};
use crate::config;
use crate::server;
use crate::session::{self, SessionEnv};
use crate::shell_init::subshell;
use crate::state::{self, UsageState};

/// How often the loop wakes while a switch is in flight (spinner, results).
const BUSY_TICK: Duration = Duration::from_millis(80);
/// How often it wakes otherwise (background results, the cached session's countdown).
const IDLE_TICK: Duration = Duration::from_millis(250);

/// What Enter does once the role's credentials are there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enter {
    /// Run `$SHELL` as the role and come back to the list.
    Shell,
    /// Hand the role's session to the caller and quit (`switchrole pick`).
    Pick,
}

/// The role picked in [`Enter::Pick`] mode, with its session.
pub type Picked = Option<SessionEnv>;

/// Runs the TUI until the user quits; returns the exit code, and the pick in pick mode.
pub fn run(config_path: &Path, enter: Enter) -> anyhow::Result<(i32, Picked)> {
    // A config that does not load is reported before the terminal changes.
    let (config, roles) = config::load_roles(config_path)?;
    let usage = UsageState::load(&state::default_path());
    let model = Model::with_roles(config, roles, usage, Theme::from_env());
    let signals = Signals::install()?;
    let guard = TerminalGuard::new()?;
    let (sender, receiver) = mpsc::channel();
    let mut app = App {
        model,
        config_path: config_path.to_path_buf(),
        switcher: Switcher::standard(),
        sender,
        receiver,
        guard,
        signals,
        queue: VecDeque::new(),
        enter,
        picked: None,
    };
    app.queue_size();
    let result = match app.run_loop() {
        // A draw or a read failed because the terminal went away: that is a hang-up, and
        // there is nobody left to read the error.
        Err(_) if events::closed() => Ok(signals::EXIT_HANGUP),
        other => other,
    };
    let picked = app.picked.take();
    // Dropping the app drops the guard: the terminal is restored before `main` prints.
    drop(app);
    result.map(|code| (code, picked))
}

struct App {
    model: Model,
    config_path: PathBuf,
    switcher: Switcher,
    sender: Sender<Msg>,
    receiver: Receiver<Msg>,
    guard: TerminalGuard,
    signals: Signals,
    /// Messages produced while running effects, handled before the next draw.
    queue: VecDeque<Msg>,
    enter: Enter,
    picked: Picked,
}

/// A terminal event as a message; `None` for events the TUI ignores. The only place that
/// filters key event kinds.
fn translate(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Press => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

impl App {
    fn run_loop(&mut self) -> anyhow::Result<i32> {
        let mut first_frame = true;
        loop {
            if let Some(msg) = self.queue.pop_front() {
                self.handle(msg)?;
            }
            if let Some(code) = self.model.quit {
                return Ok(code);
            }
            if let Some(code) = self.signals.exit_code() {
                return Ok(code);
            }
            let model = &self.model;
            self.guard
                .terminal()
                .draw(|frame| view::draw(frame, model))?;
            if std::mem::take(&mut first_frame) {
                // Only once the list is on screen: the SDK's start and the network come after.
                self.fetch_identity();
            }
            #[cfg(debug_assertions)]
            test_panic();

            let timeout = if self.model.switch.is_idle() {
                IDLE_TICK
            } else {
                BUSY_TICK
            };
            match events::wait(&self.signals, timeout) {
                Ready::Closed => {
                    // The terminal went away: nothing to restore it for, nothing will come.
                    signals::request_exit(signals::EXIT_HANGUP);
                    continue;
                }
                Ready::Input => self.read_events()?,
                Ready::Signal => self.queue_size(),
                Ready::Timeout => self.handle(Msg::Tick(SystemTime::now()))?,
            }
            while let Ok(msg) = self.receiver.try_recv() {
                self.handle(msg)?;
            }
        }
    }

    /// Handles everything already typed before the next draw. crossterm reads only while
    /// the terminal is there: asked again after each event.
    fn read_events(&mut self) -> anyhow::Result<()> {
        while event::poll(Duration::ZERO)? {
            if let Some(msg) = translate(event::read()?) {
                self.handle(msg)?;
            }
            if self.model.quit.is_some() || events::closed() {
                break;
            }
        }
        Ok(())
    }

    /// Tells the model the terminal's size now (at start, after a resize signal, back from
    /// a child), for page sizes and scroll limits.
    fn queue_size(&mut self) {
        if let Ok((width, height)) = crossterm::terminal::size()
            && self.model.size != (width, height)
        {
            self.queue.push_back(Msg::Resize { width, height });
        }
    }

    /// Updates the model with `msg` and runs the effects, and their messages, in order.
    fn handle(&mut self, msg: Msg) -> anyhow::Result<()> {
        self.queue.push_front(msg);
        while let Some(msg) = self.queue.pop_front() {
            for effect in update(&mut self.model, msg) {
                self.run_effect(effect)?;
            }
        }
        Ok(())
    }

    fn target(&self, name: &str) -> Option<Target> {
        let role = self.model.role(name)?;
        Some(Target::new(&self.model.config, role))
    }

    fn run_effect(&mut self, effect: Effect) -> anyhow::Result<()> {
        match effect {
            Effect::StartSwitch { id, role } => self.start_switch(id, &role),
            Effect::Assume { id, role, mfa_code } => match self.target(&role) {
                Some(target) => self.spawn_assume(id, target, mfa_code),
                None => self.queue.push_back(missing_role(id, &role)),
            },
            Effect::RunShell { role, creds } if self.enter == Enter::Pick => {
                self.pick(&role, &creds)
            }
            Effect::RunShell { role, creds } => self.run_shell(&role, &creds)?,
            Effect::RunExternal { what, role } => self.run_external(what, &role)?,
            Effect::SavePolicy {
                file_stem,
                text,
                what,
            } => {
                let result = std::env::current_dir()
                    .and_then(|dir| write_new_file(&dir, &file_stem, &text))
                    .map_err(|e| e.to_string());
                self.queue.push_back(Msg::PolicySaved { what, result });
            }
            Effect::SaveRole {
                original,
                role,
                notice,
            } => {
                let path = &self.config_path;
                let written = match &original {
                    Some(original) => config::replace_role(path, original, &role),
                    None => config::add_role(path, &role),
                };
                let result = written
                    .and_then(|()| config::load(path))
                    .map(|config| (Box::new(config), Some(role.name.clone())))
                    .map_err(|e| e.to_string());
                self.queue.push_back(Msg::ConfigChanged { result, notice });
            }
            Effect::DeleteRole { name } => {
                let path = &self.config_path;
                let result = config::remove_role(path, &name)
                    .and_then(|_| config::load(path))
                    .map(|config| (Box::new(config), None))
                    .map_err(|e| e.to_string());
                self.queue.push_back(Msg::ConfigChanged {
                    result,
                    notice: format!("Deleted \"{name}\""),
                });
            }
            Effect::SaveTeamFavorite {
                name,
                favorite,
                notice,
            } => {
                let path = state::default_path();
                let result = state::set_team_favorite(&path, &name, favorite)
                    .map(|()| UsageState::load(&path))
                    .map_err(|e| format!("cannot save the favourite in {}: {e}", path.display()));
                self.queue.push_back(Msg::UsageChanged { result, notice });
            }
            Effect::LookupCache { role } => {
                if let Some(target) = self.target(&role) {
                    let expires = self.switcher.cached_any(&target).map(|c| c.expiration);
                    self.queue.push_back(Msg::CacheInfo { role, expires });
                }
            }
        }
        Ok(())
    }

    /// Cached credentials (no network), else the MFA prompt when a code is needed, else a
    /// background AssumeRole: the switch flow's plan, carried out.
    fn start_switch(&mut self, id: u64, name: &str) {
        let Some(target) = self.target(name) else {
            self.queue.push_back(missing_role(id, name));
            return;
        };
        match self.switcher.plan(&target, false) {
            Plan::Cached(creds) => self.queue.push_back(Msg::AssumeFinished {
                id,
                result: Ok(creds),
                warnings: Vec::new(),
            }),
            Plan::NeedsMfa { serial } => self.queue.push_back(Msg::MfaNeeded { id, serial }),
            Plan::Assume => self.spawn_assume(id, target, None),
        }
    }

    /// AssumeRole in a background thread; the answer comes back as
    /// [`Msg::AssumeFinished`] with `id` (dropped by `update` when cancelled meanwhile).
    fn spawn_assume(&self, id: u64, target: Target, mfa_code: Option<String>) {
        let sender = self.sender.clone();
        let switcher = self.switcher.clone();
        let spawned = std::thread::Builder::new()
            .name("switchrole-assume".into())
            .spawn(move || {
                let (result, warnings) = match switcher.assume(&target, &GivenMfaCode(mfa_code)) {
                    Ok(assumed) => (
                        Ok(assumed.credentials),
                        assumed.warnings.iter().map(ToString::to_string).collect(),
                    ),
                    Err(e) => (Err(e), Vec::new()),
                };
                let _ = sender.send(Msg::AssumeFinished {
                    id,
                    result,
                    warnings,
                });
            });
        if let Err(e) = spawned {
            let _ = self.sender.send(Msg::AssumeFinished {
                id,
                result: Err(AwsError::Other(format!("cannot start a thread: {e}"))),
                warnings: Vec::new(),
            });
        }
    }

    /// The base identity for the status bar (remembered, else asked), in the background.
    fn fetch_identity(&self) {
        let sender = self.sender.clone();
        let profile = self.model.config.defaults.source_profile.clone();
        let switcher = self.switcher.clone();
        let _ = std::thread::Builder::new()
            .name("switchrole-identity".into())
            .spawn(move || {
                let result = switcher.base_identity(profile.as_deref());
                let msg = Msg::Identity(result.map(|id| id.arn).map_err(|e| e.to_string()));
                let _ = sender.send(msg);
            });
    }

    /// Records the use off the main thread: a usage file held locked by someone else must
    /// never keep the terminal in raw mode.
    fn record_use_in_background(&self, name: &str) {
        let (switcher, name) = (self.switcher.clone(), name.to_string());
        let _ = std::thread::Builder::new()
            .name("switchrole-usage".into())
            .spawn(move || switcher.record_use(&name));
    }

    /// Pick mode: keeps the role's static session for the caller and quits.
    fn pick(&mut self, name: &str, creds: &Credentials) {
        let Some(role) = self.model.role(name).cloned() else {
            return;
        };
        self.record_use_in_background(&role.name);
        let target = Target::new(&self.model.config, &role);
        self.picked = Some(SessionEnv::new(&role, &target.effective, creds));
        self.model.quit = Some(0);
    }

    /// Records the use, hands the terminal to `$SHELL` with the session (served and
    /// renewing unless `[defaults] credentials = "static"`), takes it back.
    fn run_shell(&mut self, name: &str, creds: &Credentials) -> anyhow::Result<()> {
        let Some(role) = self.model.role(name).cloned() else {
            return Ok(());
        };
        let target = Target::new(&self.model.config, &role);
        self.record_use_in_background(&role.name);
        let session = SessionEnv::new(&role, &target.effective, creds);
        let shell = session::user_shell();
        self.guard.suspend();
        for warning in &self.model.warnings {
            eprintln!("switchrole: warning: {warning}");
        }
        eprintln!(
            "switchrole: a shell as \"{}\" ({}); exit it to come back to the list.",
            role.name, target.effective.role_arn
        );
        let defaults = &self.model.config.defaults;
        let files = subshell::default_dir(self.switcher.cache().dir());
        let result = match subshell::command(&shell, defaults.shows_prompt(), &files) {
            Err(e) => Err(format!(
                "cannot start the shell {}: {e}",
                shell.to_string_lossy()
            )),
            Ok(command) if defaults.serves_credentials() => {
                let switcher = self.switcher.clone();
                server::run(command, switcher, target, &session, creds.clone())
                    .map_err(|e| format!("{e:#}"))
            }
            Ok(command) => session::run_and_wait(command, &session)
                .map_err(|e| format!("cannot start the shell {}: {e}", shell.to_string_lossy())),
        };
        self.signals.clear_interrupt();
        self.guard.resume()?;
        self.queue_size();
        self.queue.push_back(Msg::ShellFinished {
            role: role.name,
            result,
        });
        Ok(())
    }

    /// Runs `switchrole console -- NAME` on the plain terminal and waits for Enter (`--`: a
    /// name like `-h` is a name, not an option).
    fn run_external(&mut self, what: External, name: &str) -> anyhow::Result<()> {
        let subcommand = match what {
            External::Console => "console",
        };
        let exe = std::env::current_exe()?;
        self.guard.suspend();
        let status = Command::new(&exe)
            .arg("--config")
            .arg(&self.config_path)
            .arg(subcommand)
            .arg("--")
            .arg(name)
            .status();
        eprint!("\nPress Enter to return to switchrole… ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        self.signals.clear_interrupt();
        self.guard.resume()?;
        self.queue_size();
        let result = match status {
            Ok(s) if s.success() => Ok(()),
            Ok(s) => Err(format!(
                "`switchrole {subcommand} {name}` failed (exit code {})",
                s.code().unwrap_or(1)
            )),
            Err(e) => Err(format!("cannot run switchrole {subcommand}: {e}")),
        };
        self.queue.push_back(Msg::CommandFinished { result });
        Ok(())
    }
}

/// Debug builds only: `SWITCHROLE_TUI_TEST_PANIC=loop|thread` panics after the first frame,
/// in the loop or in a background thread, so the PTY tests can check that a panic restores
/// the terminal.
#[cfg(debug_assertions)]
fn test_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(
        || match std::env::var("SWITCHROLE_TUI_TEST_PANIC").as_deref() {
            Ok("loop") => panic!("test panic in the TUI loop"),
            Ok("thread") => {
                let _ = std::thread::spawn(|| panic!("test panic in a background thread"));
            }
            _ => {}
        },
    );
}

/// Records the use of `name` (it feeds the list order) on a thread of its own: a usage file
/// held locked by someone else must never hold up the switch, nor the TUI in raw mode.
fn missing_role(id: u64, name: &str) -> Msg {
    Msg::AssumeFinished {
        id,
        result: Err(AwsError::Other(format!(
            "the role \"{name}\" is no longer in the list"
        ))),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn only_key_presses_become_messages() {
        let mut key = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        assert!(matches!(translate(Event::Key(key)), Some(Msg::Key(_))));
        key.kind = KeyEventKind::Release;
        assert!(translate(Event::Key(key)).is_none());
        key.kind = KeyEventKind::Repeat;
        assert!(translate(Event::Key(key)).is_none());
        assert!(matches!(
            translate(Event::Paste("x".into())),
            Some(Msg::Paste(_))
        ));
        assert!(matches!(
            translate(Event::Resize(80, 24)),
            Some(Msg::Resize {
                width: 80,
                height: 24
            })
        ));
        assert!(translate(Event::FocusGained).is_none());
    }
}
