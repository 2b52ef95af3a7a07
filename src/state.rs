//! Usage state (last used, use count) per role, and the team roles' favourites, in its own
//! file in the state dir so that using a role never rewrites the config (nor a team file).
//! A damaged file, or one that is not ours and private (in a private directory), reads as
//! empty. Recording a use never holds up a switch: when another process keeps the lock for
//! long, the use goes unrecorded.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::fsutil;

/// How often and how recently a role was used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Seconds since the Unix epoch.
    pub last_used: u64,
    pub count: u64,
}

/// The usage of every role, by display name, and the favourites among the team sources'
/// roles (the user's own favourites are `favorite` in the config; a team file is read-only).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UsageState {
    #[serde(default)]
    pub roles: HashMap<String, Usage>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub team_favorites: BTreeSet<String>,
}

/// How long recording a use waits for the state file's lock before skipping it.
/// Long enough for a few switches queued at once on a busy machine, short enough that a
/// lock someone keeps (a hung process, another user) costs a switch at most this.
pub const RECORD_WAIT: Duration = Duration::from_secs(1);

/// The state file's default location.
pub fn default_path() -> PathBuf {
    crate::dirs::state_dir().join("usage.json")
}

impl UsageState {
    /// Reads the state; a missing, damaged or untrusted file is an empty state.
    pub fn load(path: &Path) -> UsageState {
        let trusted =
            fsutil::is_private_dir(fsutil::parent_dir(path)) && fsutil::is_private_file(path);
        trusted
            .then(|| std::fs::read(path).ok())
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    pub fn usage(&self, name: &str) -> Usage {
        self.roles.get(name).copied().unwrap_or_default()
    }

    /// Marks the team roles among `roles` that the user made favourites.
    pub fn apply_team_favorites(&self, roles: &mut [crate::config::Role]) {
        for role in roles.iter_mut().filter(|r| r.is_team()) {
            role.favorite = self.team_favorites.contains(&role.name);
        }
    }
}

/// Runs `change` on the state under its lock (given up after [`RECORD_WAIT`]) and writes it.
fn change_state(path: &Path, change: impl FnOnce(&mut UsageState)) -> std::io::Result<()> {
    fsutil::create_private_dir(fsutil::parent_dir(path))?;
    let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
    lock_name.push(".lock");
    let _lock = fsutil::lock_exclusive_within(&path.with_file_name(lock_name), RECORD_WAIT)?;
    let mut state = UsageState::load(path);
    change(&mut state);
    let json = serde_json::to_vec(&state).map_err(std::io::Error::other)?;
    // Usage counts are worth no fsync: a crash may lose the last one, never tear the file.
    fsutil::write_atomic_unsynced(path, &json, Some(0o600))
}

/// Makes the team role `name` a favourite, or no longer one.
pub fn set_team_favorite(path: &Path, name: &str, favorite: bool) -> std::io::Result<()> {
    change_state(path, |state| {
        if favorite {
            state.team_favorites.insert(name.to_string());
        } else {
            state.team_favorites.remove(name);
        }
    })
}

/// Records one use of `name` now, under the state file's lock; gives up (an error of kind
/// `TimedOut`) when the lock is not free within [`RECORD_WAIT`].
pub fn record_use(path: &Path, name: &str) -> std::io::Result<()> {
    change_state(path, |state| {
        let entry = state.roles.entry(name.to_string()).or_default();
        entry.count += 1;
        entry.last_used = crate::aws::cache::now_secs();
    })
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

    #[test]
    fn a_held_lock_skips_the_record_quickly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.json");
        record_use(&path, "A").unwrap();
        let _held = fsutil::lock_exclusive(&dir.path().join("usage.json.lock")).unwrap();
        let started = std::time::Instant::now();
        let err = record_use(&path, "A").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(UsageState::load(&path).usage("A").count, 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_state_file_others_can_write_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/usage.json");
        record_use(&path, "A").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 0);
    }
}
