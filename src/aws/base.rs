//! The user's base credentials as `doctor` and `console` need to see them: which source of
//! the aws-config chain supplied them and whether they are temporary (for the console's
//! SessionDuration), and a GetCallerIdentity that also reads the Date header STS answered
//! with, to measure clock skew. Secrets are never kept here.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_sts::config::Region;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::date_time::{DateTime, Format};

use super::error::{AwsError, ErrorContext, error_chain, translate};
use super::sts::{ATTEMPT_TIMEOUT, CALL_TIMEOUT, CONNECT_TIMEOUT, Identity};

/// Clock skew above which AWS rejects signed requests.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// What is known of the base credentials, without their secrets.
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
    /// The access key ID with its middle hidden: `AKIA…MPLE`.
    pub fn masked_key(&self) -> String {
        let key = &self.access_key_id;
        if key.len() <= 8 || !key.is_ascii() {
            return key.clone();
        }
        format!("{}…{}", &key[..4], &key[key.len() - 4..])
    }
}

/// Plain words for the source aws-config recorded on a set of credentials.
pub fn describe_source(features: &[AwsCredentialFeature]) -> String {
    use AwsCredentialFeature as F;
    let has = |f: F| features.contains(&f);
    let text = if has(F::CredentialsProfileSso) || has(F::CredentialsSso) {
        "IAM Identity Center (SSO)"
    } else if has(F::CredentialsProfileProcess) || has(F::CredentialsProcess) {
        "a credential_process"
    } else if has(F::CredentialsProfileSourceProfile) || has(F::CredentialsStsAssumeRole) {
        "a role profile (role_arn in ~/.aws/config)"
    } else if has(F::CredentialsProfileStsWebIdToken)
        || has(F::CredentialsEnvVarsStsWebIdToken)
        || has(F::CredentialsStsAssumeRoleWebId)
    {
        "a web identity token"
    } else if has(F::CredentialsProfileLogin) || has(F::CredentialsLogin) {
        "an `aws login` session"
    } else if has(F::CredentialsEnvVars) {
        "environment variables (AWS_ACCESS_KEY_ID)"
    } else if has(F::CredentialsProfile) {
        "the shared credentials/config files (~/.aws)"
    } else if has(F::CredentialsImds) {
        "the EC2 instance metadata service"
    } else if has(F::CredentialsHttp) {
        "the container credentials endpoint"
    } else {
        "the default credential chain"
    };
    text.to_string()
}

/// Region used for STS when none is configured anywhere.
const FALLBACK_REGION: &str = "us-east-1";

/// The SDK configuration `Sts::for_profile` uses: the profile's or default chain's
/// credentials and region, bounded timeouts, endpoint variables honoured.
pub async fn sdk_config(profile: Option<&str>) -> aws_config::SdkConfig {
    let mut region = aws_config::default_provider::region::Builder::default();
    if let Some(profile) = profile {
        region = region.profile_name(profile);
    }
    let region = RegionProviderChain::first_try(region.build())
        .or_else(Region::from_static(FALLBACK_REGION));
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(CALL_TIMEOUT)
                .build(),
        );
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    loader.load().await
}

/// Resolves the base credentials of `profile` (or the default chain), without calling STS.
pub async fn resolve(profile: Option<&str>) -> Result<BaseCredentials, AwsError> {
    let config = sdk_config(profile).await;
    let no_creds = |detail: String| AwsError::NoBaseCredentials {
        profile: profile.map(str::to_string),
        detail,
    };
    let provider = config
        .credentials_provider()
        .ok_or_else(|| no_creds("no credentials provider is configured".into()))?;
    let creds = tokio::time::timeout(CALL_TIMEOUT, provider.provide_credentials())
        .await
        .map_err(|_| AwsError::Timeout {
            seconds: CALL_TIMEOUT.as_secs(),
        })?
        .map_err(|e| no_creds(error_chain(&e)))?;
    Ok(BaseCredentials {
        source: describe_source(
            creds
                .get_property::<Vec<AwsCredentialFeature>>()
                .map_or(&[][..], Vec::as_slice),
        ),
        access_key_id: creds.access_key_id().to_string(),
        temporary: creds.session_token().is_some(),
        expiration: creds.expiry(),
    })
}

/// Records the `Date` header of the response.
#[derive(Debug, Clone, Default)]
struct DateRecorder(Arc<Mutex<Option<String>>>);

impl Intercept for DateRecorder {
    fn name(&self) -> &'static str {
        "switchrole-date-recorder"
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(date) = context.response().headers().get("date")
            && let Ok(mut slot) = self.0.lock()
        {
            *slot = Some(date.to_string());
        }
        Ok(())
    }
}

/// GetCallerIdentity with the base credentials of `profile`, and the time STS said it was
/// when it answered (from the `Date` header; also when the call itself failed).
pub async fn identity_and_server_time(
    profile: Option<&str>,
) -> (Result<Identity, AwsError>, Option<SystemTime>) {
    let config = sdk_config(profile).await;
    let client = aws_sdk_sts::Client::new(&config);
    let recorder = DateRecorder::default();
    let result = client
        .get_caller_identity()
        .customize()
        .interceptor(recorder.clone())
        .interceptor(super::body_limit::BodyLimit)
        .send()
        .await;
    let server_time = recorder
        .0
        .lock()
        .ok()
        .and_then(|slot| slot.clone())
        .and_then(|date| parse_http_date(&date));
    let ctx = ErrorContext {
        profile: profile.map(str::to_string),
        timeout_secs: CALL_TIMEOUT.as_secs(),
        ..ErrorContext::default()
    };
    let identity = result
        .map(|out| Identity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
        .map_err(|e| translate(e, &ctx));
    (identity, server_time)
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    DateTime::from_str(text.trim(), Format::HttpDate)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
}

/// How far the local clock is from the server's: positive when local is ahead.
pub fn skew_secs(local: SystemTime, server: SystemTime) -> i64 {
    match local.duration_since(server) {
        Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
        Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_and_skew() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            784_111_777
        );
        assert_eq!(skew_secs(t + Duration::from_secs(400), t), 400);
        assert_eq!(skew_secs(t, t + Duration::from_secs(30)), -30);
        assert!(parse_http_date("yesterday").is_none());
    }

    #[test]
    fn keys_are_masked_and_sources_named() {
        let base = BaseCredentials {
            source: describe_source(&[AwsCredentialFeature::CredentialsEnvVars]),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            temporary: false,
            expiration: None,
        };
        assert_eq!(base.masked_key(), "AKIA…MPLE");
        assert!(base.source.starts_with("environment variables"));
        assert_eq!(describe_source(&[]), "the default credential chain");
    }
}
