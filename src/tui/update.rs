//! Keys and background results in, state changes and [`Effect`]s out. No I/O here: the app
//! runs the effects and feeds their results back as [`Msg`]s carrying the request id, so a
//! stale answer (a cancelled switch) is recognised and dropped. Key *presses* only arrive
//! here: the app drops releases and repeats in one place.

use std::path::PathBuf;
use std::time::SystemTime;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use super::form::{Field, Form};
use super::keys::{self, Action, PolicyAction};
use super::model::{MfaPrompt, Mode, Model, Pending};
use super::policy::{self, Document, PolicyView};
use crate::aws::switch::check_mfa_code;
use crate::aws::{AwsError, Credentials};
use crate::config::{Config, Role};

/// Something that happened: a key, a paste, a tick, or the result of an effect.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
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
    /// The config after a save/delete (with the role to select), or the error.
    ConfigChanged {
        result: Result<(Config, Option<String>), String>,
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
    /// Hand the terminal to `switchrole console NAME`.
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
        Msg::Resize => Vec::new(),
        Msg::Tick(now) => {
            model.now = now;
            model.spinner = model.spinner.wrapping_add(1);
            Vec::new()
        }
        Msg::MfaNeeded { id, serial } => {
            if model.pending.as_ref().is_some_and(|p| p.id == id) {
                model.mode = Mode::Mfa(MfaPrompt {
                    id,
                    serial,
                    code: String::new(),
                    error: None,
                });
            }
            Vec::new()
        }
        Msg::AssumeFinished {
            id,
            result,
            warnings,
        } => on_assumed(model, id, result, warnings),
        Msg::ShellFinished { role, result } => {
            match result {
                Ok(code) => {
                    let back = format!("Back from the shell of \"{role}\" (exit code {code})");
                    model.info = Some(with_warnings(back, &std::mem::take(&mut model.warnings)));
                }
                Err(e) => {
                    model.error = Some(with_warnings(e, &std::mem::take(&mut model.warnings)))
                }
            }
            model.cached.remove(&role);
            vec![Effect::LookupCache { role }]
        }
        Msg::CommandFinished { result } => {
            if let Err(e) = result {
                model.error = Some(e);
            }
            Vec::new()
        }
        Msg::PolicySaved { what, result } => {
            match result {
                Ok(path) => {
                    model.error = None;
                    model.info = Some(format!("Saved {what} to {}", path.display()));
                }
                Err(e) => model.error = Some(format!("Could not save {what}: {e}")),
            }
            Vec::new()
        }
        Msg::Identity(result) => {
            match result {
                Ok(arn) => model.identity = Some(arn),
                Err(e) => {
                    model.identity_failed = true;
                    model.error = Some(e);
                }
            }
            Vec::new()
        }
        Msg::CacheInfo { role, expires } => {
            model.cached.insert(role, expires);
            Vec::new()
        }
        Msg::ConfigChanged { result, notice } => on_config_changed(model, result, notice),
    };
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

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        model.quit = Some(0);
        return Vec::new();
    }
    match &mut model.mode {
        Mode::List => on_list_key(model, key),
        Mode::Help => {
            model.mode = Mode::List;
            Vec::new()
        }
        Mode::ConfirmDelete { name } => {
            let name = name.clone();
            model.mode = Mode::List;
            match key.code {
                KeyCode::Char('y' | 'Y') => vec![Effect::DeleteRole { name }],
                _ => {
                    model.info = Some("Nothing deleted".into());
                    Vec::new()
                }
            }
        }
        Mode::Mfa(_) => on_mfa_key(model, key),
        Mode::Form(_) => on_form_key(model, key),
        Mode::Policy(_) => on_policy_key(model, key),
    }
}

fn on_list_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    // A switch in flight: only Esc (cancel) and Ctrl-C (quit) count.
    if let Some(pending) = &model.pending {
        if key.code == KeyCode::Esc {
            model.info = Some(format!("Cancelled the switch to \"{}\"", pending.role));
            model.pending = None;
        }
        return Vec::new();
    }
    if let Some(action) = keys::list_action(&key) {
        return on_list_action(model, action);
    }
    if let Some(c) = keys::typed_char(&key) {
        if c == '?' && model.filter.value().is_empty() {
            model.mode = Mode::Help;
            return Vec::new();
        }
        edit_filter(model, InputRequest::InsertChar(c));
    }
    Vec::new()
}

