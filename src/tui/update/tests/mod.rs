use super::*;
use crate::aws::AwsError;
use crate::config::Defaults;
use crate::state::UsageState;
use crate::tui::model::{Mode, SwitchState};
use crate::tui::status::Status;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, UNIX_EPOCH};

mod list;
mod screens;
mod switch;

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
        ..Config::default()
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

/// The status line's text when it is a notice.
fn info(model: &Model) -> &str {
    match &model.status {
        Status::Info(text) => text,
        _ => "",
    }
}

/// The status line's text when it is an error.
fn error(model: &Model) -> Option<&str> {
    match &model.status {
        Status::Error(text) => Some(text),
        _ => None,
    }
}

/// The answer to the switch `id`: credentials, no warnings.
fn assumed(id: u64) -> Msg {
    Msg::AssumeFinished {
        id,
        result: Ok(creds()),
        warnings: Vec::new(),
    }
}
