//! Bringing roles in (SPEC 8): each source ([`aws_config`], [`aesr`], [`organizations`])
//! turns its text or answer into [`Draft`]s; this module validates every draft through the
//! role schema (imported text is untrusted), sorts the valid ones against the remembered list
//! (added, already there, conflicting) and adds the new ones in one write under the config's
//! lock, the sorting done on the file as it is under that lock.

pub mod aesr;
pub mod aws_config;
pub mod organizations;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::{self, ConfigError, Role, schema, validate};
use crate::untrusted::escape_controls;

/// Where an entry came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A line of the imported file (a section's header).
    Line(usize),
    /// An account of the Organization.
    Account(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Line(line) => write!(f, "line {line}"),
            Origin::Account(id) => write!(f, "account {}", escape_controls(id)),
        }
    }
}

/// One role as its source wrote it, before validation: the display name and the values by
/// role key, each with the source's own name for it (for messages).
#[derive(Debug, Clone)]
pub struct Draft {
    pub origin: Origin,
    pub name: String,
    /// `(role key, the source's key, value)`.
    pub values: Vec<(&'static str, String, String)>,
    /// The partition of the role ARN the source gave, if any.
    pub partition: Option<String>,
}

impl Draft {
    pub fn new(origin: Origin, name: &str) -> Draft {
        Draft {
            origin,
            name: name.to_string(),
            values: Vec::new(),
            partition: None,
        }
    }

    /// Sets the role key `toml` from the source's key `source_key`.
    pub fn set(&mut self, toml: &'static str, source_key: &str, value: &str) {
        self.values
            .push((toml, source_key.to_string(), value.to_string()));
    }

    /// The role, every value checked by the role schema; `partition` is the config's.
    fn role(&self, partition: &str) -> Result<Role, String> {
        let mut role = Role::default();
        let name_key = schema::role_key("name").ok_or("the schema has no name key")?;
        name_key
            .set_text(&mut role, &self.name)
            .map_err(|reason| format!("the name {reason}"))?;
        if let Some(arn_partition) = &self.partition
            && arn_partition != partition
        {
            return Err(format!(
                "the role ARN is in the partition {}, but the config's roles are in {partition} (set `partition` in [defaults])",
                escape_controls(arn_partition)
            ));
        }
        for (toml, source_key, value) in &self.values {
            let key = schema::role_key(toml).ok_or("the schema has no such key")?;
            key.set_text(&mut role, value)
                .map_err(|reason| format!("`{}` {reason}", escape_controls(source_key)))?;
        }
        if let Some(key) = schema::ROLE_KEYS
            .iter()
            .find(|k| k.required() && k.text(&role).is_empty())
        {
            return Err(format!("has no {}", key.toml.replace('_', " ")));
        }
        Ok(role)
    }
}

/// An entry that could not be imported, and why (in words safe to print).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub origin: Origin,
    pub name: Option<String>,
    pub reason: String,
}

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(name) = &self.name {
            write!(f, ", \"{}\"", escape_controls(name))?;
        }
        write!(f, ": {}", escape_controls(&self.reason))
    }
}

/// What a source held: its roles in order, and the entries it could not read.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub drafts: Vec<Draft>,
    pub bad: Vec<Bad>,
    /// Entries left out on purpose, with the reason (a base account, the management account).
    pub skipped: Vec<Bad>,
}

/// What happened to one valid entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Added,
    /// The same role (account, role name and external ID) is remembered, under this name.
    AlreadyThere {
        as_name: String,
    },
    /// A role of that name is remembered for another role (`ACCOUNT_ID/ROLE_NAME`): not
    /// overwritten.
    Conflict {
        existing: String,
    },
}

/// The outcome of an import.
#[derive(Debug, Clone)]
pub struct Report {
    pub config_path: PathBuf,
    /// The config's partition, in which the roles were validated.
    pub partition: String,
    pub entries: Vec<(Role, Origin, Verdict)>,
    pub bad: Vec<Bad>,
    pub skipped: Vec<Bad>,
    pub dry_run: bool,
}

