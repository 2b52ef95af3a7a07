//! The on-disk cache of assumed credentials (one JSON file per role and base user), of MFA
//! sessions, and of the base users' remembered identities, in a 0700 directory with 0600
//! files written atomically. A damaged or too-open file counts as a
//! miss and is replaced on the next write. Reading it needs no SDK and no network.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::credentials::{Credentials, Secret, parse_rfc3339, rfc3339};
use super::sts::Identity;
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
    /// Key for the credentials of `role_arn` assumed with the base credentials that
    /// `base` names (see [`base_label`]) and `external_id`.
    pub fn role(base: &str, role_arn: &str, external_id: Option<&str>) -> Self {
        CacheKey {
            kind: "role",
            material: format!("{base}\n{role_arn}\n{}", external_id.unwrap_or("")),
            label: role_arn.to_string(),
        }
    }

    /// Key for the MFA session (GetSessionToken) of the base credentials `base` names.
    pub fn mfa_session(base: &str, mfa_serial: &str) -> Self {
        CacheKey {
            kind: "mfa",
            material: format!("{base}\n{mfa_serial}"),
            label: mfa_serial.to_string(),
        }
    }

    /// Key for the remembered identity (GetCallerIdentity) of a base access key.
    fn identity(access_key_id: &str) -> Self {
        CacheKey {
            kind: "identity",
            material: access_key_id.to_string(),
            label: access_key_id.to_string(),
        }
    }

    fn file_name(&self) -> String {
        let digest = Sha256::digest(self.material.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{hex}.json", self.kind)
    }
}

/// Names the base credentials a switch with `source_profile` would use, without the SDK
/// and without the network, in the order the flow resolves them: the profile asked for
/// (which wins over the environment), else access keys in the environment (by key ID),
/// else `AWS_PROFILE` or `default`. A profile's name comes with a digest of the shared
/// config and credentials files' paths and versions (metadata only: the files are not
/// read), so a swapped file or other keys under the same name never reuse a cached session. Different base users never share a cache entry.
pub fn base_label(source_profile: Option<&str>) -> String {
    label_with(source_profile, &|name| std::env::var(name).ok())
}

