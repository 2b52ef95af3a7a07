//! Getting credentials for a remembered role: the cache first (no SDK, no network), else the
//! base credentials (through the once-a-day MFA session when `mfa_serial` applies) and
//! AssumeRole, then the cache is refreshed.

use super::cache::{CacheKey, CredentialCache};
use super::credentials::Credentials;
use super::error::AwsError;
use super::sts::{AssumeRoleRequest, Sts};
use crate::config::{Config, Effective, Role};

/// Asks the user for an MFA code (CLI flag, terminal prompt or TUI modal).
pub trait MfaCodes {
    /// A code for `serial`, or an error when none can be had.
    fn code(&self, serial: &str) -> Result<String, AwsError>;
}

/// A fixed code, or none at all.
pub struct GivenMfaCode(pub Option<String>);

impl MfaCodes for GivenMfaCode {
    fn code(&self, serial: &str) -> Result<String, AwsError> {
        self.0.clone().ok_or_else(|| AwsError::MfaCodeRequired {
            serial: serial.to_string(),
        })
    }
}

/// Checks that an MFA code is six digits before it is sent anywhere.
pub fn check_mfa_code(code: &str) -> Result<String, AwsError> {
    let code = code.trim();
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(AwsError::MalformedMfaCode)
    }
}

/// The cache key of `role`'s assumed credentials.
pub fn role_cache_key(effective: &Effective) -> CacheKey {
    CacheKey::role(
        effective.source_profile.as_deref(),
        &effective.role_arn,
        effective.external_id.as_deref(),
    )
}

/// Credentials for `role`: cached ones unless `refresh`, else new ones from STS.
/// Builds a Tokio runtime and an SDK client only on a cache miss.
pub fn credentials_for(
    config: &Config,
    role: &Role,
    cache: &CredentialCache,
    refresh: bool,
    mfa: &dyn MfaCodes,
) -> Result<Credentials, AwsError> {
    let effective = config.effective(role);
    if !refresh && let Some(creds) = cache.get(&role_cache_key(&effective)) {
        return Ok(creds);
    }
    let runtime = super::runtime()?;
    let assumed = runtime.block_on(assume(role, &effective, cache, mfa))?;
    for warning in &assumed.warnings {
        eprintln!("switchrole: warning: {warning}");
    }
    Ok(assumed.credentials)
}

/// New credentials from STS, and what went wrong on the side (a cache that could not be
/// written) for the caller to show where it shows things.
#[derive(Debug)]
pub struct Assumed {
    pub credentials: Credentials,
    pub warnings: Vec<String>,
}

/// Assumes `role` with STS and caches the result. Prints nothing.
pub async fn assume(
    role: &Role,
    effective: &Effective,
    cache: &CredentialCache,
    mfa: &dyn MfaCodes,
) -> Result<Assumed, AwsError> {
    let mut warnings = Vec::new();
    let base = Sts::for_profile(effective.source_profile.as_deref()).await;
    let (base, direct_mfa) = match &effective.mfa_serial {
        Some(serial) => mfa_session(base, effective, serial, cache, mfa, &mut warnings).await?,
        None => (base, None),
    };
    let session_name = match &effective.session_name {
        Some(name) => name.clone(),
        None => {
            let identity = base.caller_identity().await?;
            sanitize_session_name(identity.short_name())
        }
    };
    let request = AssumeRoleRequest {
        role_arn: effective.role_arn.clone(),
        session_name,
        duration: effective.duration,
        external_id: effective.external_id.clone(),
        mfa: direct_mfa,
    };
    let credentials = base.assume_role(&request, &role.name).await?;
    if let Err(e) = cache.put(&role_cache_key(effective), &credentials) {
        warnings.push(format!(
            "could not cache the credentials in {}: {e}",
            cache.dir().display()
        ));
    }
    Ok(Assumed {
        credentials,
        warnings,
    })
}

