//! Keys and background results in, state changes and [`Effect`]s out. No I/O here: the app
//! runs the effects and feeds their results back as [`Msg`]s carrying the request id, so a
//! stale answer (a cancelled switch) is recognised and dropped. Key *presses* only arrive
//! here (the app drops releases and repeats in one place) and become actions through the
//! screens' tables in [`super::keys`]: [`list`] (the list, help and delete confirmation),
//! [`switch`] (a switch in flight and its MFA prompt), [`form`], [`policy`]. Page sizes and
//! scroll limits come from the view's layout at the size last reported by [`Msg::Resize`].

mod form;
mod list;
mod policy;
mod switch;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::time::SystemTime;

use crossterm::event::KeyEvent;

use super::model::{Mode, Model, SwitchState};
use super::status::{Identity, Status};
use super::view;
use crate::aws::{AwsError, Credentials};
use crate::config::{Config, Role};
use crate::state::UsageState;

/// Something that happened: a key, a paste, a tick, or the result of an effect.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// The terminal's size now (columns, rows).
    Resize {
        width: u16,
        height: u16,
    },
    /// The spinner's clock.
    Tick(SystemTime),
    /// The switch `id` needs an MFA code for `serial` (no MFA session cached).
    MfaNeeded {
        id: u64,
        serial: String,
    },
    /// The switch `id` has credentials (and what went wrong on the side), or failed.
    AssumeFinished {
        id: u64,
        result: Result<Credentials, AwsError>,
        warnings: Vec<String>,
    },
    /// The shell of `role` exited (its code), or could not start.
    ShellFinished {
        role: String,
        result: Result<i32, String>,
    },
    /// An external command (console) finished.
    CommandFinished {
        result: Result<(), String>,
    },
    /// A policy document (`what`: "the trust policy of \"Acme\"") was written to a file.
    PolicySaved {
        what: String,
        result: Result<PathBuf, String>,
    },
    /// The base identity's ARN, or why it is unknown.
    Identity(Result<String, String>),
    /// The expiry of `role`'s cached session (None: nothing cached).
    CacheInfo {
        role: String,
        expires: Option<SystemTime>,
    },
    /// The usage state after a team role's favourite was saved, or the error.
    UsageChanged {
        result: Result<UsageState, String>,
        notice: String,
    },
    /// The config after a save/delete (with the role to select), or the error.
    ConfigChanged {
        result: Result<(Box<Config>, Option<String>), String>,
        notice: String,
    },
}

/// External commands the TUI hands the terminal to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum External {
    Console,
}

/// Work for the app to do.
#[derive(Debug)]
pub enum Effect {
    /// Cached credentials, else MFA check, else a background AssumeRole.
    StartSwitch {
        id: u64,
        role: String,
    },
    /// A background AssumeRole, with the MFA code when one was asked.
    Assume {
        id: u64,
        role: String,
        mfa_code: Option<String>,
    },
    /// Hand the terminal to the user's shell with the role's credentials.
    RunShell {
        role: String,
        creds: Credentials,
    },
    /// Hand the terminal to `switchrole console -- NAME`.
    RunExternal {
        what: External,
        role: String,
    },
    /// Write `text` to a new file `<file_stem>.json` in the current directory (`-2`, `-3`…
    /// when taken; never overwrite); the answer is [`Msg::PolicySaved`] with `what`.
    SavePolicy {
        file_stem: String,
        text: String,
        what: String,
    },
    /// Add (`original` None) or replace a role in the config file.
    SaveRole {
        /// The role as the user saw it before the change (`None`: a new role).
        original: Option<Box<Role>>,
        role: Box<Role>,
        /// Shown once saved.
        notice: String,
    },
    DeleteRole {
        name: String,
    },
    /// Make a team role a favourite (or no longer one) in the usage state: the team's file
    /// is read-only.
    SaveTeamFavorite {
        name: String,
        favorite: bool,
        notice: String,
    },
    /// Look up the expiry of the role's cached session.
    LookupCache {
        role: String,
    },
}

