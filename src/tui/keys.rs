//! Key bindings as data (SPEC 5): the list screen's actions and the keys that trigger them,
//! and the policies screen's (Ctrl-Y). The help screen and the footers are generated from
//! the same tables, so they never drift from what the keys do. Typing into the filter is not listed here: any printable
//! character without Ctrl/Alt goes to the filter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does on the list screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Switch,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Add,
    Edit,
    Delete,
    Favorite,
    Console,
    Policy,
    Help,
    ClearOrQuit,
    Quit,
    FilterBackspace,
    FilterDeleteWord,
    FilterClear,
    FilterLeft,
    FilterRight,
}

impl Action {
    /// What the action does, for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Switch => "switch to the selected role (a shell with its credentials)",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::First => "first role",
            Action::Last => "last role",
            Action::Add => "add a role",
            Action::Edit => "edit the selected role",
            Action::Delete => "delete the selected role (asks first)",
            Action::Favorite => "toggle favourite (favourites come first)",
            Action::Console => "open the AWS console as the role",
            Action::Policy => "the role's trust and permission policies (t / p save them)",
            Action::Help => "this help (also ? while the filter is empty)",
            Action::ClearOrQuit => "clear the filter, or quit when it is empty",
            Action::Quit => "quit",
            Action::FilterBackspace => "delete a filter character",
            Action::FilterDeleteWord => "delete a filter word",
            Action::FilterClear => "clear the filter",
            Action::FilterLeft => "move in the filter",
            Action::FilterRight => "move in the filter",
        }
    }
}

/// What a key does on the policies screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyAction {
    /// Show the other document (trust / permission).
    OtherDocument,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
    SaveTrust,
    SavePermission,
    Close,
}

/// One binding: a key code with exactly these modifiers.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A = Action> {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: A,
}

const fn key<A>(code: KeyCode, action: A) -> Binding<A> {
    Binding {
        code,
        modifiers: KeyModifiers::NONE,
        action,
    }
}

const fn ctrl<A>(c: char, action: A) -> Binding<A> {
    Binding {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
        action,
    }
}

/// The list screen's bindings, in help order.
pub const LIST_BINDINGS: &[Binding] = &[
    key(KeyCode::Enter, Action::Switch),
    key(KeyCode::Up, Action::Up),
    ctrl('p', Action::Up),
    key(KeyCode::Down, Action::Down),
    ctrl('n', Action::Down),
    key(KeyCode::PageUp, Action::PageUp),
    key(KeyCode::PageDown, Action::PageDown),
    key(KeyCode::Home, Action::First),
    key(KeyCode::End, Action::Last),
    ctrl('a', Action::Add),
    ctrl('e', Action::Edit),
    ctrl('d', Action::Delete),
    ctrl('f', Action::Favorite),
    ctrl('o', Action::Console),
    ctrl('y', Action::Policy),
    key(KeyCode::F(1), Action::Help),
    key(KeyCode::Esc, Action::ClearOrQuit),
    ctrl('c', Action::Quit),
    key(KeyCode::Backspace, Action::FilterBackspace),
    ctrl('h', Action::FilterBackspace),
    ctrl('w', Action::FilterDeleteWord),
    ctrl('u', Action::FilterClear),
    key(KeyCode::Left, Action::FilterLeft),
    key(KeyCode::Right, Action::FilterRight),
];

/// The footer: the actions on control keys, shortest labels, most important first.
pub const FOOTER: &[(&str, &str)] = &[
    ("Enter", "switch"),
    ("^A", "add"),
    ("^E", "edit"),
    ("^D", "del"),
    ("^F", "fav"),
    ("^O", "console"),
    ("^Y", "iam"),
    ("F1", "help"),
    ("Esc", "quit"),
];

/// The policies screen's bindings.
pub const POLICY_BINDINGS: &[Binding<PolicyAction>] = &[
    key(KeyCode::Tab, PolicyAction::OtherDocument),
    key(KeyCode::BackTab, PolicyAction::OtherDocument),
    key(KeyCode::Left, PolicyAction::OtherDocument),
    key(KeyCode::Right, PolicyAction::OtherDocument),
    key(KeyCode::Up, PolicyAction::ScrollUp),
    ctrl('p', PolicyAction::ScrollUp),
    key(KeyCode::Down, PolicyAction::ScrollDown),
    ctrl('n', PolicyAction::ScrollDown),
    key(KeyCode::PageUp, PolicyAction::PageUp),
    key(KeyCode::PageDown, PolicyAction::PageDown),
    key(KeyCode::Home, PolicyAction::Top),
    key(KeyCode::End, PolicyAction::Bottom),
    key(KeyCode::Char('t'), PolicyAction::SaveTrust),
    key(KeyCode::Char('p'), PolicyAction::SavePermission),
    key(KeyCode::Esc, PolicyAction::Close),
    key(KeyCode::Char('q'), PolicyAction::Close),
    ctrl('y', PolicyAction::Close),
];

/// The policies screen's footer.
pub const POLICY_FOOTER: &[(&str, &str)] = &[
    ("t", "save trust"),
    ("p", "save permission"),
    ("Tab", "other"),
    ("Esc", "close"),
    ("↑↓ PgUp PgDn", "scroll"),
];

