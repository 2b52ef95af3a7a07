//! Usage state (last used, use count) per role, and the team roles' favourites, in its own
//! files in the state dir so that using a role never rewrites the config (nor a team file). A damaged file, or one that is not ours and
//! private (in a private directory), reads as empty.
//!
//! A use is one line appended to `usage.log` (one `write` with `O_APPEND`: no lock, no
//! rewrite, so a cached switch costs three system calls for it); reading folds the log
//! into `usage.json`, and once the log passes [`COMPACT_AT`] the recording process folds it
//! in for good under the state's lock. Recording never holds up a switch: when another
//! process keeps the lock for long, the compaction waits for a later use. A use appended
//! in the instant between a compaction's read of the log and its truncation is lost:
//! these counts order a list, they bill no one.

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

/// The log's size past which a recording folds it into the state file.
pub const COMPACT_AT: u64 = 64 * 1024;

/// The state file's default location.
pub fn default_path() -> PathBuf {
    crate::dirs::state_dir().join("usage.json")
}

impl UsageState {
    /// Reads the state and its log; a missing, damaged or untrusted file reads as empty,
    /// a damaged line of the log as nothing.
    pub fn load(path: &Path) -> UsageState {
        if !fsutil::is_private_dir(fsutil::parent_dir(path)) {
            return UsageState::default();
        }
        let mut state: UsageState = fsutil::read_private(path)
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        if let Some(log) = fsutil::read_private(&log_path(path)) {
            state.fold(&log);
        }
        state
    }

    /// Adds the uses of a log's lines.
    fn fold(&mut self, log: &[u8]) {
        for line in log.split(|&b| b == b'\n') {
            if let Ok((name, when)) = serde_json::from_slice::<(String, u64)>(line) {
                let entry = self.roles.entry(name).or_default();
                entry.count += 1;
                entry.last_used = entry.last_used.max(when);
            }
        }
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

/// The log beside the state file at `path`.
fn log_path(path: &Path) -> PathBuf {
    path.with_extension("log")
}

/// Records one use of `name` now: a line appended to the log, folded into the state file
/// once the log is long (see the module's comment). A log that is not ours and private is
/// left alone (an error of kind `PermissionDenied`).
pub fn record_use(path: &Path, name: &str) -> std::io::Result<()> {
    use std::io::Write;
    fsutil::create_private_dir(fsutil::parent_dir(path))?;
    // A line of its own even after a torn one (a crash mid-write, a damaged file).
    let mut line = vec![b'\n'];
    serde_json::to_writer(&mut line, &(name, crate::aws::cache::now_secs()))?;
    line.push(b'\n');
    let mut log = fsutil::open_private_append(&log_path(path))?;
    log.write_all(&line)?;
    if log.metadata()?.len() > COMPACT_AT {
        compact(path)?;
    }
    Ok(())
}

/// Folds the log into the state file, under the state's lock; gives up (an error of kind
/// `TimedOut`) when the lock is not free within [`RECORD_WAIT`].
pub fn compact(path: &Path) -> std::io::Result<()> {
    change_state(path, |_| {})
}

/// Runs `change` on the state (its log folded in) under its lock (given up after
/// [`RECORD_WAIT`]), writes it and empties the log.
fn change_state(path: &Path, change: impl FnOnce(&mut UsageState)) -> std::io::Result<()> {
    fsutil::create_private_dir(fsutil::parent_dir(path))?;
    let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
    lock_name.push(".lock");
    let _lock = fsutil::lock_exclusive_within(&path.with_file_name(lock_name), RECORD_WAIT)?;
    let mut state = UsageState::load(path);
    change(&mut state);
    let json = serde_json::to_vec(&state).map_err(std::io::Error::other)?;
    // Usage counts are worth no fsync: a crash may lose the last one, never tear the file.
    fsutil::write_atomic_unsynced(path, &json, Some(0o600))?;
    fsutil::open_private_append(&log_path(path))?.set_len(0)
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
        compact(&path).unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 2);
        std::fs::write(&path, b"{garbage").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 0);
        let mut log = fsutil::open_private_append(&log_path(&path)).unwrap();
        std::io::Write::write_all(&mut log, b"[\"A\", 1]\n{torn\n").unwrap();
        record_use(&path, "A").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 2);
    }

    #[test]
    fn a_held_lock_delays_the_compaction_not_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.json");
        record_use(&path, "A").unwrap();
        let _held = fsutil::lock_exclusive(&dir.path().join("usage.json.lock")).unwrap();
        let err = compact(&path).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        record_use(&path, "A").unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 2);
    }

    #[test]
    fn a_long_log_is_folded_into_the_state() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("usage.json");
        let name = "a \"quoted\"\nname ".repeat(100);
        let mut uses = 0;
        while !path.exists() {
            record_use(&path, &name).unwrap();
            uses += 1;
        }
        assert!(uses > 10, "{uses}");
        assert_eq!(std::fs::metadata(log_path(&path)).unwrap().len(), 0);
        record_use(&path, &name).unwrap();
        assert_eq!(UsageState::load(&path).usage(&name).count, uses + 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_state_file_others_can_write_is_not_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/usage.json");
        record_use(&path, "A").unwrap();
        compact(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(UsageState::load(&path).usage("A").count, 0);
        let log = log_path(&path);
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o666)).unwrap();
        let err = record_use(&path, "A").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
    }
}
