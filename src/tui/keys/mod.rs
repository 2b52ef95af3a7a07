//! Key bindings as data (SPEC 5), one table per screen in [`tables`]: a binding is a key (or
//! "any printable character", or "any key"), the condition under which it applies, and the
//! screen's action. [`Keymap::action`] is the only place a key press becomes an action; the
//! footers, the help screen and the modals' key lines are generated here from the same
//! tables ([`Keymap::hints`], [`Keymap::help`]), so they never drift from what the keys do.

mod tables;
#[cfg(test)]
mod tests;

pub use tables::*;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Which key presses a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// One key with exactly these modifiers. Shift is ignored on non-character keys (some
    /// terminals report it on PgUp/PgDn) and on characters without Ctrl/Alt (`?` is Shift-/).
    Key(KeyCode, KeyModifiers),
    /// Any printable character without Ctrl/Alt: typing.
    Printable,
    /// Any key not bound otherwise.
    Any,
}

/// When a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// The list's filter is empty (`?` opens the help then, and types otherwise).
    FilterEmpty,
    /// The form's focus is on the colour field (Up/Down pick a colour there).
    ColorField,
}

impl When {
    /// How the help screen says it: "while the filter is empty".
    pub fn describe(self) -> &'static str {
        match self {
            When::Always => "",
            When::FilterEmpty => "while the filter is empty",
            When::ColorField => "on the colour field",
        }
    }
}

/// One binding of a screen.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A> {
    pub keys: Keys,
    pub when: When,
    pub action: A,
}

/// One entry of a footer: the actions' keys, then what they do ("Tab/Shift-Tab move").
#[derive(Debug, Clone, Copy)]
pub struct Hint<A: 'static> {
    pub actions: &'static [A],
    pub what: &'static str,
    /// Between the keys of two actions ("/" in "Tab/Shift-Tab"; arrows are written together).
    pub join: &'static str,
}

/// A screen's bindings (tried in order: keys first, then typing, then "any key") and its
/// footer.
#[derive(Debug)]
pub struct Keymap<A: 'static> {
    pub bindings: &'static [Binding<A>],
    pub footer: &'static [Hint<A>],
}

/// What an action does, in the help screen's words.
pub trait Describe {
    fn describe(self) -> &'static str;
}

impl<A: Copy + PartialEq> Keymap<A> {
    /// The action bound to `key`, given which conditions `holds`.
    pub fn action(&self, key: &KeyEvent, holds: impl Fn(When) -> bool) -> Option<A> {
        let applies = |b: &&Binding<A>| b.when == When::Always || holds(b.when);
        let pressed = normalize(key);
        let typed = typed_char(key).is_some();
        let find = |wanted: &dyn Fn(Keys) -> bool| {
            self.bindings
                .iter()
                .filter(|b| wanted(b.keys))
                .find(applies)
                .map(|b| b.action)
        };
        find(&|k| k == pressed)
            .or_else(|| typed.then(|| find(&|k| k == Keys::Printable)).flatten())
            .or_else(|| find(&|k| k == Keys::Any))
    }

    /// The footer as `(keys, what)`: `("^A", "add")`, `("Tab/Shift-Tab", "move")`.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let others = self.footer.iter().any(|h| {
            h.actions
                .iter()
                .any(|a| self.first_keys(*a) != Some(Keys::Any))
        });
        self.footer
            .iter()
            .map(|hint| {
                let mut keys = String::new();
                for action in hint.actions {
                    let Some(k) = self.first_keys(*action) else {
                        continue;
                    };
                    let label = short_label(k, others);
                    let arrows = is_arrow(&label) && keys.chars().last().is_some_and(is_arrow_char);
                    if !keys.is_empty() && !arrows {
                        keys.push_str(hint.join);
                    }
                    keys.push_str(&label);
                }
                (keys, hint.what)
            })
            .collect()
    }

    /// The footer as one line of text: "Enter submits · Esc cancels the switch".
    pub fn footer_text(&self, separator: &str) -> String {
        self.hints()
            .iter()
            .map(|(keys, what)| format!("{keys} {what}"))
            .collect::<Vec<_>>()
            .join(separator)
    }

    /// The keys of the first unconditional binding of `action` (else of any binding).
    fn first_keys(&self, action: A) -> Option<Keys> {
        let of_action = || self.bindings.iter().filter(move |b| b.action == action);
        of_action()
            .find(|b| b.when == When::Always)
            .or_else(|| of_action().next())
            .map(|b| b.keys)
    }
}

impl<A: Copy + PartialEq + Describe> Keymap<A> {
    /// Every action with all its keys, in table order, one line per description (actions
    /// that say the same share a line): `("Up / Ctrl-P", "move up")`. A key bound only under
    /// a condition is named in the description: "this help (also ? while the filter is empty)".
    pub fn help(&self) -> Vec<(String, String)> {
        let mut lines: Vec<(Vec<String>, &'static str, Vec<String>)> = Vec::new();
        for binding in self.bindings {
            let what = binding.action.describe();
            let index = match lines.iter().position(|(_, w, _)| *w == what) {
                Some(i) => i,
                None => {
                    lines.push((Vec::new(), what, Vec::new()));
                    lines.len() - 1
                }
            };
            let label = long_label(binding.keys);
            match binding.when {
                When::Always => lines[index].0.push(label),
                when => lines[index].2.push(format!("{label} {}", when.describe())),
            }
        }
        lines
            .into_iter()
            .map(|(keys, what, also)| {
                let what = match also.is_empty() {
                    true => what.to_string(),
                    false => format!("{what} (also {})", also.join(", ")),
                };
                (keys.join(" / "), what)
            })
            .collect()
    }
}

/// `key` as a [`Keys::Key`] to compare with the tables.
fn normalize(key: &KeyEvent) -> Keys {
    let control_or_alt = key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let modifiers = match key.code {
        KeyCode::Char(_) if control_or_alt => key.modifiers,
        _ => key.modifiers - KeyModifiers::SHIFT,
    };
    let code = match key.code {
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    Keys::Key(code, modifiers)
}

/// A printable character typed: no Ctrl, no Alt.
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

fn key_name(code: KeyCode) -> String {
    match code {
        KeyCode::Enter => "Enter".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Delete".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    }
}

/// How the help screen writes keys: `Ctrl-A`, `PgDn`, `F1`, `?`.
pub fn long_label(keys: Keys) -> String {
    match keys {
        Keys::Key(KeyCode::Char(c), m) if m.contains(KeyModifiers::CONTROL) => {
            format!("Ctrl-{}", c.to_ascii_uppercase())
        }
        Keys::Key(code, _) => key_name(code),
        Keys::Printable => "letters, digits".into(),
        Keys::Any => "any key".into(),
    }
}

/// How footers write keys: `^A`, `↑`, `PgDn`; "any other key" when `others` are listed.
pub fn short_label(keys: Keys, others: bool) -> String {
    match keys {
        Keys::Key(KeyCode::Char(c), m) if m.contains(KeyModifiers::CONTROL) => {
            format!("^{}", c.to_ascii_uppercase())
        }
        Keys::Key(KeyCode::Up, _) => "↑".into(),
        Keys::Key(KeyCode::Down, _) => "↓".into(),
        Keys::Key(KeyCode::Left, _) => "←".into(),
        Keys::Key(KeyCode::Right, _) => "→".into(),
        Keys::Any if others => "any other key".into(),
        other => long_label(other),
    }
}

fn is_arrow_char(c: char) -> bool {
    matches!(c, '↑' | '↓' | '←' | '→')
}

fn is_arrow(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(is_arrow_char) && chars.next().is_none()
}
