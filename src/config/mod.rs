//! The remembered list of client roles: model, validation, loading and saving (SPEC 2).

pub mod color;
pub mod duration;
pub mod list_index;
mod load;
mod lookup;
mod model;
mod plain;
pub mod role_name_pattern;
mod roles;
pub mod schema;
pub mod snapshot;
pub mod sources;
mod store;
pub mod validate;

use std::path::PathBuf;

use crate::untrusted::escape_controls;

pub use load::{load, load_snapshot, locate, parse};
pub use lookup::position;
pub use model::{
    Config, DEFAULT_DURATION_SECS, DEFAULT_MFA_SESSION_SECS, DEFAULT_PARTITION, Defaults,
    Effective, Role, RoleHead, SourceEntry,
};
pub use roles::{Roles, load_roles};
pub use sources::{SourceWarning, Team};
pub use store::{add_role, add_roles, remove_role, replace_role};

/// Everything that can go wrong reading or writing the config, each naming the file. Names
/// and keys are shown with control and invisible characters escaped (SPEC 10).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source} (the file was left as it was)", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{line}:{column}: {}`{key}` {message}", path.display(), role_prefix(role))]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        role: Option<String>,
        key: String,
        message: String,
    },
    #[error(
        "{}: the display name \"{}\" is used twice (lines {first_line} and {second_line}); names must be unique",
        path.display(),
        escape_controls(name)
    )]
    DuplicateName {
        path: PathBuf,
        name: String,
        first_line: usize,
        second_line: usize,
    },
    #[error("{}: a role named \"{}\" exists already", path.display(), escape_controls(name))]
    NameTaken { path: PathBuf, name: String },
    #[error(
        "no role \"{}\" in {}{}",
        escape_controls(name),
        path.display(),
        suggestion_text(suggestions)
    )]
    NotFound {
        path: PathBuf,
        name: String,
        suggestions: Vec<String>,
    },
    #[error("{}: {message}", path.display())]
    Unsupported { path: PathBuf, message: String },
    #[error(
        "{} is a symbolic link to {}, which does not exist: create that file (or remove the link) first",
        path.display(),
        target.display()
    )]
    DanglingLink { path: PathBuf, target: PathBuf },
}

fn role_prefix(role: &Option<String>) -> String {
    role.as_ref()
        .map(|name| format!("role \"{}\": ", escape_controls(name)))
        .unwrap_or_default()
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; `switchrole list` shows the remembered roles".to_string()
    } else {
        let names: Vec<_> = suggestions.iter().map(|n| escape_controls(n)).collect();
        format!("; did you mean: {}?", names.join(", "))
    }
}
