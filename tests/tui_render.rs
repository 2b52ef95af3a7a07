//! Render snapshots of the TUI (ratatui `TestBackend` + insta) at 80x24 and a narrow size:
//! empty list, list with colours, filtered list, form with a validation error, MFA modal,
//! help, an error in the status bar, the policies screen (Ctrl-Y). Styles are not in text snapshots, so colours and
//! `NO_COLOR` are asserted on buffer cells. Also: no size, however small, panics.

use std::time::{Duration, UNIX_EPOCH};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use switchrole::config::{Config, Defaults, Role};
use switchrole::state::{Usage, UsageState};
use switchrole::tui::model::Model;
use switchrole::tui::status::{Identity, Status};
use switchrole::tui::theme::Theme;
use switchrole::tui::update::{Msg, update};
use switchrole::tui::view;

const NOW: u64 = 1_800_000_000;

fn role(name: &str, account: &str, role_name: &str) -> Role {
    Role {
        name: name.into(),
        account_id: account.into(),
        role_name: role_name.into(),
        ..Role::default()
    }
}

fn roles() -> Vec<Role> {
    vec![
        Role {
            color: Some("red".into()),
            favorite: true,
            ..role(
                "Acme production",
                "111111111111",
                "OrganizationAccountAccessRole",
            )
        },
        Role {
            color: Some("#99bce3".into()),
            tags: vec!["billing".into()],
            ..role("Globex staging", "222222222222", "ops/ReadOnly")
        },
        Role {
            color: Some("green".into()),
            region: Some("ap-southeast-2".into()),
            ..role("Initech", "012345678901", "Admin")
        },
        role(
            "Umbrella Corporation (legacy account)",
            "444444444444",
            "Admin",
        ),
        Role {
            color: Some("yellow".into()),
            ..role("Hooli", "555555555555", "Developer")
        },
    ]
}

fn model_with(roles: Vec<Role>, theme: Theme) -> Model {
    let config = Config {
        path: "/home/user/.config/switchrole/config.toml".into(),
        exists: !roles.is_empty(),
        defaults: Defaults {
            region: Some("eu-west-1".into()),
            ..Defaults::default()
        },
        roles,
        ..Config::default()
    };
    let mut usage = UsageState::default();
    usage.roles.insert(
        "Initech".into(),
        Usage {
            last_used: NOW - 60,
            count: 3,
        },
    );
    let mut model = Model::new(config, usage, theme);
    model.now = UNIX_EPOCH + Duration::from_secs(NOW);
    model.identity = Identity::Known("arn:aws:sts::123456789012:user/moto".into());
    model.cached.insert(
        "Acme production".into(),
        Some(model.now + Duration::from_secs(42 * 60 + 10)),
    );
    model
}

fn model() -> Model {
    model_with(roles(), Theme::colored())
}

fn send(model: &mut Model, msg: Msg) {
    // Effects are the app's business; these tests look at the screen only.
    let _ = update(model, msg);
}

fn key(model: &mut Model, code: KeyCode) {
    send(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(model: &mut Model, c: char) {
    send(
        model,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

fn type_text(model: &mut Model, text: &str) {
    for c in text.chars() {
        key(model, KeyCode::Char(c));
    }
}

fn render(model: &Model, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::draw(frame, model)).unwrap();
    terminal
}

/// Snapshots `model` at 80x24 and at `narrow`.
fn snapshot_both(name: &str, model: &Model, narrow: (u16, u16)) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(model, 80, 24).backend());
    insta::assert_snapshot!(
        format!("{name}_{}x{}", narrow.0, narrow.1),
        render(model, narrow.0, narrow.1).backend()
    );
}

#[test]
fn empty_list() {
    let model = model_with(Vec::new(), Theme::colored());
    snapshot_both("empty", &model, (40, 14));
}

#[test]
fn list_with_colours() {
    let model = model();
    snapshot_both("list", &model, (46, 12));
}

#[test]
fn filtered_list() {
    let mut model = model();
    type_text(&mut model, "adm");
    snapshot_both("filtered", &model, (46, 12));
}

#[test]
fn form_with_a_validation_error() {
    let mut model = model();
    ctrl(&mut model, 'a');
    type_text(&mut model, "Acme dev");
    key(&mut model, KeyCode::Tab);
    type_text(&mut model, "1234");
    key(&mut model, KeyCode::Enter);
    snapshot_both("form_error", &model, (46, 20));
}

#[test]
fn mfa_modal() {
    let mut model = model();
    key(&mut model, KeyCode::Enter);
    let id = model.switch.id().unwrap();
    send(
        &mut model,
        Msg::MfaNeeded {
            id,
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
        },
    );
    type_text(&mut model, "123");
    snapshot_both("mfa", &model, (46, 12));
    let text = format!("{}", render(&model, 80, 24).backend());
    assert!(text.contains("Code: •••___"), "the code is masked:\n{text}");
}

#[test]
fn help() {
    let mut model = model();
    key(&mut model, KeyCode::F(1));
    snapshot_both("help", &model, (46, 14));
}

#[test]
fn policies() {
    let mut model = model();
    ctrl(&mut model, 'y');
    snapshot_both("policy_trust", &model, (46, 14));
    key(&mut model, KeyCode::Tab);
    insta::assert_snapshot!("policy_permission_80x24", render(&model, 80, 24).backend());
}

#[test]
fn policies_before_the_identity_is_known_and_after_a_save() {
    let mut model = model();
    model.identity = Identity::Unknown;
    ctrl(&mut model, 'y');
    let text = format!("{}", render(&model, 80, 24).backend());
    assert!(text.contains("still being fetched"), "{text}");
    send(
        &mut model,
        Msg::PolicySaved {
            what: "the permission policy of \"Acme production\"".into(),
            result: Ok("/home/user/acme-production-permission-policy.json".into()),
        },
    );
    insta::assert_snapshot!(
        "policy_unknown_identity_80x24",
        render(&model, 80, 24).backend()
    );
}

#[test]
fn policies_scroll_on_a_short_terminal() {
    let mut model = model();
    // The app reports the terminal's size; page sizes and scroll limits follow it.
    send(
        &mut model,
        Msg::Resize {
            width: 80,
            height: 12,
        },
    );
    ctrl(&mut model, 'y');
    let first = format!("{}", render(&model, 80, 12).backend());
    assert!(first.contains("lines 1-"), "{first}");
    key(&mut model, KeyCode::End);
    let last = format!("{}", render(&model, 80, 12).backend());
    assert!(last.contains("  ]"), "the end of the JSON shows:\n{last}");
    assert_ne!(first, last);
}

#[test]
fn error_in_the_status_bar() {
    let mut model = model();
    model.status = Status::Error(
        "access denied assuming arn:aws:iam::111111111111:role/OrganizationAccountAccessRole: \
         the role's trust policy may not name your user, your user may lack sts:AssumeRole on \
         it, or the role requires MFA or an ExternalId. Run `switchrole policy \"Acme production\"`"
            .into(),
    );
    snapshot_both("error", &model, (46, 12));
}

#[test]
fn switching_shows_a_spinner() {
    let mut model = model();
    key(&mut model, KeyCode::Enter);
    let text = format!("{}", render(&model, 80, 24).backend());
    assert!(
        text.contains("Assuming \"Acme production\"… (Esc cancels)"),
        "{text}"
    );
}

fn cell_colors(terminal: &Terminal<TestBackend>) -> Vec<(u16, u16, Color, Color)> {
    let buffer = terminal.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.fg != Color::Reset || cell.bg != Color::Reset {
                out.push((x, y, cell.fg, cell.bg));
            }
        }
    }
    out
}

