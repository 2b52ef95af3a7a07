//! Fuzzy filtering of the role list (nucleo's matcher) on display name, account ID, role
//! name and tags, and the positions of matched characters for highlighting. Pure: no I/O.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config as MatcherConfig, Matcher, Utf32String};

use crate::config::Role;

/// The text searched for one role: `name account role_name tag tag...`, in that order.
pub fn haystack(role: &Role) -> Utf32String {
    let mut text =
        String::with_capacity(role.name.len() + role.account_id.len() + role.role_name.len() + 3);
    text.push_str(&role.name);
    text.push(' ');
    text.push_str(&role.account_id);
    text.push(' ');
    text.push_str(&role.role_name);
    for tag in &role.tags {
        text.push(' ');
        text.push_str(tag);
    }
    Utf32String::from(text)
}

/// A new matcher tuned for short, path-like text.
pub fn new_matcher() -> Matcher {
    Matcher::new(MatcherConfig::DEFAULT.match_paths())
}

/// Parses a filter query (fzf syntax: space-separated terms, `'exact`, `^prefix`, `!not`).
pub fn pattern(query: &str) -> Pattern {
    Pattern::parse(query, CaseMatching::Smart, Normalization::Smart)
}

/// The entries of `order` (role indices) whose haystack matches `query`, best first; ties
/// keep their place in `order`. An empty query keeps everything in order.
pub fn filter(
    query: &str,
    order: &[usize],
    haystacks: &[Utf32String],
    matcher: &mut Matcher,
) -> Vec<usize> {
    if query.trim().is_empty() {
        return order.to_vec();
    }
    let pattern = pattern(query);
    let mut scored: Vec<(u32, usize)> = order
        .iter()
        .filter_map(|&index| {
            let haystack = haystacks.get(index)?;
            pattern
                .score(haystack.slice(..), matcher)
                .map(|score| (score, index))
        })
        .collect();
    // Stable: equal scores stay in list order.
    scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
    scored.into_iter().map(|(_, index)| index).collect()
}

/// Matched character positions, per column: (name, account, role name); each sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Highlights {
    pub name: Vec<usize>,
    pub account: Vec<usize>,
    pub role_name: Vec<usize>,
}

/// Which characters of `role`'s columns `pattern` matched.
pub fn highlights(
    pattern: &Pattern,
    role: &Role,
    haystack: &Utf32String,
    matcher: &mut Matcher,
) -> Highlights {
    let mut indices = Vec::new();
    let mut out = Highlights::default();
    if pattern.atoms.is_empty()
        || pattern
            .indices(haystack.slice(..), matcher, &mut indices)
            .is_none()
    {
        return out;
    }
    indices.sort_unstable();
    indices.dedup();
    let name_len = role.name.chars().count();
    let account_start = name_len + 1;
    let account_end = account_start + role.account_id.chars().count();
    let role_start = account_end + 1;
    let role_end = role_start + role.role_name.chars().count();
    for index in indices {
        let index = index as usize;
        if index < name_len {
            out.name.push(index);
        } else if (account_start..account_end).contains(&index) {
            out.account.push(index - account_start);
        } else if (role_start..role_end).contains(&index) {
            out.role_name.push(index - role_start);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, account: &str, role_name: &str, tags: &[&str]) -> Role {
        Role {
            name: name.into(),
            account_id: account.into(),
            role_name: role_name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..Role::default()
        }
    }

    #[test]
    fn matches_every_searched_field_and_ranks_best_first() {
        let roles = [
            role("Acme prod", "111111111111", "Admin", &[]),
            role("Globex", "222222222222", "ReadOnly", &["billing"]),
            role("Initech", "333333333333", "Admin", &[]),
        ];
        let hay: Vec<_> = roles.iter().map(haystack).collect();
        let order = [0, 1, 2];
        let mut m = new_matcher();
        assert_eq!(filter("", &order, &hay, &mut m), vec![0, 1, 2]);
        assert_eq!(filter("globex", &order, &hay, &mut m), vec![1]);
        assert_eq!(filter("3333", &order, &hay, &mut m), vec![2]);
        assert_eq!(filter("readonly", &order, &hay, &mut m), vec![1]);
        assert_eq!(filter("billing", &order, &hay, &mut m), vec![1]);
        assert_eq!(filter("admin", &order, &hay, &mut m), vec![0, 2]);
        assert!(filter("zzzz", &order, &hay, &mut m).is_empty());
    }

    #[test]
    fn highlights_map_to_columns() {
        let r = role("Acme", "123456789012", "Ops", &[]);
        let hay = haystack(&r);
        let mut m = new_matcher();
        let h = highlights(&pattern("acme"), &r, &hay, &mut m);
        assert_eq!(h.name, vec![0, 1, 2, 3]);
        let h = highlights(&pattern("9012"), &r, &hay, &mut m);
        assert_eq!(h.account, vec![8, 9, 10, 11]);
        let h = highlights(&pattern("ops"), &r, &hay, &mut m);
        assert_eq!(h.role_name, vec![0, 1, 2]);
    }
}
