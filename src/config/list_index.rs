//! What the TUI sorts a list of roles by without decoding them (issue 14): the roles' order
//! by name, compared case-insensitively, and which of them are favourites and team roles.
//! The snapshot keeps one; for a parsed config it is made on the spot.

use serde::{Deserialize, Serialize};

use super::model::Role;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListIndex {
    /// Role indices by name (case-insensitive; equal names in config order).
    pub by_name: Vec<u32>,
    /// Whether each role is marked `favorite` in its file.
    pub favorite: Vec<bool>,
    /// Whether each role comes from a team source.
    pub team: Vec<bool>,
}

impl ListIndex {
    /// The index of `roles`, in config order.
    pub fn of(roles: &[Role]) -> ListIndex {
        let mut by_name: Vec<u32> = (0..roles.len()).filter_map(|i| i.try_into().ok()).collect();
        let name = |i: u32| roles.get(i as usize).map_or("", |role| role.name.as_str());
        by_name.sort_by(|&a, &b| cmp_lowercase(name(a), name(b)));
        ListIndex {
            by_name,
            favorite: roles.iter().map(|role| role.favorite).collect(),
            team: roles.iter().map(Role::is_team).collect(),
        }
    }
}

/// `a` and `b` compared as their lowercase forms would be, without making them (byte by
/// byte when both are ASCII, the usual case).
pub fn cmp_lowercase(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_as_their_lowercase_forms() {
        for (a, b) in [
            ("bravo", "Charlie"),
            ("Été", "été"),
            ("Zoë", "zoe"),
            ("a", "É"),
            ("", "a"),
        ] {
            assert_eq!(
                cmp_lowercase(a, b),
                a.to_lowercase().cmp(&b.to_lowercase()),
                "{a} {b}"
            );
        }
    }

    #[test]
    fn by_name_case_insensitively_equal_names_in_config_order() {
        let roles = ["delta", "Bravo", "alpha", "bravo"].map(Role::sample);
        let index = ListIndex::of(&roles);
        assert_eq!(index.by_name, [2, 1, 3, 0]);
    }
}
