//! A switch: Enter, the answer, cancel, STS errors, the MFA prompt, warnings.

use super::*;

#[test]
fn enter_switches_and_the_shell_runs_with_the_answer() {
    let mut m = model();
    update(&mut m, key(KeyCode::Down));
    let id = start_switch(&mut m);
    assert_eq!(m.switch.role(), Some("Globex"));
    // Keys other than Esc do nothing while STS answers.
    assert!(type_text(&mut m, "x").is_empty());
    assert_eq!(m.filter.value(), "");
    let effects = update(&mut m, assumed(id));
    assert!(
        matches!(effects.as_slice(), [Effect::RunShell { role, .. }] if role == "Globex"),
        "{effects:?}"
    );
    assert!(m.switch.is_idle());
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
    assert!(info(&m).contains("Back from"));
}

#[test]
fn esc_cancels_a_switch_and_its_late_answer_is_dropped() {
    let mut m = model();
    let id = start_switch(&mut m);
    update(&mut m, key(KeyCode::Esc));
    assert!(m.switch.is_idle());
    assert_eq!(m.quit, None, "Esc cancelled, it did not quit");
    let effects = update(&mut m, assumed(id));
    assert!(effects.is_empty(), "stale answer must not start a shell");
    // A newer switch ignores an older answer too.
    let first = start_switch(&mut m);
    update(&mut m, key(KeyCode::Esc));
    let second = start_switch(&mut m);
    assert_ne!(first, second);
    let effects = update(&mut m, assumed(first));
    assert!(effects.is_empty());
    assert!(!m.switch.is_idle());
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
    assert!(m.switch.is_idle());
    assert!(error(&m).unwrap_or("").contains("did not answer"));
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
    assert!(matches!(m.switch, SwitchState::AwaitingMfa(_)));
    type_text(&mut m, "97a531");
    let SwitchState::AwaitingMfa(prompt) = &m.switch else {
        panic!("MFA prompt closed")
    };
    assert_eq!(prompt.code, "97531");
    assert!(
        !format!("{prompt:?}").contains("97531"),
        "code not in Debug"
    );
    assert!(update(&mut m, key(KeyCode::Enter)).is_empty(), "5 digits");
    assert!(matches!(&m.switch, SwitchState::AwaitingMfa(p) if p.error.is_some()));
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
    assert!(
        matches!(&m.switch, SwitchState::AwaitingMfa(p) if p.error.is_some() && p.code.is_empty())
    );
    update(&mut m, key(KeyCode::Esc));
    assert!(matches!(m.mode, Mode::List));
    assert!(m.switch.is_idle());
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
    assert_eq!(m.status, Status::Info(format!("Warning: {warning}")));
    update(
        &mut m,
        Msg::ShellFinished {
            role: "Acme".into(),
            result: Ok(0),
        },
    );
    let info = info(&m).to_string();
    assert!(info.contains("Back from the shell"), "{info}");
    assert!(info.contains(&warning), "{info}");
    assert!(m.warnings.is_empty(), "shown once");
}
