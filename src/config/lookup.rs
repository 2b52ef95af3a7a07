//! Finding a remembered role by what the user typed: its display name or `ACCOUNT_ID/ROLE_NAME`.

use super::ConfigError;
use super::model::{Config, Role, RoleHead};

/// Which of `heads` `query` names: a display name first, else `ACCOUNT_ID/ROLE_NAME`.
pub fn position<'a>(
    mut heads: impl Iterator<Item = RoleHead<'a>> + Clone,
    query: &str,
) -> Option<usize> {
    if let Some(found) = heads.clone().position(|head| head.name == query) {
        return Some(found);
    }
    let (account, role_name) = query.split_once('/')?;
    heads.position(|head| head.account_id == account && head.role_name == role_name)
}

impl Config {
    /// The role named `query`, or an error listing the closest names.
    pub fn find(&self, query: &str) -> Result<&Role, ConfigError> {
        if let Some(role) =
            position(self.roles.iter().map(Role::head), query).and_then(|i| self.roles.get(i))
        {
            return Ok(role);
        }
        Err(ConfigError::NotFound {
            path: self.path.clone(),
            name: query.to_string(),
            suggestions: self.closest_names(query, 3),
        })
    }

    /// Up to `limit` display names that look like `query`, best first.
    fn closest_names(&self, query: &str, limit: usize) -> Vec<String> {
        let query = query.to_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .roles
            .iter()
            .map(|role| {
                let name = role.name.to_lowercase();
                let mut score = strsim::jaro_winkler(&query, &name);
                if !query.is_empty() && (name.contains(&query) || role.account_id.contains(&query))
                {
                    score += 1.0;
                }
                (score, role.name.as_str())
            })
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, name)| name.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(names: &[&str]) -> Config {
        let roles = names
            .iter()
            .enumerate()
            .map(|(i, name)| Role {
                name: name.to_string(),
                account_id: format!("{:012}", i + 1),
                role_name: "Admin".into(),
                ..Role::default()
            })
            .collect();
        Config {
            roles,
            ..Config::default()
        }
    }

    #[test]
    fn finds_by_name_or_account_and_role() {
        let config = config(&["Acme Prod", "Acme Dev"]);
        assert_eq!(config.find("Acme Dev").unwrap().name, "Acme Dev");
        assert_eq!(config.find("000000000001/Admin").unwrap().name, "Acme Prod");
    }

    #[test]
    fn unknown_names_suggest_close_ones() {
        let config = config(&["Acme Prod", "Acme Dev", "Globex"]);
        let err = config.find("acme prd").unwrap_err().to_string();
        assert!(err.contains("did you mean: Acme Prod"), "{err}");
        assert!(!err.contains("Globex"), "{err}");
    }
}