/// Applies `msg` to `model`; returns the effects to run.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = match msg {
        Msg::Key(key) => on_key(model, key),
        Msg::Paste(text) => on_paste(model, &text),
        Msg::Resize { width, height } => {
            model.size = (width, height);
            Vec::new()
        }
        Msg::Tick(now) => {
            model.now = now;
            model.spinner = model.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::MfaNeeded { id, serial } => switch::on_mfa_needed(model, id, serial),
        Msg::AssumeFinished {
            id,
            result,
            warnings,
        } => switch::on_assumed(model, id, result, warnings),
        Msg::ShellFinished { role, result } => switch::on_shell_finished(model, role, result),
        Msg::CommandFinished { result } => {
            if let Err(e) = result {
                model.status = Status::Error(e);
            }
            Vec::new()
        }
        Msg::PolicySaved { what, result } => {
            model.status = match result {
                Ok(path) => Status::info(format!("Saved {what} to {}", path.display())),
                Err(e) => Status::error(format!("Could not save {what}: {e}")),
            };
            Vec::new()
        }
        Msg::Identity(result) => {
            match result {
                Ok(arn) => model.identity = Identity::Known(arn),
                Err(e) => {
                    model.identity = Identity::Failed(e.clone());
                    model.status = Status::Error(e);
                }
            }
            Vec::new()
        }
        Msg::CacheInfo { role, expires } => {
            model.cached.insert(role, expires);
            Vec::new()
        }
        Msg::ConfigChanged { result, notice } => on_config_changed(model, result, notice),
        Msg::UsageChanged { result, notice } => {
            match result {
                Ok(usage) => {
                    model.usage = usage;
                    model.reorder();
                    model.status = Status::Info(notice);
                }
                Err(e) => model.status = Status::Error(e),
            }
            Vec::new()
        }
    };
    keep_in_view(model);
    // The status bar shows the selected role's cached session: look it up when unknown.
    if let Some(role) = model.selected_role()
        && !model.cached.contains_key(&role.name)
    {
        effects.push(Effect::LookupCache {
            role: role.name.clone(),
        });
    }
    effects
}

/// Keeps the list's selection and the policies' scroll on screen at the last known size.
fn keep_in_view(model: &mut Model) {
    model.offset = view::list_offset(model);
    if let Mode::Policy(view) = &model.mode {
        let (_, max_scroll) = view::policy_scroll_limits(model, view);
        if let Mode::Policy(view) = &mut model.mode {
            view.scroll = view.scroll.min(max_scroll);
        }
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match &model.switch {
        SwitchState::AwaitingMfa(_) => return switch::on_mfa_key(model, key),
        SwitchState::Assuming { .. } => return switch::on_switching_key(model, key),
        SwitchState::Idle => {}
    }
    match &model.mode {
        Mode::List => list::on_list_key(model, key),
        Mode::Help => list::on_help_key(model, key),
        Mode::ConfirmDelete { .. } => list::on_confirm_key(model, key),
        Mode::ConfirmCopy { .. } => list::on_copy_key(model, key),
        Mode::Form(_) => form::on_form_key(model, key),
        Mode::Policy(_) => policy::on_policy_key(model, key),
    }
}

fn on_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    match &mut model.switch {
        SwitchState::AwaitingMfa(prompt) => switch::paste_code(prompt, text),
        SwitchState::Assuming { .. } => {}
        SwitchState::Idle => match &mut model.mode {
            Mode::Form(form) => form.paste(text),
            Mode::List => list::paste_into_filter(model, text),
            _ => {}
        },
    }
    Vec::new()
}

fn on_config_changed(
    model: &mut Model,
    result: Result<(Box<Config>, Option<String>), String>,
    notice: String,
) -> Vec<Effect> {
    match result {
        Ok((config, select)) => {
            model.set_config(*config);
            // An edit may have changed what a role points at: look the sessions up again.
            model.cached.clear();
            if let Some(name) = select
                && !model.select_name(&name)
                && !model.filter.value().is_empty()
            {
                // A new role hidden by the filter: clear it so the role shows.
                model.filter.reset();
                model.refilter();
                model.select_name(&name);
            }
            if matches!(model.mode, Mode::Form(_)) {
                model.mode = Mode::List;
            }
            model.status = Status::Info(notice);
        }
        Err(e) => match &mut model.mode {
            Mode::Form(form) => form.save_error = Some(e),
            _ => model.status = Status::Error(e),
        },
    }
    Vec::new()
}
