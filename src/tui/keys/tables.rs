//! The screens' actions and their tables: the list (and the help it shows), a switch in
//! flight, the MFA code modal, the add/edit form, the delete confirmation, the offer to copy
//! a team role, the help window and the policies screen. Footers are listed with their
//! tables; help order is table order.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Binding, Describe, Hint, Keymap, Keys, When};

const fn key<A>(code: KeyCode, action: A) -> Binding<A> {
    Binding {
        keys: Keys::Key(code, KeyModifiers::NONE),
        when: When::Always,
        action,
    }
}

const fn ctrl<A>(c: char, action: A) -> Binding<A> {
    Binding {
        keys: Keys::Key(KeyCode::Char(c), KeyModifiers::CONTROL),
        when: When::Always,
        action,
    }
}

const fn typing<A>(action: A) -> Binding<A> {
    Binding {
        keys: Keys::Printable,
        when: When::Always,
        action,
    }
}

const fn any_key<A>(action: A) -> Binding<A> {
    Binding {
        keys: Keys::Any,
        when: When::Always,
        action,
    }
}

const fn only<A: Copy>(when: When, binding: Binding<A>) -> Binding<A> {
    Binding {
        keys: binding.keys,
        when,
        action: binding.action,
    }
}

const fn hint<A>(actions: &'static [A], what: &'static str) -> Hint<A> {
    Hint {
        actions,
        what,
        join: "/",
    }
}

/// A hint whose keys are written with spaces between them: "↑↓ PgUp PgDn".
const fn spaced<A>(actions: &'static [A], what: &'static str) -> Hint<A> {
    Hint {
        actions,
        what,
        join: " ",
    }
}

/// What a key does on the list screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TypeFilter,
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

impl Describe for Action {
    fn describe(self) -> &'static str {
        match self {
            Action::TypeFilter => "type to filter (name, account ID, role name, tags)",
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
            Action::Policy => "the role's policies and template (t / p / c save them)",
            Action::Help => "this help",
            Action::ClearOrQuit => "clear the filter, or quit when it is empty",
            Action::Quit => "quit",
            Action::FilterBackspace => "delete a filter character",
            Action::FilterDeleteWord => "delete a filter word",
            Action::FilterClear => "clear the filter",
            Action::FilterLeft | Action::FilterRight => "move in the filter",
        }
    }
}

/// The list screen, in help order.
pub const LIST: Keymap<Action> = Keymap {
    bindings: &[
        typing(Action::TypeFilter),
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
        only(When::FilterEmpty, key(KeyCode::Char('?'), Action::Help)),
        key(KeyCode::Esc, Action::ClearOrQuit),
        ctrl('c', Action::Quit),
        key(KeyCode::Backspace, Action::FilterBackspace),
        ctrl('h', Action::FilterBackspace),
        ctrl('w', Action::FilterDeleteWord),
        ctrl('u', Action::FilterClear),
        key(KeyCode::Left, Action::FilterLeft),
        key(KeyCode::Right, Action::FilterRight),
    ],
    footer: &[
        hint(&[Action::Switch], "switch"),
        hint(&[Action::Add], "add"),
        hint(&[Action::Edit], "edit"),
        hint(&[Action::Delete], "del"),
        hint(&[Action::Favorite], "fav"),
        hint(&[Action::Console], "console"),
        hint(&[Action::Policy], "iam"),
        hint(&[Action::Help], "help"),
        hint(&[Action::ClearOrQuit], "quit"),
    ],
};

/// What a key does while STS answers a switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchingAction {
    Cancel,
    Quit,
}

/// A switch in flight: every other key is ignored.
pub const SWITCHING: Keymap<SwitchingAction> = Keymap {
    bindings: &[
        key(KeyCode::Esc, SwitchingAction::Cancel),
        ctrl('c', SwitchingAction::Quit),
    ],
    footer: &[hint(&[SwitchingAction::Cancel], "cancels")],
};

/// What a key does in the MFA code modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaAction {
    Submit,
    Cancel,
    DeleteDigit,
    /// A digit is added (up to six); any other character is refused with a word.
    TypeDigit,
    Quit,
}

pub const MFA: Keymap<MfaAction> = Keymap {
    bindings: &[
        key(KeyCode::Enter, MfaAction::Submit),
        key(KeyCode::Esc, MfaAction::Cancel),
        key(KeyCode::Backspace, MfaAction::DeleteDigit),
        ctrl('c', MfaAction::Quit),
        typing(MfaAction::TypeDigit),
    ],
    footer: &[
        hint(&[MfaAction::Submit], "submits"),
        hint(&[MfaAction::Cancel], "cancels the switch"),
    ],
};

