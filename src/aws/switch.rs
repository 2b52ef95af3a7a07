//! The one switch flow. A [`Switcher`] owns the STS seam, the credentials cache, the usage
//! state and the clock, and answers for a role: cached credentials (no SDK, no network),
//! "an MFA code is needed for SERIAL", or fresh credentials from AssumeRole (signed by the
//! once-a-day MFA session when `mfa_serial` applies) with their warnings as data. Every
//! front end (CLI commands, doctor, console, the TUI) calls it; it prints nothing.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[cfg(test)]
use super::cache::label_with;
use super::cache::{CacheKey, CredentialCache, MIN_REMAINING, base_label};
use super::credentials::{Credentials, rfc3339};
use super::error::AwsError;
use super::sts::{AssumeRoleRequest, BaseCredentials, Identity, SessionTokenRequest, Signer, Sts};
use crate::config::{Config, Effective, Role};

/// AWS caps a session assumed with temporary credentials (role chaining, an MFA session
/// included) at one hour.
pub const CHAINED_MAX_SECS: u32 = 3600;

/// Credentials valid for longer than asked by more than this are suspicious (a clock, or
/// an endpoint, that is wrong).
const EXPIRY_SLACK: Duration = Duration::from_secs(3600);

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

/// A role to switch to: its display name and the settings in effect for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub name: String,
    pub effective: Effective,
}

impl Target {
    pub fn new(config: &Config, role: &Role) -> Target {
        Target {
            name: role.name.clone(),
            effective: config.effective(role),
        }
    }

    fn profile(&self) -> Option<&str> {
        self.effective.source_profile.as_deref()
    }

    /// The cache key of the role's assumed credentials with the base user now in effect.
    fn cache_key(&self) -> CacheKey {
        CacheKey::role(
            &base_label(self.profile()),
            &self.effective.role_arn,
            self.effective.external_id.as_deref(),
        )
    }
}

/// What a switch to a target will take, decided without the network.
#[derive(Debug)]
pub enum Plan {
    /// Cached credentials with enough time left.
    Cached(Credentials),
    /// A new session is needed and it needs an MFA code for this device first.
    NeedsMfa { serial: String },
    /// A new session is needed; no code.
    Assume,
}

/// Something that went wrong on the side of a successful switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The new credentials could not be cached.
    NotCached { dir: PathBuf, error: String },
    /// The new MFA session could not be cached.
    MfaSessionNotCached { error: String },
    /// The base is temporary, so AWS allows one hour at most; `requested` was lowered.
    ChainingCap { requested: u32 },
    /// STS answered with a lifetime far beyond what was asked for.
    SuspiciousExpiry { expires: SystemTime },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::NotCached { dir, error } => write!(
                f,
                "could not cache the credentials in {}: {error}",
                dir.display()
            ),
            Warning::MfaSessionNotCached { error } => {
                write!(f, "could not cache the MFA session: {error}")
            }
            Warning::ChainingCap { requested } => write!(
                f,
                "this session lasts 1h, not the {} asked for: your base credentials are \
                 temporary (an MFA session, SSO or a role), and AWS allows at most one hour \
                 for a role assumed with them (role chaining)",
                crate::config::duration::format(u64::from(*requested))
            ),
            Warning::SuspiciousExpiry { expires } => write!(
                f,
                "STS answered with credentials valid until {}, far longer than asked for: \
                 check this computer's clock and the STS endpoint",
                rfc3339(*expires)
            ),
        }
    }
}

/// Credentials for a switch and what went wrong on the side.
#[derive(Debug)]
pub struct Assumed {
    pub credentials: Credentials,
    pub warnings: Vec<Warning>,
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
    pub warning: Option<Warning>,
}

/// `target`'s credentials in `cache` while more than five minutes remain at `now`: the
/// cache hit of [`Switcher::plan`], for a process that has no STS (the front's).
pub fn cached_in(cache: &CredentialCache, target: &Target, now: SystemTime) -> Option<Credentials> {
    cache
        .get_any(&target.cache_key())
        .and_then(|c| fresh_at(c, now))
}

fn fresh_at(credentials: Credentials, now: SystemTime) -> Option<Credentials> {
    let left = credentials.expiration.duration_since(now).ok()?;
    (left > MIN_REMAINING).then_some(credentials)
}

