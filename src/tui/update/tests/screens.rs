//! The form and the policies screen.

use super::*;
use crate::tui::form::Field;
use crate::tui::policy::Document;
use crate::tui::view;

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
    let mut roles: Vec<Role> = m.roles.iter().cloned().collect();
    roles.push((**role).clone());
    update(
        &mut m,
        Msg::ConfigChanged {
            result: Ok((Box::new(config(roles)), Some("Hooli".into()))),
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
    let roles: Vec<Role> = m.roles.iter().cloned().collect();
    let effects = crate::tui::update::update(
        &mut m,
        Msg::ConfigChanged {
            result: Ok((Box::new(config(roles)), Some(shown.clone()))),
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
    assert!(error(&m).unwrap_or("").contains("still being fetched"));
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
    assert!(error(&m).is_none());
    assert!(info(&m).contains("to /work/acme-trust-policy.json"));
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
fn c_saves_the_cloudformation_template_once_the_identity_is_known() {
    let mut m = model();
    update(&mut m, ctrl('y'));
    assert!(update(&mut m, key(KeyCode::Char('c'))).is_empty());
    assert!(error(&m).unwrap_or("").contains("template"));
    update(
        &mut m,
        Msg::Identity(Ok("arn:aws:iam::123456789012:user/alice".into())),
    );
    let effects = update(&mut m, key(KeyCode::Char('c')));
    let (stem, json) = saved(&effects);
    assert_eq!(stem, "acme-role-template");
    let role = &json["Resources"]["SwitchRole"];
    assert_eq!(role["Type"], "AWS::IAM::Role");
    assert_eq!(role["Properties"]["RoleName"], "Admin");
    assert_eq!(
        role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::123456789012:user/alice"
    );
}

#[test]
fn the_policies_scroll_within_what_fits_at_the_reported_size() {
    let mut m = model();
    update(
        &mut m,
        Msg::Identity(Ok("arn:aws:iam::123456789012:user/alice".into())),
    );
    // 9 rows: the window over the list is 7 high, its document part 3.
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 9,
        },
    );
    update(&mut m, ctrl('y'));
    let Mode::Policy(v) = &m.mode else {
        panic!("no policies screen")
    };
    let (page, max) = view::policy_scroll_limits(&m, v);
    assert_eq!(page, 3);
    assert!(max > page + 1, "the document is longer than a page: {max}");
    for _ in 0..max + 5 {
        update(&mut m, key(KeyCode::Down));
    }
    let scroll = |m: &Model| match &m.mode {
        Mode::Policy(v) => v.scroll,
        _ => usize::MAX,
    };
    assert_eq!(scroll(&m), max);
    update(&mut m, key(KeyCode::PageUp));
    assert_eq!(scroll(&m), max - page);
    update(&mut m, key(KeyCode::Home));
    assert_eq!(scroll(&m), 0);
    update(&mut m, key(KeyCode::PageDown));
    assert_eq!(scroll(&m), page);
    update(&mut m, key(KeyCode::End));
    assert_eq!(scroll(&m), max);
    // A taller terminal shows more: the scroll stays within the new limit.
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 60,
        },
    );
    assert_eq!(scroll(&m), 0, "the whole document fits");
    update(
        &mut m,
        Msg::Resize {
            width: 80,
            height: 9,
        },
    );
    update(&mut m, key(KeyCode::End));
    update(&mut m, key(KeyCode::BackTab));
    assert_eq!(scroll(&m), 0, "the other document starts at the top");
}
