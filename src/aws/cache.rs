//! The on-disk cache of assumed credentials, one JSON file per role and base profile, in a
//! 0700 directory with 0600 files written atomically. A damaged or too-open file counts as a
//! miss and is replaced on the next write. Reading it needs no SDK and no network.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::credentials::{Credentials, Secret, parse_rfc3339, rfc3339};
use crate::fsutil;

/// Cached credentials are reused only while more than this remains.
pub const MIN_REMAINING: Duration = Duration::from_secs(5 * 60);

/// The cache directory.
#[derive(Debug, Clone)]
pub struct CredentialCache {
    dir: PathBuf,
}

/// What identifies one cached session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    /// `role-…` for assumed roles, `mfa-…` for MFA sessions.
    kind: &'static str,
    material: String,
    /// Shown in `doctor` and kept in the file for humans; not part of the file name.
    pub label: String,
}

impl CacheKey {
    /// Key for the credentials of `role_arn` assumed with the base credentials of
    /// `source_profile` (`None`: whatever the default chain finds, see [`base_label`]).
    pub fn role(source_profile: Option<&str>, role_arn: &str, external_id: Option<&str>) -> Self {
        CacheKey {
            kind: "role",
            material: format!(
                "{}\n{role_arn}\n{}",
                base_label(source_profile),
                external_id.unwrap_or("")
            ),
            label: role_arn.to_string(),
        }
    }

    /// Key for the MFA session (GetSessionToken) of those base credentials.
    pub fn mfa_session(source_profile: Option<&str>, mfa_serial: &str) -> Self {
        CacheKey {
            kind: "mfa",
            material: format!("{}\n{mfa_serial}", base_label(source_profile)),
            label: mfa_serial.to_string(),
        }
    }

    fn file_name(&self) -> String {
        let digest = Sha256::digest(self.material.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{hex}.json", self.kind)
    }
}

/// Names the base credentials without loading them, in the default chain's order: the
/// profile asked for, else access keys in the environment (by key ID), else `AWS_PROFILE`,
/// else `default`. Different base users never share a cache entry.
fn base_label(source_profile: Option<&str>) -> String {
    let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (source_profile, var("AWS_ACCESS_KEY_ID"), var("AWS_PROFILE")) {
        (Some(profile), _, _) => format!("profile:{profile}"),
        (None, Some(key_id), _) => format!("keys:{key_id}"),
        (None, None, Some(profile)) => format!("profile:{profile}"),
        (None, None, None) => "profile:default".to_string(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CacheFile {
    label: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    expiration: String,
}

impl CredentialCache {
    pub fn new(dir: PathBuf) -> Self {
        CredentialCache { dir }
    }

    /// The default cache directory (`directories` cache dir).
    pub fn default_location() -> Self {
        Self::new(crate::dirs::cache_dir())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &CacheKey) -> PathBuf {
        self.dir.join(key.file_name())
    }

    /// Cached credentials with more than [`MIN_REMAINING`] left, if any.
    pub fn get(&self, key: &CacheKey) -> Option<Credentials> {
        self.get_any(key)
            .filter(|creds| creds.remaining() > MIN_REMAINING)
    }

    /// Cached credentials whatever their remaining time (for status displays).
    pub fn get_any(&self, key: &CacheKey) -> Option<Credentials> {
        let path = self.path(key);
        if !is_private(&path) {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
        Some(Credentials {
            access_key_id: file.access_key_id,
            secret_access_key: Secret::new(file.secret_access_key),
            session_token: Secret::new(file.session_token),
            expiration: parse_rfc3339(&file.expiration)?,
        })
    }

    /// Stores `creds` under `key`, replacing any previous file atomically.
    pub fn put(&self, key: &CacheKey, creds: &Credentials) -> std::io::Result<()> {
        fsutil::create_private_dir(&self.dir)?;
        let file = CacheFile {
            label: key.label.clone(),
            access_key_id: creds.access_key_id.clone(),
            secret_access_key: creds.secret_access_key.expose().to_string(),
            session_token: creds.session_token.expose().to_string(),
            expiration: rfc3339(creds.expiration),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        fsutil::write_atomic(&self.path(key), &json, Some(0o600))
    }
}

/// True when the file is ours and only we can read it (always true off Unix). A file that
/// others could read, or that someone else owns, is not trusted: it is treated as a miss and
/// replaced by the next write.
fn is_private(path: &Path) -> bool {
    fsutil::is_private_file(path)
}

/// Seconds since the epoch, for tests and state.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(valid_for: u64) -> Credentials {
        Credentials {
            access_key_id: "ASIATEST".into(),
            secret_access_key: Secret::new("s"),
            session_token: Secret::new("t"),
            expiration: SystemTime::now() + Duration::from_secs(valid_for),
        }
    }

    #[test]
    fn keeps_credentials_until_five_minutes_before_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CredentialCache::new(dir.path().join("c"));
        let key = CacheKey::role(None, "arn:aws:iam::123456789012:role/A", None);
        cache.put(&key, &creds(3600)).unwrap();
        assert_eq!(cache.get(&key).unwrap().access_key_id, "ASIATEST");
        cache.put(&key, &creds(200)).unwrap();
        assert!(cache.get(&key).is_none());
        assert!(cache.get_any(&key).is_some());
    }

    #[test]
    fn different_profiles_or_external_ids_do_not_share() {
        let a = CacheKey::role(None, "arn", None).file_name();
        assert_ne!(a, CacheKey::role(Some("p"), "arn", None).file_name());
        assert_ne!(a, CacheKey::role(None, "arn", Some("x")).file_name());
        assert_ne!(a, CacheKey::mfa_session(None, "arn").file_name());
    }
}
