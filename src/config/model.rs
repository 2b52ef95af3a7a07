//! The remembered list in memory: `[defaults]`, the roles, and the values in effect for a
//! role once its own keys override the defaults. Holds no I/O.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::sources::Team;

/// Default AssumeRole duration when neither the role nor `[defaults]` sets one.
pub const DEFAULT_DURATION_SECS: u32 = 3600;
/// Default lifetime of the MFA session (GetSessionToken).
pub const DEFAULT_MFA_SESSION_SECS: u32 = 12 * 3600;
/// The partition of the role ARNs when `[defaults]` names none.
pub const DEFAULT_PARTITION: &str = "aws";

/// The `[defaults]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defaults {
    pub source_profile: Option<String>,
    pub region: Option<String>,
    pub duration: Option<u32>,
    pub session_name: Option<String>,
    pub mfa_serial: Option<String>,
    pub mfa_session_duration: Option<u32>,
    pub partition: Option<String>,
    /// How `shell` and the TUI hand credentials over: `"server"` (the default) or `"static"`.
    pub credentials: Option<String>,
    /// Whether the subshells of `shell` and the TUI show the role in the prompt (SPEC 4b);
    /// on when left out.
    pub prompt: Option<bool>,
    /// How `setup new` names a client's role (see [`super::role_name_pattern`]).
    pub role_name_pattern: Option<String>,
}

impl Defaults {
    /// The partition of every role ARN in the config: `[defaults] partition`, else `aws`.
    pub fn partition(&self) -> &str {
        self.partition.as_deref().unwrap_or(DEFAULT_PARTITION)
    }

    /// True when `shell` and the TUI serve renewing credentials (`credentials = "server"`,
    /// the default) rather than export static ones.
    pub fn serves_credentials(&self) -> bool {
        self.credentials.as_deref() != Some("static")
    }

    /// True when the subshells show the role in the prompt (`prompt`, on by default).
    pub fn shows_prompt(&self) -> bool {
        self.prompt != Some(false)
    }
}

/// One remembered client role (`[[roles]]`). Its keys are described in
/// [`super::schema::ROLE_KEYS`], which every reader and writer of a role goes through.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    // The first five fields are a [`RoleHead`]'s, in the same order: a snapshot decodes
    // just them for `list` and for finding a role.
    pub name: String,
    pub account_id: String,
    pub role_name: String,
    pub region: Option<String>,
    /// The `[[sources]]` name of the team source the role comes from (read-only in the
    /// list); `None` for the user's own roles.
    pub source: Option<String>,
    pub color: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub source_profile: Option<String>,
    pub duration: Option<u32>,
    pub session_name: Option<String>,
    pub tags: Vec<String>,
    /// Set by the file; for a team role the favourite is the user's, in the usage state.
    pub favorite: bool,
    /// Line of the `[[roles]]` header in the file (1-based; 0 when not from a file).
    pub line: usize,
}

/// The head of an encoded [`Role`], borrowed from the encoding: what `list` shows and what
/// a role is found by. Its fields are the first of `Role`'s, in the same order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct RoleHead<'a> {
    pub name: &'a str,
    pub account_id: &'a str,
    pub role_name: &'a str,
    pub region: Option<&'a str>,
    pub source: Option<&'a str>,
}

impl Role {
    pub fn head(&self) -> RoleHead<'_> {
        RoleHead {
            name: &self.name,
            account_id: &self.account_id,
            role_name: &self.role_name,
            region: self.region.as_deref(),
            source: self.source.as_deref(),
        }
    }

    /// A valid role named `name` with only the required keys (for tests).
    #[cfg(test)]
    pub(crate) fn sample(name: &str) -> Role {
        Role {
            name: name.into(),
            account_id: "012345678901".into(),
            role_name: "Admin".into(),
            ..Role::default()
        }
    }

    /// True for a role of a team source (read-only: it cannot be edited or removed here).
    pub fn is_team(&self) -> bool {
        self.source.is_some()
    }

    /// The `ACCOUNT_ID/ROLE_NAME` form by which a role can also be named.
    pub fn account_and_role(&self) -> String {
        format!("{}/{}", self.account_id, self.role_name)
    }
}

/// One `[[sources]]` table: a team's roles file merged read-only into the list (SPEC 8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceEntry {
    /// How the list shows the source, unique among the sources.
    pub name: String,
    /// The roles file as written: `~/` is the home directory, a relative path is relative to
    /// the config file's directory (see [`super::sources::resolve`]).
    pub path: String,
    /// Line of the `[[sources]]` header in the config (1-based).
    pub line: usize,
}

/// The whole config file, with the roles of its team sources merged in.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: PathBuf,
    /// False when the file does not exist yet (an empty list).
    pub exists: bool,
    pub defaults: Defaults,
    /// The user's own roles, in file order, then the team sources' roles (their `source`
    /// set) that no earlier role's name hides.
    pub roles: Vec<Role>,
    /// The `[[sources]]` entries and what went wrong reading them.
    pub team: Team,
}

/// The settings in effect for one role: its own keys, else `[defaults]`, else built-ins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub partition: String,
    pub role_arn: String,
    pub region: Option<String>,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub source_profile: Option<String>,
    pub duration: u32,
    pub session_name: Option<String>,
    pub mfa_session_duration: u32,
}

impl Config {
    /// The region in effect for `role`, without building the rest of [`Effective`] (the
    /// list shows it for every visible row).
    pub fn region_of<'a>(&'a self, role: &'a Role) -> Option<&'a str> {
        role.region.as_deref().or(self.defaults.region.as_deref())
    }

    /// The settings in effect for `role`.
    pub fn effective(&self, role: &Role) -> Effective {
        let d = &self.defaults;
        let partition = d.partition().to_string();
        let role_arn = format!(
            "arn:{partition}:iam::{}:role/{}",
            role.account_id, role.role_name
        );
        Effective {
            role_arn,
            partition,
            region: self.region_of(role).map(str::to_string),
            external_id: role.external_id.clone(),
            mfa_serial: role.mfa_serial.clone().or_else(|| d.mfa_serial.clone()),
            source_profile: role
                .source_profile
                .clone()
                .or_else(|| d.source_profile.clone()),
            duration: role
                .duration
                .or(d.duration)
                .unwrap_or(DEFAULT_DURATION_SECS),
            session_name: role.session_name.clone().or_else(|| d.session_name.clone()),
            mfa_session_duration: d.mfa_session_duration.unwrap_or(DEFAULT_MFA_SESSION_SECS),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_keys_override_defaults() {
        let config = Config {
            defaults: Defaults {
                region: Some("eu-west-1".into()),
                duration: Some(1800),
                partition: Some("aws-cn".into()),
                source_profile: Some("base".into()),
                ..Defaults::default()
            },
            ..Config::default()
        };
        let role = Role {
            name: "Client".into(),
            account_id: "012345678901".into(),
            role_name: "ops/Admin".into(),
            region: Some("us-east-2".into()),
            ..Role::default()
        };
        let eff = config.effective(&role);
        assert_eq!(eff.role_arn, "arn:aws-cn:iam::012345678901:role/ops/Admin");
        assert_eq!(eff.region.as_deref(), Some("us-east-2"));
        assert_eq!(eff.duration, 1800);
        assert_eq!(eff.source_profile.as_deref(), Some("base"));
        assert_eq!(eff.mfa_session_duration, DEFAULT_MFA_SESSION_SECS);
    }
}
