//! The role schema (`config::schema::ROLE_KEYS`) drives every reader and writer of a role:
//! each key round-trips through the store and the loader, is set by `add`'s flags and shown
//! in `add --help`, appears in `list --json`, and (when it has a label) in the TUI form. These
//! tests loop over the table, so a new key is covered by its row alone.

mod common;

use common::TestEnv;
use switchrole::config::schema::{ROLE_KEYS, Slot};
use switchrole::config::{self, Role};
use switchrole::tui::form::{FIELDS, Field, Form};

/// A role with every key set to its example.
fn every_key() -> Role {
    let mut role = Role::default();
    for key in ROLE_KEYS {
        key.set_text(&mut role, key.example)
            .unwrap_or_else(|e| panic!("{}: example {:?}: {e}", key.toml, key.example));
    }
    role
}

fn loaded(path: &std::path::Path) -> Vec<Role> {
    let mut roles = config::load(path).unwrap().roles;
    for role in &mut roles {
        role.line = 0;
    }
    roles
}

#[test]
fn each_key_has_a_valid_example_and_a_field_of_its_own() {
    let mut seen = std::collections::HashSet::new();
    for key in ROLE_KEYS {
        assert!(seen.insert(key.toml), "{} twice", key.toml);
        let mut role = Role::default();
        key.set_text(&mut role, key.example).unwrap();
        for other in ROLE_KEYS {
            let changed = !other.same(&role, &Role::default());
            assert_eq!(
                changed,
                other.toml == key.toml,
                "setting {} changed {}",
                key.toml,
                other.toml
            );
        }
        assert_eq!(
            key.text(&role),
            key.example,
            "{} reads back as typed",
            key.toml
        );
    }
}

#[test]
fn every_key_round_trips_through_store_and_loader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let full = every_key();
    config::add_role(&path, &full).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    for key in ROLE_KEYS {
        assert!(
            text.contains(&format!("\n{} = ", key.toml)),
            "{}:\n{text}",
            key.toml
        );
    }
    assert_eq!(loaded(&path), vec![full.clone()]);

    // Down to the required keys by an edit, and back up again.
    let mut minimal = Role::default();
    for key in ROLE_KEYS.iter().filter(|k| k.required()) {
        key.copy(&full, &mut minimal);
    }
    config::replace_role(&path, &full, &minimal).unwrap();
    assert_eq!(loaded(&path), vec![minimal.clone()]);
    let text = std::fs::read_to_string(&path).unwrap();
    for key in ROLE_KEYS.iter().filter(|k| !k.required()) {
        assert!(
            !text.contains(&format!("\n{} = ", key.toml)),
            "{}:\n{text}",
            key.toml
        );
    }
    config::replace_role(&path, &minimal, &full).unwrap();
    assert_eq!(loaded(&path), vec![full]);
}

/// `add`'s command line setting every key to its example.
fn add_args() -> Vec<String> {
    let mut args = vec!["add".to_string()];
    for key in ROLE_KEYS {
        let arg = key
            .arg
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no flag", key.toml));
        if let Some(long) = arg.long {
            args.push(format!("--{long}"));
        }
        if !matches!(key.slot, Slot::Bool(_)) {
            args.push(key.example.to_string());
        }
    }
    args
}

#[test]
fn add_sets_every_key_and_list_json_shows_each() {
    let env = TestEnv::new(&format!("http://127.0.0.1:{}", common::free_port()));
    let args = add_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    assert_eq!(loaded(&env.config_path()), vec![every_key()]);

    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    let shown = list[0].as_object().unwrap();
    let role = every_key();
    let effective = config::Config::default().effective(&role);
    for key in ROLE_KEYS {
        let (name, value) = key.json_entry(&role, &effective);
        let value = serde_json::to_value(value).unwrap();
        assert!(!value.is_null(), "{}: {value}", key.toml);
        assert_eq!(shown.get(name), Some(&value), "{} as {name}", key.toml);
    }
}

#[test]
fn add_help_names_every_flag() {
    let env = TestEnv::new(&format!("http://127.0.0.1:{}", common::free_port()));
    let help = env.ok(&["add", "--help"]);
    for key in ROLE_KEYS {
        let arg = key.arg.as_ref().unwrap();
        let shown = match arg.long {
            Some(long) => format!("--{long}"),
            None => format!("<{}>", arg.value_name),
        };
        assert!(help.contains(&shown), "{}: {help}", key.toml);
        assert!(help.contains(arg.help), "{}: {help}", key.toml);
    }
}

#[test]
fn the_form_shows_every_labelled_key_in_order_and_saves_it() {
    let labelled: Vec<&str> = ROLE_KEYS
        .iter()
        .filter(|k| k.form.is_some())
        .map(|k| k.toml)
        .collect();
    let fields: Vec<&str> = FIELDS.iter().map(|f| f.key().toml).collect();
    assert_eq!(fields, labelled);
    for named in [
        Field::Name,
        Field::Account,
        Field::RoleName,
        Field::Region,
        Field::Color,
        Field::Duration,
    ] {
        assert!(
            FIELDS.contains(&named),
            "{named:?} is a field of the schema"
        );
    }

    let full = every_key();
    let mut form = Form::edit(&full, vec![]);
    for field in FIELDS.iter() {
        assert_eq!(form.value(*field), field.key().text(&full), "{field:?}");
        assert_eq!(form.check(*field), Ok(()), "{field:?}");
    }
    assert_eq!(form.submit(), Some(full.clone()));

    // Typed into an empty form, the examples give the same role but for unlabelled keys.
    let mut form = Form::add(vec![]);
    for (index, field) in FIELDS.iter().enumerate() {
        form.focus = index;
        for c in field.key().example.chars() {
            form.edit_focused(tui_input::InputRequest::InsertChar(c));
        }
    }
    let mut expected = Role::default();
    for key in ROLE_KEYS.iter().filter(|k| k.form.is_some()) {
        key.copy(&full, &mut expected);
    }
    assert_eq!(form.submit(), Some(expected));
}

#[test]
fn the_form_refuses_a_name_of_the_form_account_slash_role() {
    let mut form = Form::add(vec![]);
    for c in "123456789012/Admin".chars() {
        form.edit_focused(tui_input::InputRequest::InsertChar(c));
    }
    let error = form.check(Field::Name).unwrap_err();
    assert!(error.contains("ACCOUNT_ID/ROLE_NAME"), "{error}");
}