fn edit_filter(model: &mut Model, request: InputRequest) {
    let changed = model
        .filter
        .handle(request)
        .is_some_and(|change| change.value);
    if changed {
        model.refilter();
    }
}

fn on_list_action(model: &mut Model, action: Action) -> Vec<Effect> {
    let page = model.page.get().max(1) as isize;
    match action {
        Action::Up => model.move_selection(-1),
        Action::Down => model.move_selection(1),
        Action::PageUp => model.move_selection(-page),
        Action::PageDown => model.move_selection(page),
        Action::First => model.selected = 0,
        Action::Last => model.move_selection(isize::MAX),
        Action::FilterBackspace => edit_filter(model, InputRequest::DeletePrevChar),
        Action::FilterDeleteWord => edit_filter(model, InputRequest::DeletePrevWord),
        Action::FilterClear => edit_filter(model, InputRequest::DeleteLine),
        Action::FilterLeft => edit_filter(model, InputRequest::GoToPrevChar),
        Action::FilterRight => edit_filter(model, InputRequest::GoToNextChar),
        Action::Help => model.mode = Mode::Help,
        Action::Quit => model.quit = Some(0),
        Action::ClearOrQuit => {
            if model.filter.value().is_empty() {
                model.quit = Some(0);
            } else {
                edit_filter(model, InputRequest::DeleteLine);
            }
        }
        Action::Add => {
            let partition = model.config.defaults.partition.as_deref();
            let form = Form::add(model.names()).in_partition(partition);
            model.mode = Mode::Form(Box::new(form));
        }
        Action::Edit => {
            if let Some(role) = model.selected_role() {
                let form = Form::edit(role, model.names())
                    .in_partition(model.config.defaults.partition.as_deref());
                model.mode = Mode::Form(Box::new(form));
            }
        }
        Action::Delete => {
            if let Some(role) = model.selected_role() {
                model.mode = Mode::ConfirmDelete {
                    name: role.name.clone(),
                };
            }
        }
        Action::Favorite => {
            if let Some(role) = model.selected_role() {
                let mut changed = role.clone();
                changed.favorite = !changed.favorite;
                let notice = if changed.favorite {
                    format!("\"{}\" is a favourite", role.name)
                } else {
                    format!("\"{}\" is no longer a favourite", role.name)
                };
                return vec![Effect::SaveRole {
                    original: Some(Box::new(role.clone())),
                    role: Box::new(changed),
                    notice,
                }];
            }
        }
        Action::Console => {
            if let Some(role) = model.selected_role() {
                return vec![Effect::RunExternal {
                    what: External::Console,
                    role: role.name.clone(),
                }];
            }
        }
        Action::Policy => {
            if let Some(role) = model.selected_role() {
                model.mode = Mode::Policy(PolicyView::new(&role.name));
            }
        }
        Action::Switch => {
            if let Some(role) = model.selected_role() {
                let role = role.name.clone();
                let id = model.new_request_id();
                model.pending = Some(Pending {
                    id,
                    role: role.clone(),
                });
                model.error = None;
                model.info = None;
                model.warnings.clear();
                return vec![Effect::StartSwitch { id, role }];
            }
        }
    }
    Vec::new()
}

fn on_mfa_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::Mfa(prompt) = &mut model.mode else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            model.mode = Mode::List;
            if let Some(pending) = model.pending.take() {
                model.info = Some(format!("Cancelled the switch to \"{}\"", pending.role));
            }
        }
        KeyCode::Backspace => {
            prompt.code.pop();
            prompt.error = None;
        }
        KeyCode::Enter => match check_mfa_code(&prompt.code) {
            Ok(code) => {
                let id = prompt.id;
                model.mode = Mode::List;
                if let Some(pending) = &model.pending
                    && pending.id == id
                {
                    return vec![Effect::Assume {
                        id,
                        role: pending.role.clone(),
                        mfa_code: Some(code),
                    }];
                }
            }
            Err(e) => prompt.error = Some(e.to_string()),
        },
        _ => {
            if let Some(c) = keys::typed_char(&key) {
                if c.is_ascii_digit() && prompt.code.len() < 6 {
                    prompt.code.push(c);
                    prompt.error = None;
                } else if !c.is_ascii_digit() {
                    prompt.error = Some("an MFA code is 6 digits".into());
                }
            }
        }
    }
    Vec::new()
}

