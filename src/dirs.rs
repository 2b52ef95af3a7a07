//! The platform directories switchrole uses (config, cache, state), from `directories`, else
//! from the `XDG_*_HOME` variables. There is no shared fallback: with no home directory
//! (no HOME and a uid the password database does not know) and no variable naming the
//! directory, [`check`] says what to set, and the paths below lead nowhere that can exist.

use std::path::PathBuf;

/// Which directory could not be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Config,
    Cache,
    State,
}

impl Kind {
    fn variable(self) -> &'static str {
        match self {
            Kind::Config => "XDG_CONFIG_HOME (or SWITCHROLE_CONFIG for the config file)",
            Kind::Cache => "XDG_CACHE_HOME",
            Kind::State => "XDG_STATE_HOME",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Config => "config",
            Kind::Cache => "cache",
            Kind::State => "state",
        }
    }
}

/// No home directory, and no variable naming the directories instead.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "cannot tell where your {} directory is: HOME is not set and your user is not in the password database, and switchrole never falls back to a shared directory; set HOME, or {}",
    labels(.0),
    variables(.0)
)]
pub struct NoHomeError(pub Vec<Kind>);

fn labels(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

fn variables(kinds: &[Kind]) -> String {
    kinds
        .iter()
        .map(|k| k.variable())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The platform directories, worked out once per process (from HOME, the `XDG_*`
/// variables or the password database): every command asks for several of them.
fn project() -> Option<&'static directories::ProjectDirs> {
    static PROJECT: std::sync::OnceLock<Option<directories::ProjectDirs>> =
        std::sync::OnceLock::new();
    PROJECT
        .get_or_init(|| directories::ProjectDirs::from("", "", "switchrole"))
        .as_ref()
}

/// `$VAR/switchrole` when `VAR` holds an absolute path (the XDG rule).
fn from_variable(name: &str) -> Option<PathBuf> {
    let value = PathBuf::from(std::env::var_os(name)?);
    value.is_absolute().then(|| value.join("switchrole"))
}

/// Where no file can ever be created, by anyone: what the infallible functions return when
/// [`check`] would fail (the binary has refused to run by then).
fn nowhere() -> PathBuf {
    PathBuf::from("/dev/null/switchrole-has-no-home")
}

/// The config directory, or why there is none.
pub fn try_config_dir() -> Result<PathBuf, NoHomeError> {
    project()
        .map(|p| p.config_dir().to_path_buf())
        .or_else(|| from_variable("XDG_CONFIG_HOME"))
        .ok_or_else(|| NoHomeError(vec![Kind::Config]))
}

/// The cache directory, or why there is none.
pub fn try_cache_dir() -> Result<PathBuf, NoHomeError> {
    project()
        .map(|p| p.cache_dir().to_path_buf())
        .or_else(|| from_variable("XDG_CACHE_HOME"))
        .ok_or_else(|| NoHomeError(vec![Kind::Cache]))
}

/// The state directory, or why there is none.
pub fn try_state_dir() -> Result<PathBuf, NoHomeError> {
    project()
        .map(|p| {
            p.state_dir()
                .unwrap_or_else(|| p.data_local_dir())
                .to_path_buf()
        })
        .or_else(|| from_variable("XDG_STATE_HOME"))
        .ok_or_else(|| NoHomeError(vec![Kind::State]))
}

/// Fails, saying what to set, when one of the directories cannot be found. `config_given`:
/// the config file is named (`--config`, `SWITCHROLE_CONFIG`), so its directory is not
/// needed.
pub fn check(config_given: bool) -> Result<(), NoHomeError> {
    let mut missing = Vec::new();
    if !config_given && try_config_dir().is_err() {
        missing.push(Kind::Config);
    }
    if try_cache_dir().is_err() {
        missing.push(Kind::Cache);
    }
    if try_state_dir().is_err() {
        missing.push(Kind::State);
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(NoHomeError(missing))
    }
}

/// Where `config.toml` lives by default.
pub fn config_dir() -> PathBuf {
    try_config_dir().unwrap_or_else(|_| nowhere())
}

/// Where cached credentials live (0700).
pub fn cache_dir() -> PathBuf {
    try_cache_dir().unwrap_or_else(|_| nowhere())
}

/// Where usage state (last used, use count) lives.
pub fn state_dir() -> PathBuf {
    try_state_dir().unwrap_or_else(|_| nowhere())
}