impl Report {
    pub fn count(&self, wanted: fn(&Verdict) -> bool) -> usize {
        self.entries.iter().filter(|(_, _, v)| wanted(v)).count()
    }

    /// True when every entry was added or is there already.
    pub fn is_complete(&self) -> bool {
        self.bad.is_empty() && self.count(|v| matches!(v, Verdict::Conflict { .. })) == 0
    }

    fn added(&self) -> Vec<Role> {
        self.entries
            .iter()
            .filter(|(_, _, v)| *v == Verdict::Added)
            .map(|(role, _, _)| role.clone())
            .collect()
    }
}

/// What an import could not do at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {}", path.display(), escape_controls(message))]
    Unreadable { path: PathBuf, message: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Organizations(#[from] crate::aws::organizations::OrganizationsError),
}

/// Imports `parsed` into the config at `path`: one write under the lock, none when nothing
/// is new or on a dry run (which reads the file as it is and changes nothing).
pub fn import(path: &Path, parsed: Parsed, dry_run: bool) -> Result<Report, ImportError> {
    if dry_run {
        let config = config::load(path)?;
        return Ok(sort(&config, parsed, true));
    }
    let report = config::add_roles(path, |config| {
        let report = sort(config, parsed, false);
        (report.added(), report)
    })?;
    Ok(report)
}

/// Validates the drafts and sorts the valid ones against `config` (and against each other:
/// a source that names a role twice adds it once).
fn sort(config: &config::Config, parsed: Parsed, dry_run: bool) -> Report {
    let partition = config.defaults.partition();
    let mut known: Vec<Role> = config.roles.clone();
    let mut entries = Vec::new();
    let mut bad = parsed.bad;
    for draft in parsed.drafts {
        let role = match draft.role(partition) {
            Ok(role) => role,
            Err(reason) => {
                bad.push(Bad {
                    origin: draft.origin,
                    name: Some(draft.name),
                    reason,
                });
                continue;
            }
        };
        let verdict = verdict(&known, &role);
        if verdict == Verdict::Added {
            known.push(role.clone());
        }
        entries.push((role, draft.origin, verdict));
    }
    Report {
        config_path: config.path.clone(),
        partition: partition.to_string(),
        entries,
        bad,
        skipped: parsed.skipped,
        dry_run,
    }
}

/// Same name: there already when it is the same role, else a conflict. Another name for
/// the same account, role name and external ID: there already.
fn verdict(known: &[Role], role: &Role) -> Verdict {
    let same_role = |r: &Role| {
        r.account_id == role.account_id
            && r.role_name == role.role_name
            && r.external_id == role.external_id
    };
    if let Some(existing) = known.iter().find(|r| r.name == role.name) {
        return if same_role(existing) {
            Verdict::AlreadyThere {
                as_name: existing.name.clone(),
            }
        } else {
            Verdict::Conflict {
                existing: existing.account_and_role(),
            }
        };
    }
    match known.iter().find(|r| same_role(r)) {
        Some(existing) => Verdict::AlreadyThere {
            as_name: existing.name.clone(),
        },
        None => Verdict::Added,
    }
}

/// Splits a role ARN of any partition into its parts, for the sources that give ARNs.
pub(crate) fn set_role_arn(draft: &mut Draft, source_key: &str, arn: &str) -> Result<(), String> {
    match validate::split_role_arn(arn) {
        Some((partition, account, role)) => {
            draft.partition = Some(partition);
            draft.set("account_id", source_key, &account);
            draft.set("role_name", source_key, &role);
            Ok(())
        }
        None => Err(format!(
            "`{}` {} is not a role ARN (arn:aws:iam::123456789012:role/NAME)",
            escape_controls(source_key),
            validate::quoted(arn)
        )),
    }
}

#[cfg(test)]
mod tests;