fn on_policy_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::Policy(view) = &mut model.mode else {
        return Vec::new();
    };
    let Some(action) = keys::policy_action(&key) else {
        return Vec::new();
    };
    let page = view.page.get().max(1);
    let max = view.max_scroll.get();
    match action {
        PolicyAction::Close => model.mode = Mode::List,
        PolicyAction::OtherDocument => {
            view.document = view.document.other();
            view.scroll = 0;
        }
        PolicyAction::ScrollUp => view.scroll = view.scroll.saturating_sub(1),
        PolicyAction::ScrollDown => view.scroll = (view.scroll + 1).min(max),
        PolicyAction::PageUp => view.scroll = view.scroll.saturating_sub(page),
        PolicyAction::PageDown => view.scroll = view.scroll.saturating_add(page).min(max),
        PolicyAction::Top => view.scroll = 0,
        PolicyAction::Bottom => view.scroll = max,
        PolicyAction::SaveTrust => return save_policy(model, Document::Trust),
        PolicyAction::SavePermission => return save_policy(model, Document::Permission),
    }
    Vec::new()
}

/// The effect that writes `document` of the open policies screen's role to a file, or why
/// it cannot be written yet (the trust policy before the base identity is known).
fn save_policy(model: &mut Model, document: Document) -> Vec<Effect> {
    let Mode::Policy(view) = &model.mode else {
        return Vec::new();
    };
    let role = view.role.clone();
    let what = format!("the {} of \"{role}\"", document.title());
    match policy::shown(model, &role, document).map(|shown| shown.body) {
        Some(Ok(text)) => {
            return vec![Effect::SavePolicy {
                file_stem: policy::file_stem(&role, document),
                text,
                what,
            }];
        }
        Some(Err(why)) => model.error = Some(format!("Did not save {what}: {why}")),
        None => model.error = Some(format!("\"{role}\" is no longer in the list")),
    }
    Vec::new()
}

fn on_form_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let Mode::Form(form) = &mut model.mode else {
        return Vec::new();
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => {
            model.mode = Mode::List;
            return Vec::new();
        }
        KeyCode::Tab => form.next_field(),
        KeyCode::BackTab => form.previous_field(),
        KeyCode::Enter => {
            if let Some(role) = form.submit() {
                let notice = match &form.original {
                    Some(_) => format!("Saved \"{}\"", role.name),
                    None => format!("Added \"{}\"", role.name),
                };
                return vec![Effect::SaveRole {
                    original: form.original.clone().map(Box::new),
                    role: Box::new(role),
                    notice,
                }];
            }
        }
        KeyCode::Up if form.field() == Field::Color => form.cycle_color(false),
        KeyCode::Down if form.field() == Field::Color => form.cycle_color(true),
        KeyCode::Up => form.previous_field(),
        KeyCode::Down => form.next_field(),
        KeyCode::Backspace => form.edit_focused(InputRequest::DeletePrevChar),
        KeyCode::Delete => form.edit_focused(InputRequest::DeleteNextChar),
        KeyCode::Left => form.edit_focused(InputRequest::GoToPrevChar),
        KeyCode::Right => form.edit_focused(InputRequest::GoToNextChar),
        KeyCode::Home => form.edit_focused(InputRequest::GoToStart),
        KeyCode::End => form.edit_focused(InputRequest::GoToEnd),
        KeyCode::Char('u') if ctrl => form.edit_focused(InputRequest::DeleteLine),
        KeyCode::Char('w') if ctrl => form.edit_focused(InputRequest::DeletePrevWord),
        KeyCode::Char('a') if ctrl => form.edit_focused(InputRequest::GoToStart),
        KeyCode::Char('e') if ctrl => form.edit_focused(InputRequest::GoToEnd),
        _ => {
            if let Some(c) = keys::typed_char(&key) {
                form.edit_focused(InputRequest::InsertChar(c));
            }
        }
    }
    Vec::new()
}

fn on_paste(model: &mut Model, text: &str) -> Vec<Effect> {
    match &mut model.mode {
        Mode::Form(form) => form.paste(text),
        Mode::List if model.pending.is_none() => {
            let mut changed = false;
            for c in text.chars().filter(|c| !c.is_control()) {
                changed |= model
                    .filter
                    .handle(InputRequest::InsertChar(c))
                    .is_some_and(|s| s.value);
            }
            if changed {
                model.refilter();
            }
        }
        Mode::Mfa(prompt) => {
            let digits: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
            prompt.code = digits;
            prompt.error = None;
        }
        _ => {}
    }
    Vec::new()
}

