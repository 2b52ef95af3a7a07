//! What the child of a server session sees of the AWS files, and how switchrole finds the
//! base user again from inside. Every SDK reads the shared credentials file and the default
//! profile before the container endpoint, so the child gets an empty private credentials
//! file and, when the user's default profile has credentials of its own, a private copy of
//! the config without them; the originals are named in `SWITCHROLE_BASE_*`.

use std::path::{Path, PathBuf};

/// Where the user's own files are named for switchrole inside a session.
pub const BASE_CONFIG_VAR: &str = "SWITCHROLE_BASE_CONFIG_FILE";
pub const BASE_CREDENTIALS_VAR: &str = "SWITCHROLE_BASE_CREDENTIALS_FILE";

/// The variables of the container credentials protocol.
pub const SERVER_VARS: [&str; 3] = [
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
];

/// Keys that give a profile credentials of its own.
const CREDENTIAL_KEYS: [&str; 17] = [
    "login_session",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "credential_process",
    "credential_source",
    "role_arn",
    "source_profile",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
    "sso_region",
];

/// The private files of one session, removed with it.
pub struct ChildFiles {
    _dir: tempfile::TempDir,
    pub credentials: PathBuf,
    /// A copy of the config without the default profile's credentials, when it had any.
    pub config: Option<PathBuf>,
    pub base_config: PathBuf,
    pub base_credentials: PathBuf,
}

impl ChildFiles {
    /// Creates the files in a new private directory under `parent`.
    pub fn prepare(parent: &Path) -> std::io::Result<ChildFiles> {
        let (base_config, base_credentials) = user_files();
        crate::fsutil::create_private_dir(parent)?;
        let mut builder = tempfile::Builder::new();
        builder.prefix("session-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let dir = builder.tempdir_in(parent)?;
        let credentials = dir.path().join("credentials");
        write_private(&credentials, b"")?;
        // A config that exists but cannot be read could hide default credentials: the
        // session does not start rather than let them win over the server.
        let original = match std::fs::read(&base_config) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                std::io::Error::other(format!(
                    "{} is not UTF-8 text: cannot make sure its default profile does not win over the credential server",
                    base_config.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(std::io::Error::other(format!(
                    "cannot read {}: {e}",
                    base_config.display()
                )));
            }
        };
        let filtered = without_default_credentials(&original);
        let config = if filtered == original {
            None
        } else {
            let path = dir.path().join("config");
            write_private(&path, filtered.as_bytes())?;
            Some(path)
        };
        Ok(ChildFiles {
            _dir: dir,
            credentials,
            config,
            base_config,
            base_credentials,
        })
    }

    /// The variables that point the child at these files.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        let text = |p: &Path| p.to_string_lossy().into_owned();
        let mut vars = vec![
            ("AWS_SHARED_CREDENTIALS_FILE", text(&self.credentials)),
            (BASE_CONFIG_VAR, text(&self.base_config)),
            (BASE_CREDENTIALS_VAR, text(&self.base_credentials)),
        ];
        if let Some(config) = &self.config {
            vars.push(("AWS_CONFIG_FILE", text(config)));
        }
        vars
    }
}

/// The user's config and credentials files as the SDK finds them (`~/` expanded, as the
/// SDKs do).
pub fn user_files() -> (PathBuf, PathBuf) {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_default();
    let file = |variable: &str, name: &str| match std::env::var(variable) {
        Ok(value) if value.starts_with("~/") => home.join(&value[2..]),
        Ok(value) if !value.is_empty() => PathBuf::from(value),
        _ => home.join(".aws").join(name),
    };
    (
        file("AWS_CONFIG_FILE", "config"),
        file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    )
}

fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    crate::fsutil::write_atomic_unsynced(path, contents, Some(0o600))
}

/// `config` with the credential keys of the default profile (`[default]` or
/// `[profile default]`) left out, with their indented sub-lines; every other line as it was.
pub fn without_default_credentials(config: &str) -> String {
    let mut out = String::with_capacity(config.len());
    let mut in_default = false;
    let mut dropping = false;
    for line in config.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("");
            let words: Vec<&str> = name.split_whitespace().collect();
            in_default = matches!(words.as_slice(), ["default"] | ["profile", "default"]);
            dropping = false;
        } else if dropping && line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            continue;
        } else if in_default {
            let key = trimmed
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            dropping = CREDENTIAL_KEYS.contains(&key.as_str());
            if dropping {
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// Inside a switchrole session the exported credentials are the client's, not the user's:
/// forget them (static or server variables alike) and point the SDK at the user's own
/// files again, so that the base user assumes the next role, never a chain through the
/// last. Called at the start of `main`, before any other thread exists.
pub fn forget_own_session() {
    if std::env::var_os("SWITCHROLE").is_none() {
        return;
    }
    for name in crate::session::CREDENTIAL_VARS.iter().chain(&SERVER_VARS) {
        // SAFETY: called at the start of `main`, before any other thread exists.
        unsafe { std::env::remove_var(name) };
    }
    for (base, variable) in [
        (BASE_CONFIG_VAR, "AWS_CONFIG_FILE"),
        (BASE_CREDENTIALS_VAR, "AWS_SHARED_CREDENTIALS_FILE"),
    ] {
        if let Some(original) = std::env::var_os(base) {
            // SAFETY: as above.
            unsafe { std::env::set_var(variable, original) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_default_profiles_credentials_go() {
        let config = "# mine\n[default]\nregion = eu-west-1\naws_access_key_id = AKIA\n\
                      credential_process = x\ns3 =\n  max_concurrent_requests = 4\n\
                      [profile default]\nsso_start_url = https://x\noutput = json\n\
                      [profile other]\naws_access_key_id = KEEP\n";
        assert_eq!(
            without_default_credentials(config),
            "# mine\n[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 4\n\
             [profile default]\noutput = json\n[profile other]\naws_access_key_id = KEEP\n"
        );
        let login = "[default]\nlogin_session = arn:aws:iam::1:user/me\nregion = x\n";
        assert_eq!(
            without_default_credentials(login),
            "[default]\nregion = x\n"
        );
        let plain = "[default]\nregion = us-east-1\n";
        assert_eq!(without_default_credentials(plain), plain);
    }
}
