//! The TUI's state: the remembered roles in list order, the filter and its matches, the
//! selection and the list's scroll, the open screen (form, confirmation, help, policies), the
//! switch in flight ([`SwitchState`], its MFA prompt included), the status bar's facts and
//! the terminal size last reported. Changed only by [`super::update`]; drawn by
//! [`super::view`], which only reads it. Holds no I/O handles.

use std::collections::HashMap;
use std::time::SystemTime;

use nucleo_matcher::{Matcher, Utf32String};
use tui_input::Input;

use super::filter;
use super::form::Form;
use super::policy::PolicyView;
use super::status::{Identity, Status};
use super::theme::Theme;
use crate::config::list_index::ListIndex;
use crate::config::{Config, Role, Roles};
use crate::state::UsageState;

/// Which screen has the keys while no switch is in flight.
#[derive(Debug, Clone)]
pub enum Mode {
    List,
    Form(Box<Form>),
    /// Asking before forgetting the named role.
    ConfirmDelete {
        name: String,
    },
    /// Offering to copy the named team role into the user's own list (it is read-only).
    ConfirmCopy {
        name: String,
    },
    Help,
    /// The selected role's trust and permission policies (Ctrl-Y).
    Policy(PolicyView),
}

/// The switch of the TUI: none, one waiting for STS, or one waiting for an MFA code. The
/// request id tells a current answer from a stale one (cancelled or superseded).
#[derive(Debug, Clone, Default)]
pub enum SwitchState {
    #[default]
    Idle,
    /// STS is asked (the spinner turns; Esc cancels).
    Assuming { id: u64, role: String },
    /// The MFA code modal is open.
    AwaitingMfa(MfaPrompt),
}

impl SwitchState {
    /// The request id of the switch in flight.
    pub fn id(&self) -> Option<u64> {
        match self {
            SwitchState::Idle => None,
            SwitchState::Assuming { id, .. } => Some(*id),
            SwitchState::AwaitingMfa(prompt) => Some(prompt.id),
        }
    }

    /// The display name of the role being switched to.
    pub fn role(&self) -> Option<&str> {
        match self {
            SwitchState::Idle => None,
            SwitchState::Assuming { role, .. } => Some(role),
            SwitchState::AwaitingMfa(prompt) => Some(&prompt.role),
        }
    }

    pub fn is_idle(&self) -> bool {
        matches!(self, SwitchState::Idle)
    }
}

/// The MFA code modal of a switch in flight.
#[derive(Clone)]
pub struct MfaPrompt {
    pub id: u64,
    pub role: String,
    pub serial: String,
    pub code: String,
    pub error: Option<String>,
}

impl std::fmt::Debug for MfaPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaPrompt")
            .field("id", &self.id)
            .field("role", &self.role)
            .field("serial", &self.serial)
            .field("code", &"<redacted>")
            .field("error", &self.error)
            .finish()
    }
}

/// Everything the TUI shows and remembers.
pub struct Model {
    /// The defaults, the file and the team sources; its `roles` are empty: the roles are
    /// in [`Model::roles`].
    pub config: Config,
    /// The roles, in config order.
    pub roles: Roles,
    /// True when some roles of the list come from a team source.
    pub has_team_roles: bool,
    pub usage: UsageState,
    /// Role indices in list order: favourites, then most recently used, then by name.
    pub order: Vec<usize>,
    /// The filter's search text of each role, by role index.
    pub haystacks: Vec<Utf32String>,
    pub filter: Input,
    /// Role indices shown, in display order (all of `order` when the filter is empty).
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible row at the last known size, kept by `update` so that the selection
    /// stays on screen and the list moves as little as possible.
    pub offset: usize,
    /// The terminal's size (columns, rows) as last reported ([`super::update::Msg::Resize`]),
    /// for PgUp/PgDn and the scroll limits.
    pub size: (u16, u16),
    pub mode: Mode,
    pub switch: SwitchState,
    pub next_id: u64,
    pub identity: Identity,
    /// Expiry of each role's cached session, as last looked up (None: none cached).
    pub cached: HashMap<String, Option<SystemTime>>,
    pub now: SystemTime,
    pub spinner: usize,
    /// The last notice or error.
    pub status: Status,
    /// What went wrong on the side of the last switch (its credentials could not be
    /// cached); repeated with the notice when the shell exits.
    pub warnings: Vec<String>,
    pub theme: Theme,
    /// Set when the app should stop, with the exit code.
    pub quit: Option<i32>,
    pub matcher: Matcher,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("roles", &self.roles.len())
            .field("filter", &self.filter.value())
            .field("visible", &self.visible.len())
            .field("selected", &self.selected)
            .field("mode", &self.mode)
            .field("switch", &self.switch)
            .finish_non_exhaustive()
    }
}

impl Model {
    pub fn new(mut config: Config, usage: UsageState, theme: Theme) -> Model {
        let roles = Roles::from(std::mem::take(&mut config.roles));
        Model::with_roles(config, roles, usage, theme)
    }