fn on_assumed(
    model: &mut Model,
    id: u64,
    result: Result<Credentials, AwsError>,
    warnings: Vec<String>,
) -> Vec<Effect> {
    let Some(pending) = model.pending.clone().filter(|p| p.id == id) else {
        // Cancelled or superseded: a stale answer is dropped.
        return Vec::new();
    };
    match result {
        Ok(creds) => {
            model.pending = None;
            model.error = None;
            if !warnings.is_empty() {
                model.info = Some(with_warnings(String::new(), &warnings));
            }
            model.warnings = warnings;
            model
                .cached
                .insert(pending.role.clone(), Some(creds.expiration));
            vec![Effect::RunShell {
                role: pending.role,
                creds,
            }]
        }
        Err(AwsError::InvalidMfaCode | AwsError::MalformedMfaCode)
        | Err(AwsError::MfaCodeRequired { .. })
            if mfa_serial_of(model, &pending.role).is_some() =>
        {
            let serial = mfa_serial_of(model, &pending.role).unwrap_or_default();
            let error = match &result {
                Err(AwsError::MfaCodeRequired { .. }) => None,
                Err(e) => Some(e.to_string()),
                Ok(_) => None,
            };
            model.mode = Mode::Mfa(MfaPrompt {
                id,
                serial,
                code: String::new(),
                error,
            });
            Vec::new()
        }
        Err(e) => {
            model.pending = None;
            model.error = Some(e.to_string());
            Vec::new()
        }
    }
}

/// `text` followed by the warnings: "Back from … (exit code 0). Warning: could not cache …".
fn with_warnings(text: String, warnings: &[String]) -> String {
    if warnings.is_empty() {
        return text;
    }
    let warnings = warnings.join("; ");
    if text.is_empty() {
        format!("Warning: {warnings}")
    } else {
        format!("{text}. Warning: {warnings}")
    }
}

fn mfa_serial_of(model: &Model, role: &str) -> Option<String> {
    let role = model.role(role)?;
    model.config.effective(role).mfa_serial
}