/// [`base_label`] with the environment read through `env`.
pub(crate) fn label_with(
    source_profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> String {
    let var = |name| env(name).filter(|v| !v.is_empty());
    let profile = match (source_profile, var("AWS_ACCESS_KEY_ID")) {
        (Some(profile), _) => profile.to_string(),
        (None, Some(key_id)) => return format!("keys:{key_id}"),
        (None, None) => var("AWS_PROFILE").unwrap_or_else(|| "default".to_string()),
    };
    let home = var("HOME")
        .or_else(|| var("USERPROFILE"))
        .unwrap_or_default();
    let mut digest = Sha256::new();
    for (variable, name) in [
        ("AWS_CONFIG_FILE", "config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ] {
        let path =
            var(variable).map_or_else(|| Path::new(&home).join(".aws").join(name), PathBuf::from);
        digest.update(path.as_os_str().as_encoded_bytes());
        digest.update(file_version(&path).as_bytes());
    }
    let hex: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("profile:{profile}:{hex}")
}

/// Which version of a file this is, from its metadata alone (no read): any rewrite or swap
/// changes it.
fn file_version(path: &Path) -> String {
    let Ok(meta) = std::fs::metadata(path) else {
        return "missing".to_string();
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!(
            "{} {} {} {}.{} {}.{}",
            meta.dev(),
            meta.ino(),
            meta.len(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec()
        )
    }
    #[cfg(not(unix))]
    {
        format!("{} {:?}", meta.len(), meta.modified().ok())
    }
}

/// A remembered GetCallerIdentity answer.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IdentityFile {
    account: String,
    arn: String,
    user_id: String,
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

    /// Cached credentials whatever their remaining time; the switch flow decides whether
    /// they are fresh enough ([`MIN_REMAINING`]).
    pub fn get_any(&self, key: &CacheKey) -> Option<Credentials> {
        let file: CacheFile = self.read(key)?;
        // Another entry's file moved under this name is not this entry.
        if file.label != key.label {
            return None;
        }
        Some(Credentials {
            access_key_id: file.access_key_id,
            secret_access_key: Secret::new(file.secret_access_key),
            session_token: Secret::new(file.session_token),
            expiration: parse_rfc3339(&file.expiration)?,
        })
    }

    /// Stores `creds` under `key`, replacing any previous file atomically.
    pub fn put(&self, key: &CacheKey, creds: &Credentials) -> std::io::Result<()> {
        let file = CacheFile {
            label: key.label.clone(),
            access_key_id: creds.access_key_id.clone(),
            secret_access_key: creds.secret_access_key.expose().to_string(),
            session_token: creds.session_token.expose().to_string(),
            expiration: rfc3339(creds.expiration),
        };
        self.write(key, &file)
    }

    /// The identity remembered for the base access key `access_key_id`.
    pub fn identity(&self, access_key_id: &str) -> Option<Identity> {
        let file: IdentityFile = self.read(&CacheKey::identity(access_key_id))?;
        Some(Identity {
            account: file.account,
            arn: file.arn,
            user_id: file.user_id,
        })
    }

    /// Remembers `identity` as the owner of the base access key `access_key_id`.
    pub fn put_identity(&self, access_key_id: &str, identity: &Identity) -> std::io::Result<()> {
        let file = IdentityFile {
            account: identity.account.clone(),
            arn: identity.arn.clone(),
            user_id: identity.user_id.clone(),
        };
        self.write(&CacheKey::identity(access_key_id), &file)
    }

    /// The file of `key` decoded, when it and the cache directory are ours and private and
    /// it is well formed.
    fn read<T: serde::de::DeserializeOwned>(&self, key: &CacheKey) -> Option<T> {
        if !fsutil::is_private_dir(&self.dir) {
            return None;
        }
        let bytes = fsutil::read_private(&self.path(key))?;
        serde_json::from_slice(&bytes).ok()
    }

    fn write<T: Serialize>(&self, key: &CacheKey, value: &T) -> std::io::Result<()> {
        fsutil::create_private_dir(&self.dir)?;
        let json = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
        fsutil::write_atomic(&self.path(key), &json, Some(0o600))
    }
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
    fn credentials_and_identities_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CredentialCache::new(dir.path().join("c"));
        let key = CacheKey::role("profile:default", "arn:aws:iam::123456789012:role/A", None);
        let stored = creds(3600);
        cache.put(&key, &stored).unwrap();
        let read = cache.get_any(&key).unwrap();
        assert_eq!(read.access_key_id, "ASIATEST");
        assert_eq!(read.session_token.expose(), "t");
        let me = Identity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/me".into(),
            user_id: "AIDA".into(),
        };
        assert!(cache.identity("AKIA1").is_none());
        cache.put_identity("AKIA1", &me).unwrap();
        assert_eq!(cache.identity("AKIA1"), Some(me));
        assert!(cache.identity("AKIA2").is_none());
    }

    #[test]
    fn another_entrys_file_under_this_name_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CredentialCache::new(dir.path().join("c"));
        let dev = CacheKey::role(
            "profile:default",
            "arn:aws:iam::111111111111:role/Dev",
            None,
        );
        let prod = CacheKey::role(
            "profile:default",
            "arn:aws:iam::222222222222:role/Prod",
            None,
        );
        cache.put(&dev, &creds(3600)).unwrap();
        std::fs::copy(cache.path(&dev), cache.path(&prod)).unwrap();
        assert!(cache.get_any(&dev).is_some());
        assert!(
            cache.get_any(&prod).is_none(),
            "dev's session is never prod's"
        );
        // A cache directory others can write is not trusted at all.
        std::fs::set_permissions(
            cache.dir(),
            std::os::unix::fs::PermissionsExt::from_mode(0o777),
        )
        .unwrap();
        assert!(cache.get_any(&dev).is_none());
    }

    #[test]
    fn different_profiles_or_external_ids_do_not_share() {
        let a = CacheKey::role("profile:default", "arn", None).file_name();
        assert_ne!(a, CacheKey::role("profile:p", "arn", None).file_name());
        assert_ne!(
            a,
            CacheKey::role("profile:default", "arn", Some("x")).file_name()
        );
        assert_ne!(
            a,
            CacheKey::mfa_session("profile:default", "arn").file_name()
        );
    }
}
