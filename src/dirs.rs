//! The platform directories switchrole uses (config, cache, state), from `directories`.

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "switchrole")
}

fn fallback() -> PathBuf {
    std::env::temp_dir().join("switchrole")
}

/// Where `config.toml` lives by default.
pub fn config_dir() -> PathBuf {
    project().map_or_else(fallback, |p| p.config_dir().to_path_buf())
}

/// Where cached credentials live (0700).
pub fn cache_dir() -> PathBuf {
    project().map_or_else(fallback, |p| p.cache_dir().to_path_buf())
}

/// Where usage state (last used, use count) lives.
pub fn state_dir() -> PathBuf {
    project().map_or_else(fallback, |p| {
        p.state_dir()
            .unwrap_or_else(|| p.data_local_dir())
            .to_path_buf()
    })
}