/// What a key does in the add/edit form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Next,
    Previous,
    Save,
    Cancel,
    NextColor,
    PreviousColor,
    DeleteBack,
    DeleteForward,
    Left,
    Right,
    Start,
    End,
    Clear,
    DeleteWord,
    Type,
    Quit,
}

pub const FORM: Keymap<FormAction> = Keymap {
    bindings: &[
        key(KeyCode::Tab, FormAction::Next),
        key(KeyCode::BackTab, FormAction::Previous),
        key(KeyCode::Enter, FormAction::Save),
        key(KeyCode::Esc, FormAction::Cancel),
        only(
            When::ColorField,
            key(KeyCode::Up, FormAction::PreviousColor),
        ),
        only(When::ColorField, key(KeyCode::Down, FormAction::NextColor)),
        key(KeyCode::Up, FormAction::Previous),
        key(KeyCode::Down, FormAction::Next),
        key(KeyCode::Backspace, FormAction::DeleteBack),
        key(KeyCode::Delete, FormAction::DeleteForward),
        key(KeyCode::Left, FormAction::Left),
        key(KeyCode::Right, FormAction::Right),
        key(KeyCode::Home, FormAction::Start),
        ctrl('a', FormAction::Start),
        key(KeyCode::End, FormAction::End),
        ctrl('e', FormAction::End),
        ctrl('u', FormAction::Clear),
        ctrl('w', FormAction::DeleteWord),
        ctrl('c', FormAction::Quit),
        typing(FormAction::Type),
    ],
    footer: &[
        hint(&[FormAction::Next, FormAction::Previous], "move"),
        hint(&[FormAction::Save], "save"),
        hint(&[FormAction::Cancel], "cancel"),
    ],
};

/// What a key does while the delete confirmation is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAction {
    Delete,
    Keep,
    Quit,
}

pub const CONFIRM_DELETE: Keymap<ConfirmAction> = Keymap {
    bindings: &[
        key(KeyCode::Char('y'), ConfirmAction::Delete),
        key(KeyCode::Char('Y'), ConfirmAction::Delete),
        ctrl('c', ConfirmAction::Quit),
        any_key(ConfirmAction::Keep),
    ],
    footer: &[
        hint(&[ConfirmAction::Delete], "deletes it"),
        hint(&[ConfirmAction::Keep], "keeps it"),
    ],
};

/// What a key does while the offer to copy a team role (Ctrl-E on one) is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyAction {
    Copy,
    Cancel,
    Quit,
}

pub const CONFIRM_COPY: Keymap<CopyAction> = Keymap {
    bindings: &[
        key(KeyCode::Char('y'), CopyAction::Copy),
        key(KeyCode::Char('Y'), CopyAction::Copy),
        key(KeyCode::Enter, CopyAction::Copy),
        ctrl('c', CopyAction::Quit),
        any_key(CopyAction::Cancel),
    ],
    footer: &[
        hint(&[CopyAction::Copy], "copies it and edits the copy"),
        hint(&[CopyAction::Cancel], "leaves it"),
    ],
};

/// What a key does while the help is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpAction {
    Close,
    Quit,
}

pub const HELP: Keymap<HelpAction> = Keymap {
    bindings: &[ctrl('c', HelpAction::Quit), any_key(HelpAction::Close)],
    footer: &[hint(&[HelpAction::Close], "closes")],
};

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
    /// The role's CloudFormation template (`setup template`).
    SaveTemplate,
    Close,
    Quit,
}

pub const POLICY: Keymap<PolicyAction> = Keymap {
    bindings: &[
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
        key(KeyCode::Char('c'), PolicyAction::SaveTemplate),
        key(KeyCode::Esc, PolicyAction::Close),
        key(KeyCode::Char('q'), PolicyAction::Close),
        ctrl('y', PolicyAction::Close),
        ctrl('c', PolicyAction::Quit),
    ],
    footer: &[
        hint(
            &[PolicyAction::SaveTrust, PolicyAction::SavePermission],
            "save policy",
        ),
        hint(&[PolicyAction::SaveTemplate], "save template"),
        hint(&[PolicyAction::OtherDocument], "other"),
        hint(&[PolicyAction::Close], "close"),
        spaced(
            &[
                PolicyAction::ScrollUp,
                PolicyAction::ScrollDown,
                PolicyAction::PageUp,
                PolicyAction::PageDown,
            ],
            "scroll",
        ),
    ],
};