/// The switch flow. Cheap to build and to clone: the SDK is loaded on the first call to STS.
#[derive(Clone)]
pub struct Switcher {
    sts: Arc<dyn Sts>,
    cache: CredentialCache,
    usage: PathBuf,
    clock: fn() -> SystemTime,
}

impl Switcher {
    pub fn new(sts: Arc<dyn Sts>, cache: CredentialCache, usage: PathBuf) -> Switcher {
        Switcher {
            sts,
            cache,
            usage,
            clock: SystemTime::now,
        }
    }

    /// The real STS, the default cache and the default usage state.
    pub fn standard() -> Switcher {
        Switcher::new(
            Arc::new(super::sdk::SdkSts::new()),
            CredentialCache::default_location(),
            crate::state::default_path(),
        )
    }

    /// The same flow with another clock (tests).
    pub fn with_clock(mut self, clock: fn() -> SystemTime) -> Switcher {
        self.clock = clock;
        self
    }

    pub fn cache(&self) -> &CredentialCache {
        &self.cache
    }

    fn now(&self) -> SystemTime {
        (self.clock)()
    }

    fn fresh(&self, credentials: Credentials) -> Option<Credentials> {
        fresh_at(credentials, self.now())
    }

    /// What switching to `target` takes now; touches neither the SDK nor the network.
    pub fn plan(&self, target: &Target, refresh: bool) -> Plan {
        if !refresh && let Some(credentials) = self.cached(target) {
            return Plan::Cached(credentials);
        }
        match &target.effective.mfa_serial {
            Some(serial) if self.mfa_session_cached(target.profile(), serial).is_none() => {
                Plan::NeedsMfa {
                    serial: serial.clone(),
                }
            }
            _ => Plan::Assume,
        }
    }

    /// The role's cached credentials while more than five minutes remain.
    pub fn cached(&self, target: &Target) -> Option<Credentials> {
        cached_in(&self.cache, target, self.now())
    }

    /// The role's cached credentials whatever their time left (for status displays).
    pub fn cached_any(&self, target: &Target) -> Option<Credentials> {
        self.cache.get_any(&target.cache_key())
    }

    /// The MFA session of `profile`'s base user for `serial`, whatever its time left.
    pub fn mfa_session_any(&self, profile: Option<&str>, serial: &str) -> Option<Credentials> {
        self.cache
            .get_any(&CacheKey::mfa_session(&base_label(profile), serial))
    }

    /// That MFA session while more than five minutes remain.
    fn mfa_session_cached(&self, profile: Option<&str>, serial: &str) -> Option<Credentials> {
        self.mfa_session_any(profile, serial)
            .and_then(|c| self.fresh(c))
    }

    /// Credentials for `target`: cached ones unless `refresh`, else a new session from STS
    /// (asking `mfa` for a code only when one is needed).
    pub fn credentials(
        &self,
        target: &Target,
        refresh: bool,
        mfa: &dyn MfaCodes,
    ) -> Result<Assumed, AwsError> {
        if !refresh && let Some(credentials) = self.cached(target) {
            return Ok(Assumed {
                credentials,
                warnings: Vec::new(),
            });
        }
        self.assume(target, mfa)
    }

    /// A new session for `target` from STS, cached for the next switch.
    pub fn assume(&self, target: &Target, mfa: &dyn MfaCodes) -> Result<Assumed, AwsError> {
        let effective = &target.effective;
        let profile = target.profile();
        let base = self.sts.base(profile)?;
        let mut warnings = Vec::new();
        let (signer, direct_mfa) = match &effective.mfa_serial {
            None => (Signer::Base(profile.map(str::to_string)), None),
            Some(serial) => {
                match self.mfa_session(profile, serial, effective.mfa_session_duration, false, mfa)
                {
                    Ok(session) => {
                        warnings.extend(session.warning);
                        let signer = Signer::Session {
                            profile: profile.map(str::to_string),
                            credentials: session.credentials,
                        };
                        (signer, None)
                    }
                    Err(MfaSessionError::Unavailable { code }) => (
                        Signer::Base(profile.map(str::to_string)),
                        Some((serial.clone(), code)),
                    ),
                    Err(MfaSessionError::Aws(e)) => return Err(e),
                }
            }
        };
        let session_name = match &effective.session_name {
            Some(name) => name.clone(),
            None => sanitize_session_name(self.identity_of(profile, &base)?.short_name()),
        };
        let chained = base.temporary || matches!(signer, Signer::Session { .. });
        let duration = if chained && effective.duration > CHAINED_MAX_SECS {
            warnings.push(Warning::ChainingCap {
                requested: effective.duration,
            });
            CHAINED_MAX_SECS
        } else {
            effective.duration
        };
        let request = AssumeRoleRequest {
            role_arn: effective.role_arn.clone(),
            session_name,
            duration,
            external_id: effective.external_id.clone(),
            mfa: direct_mfa,
            display_name: target.name.clone(),
        };
        let credentials = self.sts.assume_role(&signer, &request)?;
        warnings.extend(self.check_expiry(&credentials, duration)?);
        if let Err(e) = self.cache.put(&target.cache_key(), &credentials) {
            warnings.push(Warning::NotCached {
                dir: self.cache.dir().to_path_buf(),
                error: e.to_string(),
            });
        }
        Ok(Assumed {
            credentials,
            warnings,
        })
    }