fn on_config_changed(
    model: &mut Model,
    result: Result<(Config, Option<String>), String>,
    notice: String,
) -> Vec<Effect> {
    match result {
        Ok((config, select)) => {
            model.set_config(config);
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
            model.error = None;
            model.info = Some(notice);
        }
        Err(e) => match &mut model.mode {
            Mode::Form(form) => form.save_error = Some(e),
            _ => model.error = Some(e),
        },
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Defaults;
    use crate::state::UsageState;
    use crate::tui::theme::Theme;
    use std::time::{Duration, UNIX_EPOCH};

    fn role(name: &str, account: &str, role_name: &str) -> Role {
        Role {
            name: name.into(),
            account_id: account.into(),
            role_name: role_name.into(),
            ..Role::default()
        }
    }

    fn config(roles: Vec<Role>) -> Config {
        Config {
            path: "/tmp/switchrole-test/config.toml".into(),
            exists: true,
            defaults: Defaults::default(),
            roles,
        }
    }

    fn model() -> Model {
        Model::new(
            config(vec![
                role("Acme", "111111111111", "Admin"),
                role("Globex", "222222222222", "ReadOnly"),
                role("Initech", "333333333333", "Admin"),
            ]),
            UsageState::default(),
            Theme::plain(),
        )
    }

    /// `update` without the status bar's cache look-ups, which most tests do not care about.
    fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
        super::update(model, msg)
            .into_iter()
            .filter(|e| !matches!(e, Effect::LookupCache { .. }))
            .collect()
    }

    fn key(code: KeyCode) -> Msg {
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn ctrl(c: char) -> Msg {
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    fn type_text(model: &mut Model, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        for c in text.chars() {
            effects.extend(update(model, key(KeyCode::Char(c))));
        }
        effects
    }

    fn selected(model: &Model) -> &str {
        model.selected_role().map(|r| r.name.as_str()).unwrap_or("")
    }

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: crate::aws::Secret::new("secret"),
            session_token: crate::aws::Secret::new("token"),
            expiration: UNIX_EPOCH + Duration::from_secs(4_000_000_000),
        }
    }

    /// Enter on the selection; returns the switch's request id.
    fn start_switch(model: &mut Model) -> u64 {
        let effects = update(model, key(KeyCode::Enter));
        match effects.as_slice() {
            [Effect::StartSwitch { id, .. }, ..] => *id,
            other => panic!("expected StartSwitch, got {other:?}"),
        }
    }

    #[test]
    fn typing_filters_backspace_edits_and_esc_clears_then_quits() {
        let mut m = model();
        type_text(&mut m, "glo");
        assert_eq!(m.filter.value(), "glo");
        assert_eq!(m.visible.len(), 1);
        assert_eq!(selected(&m), "Globex");
        update(&mut m, key(KeyCode::Backspace));
        assert_eq!(m.filter.value(), "gl");
        update(&mut m, key(KeyCode::Esc));
        assert_eq!(m.filter.value(), "");
        assert_eq!(m.visible.len(), 3);
        assert_eq!(m.quit, None);
        update(&mut m, key(KeyCode::Esc));
        assert_eq!(m.quit, Some(0));
    }

    #[test]
    fn filter_matches_account_ids_and_role_names() {
        let mut m = model();
        type_text(&mut m, "3333");
        assert_eq!(selected(&m), "Initech");
        update(&mut m, ctrl('u'));
        type_text(&mut m, "readonly");
        assert_eq!(selected(&m), "Globex");
    }

    #[test]
    fn movement_keys_are_clamped() {
        let mut m = model();
        m.page.set(2);
        assert_eq!(selected(&m), "Acme");
        update(&mut m, key(KeyCode::Down));
        assert_eq!(selected(&m), "Globex");
        update(&mut m, ctrl('n'));
        update(&mut m, ctrl('n'));
        assert_eq!(selected(&m), "Initech");
        update(&mut m, ctrl('p'));
        assert_eq!(selected(&m), "Globex");
        update(&mut m, key(KeyCode::Up));
        update(&mut m, key(KeyCode::Up));
        assert_eq!(selected(&m), "Acme");
        update(&mut m, key(KeyCode::PageDown));
        assert_eq!(selected(&m), "Initech");
        update(&mut m, key(KeyCode::Up));
        update(&mut m, key(KeyCode::PageUp));
        assert_eq!(selected(&m), "Acme");
        update(&mut m, key(KeyCode::End));
        assert_eq!(selected(&m), "Initech");
        update(&mut m, key(KeyCode::Home));
        assert_eq!(selected(&m), "Acme");
    }

    #[test]
    fn help_opens_on_f1_or_question_mark_on_an_empty_filter() {
        let mut m = model();
        update(&mut m, key(KeyCode::Char('?')));
        assert!(matches!(m.mode, Mode::Help));
        update(&mut m, key(KeyCode::Char('x')));
        assert!(matches!(m.mode, Mode::List));
        assert_eq!(m.filter.value(), "", "the closing key is not typed");
        update(&mut m, key(KeyCode::F(1)));
        assert!(matches!(m.mode, Mode::Help));
        update(&mut m, key(KeyCode::Esc));
        assert!(matches!(m.mode, Mode::List));
        assert_eq!(m.quit, None);
        type_text(&mut m, "a?");
        assert_eq!(
            m.filter.value(),
            "a?",
            "? types when the filter is not empty"
        );
        assert!(matches!(m.mode, Mode::List));
    }

    #[test]
    fn ctrl_c_quits_from_every_screen() {
        for open in [ctrl('a'), key(KeyCode::F(1)), ctrl('d')] {
            let mut m = model();
            update(&mut m, open);
            assert!(!matches!(m.mode, Mode::List));
            update(&mut m, ctrl('c'));
            assert_eq!(m.quit, Some(0));
        }
    }

    #[test]
    fn enter_switches_and_the_shell_runs_with_the_answer() {
        let mut m = model();
        update(&mut m, key(KeyCode::Down));
        let id = start_switch(&mut m);
        assert_eq!(m.pending.as_ref().map(|p| p.role.as_str()), Some("Globex"));
        // Keys other than Esc do nothing while STS answers.
        assert!(type_text(&mut m, "x").is_empty());
        assert_eq!(m.filter.value(), "");
        let effects = update(
            &mut m,
            Msg::AssumeFinished {
                id,
                result: Ok(creds()),
                warnings: Vec::new(),
            },
        );
        assert!(
            matches!(effects.as_slice(), [Effect::RunShell { role, .. }] if role == "Globex"),
            "{effects:?}"
        );
        assert!(m.pending.is_none());
        let effects = update(
            &mut m,
            Msg::ShellFinished {
                role: "Globex".into(),
                result: Ok(0),
            },
        );
        assert!(effects.is_empty());
        assert!(!m.cached.contains_key("Globex"), "looked up again");
        assert_eq!(selected(&m), "Globex", "the list is where it was");
        assert!(m.info.as_deref().unwrap_or("").contains("Back from"));
    }

    #[test]
    fn esc_cancels_a_switch_and_its_late_answer_is_dropped() {
        let mut m = model();
        let id = start_switch(&mut m);
        update(&mut m, key(KeyCode::Esc));
        assert!(m.pending.is_none());
        assert_eq!(m.quit, None, "Esc cancelled, it did not quit");
        let effects = update(
            &mut m,
            Msg::AssumeFinished {
                id,
                result: Ok(creds()),
                warnings: Vec::new(),
            },
        );
        assert!(effects.is_empty(), "stale answer must not start a shell");
        // A newer switch ignores an older answer too.
        let first = start_switch(&mut m);
        update(&mut m, key(KeyCode::Esc));
        let second = start_switch(&mut m);
        assert_ne!(first, second);
        let effects = update(
            &mut m,
            Msg::AssumeFinished {
                id: first,
                result: Ok(creds()),
                warnings: Vec::new(),
            },
        );
        assert!(effects.is_empty());
        assert!(m.pending.is_some());
    }

    #[test]
    fn an_sts_error_shows_in_the_status_bar_and_the_tui_goes_on() {
        let mut m = model();
        let id = start_switch(&mut m);
        let effects = update(
            &mut m,
            Msg::AssumeFinished {
                id,
                result: Err(AwsError::Timeout { seconds: 12 }),
                warnings: Vec::new(),
            },
        );
        assert!(effects.is_empty());
        assert!(m.pending.is_none());
        assert!(m.error.as_deref().unwrap_or("").contains("did not answer"));
        assert!(matches!(m.mode, Mode::List));
    }

    #[test]
    fn mfa_prompt_takes_six_digits_and_asks_again_on_a_rejected_code() {
        let mut m = model();
        m.config.defaults.mfa_serial = Some("arn:aws:iam::123456789012:mfa/me".into());
        let id = start_switch(&mut m);
        update(
            &mut m,
            Msg::MfaNeeded {
                id,
                serial: "arn:aws:iam::123456789012:mfa/me".into(),
            },
        );
        assert!(matches!(m.mode, Mode::Mfa(_)));
        type_text(&mut m, "97a531");
        let Mode::Mfa(prompt) = &m.mode else {
            panic!("MFA prompt closed")
        };
        assert_eq!(prompt.code, "97531");
        assert!(
            !format!("{prompt:?}").contains("97531"),
            "code not in Debug"
        );
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty(), "5 digits");
        assert!(matches!(&m.mode, Mode::Mfa(p) if p.error.is_some()));
        type_text(&mut m, "86");
        let effects = update(&mut m, key(KeyCode::Enter));
        assert!(
            matches!(effects.as_slice(), [Effect::Assume { id: i, mfa_code: Some(c), .. }] if *i == id && c == "975318"),
            "{effects:?}"
        );
        update(
            &mut m,
            Msg::AssumeFinished {
                id,
                result: Err(AwsError::InvalidMfaCode),
                warnings: Vec::new(),
            },
        );
        assert!(matches!(&m.mode, Mode::Mfa(p) if p.error.is_some() && p.code.is_empty()));
        update(&mut m, key(KeyCode::Esc));
        assert!(matches!(m.mode, Mode::List));
        assert!(m.pending.is_none());
    }

    #[test]
    fn the_form_adds_a_role_after_validation() {
        let mut m = model();
        update(&mut m, ctrl('a'));
        assert!(matches!(&m.mode, Mode::Form(f) if f.field() == Field::Name));
        type_text(&mut m, "Hooli");
        update(&mut m, key(KeyCode::Tab));
        update(
            &mut m,
            Msg::Paste("arn:aws:iam::444444444444:role/team/Dev".into()),
        );
        assert!(update(&mut m, key(KeyCode::BackTab)).is_empty());
        let Mode::Form(form) = &m.mode else {
            panic!("form closed")
        };
        assert_eq!(form.value(Field::RoleName), "team/Dev");
        assert_eq!(form.field(), Field::Name);
        // Region with a typo: saving focuses it.
        for _ in 0..3 {
            update(&mut m, key(KeyCode::Tab));
        }
        type_text(&mut m, "mars");
        update(&mut m, key(KeyCode::Tab));
        assert!(update(&mut m, key(KeyCode::Enter)).is_empty());
        assert!(matches!(&m.mode, Mode::Form(f) if f.field() == Field::Region));
        update(&mut m, ctrl('u'));
        type_text(&mut m, "eu-west-1");
        let effects = update(&mut m, key(KeyCode::Enter));
        let [Effect::SaveRole { original, role, .. }] = effects.as_slice() else {
            panic!("expected SaveRole, got {effects:?}")
        };
        assert_eq!(original, &None);
        assert_eq!(role.account_id, "444444444444");
        assert_eq!(role.region.as_deref(), Some("eu-west-1"));
        // The saved config comes back: the form closes, the new role is selected.
        let mut roles = m.config.roles.clone();
        roles.push((**role).clone());
        update(
            &mut m,
            Msg::ConfigChanged {
                result: Ok((config(roles), Some("Hooli".into()))),
                notice: "Added".into(),
            },
        );
        assert!(matches!(m.mode, Mode::List));
        assert_eq!(selected(&m), "Hooli");
    }

    #[test]
    fn a_saved_config_forgets_the_cached_session_times() {
        let mut m = model();
        let shown = selected(&m).to_string();
        m.cached
            .insert(shown.clone(), Some(UNIX_EPOCH + Duration::from_secs(1)));
        let roles = m.config.roles.clone();
        let effects = super::update(
            &mut m,
            Msg::ConfigChanged {
                result: Ok((config(roles), Some(shown.clone()))),
                notice: "Saved".into(),
            },
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::LookupCache { role } if *role == shown)),
            "looked up again: {effects:?}"
        );
    }

    #[test]
    fn a_failed_save_keeps_the_form_open_and_esc_cancels() {
        let mut m = model();
        update(&mut m, ctrl('e'));
        assert!(matches!(&m.mode, Mode::Form(f) if f.value(Field::Name) == "Acme"));
        update(
            &mut m,
            Msg::ConfigChanged {
                result: Err("cannot write".into()),
                notice: String::new(),
            },
        );
        assert!(matches!(&m.mode, Mode::Form(f) if f.save_error.is_some()));
        update(&mut m, key(KeyCode::Esc));
        assert!(matches!(m.mode, Mode::List));
        assert_eq!(m.quit, None);
    }

    #[test]
    fn delete_asks_first_and_favourite_toggles() {
        let mut m = model();
        update(&mut m, ctrl('d'));
        assert!(matches!(&m.mode, Mode::ConfirmDelete { name } if name == "Acme"));
        assert!(update(&mut m, key(KeyCode::Char('n'))).is_empty());
        assert!(matches!(m.mode, Mode::List));
        update(&mut m, ctrl('d'));
        let effects = update(&mut m, key(KeyCode::Char('y')));
        assert!(matches!(effects.as_slice(), [Effect::DeleteRole { name }] if name == "Acme"));
        let effects = update(&mut m, ctrl('f'));
        assert!(
            matches!(effects.as_slice(), [Effect::SaveRole { original: Some(o), role, .. }] if o.name == "Acme" && !o.favorite && role.favorite),
            "{effects:?}"
        );
    }

    #[test]
    fn console_runs_switchrole_console() {
        let mut m = model();
        let effects = update(&mut m, ctrl('o'));
        assert!(
            matches!(effects.as_slice(), [Effect::RunExternal { what: External::Console, role }] if role == "Acme")
        );
    }

    fn saved(effects: &[Effect]) -> (&str, serde_json::Value) {
        match effects {
            [
                Effect::SavePolicy {
                    file_stem, text, ..
                },
            ] => (file_stem.as_str(), serde_json::from_str(text).unwrap()),
            other => panic!("expected SavePolicy, got {other:?}"),
        }
    }

    #[test]
    fn ctrl_y_shows_the_policies_and_t_p_save_them() {
        let mut m = model();
        assert!(update(&mut m, ctrl('y')).is_empty(), "no external command");
        assert!(
            matches!(&m.mode, Mode::Policy(v) if v.role == "Acme" && v.document == Document::Trust)
        );
        // Before the base identity is known: the permission policy only.
        assert!(update(&mut m, key(KeyCode::Char('t'))).is_empty());
        assert!(
            m.error
                .as_deref()
                .unwrap_or("")
                .contains("still being fetched")
        );
        let effects = update(&mut m, key(KeyCode::Char('p')));
        let (stem, json) = saved(&effects);
        assert_eq!(stem, "acme-permission-policy");
        assert_eq!(
            json["Statement"][0]["Resource"],
            "arn:aws:iam::111111111111:role/Admin"
        );
        // The identity arrives while the screen is open.
        update(
            &mut m,
            Msg::Identity(Ok("arn:aws:sts::123456789012:user/moto".into())),
        );
        let effects = update(&mut m, key(KeyCode::Char('t')));
        let (stem, json) = saved(&effects);
        assert_eq!(stem, "acme-trust-policy");
        assert_eq!(
            json["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::123456789012:user/moto"
        );
        update(
            &mut m,
            Msg::PolicySaved {
                what: "the trust policy of \"Acme\"".into(),
                result: Ok("/work/acme-trust-policy.json".into()),
            },
        );
        assert!(m.error.is_none());
        assert!(
            m.info
                .as_deref()
                .unwrap_or("")
                .contains("to /work/acme-trust-policy.json")
        );
        // Other keys do not reach the filter; Tab shows the other document; Esc closes.
        type_text(&mut m, "xyz");
        assert_eq!(m.filter.value(), "");
        update(&mut m, key(KeyCode::Tab));
        assert!(matches!(&m.mode, Mode::Policy(v) if v.document == Document::Permission));
        update(&mut m, key(KeyCode::Esc));
        assert!(matches!(m.mode, Mode::List));
        assert_eq!(m.quit, None, "Esc closed the screen, it did not quit");
    }

    #[test]
    fn the_policies_scroll_within_what_was_drawn() {
        let mut m = model();
        update(&mut m, ctrl('y'));
        let Mode::Policy(view) = &m.mode else {
            panic!("no policies screen")
        };
        view.page.set(3);
        view.max_scroll.set(5);
        for _ in 0..10 {
            update(&mut m, key(KeyCode::Down));
        }
        let scroll = |m: &Model| match &m.mode {
            Mode::Policy(v) => v.scroll,
            _ => usize::MAX,
        };
        assert_eq!(scroll(&m), 5);
        update(&mut m, key(KeyCode::PageUp));
        assert_eq!(scroll(&m), 2);
        update(&mut m, key(KeyCode::Home));
        assert_eq!(scroll(&m), 0);
        update(&mut m, key(KeyCode::PageDown));
        assert_eq!(scroll(&m), 3);
        update(&mut m, key(KeyCode::End));
        assert_eq!(scroll(&m), 5);
        update(&mut m, key(KeyCode::BackTab));
        assert_eq!(scroll(&m), 0, "the other document starts at the top");
    }

    #[test]
    fn a_switchs_warnings_reach_the_status_bar() {
        let mut m = model();
        let id = start_switch(&mut m);
        let warning = "could not cache the credentials in /cache: read-only".to_string();
        let effects = update(
            &mut m,
            Msg::AssumeFinished {
                id,
                result: Ok(creds()),
                warnings: vec![warning.clone()],
            },
        );
        assert!(matches!(effects.as_slice(), [Effect::RunShell { .. }]));
        assert_eq!(m.info, Some(format!("Warning: {warning}")));
        update(
            &mut m,
            Msg::ShellFinished {
                role: "Acme".into(),
                result: Ok(0),
            },
        );
        let info = m.info.clone().unwrap_or_default();
        assert!(info.contains("Back from the shell"), "{info}");
        assert!(info.contains(&warning), "{info}");
        assert!(m.warnings.is_empty(), "shown once");
    }

    #[test]
    fn the_selected_roles_cache_is_looked_up_once() {
        let mut m = model();
        let effects = super::update(&mut m, Msg::Resize);
        assert!(matches!(effects.as_slice(), [Effect::LookupCache { role }] if role == "Acme"));
        update(
            &mut m,
            Msg::CacheInfo {
                role: "Acme".into(),
                expires: None,
            },
        );
        assert!(super::update(&mut m, Msg::Resize).is_empty());
    }

    #[test]
    fn paste_goes_to_the_filter() {
        let mut m = model();
        update(&mut m, Msg::Paste("initech\n".into()));
        assert_eq!(m.filter.value(), "initech");
        assert_eq!(selected(&m), "Initech");
    }
}