/// The action bound to `key` on the list screen, if any. Shift is ignored for non-character
/// keys (some terminals report it on PgUp/PgDn).
pub fn list_action(key: &KeyEvent) -> Option<Action> {
    find(LIST_BINDINGS, key)
}

/// The action bound to `key` on the policies screen, if any.
pub fn policy_action(key: &KeyEvent) -> Option<PolicyAction> {
    find(POLICY_BINDINGS, key)
}

fn find<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    let modifiers = match key.code {
        KeyCode::Char(_) => key.modifiers,
        _ => key.modifiers - KeyModifiers::SHIFT,
    };
    let code = match key.code {
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    table
        .iter()
        .find(|b| b.code == code && b.modifiers == modifiers)
        .map(|b| b.action)
}

/// A printable character for the filter: no Ctrl, no Alt.
pub fn typed_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER)
                && !c.is_control() =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// How a binding's key is written on screen: `Ctrl-A`, `PgDn`, `F1`.
pub fn label<A>(binding: &Binding<A>) -> String {
    let name = match binding.code {
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Up => "Up".to_string(),
        KeyCode::Down => "Down".to_string(),
        KeyCode::Left => "Left".to_string(),
        KeyCode::Right => "Right".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(c) => c.to_ascii_uppercase().to_string(),
        other => format!("{other:?}"),
    };
    if binding.modifiers.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{name}")
    } else {
        name
    }
}

/// Every action with all its keys, in help order: `("Up / Ctrl-P", "move up")`.
pub fn help_lines() -> Vec<(String, &'static str)> {
    let mut lines: Vec<(Action, Vec<String>)> = Vec::new();
    for binding in LIST_BINDINGS {
        match lines.iter_mut().find(|(a, _)| *a == binding.action) {
            Some((_, keys)) => keys.push(label(binding)),
            None => lines.push((binding.action, vec![label(binding)])),
        }
    }
    let mut out: Vec<(String, &'static str)> = vec![(
        "letters, digits".to_string(),
        "type to filter (name, account ID, role name, tags)",
    )];
    for (action, keys) in lines {
        if action == Action::FilterRight {
            continue;
        }
        let mut keys = keys.join(" / ");
        if action == Action::FilterLeft {
            keys.push_str(" / Right");
        }
        out.push((keys, action.describe()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn control_keys_map_to_actions() {
        let c = |ch| press(KeyCode::Char(ch), KeyModifiers::CONTROL);
        assert_eq!(list_action(&c('a')), Some(Action::Add));
        assert_eq!(list_action(&c('e')), Some(Action::Edit));
        assert_eq!(list_action(&c('d')), Some(Action::Delete));
        assert_eq!(list_action(&c('f')), Some(Action::Favorite));
        assert_eq!(list_action(&c('o')), Some(Action::Console));
        assert_eq!(list_action(&c('y')), Some(Action::Policy));
        assert_eq!(list_action(&c('p')), Some(Action::Up));
        assert_eq!(list_action(&c('n')), Some(Action::Down));
        assert_eq!(list_action(&c('c')), Some(Action::Quit));
        assert_eq!(
            list_action(&press(KeyCode::PageDown, KeyModifiers::SHIFT)),
            Some(Action::PageDown)
        );
        assert_eq!(
            list_action(&press(KeyCode::Char('a'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            typed_char(&press(KeyCode::Char('a'), KeyModifiers::NONE)),
            Some('a')
        );
        assert_eq!(
            typed_char(&press(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Some('A')
        );
        assert_eq!(typed_char(&c('a')), None);
    }

    #[test]
    fn policy_keys_map_to_actions() {
        let k = |code| press(code, KeyModifiers::NONE);
        assert_eq!(
            policy_action(&k(KeyCode::Tab)),
            Some(PolicyAction::OtherDocument)
        );
        assert_eq!(
            policy_action(&press(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(PolicyAction::OtherDocument)
        );
        assert_eq!(
            policy_action(&k(KeyCode::Char('t'))),
            Some(PolicyAction::SaveTrust)
        );
        assert_eq!(
            policy_action(&k(KeyCode::Char('p'))),
            Some(PolicyAction::SavePermission)
        );
        assert_eq!(
            policy_action(&press(KeyCode::Char('p'), KeyModifiers::CONTROL)),
            Some(PolicyAction::ScrollUp)
        );
        assert_eq!(policy_action(&k(KeyCode::Esc)), Some(PolicyAction::Close));
        assert_eq!(policy_action(&k(KeyCode::Char('x'))), None);
    }

    #[test]
    fn help_lists_every_action() {
        let help = help_lines();
        for binding in LIST_BINDINGS {
            let label = label(binding);
            assert!(
                help.iter().any(|(keys, _)| keys.contains(&label)),
                "{label} missing from help"
            );
        }
    }

    #[test]
    fn the_whole_footer_fits_in_80_columns() {
        let width: usize = FOOTER
            .iter()
            .map(|(key, what)| key.chars().count() + what.chars().count() + 2)
            .sum();
        assert!(width <= 80, "{width}");
    }
}