    /// The cached MFA session of `profile`'s base user for `serial` (unless `refresh`), or
    /// a new one made with a code from `mfa` and cached.
    pub fn mfa_session(
        &self,
        profile: Option<&str>,
        serial: &str,
        duration: u32,
        refresh: bool,
        mfa: &dyn MfaCodes,
    ) -> Result<MfaSession, MfaSessionError> {
        if !refresh && let Some(credentials) = self.mfa_session_cached(profile, serial) {
            return Ok(MfaSession {
                credentials,
                warning: None,
            });
        }
        let code = check_mfa_code(&mfa.code(serial)?)?;
        let request = SessionTokenRequest {
            serial: serial.to_string(),
            code,
            duration,
        };
        match self.sts.session_token(profile, &request) {
            Ok(credentials) => {
                let warning = self.check_expiry(&credentials, duration)?;
                let key = CacheKey::mfa_session(&base_label(profile), serial);
                let not_cached = self.cache.put(&key, &credentials).err().map(|e| {
                    Warning::MfaSessionNotCached {
                        error: e.to_string(),
                    }
                });
                Ok(MfaSession {
                    credentials,
                    warning: not_cached.or(warning),
                })
            }
            Err(AwsError::MfaSessionUnavailable { .. }) => {
                Err(MfaSessionError::Unavailable { code: request.code })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The identity of `profile`'s base user: remembered from an earlier answer, else asked
    /// of STS once and remembered.
    pub fn base_identity(&self, profile: Option<&str>) -> Result<Identity, AwsError> {
        let base = self.sts.base(profile)?;
        self.identity_of(profile, &base)
    }

    fn identity_of(
        &self,
        profile: Option<&str>,
        base: &BaseCredentials,
    ) -> Result<Identity, AwsError> {
        if let Some(identity) = self.cache.identity(&base.access_key_id) {
            return Ok(identity);
        }
        let identity = self
            .sts
            .caller_identity(&Signer::Base(profile.map(str::to_string)))?;
        // Remembering saves a request next time; failing to must not stop this one.
        let _ = self.cache.put_identity(&base.access_key_id, &identity);
        Ok(identity)
    }

    /// Whether the base credentials of `target` are temporary (an MFA session counts);
    /// true when that cannot be told.
    pub fn base_is_temporary(&self, target: &Target) -> bool {
        target.effective.mfa_serial.is_some()
            || self
                .sts
                .base(target.profile())
                .map_or(true, |b| b.temporary)
    }

    /// Records one use of `name` for the TUI's ordering. Failing to record it must never
    /// stop a switch, so errors are dropped here, the one place that decides so.
    pub fn record_use(&self, name: &str) {
        let _ = crate::state::record_use(&self.usage, name);
    }

    /// Refuses credentials that have already expired, and flags absurdly long ones.
    fn check_expiry(
        &self,
        credentials: &Credentials,
        asked_secs: u32,
    ) -> Result<Option<Warning>, AwsError> {
        let now = self.now();
        if credentials.expiration <= now {
            return Err(AwsError::ExpiredAnswer {
                expired: rfc3339(credentials.expiration),
            });
        }
        let longest = now + Duration::from_secs(u64::from(asked_secs)) + EXPIRY_SLACK;
        Ok(
            (credentials.expiration > longest).then_some(Warning::SuspiciousExpiry {
                expires: credentials.expiration,
            }),
        )
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
mod tests;
