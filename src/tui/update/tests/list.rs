//! The list, its filter and movement, help, delete, favourite, console.

use super::*;

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
    // Two rows of list: filter, header, two rows, status bar, footer.
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 6,
        },
    );
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

#[test]
fn the_selected_roles_cache_is_looked_up_once() {
    let mut m = model();
    let effects = crate::tui::update::update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 24,
        },
    );
    assert!(matches!(effects.as_slice(), [Effect::LookupCache { role }] if role == "Acme"));
    update(
        &mut m,
        Msg::CacheInfo {
            role: "Acme".into(),
            expires: None,
        },
    );
    assert!(
        crate::tui::update::update(
            &mut m,
            Msg::Resize {
                width: 80,
                height: 24
            }
        )
        .is_empty()
    );
}

#[test]
fn paste_goes_to_the_filter() {
    let mut m = model();
    update(&mut m, Msg::Paste("initech\n".into()));
    assert_eq!(m.filter.value(), "initech");
    assert_eq!(selected(&m), "Initech");
}
