//! The roles of a config for a reader that keeps them (the TUI), decoded from the
//! config's snapshot one by one as they are shown or used: its first frame shows a
//! screenful of a list that may hold 100,000, sorted by the roles' heads alone.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::path::Path;

use super::list_index::ListIndex;
use super::model::{Config, Role, RoleHead};
use super::snapshot::{self, Encoded, FileStamp};
use super::{ConfigError, load};

/// A list of roles, in config order.
pub struct Roles(Store);

enum Store {
    Decoded(Vec<Role>),
    /// From a snapshot: each role decoded the first time it is asked for.
    Encoded {
        encoded: Encoded,
        decoded: Vec<OnceCell<Box<Role>>>,
    },
}

impl From<Vec<Role>> for Roles {
    fn from(roles: Vec<Role>) -> Roles {
        Roles(Store::Decoded(roles))
    }
}

impl Default for Roles {
    fn default() -> Roles {
        Roles::from(Vec::new())
    }
}

impl Roles {
    fn encoded(encoded: Encoded) -> Roles {
        let decoded = std::iter::repeat_with(OnceCell::new)
            .take(encoded.len())
            .collect();
        Roles(Store::Encoded { encoded, decoded })
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Store::Decoded(roles) => roles.len(),
            Store::Encoded { encoded, .. } => encoded.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The role at `index`.
    pub fn get(&self, index: usize) -> Option<&Role> {
        match &self.0 {
            Store::Decoded(roles) => roles.get(index),
            Store::Encoded { encoded, decoded } => {
                let cell = decoded.get(index)?;
                if let Some(role) = cell.get() {
                    return Some(role);
                }
                let role = encoded.role(index)?;
                Some(cell.get_or_init(|| Box::new(role)))
            }
        }
    }

    /// The head of the role at `index`, without decoding the rest of it.
    pub fn head(&self, index: usize) -> Option<RoleHead<'_>> {
        match &self.0 {
            Store::Decoded(roles) => roles.get(index).map(Role::head),
            Store::Encoded { encoded, decoded } => match decoded.get(index)?.get() {
                Some(role) => Some(role.head()),
                None => encoded.head(index),
            },
        }
    }

    /// The display name of the role at `index`, without decoding the rest of it.
    pub fn name(&self, index: usize) -> Option<&str> {
        match &self.0 {
            Store::Decoded(roles) => roles.get(index).map(|role| role.name.as_str()),
            Store::Encoded { encoded, .. } => encoded.name(index),
        }
    }

    /// What the list is sorted by: the snapshot's, or made now from the roles.
    pub fn index(&self) -> Cow<'_, ListIndex> {
        match &self.0 {
            Store::Decoded(roles) => Cow::Owned(ListIndex::of(roles)),
            Store::Encoded { encoded, .. } => Cow::Borrowed(&encoded.index),
        }
    }

    /// Every role's head, in order.
    pub fn heads(&self) -> impl Iterator<Item = RoleHead<'_>> {
        (0..self.len()).filter_map(|index| self.head(index))
    }

    /// Every role, in order (decoding those not decoded yet).
    pub fn iter(&self) -> impl Iterator<Item = &Role> {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The role named `name`.
    pub fn find(&self, name: &str) -> Option<&Role> {
        let index = (0..self.len()).find(|&i| self.head(i).is_some_and(|h| h.name == name))?;
        self.get(index)
    }
}

/// The config at `path` (its `roles` left empty) and its roles: from the snapshot,
/// undecoded, when it is current; else parsed by [`load`].
pub fn load_roles(path: &Path) -> Result<(Config, Roles), ConfigError> {
    let kept = FileStamp::of(path).and_then(|stamp| snapshot::read_encoded(path, &stamp));
    if let Some((defaults, team, encoded)) = kept {
        let config = Config {
            path: path.to_path_buf(),
            exists: true,
            defaults,
            roles: Vec::new(),
            team,
        };
        return Ok((config, Roles::encoded(encoded)));
    }
    let mut config = load(path)?;
    let roles = Roles::from(std::mem::take(&mut config.roles));
    Ok((config, roles))
}
