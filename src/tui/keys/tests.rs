use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn list(key: KeyEvent) -> Option<Action> {
    LIST.action(&key, |_| false)
}

#[test]
fn control_keys_map_to_actions() {
    let c = |ch| press(KeyCode::Char(ch), KeyModifiers::CONTROL);
    assert_eq!(list(c('a')), Some(Action::Add));
    assert_eq!(list(c('e')), Some(Action::Edit));
    assert_eq!(list(c('d')), Some(Action::Delete));
    assert_eq!(list(c('f')), Some(Action::Favorite));
    assert_eq!(list(c('o')), Some(Action::Console));
    assert_eq!(list(c('y')), Some(Action::Policy));
    assert_eq!(list(c('p')), Some(Action::Up));
    assert_eq!(list(c('n')), Some(Action::Down));
    assert_eq!(list(c('c')), Some(Action::Quit));
    assert_eq!(
        list(press(KeyCode::PageDown, KeyModifiers::SHIFT)),
        Some(Action::PageDown)
    );
    assert_eq!(
        list(press(KeyCode::Char('a'), KeyModifiers::NONE)),
        Some(Action::TypeFilter)
    );
    assert_eq!(
        typed_char(&press(KeyCode::Char('A'), KeyModifiers::SHIFT)),
        Some('A')
    );
    assert_eq!(typed_char(&c('a')), None);
    assert_eq!(list(press(KeyCode::Char('a'), KeyModifiers::ALT)), None);
}

#[test]
fn conditions_choose_between_bindings() {
    let question = press(KeyCode::Char('?'), KeyModifiers::SHIFT);
    assert_eq!(
        LIST.action(&question, |w| w == When::FilterEmpty),
        Some(Action::Help)
    );
    assert_eq!(LIST.action(&question, |_| false), Some(Action::TypeFilter));
    let up = press(KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(
        FORM.action(&up, |w| w == When::ColorField),
        Some(FormAction::PreviousColor)
    );
    assert_eq!(FORM.action(&up, |_| false), Some(FormAction::Previous));
}

#[test]
fn any_key_comes_after_the_bound_ones() {
    let k = |c| press(KeyCode::Char(c), KeyModifiers::NONE);
    let never = |_| false;
    assert_eq!(
        CONFIRM_DELETE.action(&k('y'), never),
        Some(ConfirmAction::Delete)
    );
    assert_eq!(
        CONFIRM_DELETE.action(&press(KeyCode::Char('Y'), KeyModifiers::SHIFT), never),
        Some(ConfirmAction::Delete)
    );
    assert_eq!(
        CONFIRM_DELETE.action(&k('n'), never),
        Some(ConfirmAction::Keep)
    );
    assert_eq!(
        HELP.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL), never),
        Some(HelpAction::Quit)
    );
    assert_eq!(
        HELP.action(&press(KeyCode::F(5), KeyModifiers::NONE), never),
        Some(HelpAction::Close)
    );
    assert_eq!(
        SWITCHING.action(&k('x'), never),
        None,
        "ignored while STS answers"
    );
}

#[test]
fn policy_keys_map_to_actions() {
    let policy = |key: KeyEvent| POLICY.action(&key, |_| false);
    let k = |code| press(code, KeyModifiers::NONE);
    assert_eq!(policy(k(KeyCode::Tab)), Some(PolicyAction::OtherDocument));
    assert_eq!(
        policy(press(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(PolicyAction::OtherDocument)
    );
    assert_eq!(policy(k(KeyCode::Char('t'))), Some(PolicyAction::SaveTrust));
    assert_eq!(
        policy(k(KeyCode::Char('p'))),
        Some(PolicyAction::SavePermission)
    );
    assert_eq!(
        policy(press(KeyCode::Char('p'), KeyModifiers::CONTROL)),
        Some(PolicyAction::ScrollUp)
    );
    assert_eq!(policy(k(KeyCode::Esc)), Some(PolicyAction::Close));
    assert_eq!(policy(k(KeyCode::Char('x'))), None);
}

#[test]
fn help_lists_every_binding() {
    let help = LIST.help();
    for binding in LIST.bindings {
        let label = long_label(binding.keys);
        assert!(
            help.iter()
                .any(|(keys, what)| keys.contains(&label) || what.contains(&label)),
            "{label} missing from help"
        );
    }
    assert!(help.contains(&(
        "F1".to_string(),
        "this help (also ? while the filter is empty)".to_string()
    )));
    assert!(help.contains(&("Left / Right".to_string(), "move in the filter".to_string())));
}

#[test]
fn footers_name_the_keys_of_their_tables() {
    assert_eq!(
        LIST.footer_text(" "),
        "Enter switch ^A add ^E edit ^D del ^F fav ^O console ^Y iam F1 help Esc quit"
    );
    assert_eq!(
        FORM.footer_text(" · "),
        "Tab/Shift-Tab move · Enter save · Esc cancel"
    );
    assert_eq!(
        MFA.footer_text(" · "),
        "Enter submits · Esc cancels the switch"
    );
    assert_eq!(
        CONFIRM_DELETE.footer_text(" · "),
        "y deletes it · any other key keeps it"
    );
    assert_eq!(HELP.footer_text(""), "any key closes");
    assert_eq!(SWITCHING.footer_text(""), "Esc cancels");
    assert_eq!(
        POLICY.footer_text("  "),
        "t/p save policy  c save template  Tab other  Esc close  ↑↓ PgUp PgDn scroll"
    );
}

#[test]
fn the_whole_list_footer_fits_in_80_columns() {
    let width = LIST.footer_text(" ").chars().count();
    assert!(width < 80, "{width}");
}
