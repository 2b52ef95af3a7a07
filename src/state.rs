//! Usage state (last used, use count) per role, in its own file in the state dir so that
//! using a role never rewrites the config. A damaged file reads as empty.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil;

/// How often and how recently a role was used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Seconds since the Unix epoch.
    pub last_used: u64,
    pub count: u64,
}

/// The usage of every role, by display name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UsageState {
    #[serde(default)]
    pub roles: HashMap<String, Usage>,
}

/// The state file's default location.
pub fn default_path() -> PathBuf {
    crate::dirs::state_dir().join("usage.json")
}

impl UsageState {
    /// Reads the state; a missing or damaged file is an empty state.
    pub fn load(path: &Path) -> UsageState {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn usage(&self, name: &str) -> Usage {
        self.roles.get(name).copied().unwrap_or_default()
    }
}

/// Records one use of `name` now, under the state file's lock.
pub fn record_use(path: &Path, name: &str) -> std::io::Result<()> {
    let dir = fsutil::parent_dir(path);
    std::fs::create_dir_all(dir)?;
    let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
    lock_name.push(".lock");
    let _lock = fsutil::lock_exclusive(&path.with_file_name(lock_name))?;
    let mut state = UsageState::load(path);
    let entry = state.roles.entry(name.to_string()).or_default();
    entry.count += 1;
    entry.last_used = crate::aws::cache::now_secs();
    let json = serde_json::to_vec(&state).map_err(std::io::Error::other)?;
    // Usage counts are worth no fsync: a crash may lose the last one, never tear the file.
    fsutil::write_atomic_unsynced(path, &json, Some(0o600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_uses_and_survives_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/usage.json");
        record_use(&path, "A").unwrap();
        record_use(&path, "A").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 2);
        std::fs::write(&path, b"{garbage").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 0);
        record_use(&path, "A").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 1);
    }
}
