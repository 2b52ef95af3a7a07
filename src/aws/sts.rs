//! The STS seam: the calls the switch flow makes, in our own types, behind a small blocking
//! trait. The SDK adapter ([`super::sdk::SdkSts`]) implements it for real; the flow's unit
//! tests implement it with a fake. Nothing here knows about aws-sdk-sts.

use std::time::SystemTime;

use super::credentials::Credentials;
use super::error::AwsError;

/// Who a set of credentials belongs to (GetCallerIdentity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

impl Identity {
    /// The last part of the ARN: the user name, or the session name of an assumed role.
    pub fn short_name(&self) -> &str {
        self.arn.rsplit(['/', ':']).next().unwrap_or_default()
    }
}

/// What is known of the base credentials once resolved, without their secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseCredentials {
    /// The provider that supplied them, in plain words (`environment variables`, ...).
    pub source: String,
    pub access_key_id: String,
    /// True when they carry a session token (SSO, an assumed role, a session, ...).
    pub temporary: bool,
    pub expiration: Option<SystemTime>,
}

impl BaseCredentials {
    /// The access key ID with its middle hidden: `AKIA…MPLE` (escaped: it comes from the
    /// user's files, which nothing validated).
    pub fn masked_key(&self) -> String {
        let key = &self.access_key_id;
        if key.len() <= 8 || !key.is_ascii() {
            return crate::untrusted::escape_controls(key).into_owned();
        }
        crate::untrusted::escape_controls(&format!("{}…{}", &key[..4], &key[key.len() - 4..]))
            .into_owned()
    }
}

/// The credentials that sign a call.
#[derive(Debug, Clone)]
pub enum Signer {
    /// The base credentials of a profile, or of the default chain when `None`.
    Base(Option<String>),
    /// Session credentials (the MFA session) opened from that profile's base credentials;
    /// the profile still gives the region and endpoint.
    Session {
        profile: Option<String>,
        credentials: Credentials,
    },
}

impl Signer {
    /// The profile whose settings (region, endpoint) the call uses.
    pub fn profile(&self) -> Option<&str> {
        match self {
            Signer::Base(profile) | Signer::Session { profile, .. } => profile.as_deref(),
        }
    }
}

/// An AssumeRole call.
#[derive(Clone, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration: u32,
    pub external_id: Option<String>,
    /// `(serial, code)` when the role itself needs MFA and no MFA session is in use.
    pub mfa: Option<(String, String)>,
    /// The display name, only for error messages (`switchrole policy NAME`).
    pub display_name: String,
}

/// A GetSessionToken call with an MFA code: the once-a-day MFA session.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionTokenRequest {
    pub serial: String,
    pub code: String,
    pub duration: u32,
}

/// MFA codes are secrets for their thirty seconds: `Debug` never shows them.
impl std::fmt::Debug for AssumeRoleRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleRequest")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("external_id", &self.external_id)
            .field(
                "mfa",
                &self.mfa.as_ref().map(|(serial, _)| (serial, "<redacted>")),
            )
            .finish()
    }
}

impl std::fmt::Debug for SessionTokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionTokenRequest")
            .field("serial", &self.serial)
            .field("code", &"<redacted>")
            .field("duration", &self.duration)
            .finish()
    }
}

/// The calls switchrole makes to STS. Blocking: each implementation drives its own I/O.
pub trait Sts: Send + Sync {
    /// Resolves the base credentials of `profile` (or the default chain) without calling
    /// STS; an explicit profile wins over credentials in the environment.
    fn base(&self, profile: Option<&str>) -> Result<BaseCredentials, AwsError>;
    /// GetCallerIdentity.
    fn caller_identity(&self, signer: &Signer) -> Result<Identity, AwsError>;
    /// AssumeRole.
    fn assume_role(
        &self,
        signer: &Signer,
        request: &AssumeRoleRequest,
    ) -> Result<Credentials, AwsError>;
    /// GetSessionToken, signed with the base credentials of `profile`.
    fn session_token(
        &self,
        profile: Option<&str>,
        request: &SessionTokenRequest,
    ) -> Result<Credentials, AwsError>;
}
