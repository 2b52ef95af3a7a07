//! The STS adapter: builds an SDK client for the base credentials (default chain or a
//! profile, bounded timeouts, `AWS_ENDPOINT_URL_STS` honoured by the SDK) and offers the
//! three calls switchrole needs, in our own types. Only this file talks to aws-sdk-sts.

use std::time::{Duration, SystemTime};

use aws_credential_types::provider::SharedCredentialsProvider;

use super::credentials::{Credentials, Secret};
use super::error::{AwsError, ErrorContext, translate};

/// Time allowed to open a connection to STS.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Time allowed for one attempt (the SDK retries throttling and 5xx within the total).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole call, retries included: nothing waits longer on STS.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(12);

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

/// An AssumeRole call.
#[derive(Debug, Clone)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub session_name: String,
    pub duration: u32,
    pub external_id: Option<String>,
    /// `(serial, code)` when the role itself needs MFA and no MFA session is in use.
    pub mfa: Option<(String, String)>,
}

/// A client for STS with one set of base credentials.
#[derive(Debug, Clone)]
pub struct Sts {
    client: aws_sdk_sts::Client,
    profile: Option<String>,
}

impl Sts {
    /// STS with the base credentials of `profile`, or of the default chain.
    pub async fn for_profile(profile: Option<&str>) -> Sts {
        let sdk_config = super::base::sdk_config(profile).await;
        Sts {
            client: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(&sdk_config)
                    .interceptor(super::body_limit::BodyLimit)
                    .build(),
            ),
            profile: profile.map(str::to_string),
        }
    }

    /// The same STS endpoint and settings, but signing with `creds` (an MFA session).
    pub fn with_credentials(&self, creds: &Credentials) -> Sts {
        let static_creds = aws_credential_types::Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.expose().to_string(),
            Some(creds.session_token.expose().to_string()),
            Some(creds.expiration),
            "switchrole-mfa-session",
        );
        let config = self
            .client
            .config()
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(static_creds))
            .build();
        Sts {
            client: aws_sdk_sts::Client::from_conf(config),
            profile: self.profile.clone(),
        }
    }

    fn context(&self) -> ErrorContext {
        ErrorContext {
            profile: self.profile.clone(),
            timeout_secs: CALL_TIMEOUT.as_secs(),
            ..ErrorContext::default()
        }
    }

    /// GetCallerIdentity of the base credentials.
    pub async fn caller_identity(&self) -> Result<Identity, AwsError> {
        let out = self
            .client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| translate(e, &self.context()))?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    /// AssumeRole; `display_name` is only used in error messages.
    pub async fn assume_role(
        &self,
        request: &AssumeRoleRequest,
        display_name: &str,
    ) -> Result<Credentials, AwsError> {
        let mut call = self
            .client
            .assume_role()
            .role_arn(&request.role_arn)
            .role_session_name(&request.session_name)
            .duration_seconds(i32::try_from(request.duration).unwrap_or(i32::MAX))
            .set_external_id(request.external_id.clone());
        if let Some((serial, code)) = &request.mfa {
            call = call.serial_number(serial).token_code(code);
        }
        let ctx = ErrorContext {
            role: Some(display_name.to_string()),
            role_arn: Some(request.role_arn.clone()),
            duration: Some(request.duration),
            ..self.context()
        };
        let out = call.send().await.map_err(|e| translate(e, &ctx))?;
        convert(out.credentials())
    }

    /// GetSessionToken with an MFA code: the once-a-day MFA session.
    pub async fn session_token(
        &self,
        serial: &str,
        code: &str,
        duration: u32,
    ) -> Result<Credentials, AwsError> {
        let out = self
            .client
            .get_session_token()
            .serial_number(serial)
            .token_code(code)
            .duration_seconds(i32::try_from(duration).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| translate(e, &self.context()))?;
        convert(out.credentials())
    }
}

fn convert(creds: Option<&aws_sdk_sts::types::Credentials>) -> Result<Credentials, AwsError> {
    let creds = creds.ok_or_else(|| AwsError::Other("STS returned no credentials".into()))?;
    let expiration = SystemTime::try_from(*creds.expiration())
        .map_err(|_| AwsError::Other("STS returned an invalid expiration time".into()))?;
    Ok(Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: Secret::new(creds.secret_access_key()),
        session_token: Secret::new(creds.session_token()),
        expiration,
    })
}