#[test]
fn swatches_have_the_role_colours_and_matches_are_highlighted() {
    let mut model = model();
    let terminal = render(&model, 80, 24);
    let buffer = terminal.backend().buffer();
    // Row 2 is the first role (the favourite, red); the swatch sits at x = 2..4.
    assert_eq!(buffer[(2, 2)].symbol(), "█");
    assert_eq!(buffer[(2, 2)].fg, Color::Rgb(0xF2, 0xB0, 0xA9));
    assert_ne!(
        buffer[(5, 2)].bg,
        Color::Reset,
        "the selected row is highlighted"
    );
    type_text(&mut model, "glo");
    let terminal = render(&model, 80, 24);
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(5, 2)].symbol(), "G");
    assert_eq!(buffer[(5, 2)].fg, Color::Yellow, "matched character");
    assert_eq!(buffer[(8, 2)].symbol(), "b");
    assert_ne!(buffer[(8, 2)].fg, Color::Yellow, "unmatched character");
}

#[test]
fn no_color_means_no_colour_at_all() {
    let mut model = model_with(roles(), Theme::plain());
    for screen in 0..4 {
        match screen {
            1 => type_text(&mut model, "in"),
            2 => ctrl(&mut model, 'a'),
            3 => {
                key(&mut model, KeyCode::Esc);
                key(&mut model, KeyCode::F(1));
            }
            _ => {}
        }
        let terminal = render(&model, 80, 24);
        assert_eq!(cell_colors(&terminal), Vec::new(), "screen {screen}");
    }
}

#[test]
fn no_size_panics() {
    let mut screens: Vec<Model> = Vec::new();
    screens.push(model_with(Vec::new(), Theme::colored()));
    screens.push(model());
    let mut filtered = model();
    type_text(&mut filtered, "zzz");
    screens.push(filtered);
    let mut form = model();
    ctrl(&mut form, 'e');
    key(&mut form, KeyCode::Enter);
    screens.push(form);
    let mut help = model();
    key(&mut help, KeyCode::F(1));
    screens.push(help);
    let mut confirm = model();
    ctrl(&mut confirm, 'd');
    screens.push(confirm);
    let mut mfa = model();
    key(&mut mfa, KeyCode::Enter);
    send(
        &mut mfa,
        Msg::MfaNeeded {
            id: 1,
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
        },
    );
    screens.push(mfa);
    let mut policies = model();
    ctrl(&mut policies, 'y');
    screens.push(policies);
    for model in &mut screens {
        model.status =
            Status::Error("a long error message that wraps over several lines ".repeat(4));
        for width in 0..=90 {
            for height in [0, 1, 2, 3, 5, 6, 7, 10, 13, 24, 40] {
                render(model, width, height);
            }
        }
    }
}

#[test]
fn the_selection_stays_visible_when_scrolling_a_long_list() {
    let roles: Vec<Role> = (0..500)
        .map(|i| role(&format!("Client {i:04}"), &format!("{:012}", i), "Admin"))
        .collect();
    let mut model = model_with(roles, Theme::colored());
    render(&model, 80, 24);
    for _ in 0..3 {
        key(&mut model, KeyCode::PageDown);
    }
    let text = format!("{}", render(&model, 80, 24).backend());
    let selected = model.selected_role().unwrap().name.clone();
    assert!(
        text.contains(&selected),
        "{selected} not on screen:\n{text}"
    );
    key(&mut model, KeyCode::End);
    let text = format!("{}", render(&model, 80, 24).backend());
    assert!(text.contains("Client 0499"), "{text}");
}