/// STS signing with the cached MFA session, or a new one made with a code from `mfa`.
/// When the base credentials cannot open an MFA session (they are temporary themselves, as
/// SSO's are), the code goes with the AssumeRole call instead: the returned serial and code.
async fn mfa_session(
    base: Sts,
    effective: &Effective,
    serial: &str,
    cache: &CredentialCache,
    mfa: &dyn MfaCodes,
    warnings: &mut Vec<String>,
) -> Result<(Sts, Option<(String, String)>), AwsError> {
    let request = MfaSessionRequest {
        source_profile: effective.source_profile.as_deref(),
        serial,
        duration: effective.mfa_session_duration,
        refresh: false,
    };
    match open_mfa_session(&base, &request, cache, mfa).await {
        Ok(session) => {
            warnings.extend(session.warning);
            Ok((base.with_credentials(&session.credentials), None))
        }
        Err(MfaSessionError::Unavailable { code }) => Ok((base, Some((serial.to_string(), code)))),
        Err(MfaSessionError::Aws(e)) => Err(e),
    }
}

/// What identifies an MFA session: the base profile and the device.
#[derive(Debug, Clone, Copy)]
pub struct MfaSessionRequest<'a> {
    pub source_profile: Option<&'a str>,
    pub serial: &'a str,
    /// Lifetime of a new session, in seconds.
    pub duration: u32,
    /// Open a new session even if a valid one is cached.
    pub refresh: bool,
}

/// Why no MFA session could be had.
#[derive(Debug)]
pub enum MfaSessionError {
    /// The base credentials are temporary; the (checked) code can go with AssumeRole.
    Unavailable {
        code: String,
    },
    Aws(AwsError),
}

impl From<AwsError> for MfaSessionError {
    fn from(e: AwsError) -> Self {
        MfaSessionError::Aws(e)
    }
}

/// An MFA session, and why it could not be cached (if so).
#[derive(Debug)]
pub struct MfaSession {
    pub credentials: Credentials,
    pub warning: Option<String>,
}

/// The cached MFA session of `request`, or a new one made with a code from `mfa` and cached.
pub async fn open_mfa_session(
    base: &Sts,
    request: &MfaSessionRequest<'_>,
    cache: &CredentialCache,
    mfa: &dyn MfaCodes,
) -> Result<MfaSession, MfaSessionError> {
    let key = CacheKey::mfa_session(request.source_profile, request.serial);
    if !request.refresh
        && let Some(credentials) = cache.get(&key)
    {
        return Ok(MfaSession {
            credentials,
            warning: None,
        });
    }
    let code = check_mfa_code(&mfa.code(request.serial)?)?;
    match base
        .session_token(request.serial, &code, request.duration)
        .await
    {
        Ok(credentials) => {
            let warning = cache
                .put(&key, &credentials)
                .err()
                .map(|e| format!("could not cache the MFA session: {e}"));
            Ok(MfaSession {
                credentials,
                warning,
            })
        }
        Err(AwsError::MfaSessionUnavailable { .. }) => Err(MfaSessionError::Unavailable { code }),
        Err(e) => Err(e.into()),
    }
}

/// Makes `raw` a valid RoleSessionName (`[\w+=,.@-]{2,64}`), falling back to the local
/// user name and then to `switchrole`.
pub fn sanitize_session_name(raw: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .take(64)
            .collect()
    };
    let local = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default();
    [raw, local.as_str(), "switchrole"]
        .into_iter()
        .map(clean)
        .find(|s| s.len() >= 2)
        .unwrap_or_else(|| "switchrole".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_are_made_valid() {
        assert_eq!(sanitize_session_name("alice"), "alice");
        assert_eq!(sanitize_session_name("al ice/x"), "al-ice-x");
        assert_eq!(sanitize_session_name(&"a".repeat(80)).len(), 64);
        assert!(sanitize_session_name("").len() >= 2);
    }

    #[test]
    fn mfa_codes_must_be_six_digits() {
        assert_eq!(check_mfa_code(" 123456\n").unwrap(), "123456");
        assert!(check_mfa_code("12345").is_err());
        assert!(check_mfa_code("12345a").is_err());
    }
}