    /// A model of `roles` with the rest of `config` (its own `roles` are not read).
    pub fn with_roles(config: Config, roles: Roles, usage: UsageState, theme: Theme) -> Model {
        let mut model = Model {
            config: Config::default(),
            roles: Roles::default(),
            has_team_roles: false,
            usage,
            order: Vec::new(),
            haystacks: Vec::new(),
            filter: Input::default(),
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            size: (80, 24),
            mode: Mode::List,
            switch: SwitchState::Idle,
            next_id: 1,
            identity: Identity::Unknown,
            cached: HashMap::new(),
            now: SystemTime::now(),
            spinner: 0,
            status: Status::Empty,
            warnings: Vec::new(),
            theme,
            quit: None,
            matcher: filter::new_matcher(),
        };
        if let Some(first) = config.team.warnings.first() {
            let more = config.team.warnings.len() - 1;
            let others = match more {
                0 => String::new(),
                n => format!(" (and {n} more)"),
            };
            model.status = Status::Error(format!(
                "{first}{others}; `switchrole sources list` shows every problem"
            ));
        }
        model.set_roles(config, roles);
        model
    }

    /// Replaces the config and its roles (after a save or delete), keeping the selected role
    /// selected.
    pub fn set_config(&mut self, mut config: Config) {
        let roles = Roles::from(std::mem::take(&mut config.roles));
        self.set_roles(config, roles);
    }

    fn set_roles(&mut self, config: Config, roles: Roles) {
        self.config = config;
        self.roles = roles;
        self.haystacks.clear();
        self.reorder();
    }

    /// Sorts the list again (after the usage state changed), keeping the selected role
    /// selected.
    pub fn reorder(&mut self) {
        let keep = self.selected_role().map(|r| r.name.clone());
        let index = self.roles.index();
        self.order = list_order(&self.roles, &index, &self.usage);
        self.has_team_roles = index.team.contains(&true);
        self.refilter();
        if let Some(name) = keep {
            self.select_name(&name);
        }
    }

    /// True when `role` is a favourite: its own key, or for a team role (read-only) the
    /// user's choice in the usage state.
    pub fn is_favorite(&self, role: &Role) -> bool {
        is_favorite(&self.usage, role.is_team(), &role.name, role.favorite)
    }

    /// Recomputes the matches after the filter text changed; the best match is selected.
    pub fn refilter(&mut self) {
        // The texts searched are made at the first keystroke of a filter, not at start.
        if !self.filter.value().trim().is_empty() && self.haystacks.len() != self.roles.len() {
            self.haystacks = self.roles.iter().map(filter::haystack).collect();
        }
        self.visible = filter::filter(
            self.filter.value(),
            &self.order,
            &self.haystacks,
            &mut self.matcher,
        );
        self.selected = 0;
        self.offset = 0;
    }

    /// Selects the role named `name` if it is shown.
    pub fn select_name(&mut self, name: &str) -> bool {
        let roles = &self.roles;
        match self
            .visible
            .iter()
            .position(|&i| roles.head(i).is_some_and(|r| r.name == name))
        {
            Some(position) => {
                self.selected = position;
                true
            }
            None => false,
        }
    }

    pub fn selected_role(&self) -> Option<&Role> {
        let index = *self.visible.get(self.selected)?;
        self.roles.get(index)
    }

    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.find(name)
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_selection(&mut self, delta: isize) {
        if self.visible.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.visible.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn new_request_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Display names of every role, for the form's uniqueness check.
    pub fn names(&self) -> Vec<String> {
        self.roles.heads().map(|r| r.name.to_string()).collect()
    }
}

/// True when the role named `name` is a favourite: for a team role the usage state says,
/// for the user's own role its `favorite` key (see [`Model::is_favorite`]).
fn is_favorite(usage: &UsageState, team: bool, name: &str, marked: bool) -> bool {
    if team {
        usage.team_favorites.contains(name)
    } else {
        marked
    }
}

/// Favourites first, then most recently used, then by name (the `index`'s order). The
/// roles' names are read only when the usage state has something to say about them.
pub fn list_order(roles: &Roles, index: &ListIndex, usage: &UsageState) -> Vec<usize> {
    let read_names = !usage.roles.is_empty() || !usage.team_favorites.is_empty();
    let keys: Vec<(bool, std::cmp::Reverse<u64>)> = (0..roles.len())
        .map(|i| {
            let name = if read_names { roles.name(i) } else { None };
            let favorite = is_favorite(
                usage,
                index.team.get(i).copied().unwrap_or(false),
                name.unwrap_or_default(),
                index.favorite.get(i).copied().unwrap_or(false),
            );
            let last_used = name.map_or(0, |name| usage.usage(name).last_used);
            (!favorite, std::cmp::Reverse(last_used))
        })
        .collect();
    let mut order: Vec<usize> = index.by_name.iter().map(|&i| i as usize).collect();
    // Stable: by name among equals.
    order.sort_by_key(|&i| keys.get(i).copied());
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Usage;

    #[test]
    fn favourites_then_recent_then_name() {
        let role = |name: &str, favorite| Role {
            name: name.into(),
            account_id: "123456789012".into(),
            role_name: "R".into(),
            favorite,
            ..Role::default()
        };
        let roles = [
            role("delta", false),
            role("Charlie", false),
            role("bravo", true),
            role("alpha", false),
            role("echo", false),
        ];
        let mut usage = UsageState::default();
        usage.roles.insert(
            "echo".into(),
            Usage {
                last_used: 200,
                count: 1,
            },
        );
        usage.roles.insert(
            "delta".into(),
            Usage {
                last_used: 100,
                count: 5,
            },
        );
        let list = Roles::from(roles.to_vec());
        let names: Vec<&str> = list_order(&list, &list.index(), &usage)
            .into_iter()
            .map(|i| roles[i].name.as_str())
            .collect();
        assert_eq!(names, ["bravo", "echo", "delta", "alpha", "Charlie"]);
    }
}
