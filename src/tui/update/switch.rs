//! The switch in flight ([`SwitchState`]): Esc cancels while STS answers, the MFA code
//! modal takes six digits, the answer starts the shell or says what went wrong (a rejected
//! code asks again), and the shell's exit comes back as a notice with the switch's warnings.

use crossterm::event::KeyEvent;

use super::Effect;
use crate::aws::switch::check_mfa_code;
use crate::aws::{AwsError, Credentials};
use crate::tui::keys::{self, MfaAction, SwitchingAction};
use crate::tui::model::{MfaPrompt, Model, SwitchState};
use crate::tui::status::Status;

/// The longest MFA code.
const CODE_DIGITS: usize = 6;

/// Keys while STS answers: only Esc (cancel) and Ctrl-C (quit) count.
pub(super) fn on_switching_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match keys::SWITCHING.action(&key, |_| false) {
        Some(SwitchingAction::Cancel) => cancel(model),
        Some(SwitchingAction::Quit) => model.quit = Some(0),
        None => {}
    }
    Vec::new()
}

/// Forgets the switch in flight (a late answer is dropped) and says so.
fn cancel(model: &mut Model) {
    if let Some(role) = model.switch.role() {
        model.status = Status::info(format!("Cancelled the switch to \"{role}\""));
    }
    model.switch = SwitchState::Idle;
}

pub(super) fn on_mfa_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let action = keys::MFA.action(&key, |_| false);
    let SwitchState::AwaitingMfa(prompt) = &mut model.switch else {
        return Vec::new();
    };
    match action {
        Some(MfaAction::Quit) => model.quit = Some(0),
        Some(MfaAction::Cancel) => cancel(model),
        Some(MfaAction::DeleteDigit) => {
            prompt.code.pop();
            prompt.error = None;
        }
        Some(MfaAction::Submit) => match check_mfa_code(&prompt.code) {
            Ok(code) => {
                let (id, role) = (prompt.id, prompt.role.clone());
                model.switch = SwitchState::Assuming {
                    id,
                    role: role.clone(),
                };
                return vec![Effect::Assume {
                    id,
                    role,
                    mfa_code: Some(code),
                }];
            }
            Err(e) => prompt.error = Some(e.to_string()),
        },
        Some(MfaAction::TypeDigit) => match keys::typed_char(&key) {
            Some(c) if c.is_ascii_digit() && prompt.code.len() < CODE_DIGITS => {
                prompt.code.push(c);
                prompt.error = None;
            }
            Some(c) if c.is_ascii_digit() => {}
            Some(_) => prompt.error = Some("an MFA code is 6 digits".into()),
            None => {}
        },
        None => {}
    }
    Vec::new()
}

/// A pasted code replaces the typed one (digits only).
pub(super) fn paste_code(prompt: &mut MfaPrompt, text: &str) {
    prompt.code = text
        .chars()
        .filter(char::is_ascii_digit)
        .take(CODE_DIGITS)
        .collect();
    prompt.error = None;
}

pub(super) fn on_mfa_needed(model: &mut Model, id: u64, serial: String) -> Vec<Effect> {
    if let SwitchState::Assuming { id: current, role } = &model.switch
        && *current == id
    {
        model.switch = SwitchState::AwaitingMfa(MfaPrompt {
            id,
            role: role.clone(),
            serial,
            code: String::new(),
            error: None,
        });
    }
    Vec::new()
}

pub(super) fn on_assumed(
    model: &mut Model,
    id: u64,
    result: Result<Credentials, AwsError>,
    warnings: Vec<String>,
) -> Vec<Effect> {
    let Some(role) = model
        .switch
        .role()
        .filter(|_| model.switch.id() == Some(id))
        .map(str::to_string)
    else {
        // Cancelled or superseded: a stale answer is dropped.
        return Vec::new();
    };
    match result {
        Ok(creds) => {
            model.switch = SwitchState::Idle;
            model.status = match warnings.is_empty() {
                true => match std::mem::take(&mut model.status) {
                    Status::Error(_) => Status::Empty,
                    other => other,
                },
                false => Status::Info(with_warnings(String::new(), &warnings)),
            };
            model.warnings = warnings;
            model.cached.insert(role.clone(), Some(creds.expiration));
            vec![Effect::RunShell { role, creds }]
        }
        Err(
            AwsError::InvalidMfaCode
            | AwsError::MalformedMfaCode
            | AwsError::MfaCodeRequired { .. },
        ) if mfa_serial_of(model, &role).is_some() => {
            let serial = mfa_serial_of(model, &role).unwrap_or_default();
            let error = match &result {
                Err(AwsError::MfaCodeRequired { .. }) | Ok(_) => None,
                Err(e) => Some(e.to_string()),
            };
            model.switch = SwitchState::AwaitingMfa(MfaPrompt {
                id,
                role,
                serial,
                code: String::new(),
                error,
            });
            Vec::new()
        }
        Err(e) => {
            model.switch = SwitchState::Idle;
            model.status = Status::Error(e.to_string());
            Vec::new()
        }
    }
}

pub(super) fn on_shell_finished(
    model: &mut Model,
    role: String,
    result: Result<i32, String>,
) -> Vec<Effect> {
    let warnings = std::mem::take(&mut model.warnings);
    model.status = match result {
        Ok(code) => {
            let back = format!("Back from the shell of \"{role}\" (exit code {code})");
            Status::Info(with_warnings(back, &warnings))
        }
        Err(e) => Status::Error(with_warnings(e, &warnings)),
    };
    model.cached.remove(&role);
    vec![Effect::LookupCache { role }]
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
