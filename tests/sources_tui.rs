//! The TUI with team roles (SPEC 5 last bullet), rendered on ratatui's `TestBackend` as
//! `tui_render.rs` does: a team role shows its source (a SOURCE column at 80 columns, the
//! status bar on any width), Ctrl-E on it offers to copy it into the user's own list and
//! then edits the copy (saved as a new own role), Ctrl-D is refused in plain words, and
//! Ctrl-F keeps its favourite in the usage state rather than in a file.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchrole::config::{Config, Defaults, Role, SourceEntry, Team};
use switchrole::state::UsageState;
use switchrole::tui::model::{Mode, Model};
use switchrole::tui::theme::Theme;
use switchrole::tui::update::{Effect, Msg, update};
use switchrole::tui::view;

fn role(name: &str, account: &str, source: Option<&str>) -> Role {
    Role {
        name: name.into(),
        account_id: account.into(),
        role_name: "Admin".into(),
        source: source.map(str::to_string),
        session_name: source.map(|_| "from-the-team".to_string()),
        ..Role::default()
    }
}

fn model_with(usage: UsageState) -> Model {
    let config = Config {
        path: "/home/user/.config/switchrole/config.toml".into(),
        exists: true,
        defaults: Defaults::default(),
        roles: vec![
            role("Acme own", "111111111111", None),
            role("Team prod", "222222222222", Some("platform")),
        ],
        team: Team {
            sources: vec![SourceEntry {
                name: "platform".into(),
                path: "~/team/roles.toml".into(),
                line: 6,
            }],
            warnings: Vec::new(),
        },
    };
    Model::new(config, usage, Theme::plain())
}

fn press(model: &mut Model, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, modifiers)))
}

fn ctrl(model: &mut Model, c: char) -> Vec<Effect> {
    press(model, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn select_team_role(model: &mut Model) {
    for c in "team".chars() {
        press(model, KeyCode::Char(c), KeyModifiers::NONE);
    }
    assert_eq!(model.selected_role().unwrap().name, "Team prod");
}

fn screen(model: &Model, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::draw(frame, model)).unwrap();
    format!("{}", terminal.backend())
}

#[test]
fn a_team_role_shows_its_source() {
    let mut model = model_with(UsageState::default());
    let wide = screen(&model, 80, 24);
    let header = wide.lines().nth(1).unwrap();
    assert!(header.contains("SOURCE"), "{wide}");
    let row = wide.lines().find(|l| l.contains("Team prod")).unwrap();
    assert!(row.contains("platform"), "{wide}");
    let own = wide.lines().find(|l| l.contains("Acme own")).unwrap();
    assert!(!own.contains("platform"), "{wide}");
    select_team_role(&mut model);
    let narrow = screen(&model, 50, 12);
    assert!(
        !narrow.contains("SOURCE"),
        "no room for the column:\n{narrow}"
    );
    assert!(
        narrow.contains("team: platform"),
        "the status bar says it:\n{narrow}"
    );
}

#[test]
fn ctrl_e_on_a_team_role_offers_a_copy_and_edits_it() {
    let mut model = model_with(UsageState::default());
    select_team_role(&mut model);
    let effects = ctrl(&mut model, 'e');
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::SaveRole { .. })),
        "{effects:?}"
    );
    let offer = screen(&model, 80, 24);
    assert!(
        offer.contains("comes from the team source \"platform\""),
        "{offer}"
    );
    assert!(offer.contains("Copy it into your own list"), "{offer}");
    assert!(offer.contains("copies it and edits the copy"), "{offer}");

    // Any other key leaves it.
    press(&mut model, KeyCode::Esc, KeyModifiers::NONE);
    assert!(matches!(model.mode, Mode::List));
    assert!(screen(&model, 80, 24).contains("Nothing copied"));

    ctrl(&mut model, 'e');
    press(&mut model, KeyCode::Char('y'), KeyModifiers::NONE);
    let form = screen(&model, 80, 24);
    assert!(form.contains("Your copy of \"Team prod\""), "{form}");
    assert!(
        form.contains("222222222222"),
        "filled with the team role: {form}"
    );
    let effects = press(&mut model, KeyCode::Enter, KeyModifiers::NONE);
    let saved = effects
        .iter()
        .find_map(|e| match e {
            Effect::SaveRole {
                original,
                role,
                notice,
            } => Some((original.is_none(), role.clone(), notice.clone())),
            _ => None,
        })
        .expect("the copy is saved");
    let (added, copy, notice) = saved;
    assert!(
        added,
        "a new role in the user's own list, not an edit of the team file"
    );
    assert_eq!(copy.name, "Team prod");
    assert_eq!(copy.source, None);
    assert_eq!(copy.account_id, "222222222222");
    assert_eq!(
        copy.session_name.as_deref(),
        Some("from-the-team"),
        "keys the form does not show are copied too"
    );
    assert!(notice.contains("Copied \"Team prod\""), "{notice}");
}

#[test]
fn ctrl_d_on_a_team_role_is_refused_in_plain_words() {
    let mut model = model_with(UsageState::default());
    select_team_role(&mut model);
    let effects = ctrl(&mut model, 'd');
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::DeleteRole { .. })),
        "{effects:?}"
    );
    assert!(matches!(model.mode, Mode::List));
    let text = screen(&model, 80, 24);
    assert!(
        text.contains("comes from the team source \"platform\""),
        "{text}"
    );
    assert!(text.contains("not here"), "{text}");
}

#[test]
fn a_team_roles_favourite_lives_in_the_usage_state() {
    let mut model = model_with(UsageState::default());
    select_team_role(&mut model);
    let effects = ctrl(&mut model, 'f');
    let [
        Effect::SaveTeamFavorite {
            name,
            favorite,
            notice,
        },
        ..,
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!((name.as_str(), *favorite), ("Team prod", true));
    // The app saves it in the state file and hands the state back.
    let mut usage = UsageState::default();
    usage.team_favorites.insert("Team prod".into());
    update(
        &mut model,
        Msg::UsageChanged {
            result: Ok(usage.clone()),
            notice: notice.clone(),
        },
    );
    press(&mut model, KeyCode::Esc, KeyModifiers::NONE);
    let text = screen(&model, 80, 24);
    let first_row = text.lines().nth(2).unwrap();
    assert!(
        first_row.contains("★ Team prod"),
        "favourites first:\n{text}"
    );
    // And a new start reads it from the state.
    let fresh = model_with(usage);
    let text = screen(&fresh, 80, 24);
    assert!(
        text.lines().nth(2).unwrap().contains("★ Team prod"),
        "favourites first:\n{text}"
    );
}
