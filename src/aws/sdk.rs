//! The SDK adapter: the only file that builds aws-sdk-sts clients. It implements the
//! [`Sts`] seam on the process's one runtime ([`super::block_on`]), loads each profile's SDK
//! configuration and base credentials once per process (the IAM adapter builds on it),
//! bounds every call (connect, attempt, whole call, and the base credentials' own
//! resolution), and honours `AWS_ENDPOINT_URL_STS` through the SDK. `doctor` also reads the
//! `Date` header STS answered with, for clock skew.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_config::timeout::TimeoutConfig;
use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::config::Region;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::base::{describe_source, parse_http_date};
use super::body_limit::BodyLimit;
use super::credentials::{Credentials, Secret};
use super::error::{AwsError, ErrorContext, error_chain, translate};
use super::sts::{AssumeRoleRequest, BaseCredentials, Identity, SessionTokenRequest, Signer, Sts};

/// Time allowed to open a connection to STS.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Time allowed for one attempt (the SDK retries throttling and 5xx within the total).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for a whole call, retries included: nothing waits longer on STS.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(12);
/// Time allowed for the base credentials themselves (a credential_process, SSO).
pub const BASE_TIMEOUT: Duration = Duration::from_secs(12);

/// Base credentials with less than this left are resolved again.
const BASE_REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Region used for STS when none is configured anywhere.
const FALLBACK_REGION: &str = "us-east-1";

/// One profile's SDK configuration and, once resolved, its base credentials.
struct Loaded {
    config: aws_config::SdkConfig,
    base: Option<(aws_credential_types::Credentials, BaseCredentials)>,
}

/// One profile's loading state; the async lock makes concurrent callers wait for one load.
type Slot = Arc<tokio::sync::Mutex<Option<Loaded>>>;

/// STS through aws-sdk-sts. Cheap to create: nothing is loaded before the first call.
#[derive(Default)]
pub struct SdkSts {
    loaded: Mutex<HashMap<Option<String>, Slot>>,
}

impl SdkSts {
    pub fn new() -> SdkSts {
        SdkSts::default()
    }

    fn slot(&self, profile: Option<&str>) -> Slot {
        let mut map = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(profile.map(str::to_string)).or_default().clone()
    }

    /// The SDK configuration and resolved base credentials of `profile`, loaded once.
    pub(crate) async fn load(
        &self,
        profile: Option<&str>,
    ) -> Result<
        (
            aws_config::SdkConfig,
            aws_credential_types::Credentials,
            BaseCredentials,
        ),
        AwsError,
    > {
        let slot = self.slot(profile);
        let mut guard = slot.lock().await;
        if guard.is_none() {
            *guard = Some(Loaded {
                config: sdk_config(profile).await,
                base: None,
            });
        }
        let Some(loaded) = guard.as_mut() else {
            return Err(AwsError::Other("the SDK configuration did not load".into()));
        };
        // Base credentials that expire (SSO, a credential_process) are resolved again
        // before they run out, for long-lived callers such as the credential server.
        let stale = loaded.base.as_ref().is_none_or(|(creds, _)| {
            creds
                .expiry()
                .is_some_and(|at| at < SystemTime::now() + BASE_REFRESH_MARGIN)
        });
        if stale {
            loaded.base = Some(resolve(&loaded.config, profile).await?);
        }
        match &loaded.base {
            Some((creds, base)) => Ok((loaded.config.clone(), creds.clone(), base.clone())),
            None => Err(AwsError::Other("the base credentials did not load".into())),
        }
    }

    /// The SDK configuration of `signer`'s profile and the credentials that sign as it:
    /// what every client is built from, STS's here and IAM's in [`super::iam_sdk`].
    pub(super) async fn signing_config(
        &self,
        signer: &Signer,
    ) -> Result<(aws_config::SdkConfig, SharedCredentialsProvider), AwsError> {
        let (config, base_creds, _) = self.load(signer.profile()).await?;
        let provider = match signer {
            Signer::Base(_) => SharedCredentialsProvider::new(base_creds),
            Signer::Session { credentials, .. } => {
                SharedCredentialsProvider::new(sdk_credentials(credentials))
            }
        };
        Ok((config, provider))
    }

    /// A client signing as `signer`.
    async fn client(&self, signer: &Signer) -> Result<aws_sdk_sts::Client, AwsError> {
        let (config, provider) = self.signing_config(signer).await?;
        let config = aws_sdk_sts::config::Builder::from(&config)
            .credentials_provider(provider)
            .interceptor(BodyLimit)
            .build();
        Ok(aws_sdk_sts::Client::from_conf(config))
    }

    /// GetCallerIdentity with the base credentials of `profile`, and the time STS said it
    /// was when it answered (from the `Date` header; also when the call itself failed).
    pub fn identity_and_server_time(
        &self,
        profile: Option<&str>,
    ) -> (Result<Identity, AwsError>, Option<SystemTime>) {
        let recorder = DateRecorder::default();
        let result = super::block_on(async {
            let client = self
                .client(&Signer::Base(profile.map(str::to_string)))
                .await?;
            let out = client
                .get_caller_identity()
                .customize()
                .interceptor(recorder.clone())
                .send()
                .await
                .map_err(|e| translate(e, &context(profile)))?;
            identity(&out)
        });
        let server_time = recorder
            .0
            .lock()
            .ok()
            .and_then(|slot| slot.clone())
            .and_then(|date| parse_http_date(&date));
        (result.and_then(|r| r), server_time)
    }
}

impl Sts for SdkSts {
    fn base(&self, profile: Option<&str>) -> Result<BaseCredentials, AwsError> {
        super::block_on(async { self.load(profile).await.map(|(_, _, base)| base) })?
    }

    fn caller_identity(&self, signer: &Signer) -> Result<Identity, AwsError> {
        super::block_on(async {
            let out = self
                .client(signer)
                .await?
                .get_caller_identity()
                .send()
                .await
                .map_err(|e| translate(e, &context(signer.profile())))?;
            identity(&out)
        })?
    }

    fn assume_role(
        &self,
        signer: &Signer,
        request: &AssumeRoleRequest,
    ) -> Result<Credentials, AwsError> {
        let ctx = ErrorContext {
            role: Some(request.display_name.clone()),
            role_arn: Some(request.role_arn.clone()),
            duration: Some(request.duration),
            ..context(signer.profile())
        };
        super::block_on(async {
            let mut call = self
                .client(signer)
                .await?
                .assume_role()
                .role_arn(&request.role_arn)
                .role_session_name(&request.session_name)
                .duration_seconds(i32::try_from(request.duration).unwrap_or(i32::MAX))
                .set_external_id(request.external_id.clone());
            if let Some((serial, code)) = &request.mfa {
                call = call.serial_number(serial).token_code(code);
            }
            let out = call.send().await.map_err(|e| translate(e, &ctx))?;
            convert(out.credentials())
        })?
    }

    fn session_token(
        &self,
        profile: Option<&str>,
        request: &SessionTokenRequest,
    ) -> Result<Credentials, AwsError> {
        super::block_on(async {
            let out = self
                .client(&Signer::Base(profile.map(str::to_string)))
                .await?
                .get_session_token()
                .serial_number(&request.serial)
                .token_code(&request.code)
                .duration_seconds(i32::try_from(request.duration).unwrap_or(i32::MAX))
                .send()
                .await
                .map_err(|e| translate(e, &context(profile)))?;
            convert(out.credentials())
        })?
    }
}

fn context(profile: Option<&str>) -> ErrorContext {
    ErrorContext {
        profile: profile.map(str::to_string),
        timeout_secs: CALL_TIMEOUT.as_secs(),
        ..ErrorContext::default()
    }
}

/// GetCallerIdentity's answer, refused when a field holds what no ARN, account or user ID
/// can (control or invisible characters): it is printed, and remembered.
fn identity(
    out: &aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput,
) -> Result<Identity, AwsError> {
    let field = |value: Option<&str>| {
        let value = value.unwrap_or_default();
        if value
            .chars()
            .any(|c| c.is_whitespace() || crate::untrusted::is_hidden(c))
        {
            return Err(AwsError::BadResponse {
                status: 200,
                detail: format!(
                    "GetCallerIdentity answered with an impossible value: {}",
                    crate::untrusted::escape_controls(value)
                ),
            });
        }
        Ok(value.to_string())
    };
    Ok(Identity {
        account: field(out.account())?,
        arn: field(out.arn())?,
        user_id: field(out.user_id())?,
    })
}

/// The SDK configuration of `profile` (or the default chain): its region, bounded
/// timeouts, endpoint variables honoured. An explicit profile's own credentials win over
/// keys in the environment (the default chain would read those first).
async fn sdk_config(profile: Option<&str>) -> aws_config::SdkConfig {
    let mut region = aws_config::default_provider::region::Builder::default();
    if let Some(profile) = profile {
        region = region.profile_name(profile);
    }
    let region = RegionProviderChain::first_try(region.build())
        .or_else(Region::from_static(FALLBACK_REGION))
        .region()
        .await;
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(CALL_TIMEOUT)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(region.clone())
        .http_client(super::http_client::shared())
        .timeout_config(timeouts.clone());
    if let Some(profile) = profile {
        let provider_config = ProviderConfig::default()
            .with_region(region)
            .with_http_client(super::http_client::shared())
            .with_timeout_config(timeouts)
            .with_behavior_version(Some(BehaviorVersion::latest()));
        let credentials = ProfileFileCredentialsProvider::builder()
            .configure(&provider_config)
            .profile_name(profile)
            .build();
        loader = loader
            .profile_name(profile)
            .credentials_provider(credentials);
    }
    loader.load().await
}

/// Resolves the base credentials from `config`, bounded by [`BASE_TIMEOUT`]. A timeout
/// names this step (not STS) and ends the processes the resolution started.
async fn resolve(
    config: &aws_config::SdkConfig,
    profile: Option<&str>,
) -> Result<(aws_credential_types::Credentials, BaseCredentials), AwsError> {
    let no_creds = |detail: String| AwsError::NoBaseCredentials {
        profile: profile.map(str::to_string),
        detail,
    };
    let provider = config
        .credentials_provider()
        .ok_or_else(|| no_creds("no credentials provider is configured".into()))?;
    let children_before = super::children::current();
    let creds = match tokio::time::timeout(BASE_TIMEOUT, provider.provide_credentials()).await {
        Ok(result) => result.map_err(|e| no_creds(error_chain(&e)))?,
        Err(_) => {
            super::children::end_new(&children_before);
            return Err(AwsError::BaseTimeout {
                profile: profile.map(str::to_string),
                seconds: BASE_TIMEOUT.as_secs(),
            });
        }
    };
    let base = BaseCredentials {
        source: describe_source(
            creds
                .get_property::<Vec<AwsCredentialFeature>>()
                .map_or(&[][..], Vec::as_slice),
        ),
        access_key_id: creds.access_key_id().to_string(),
        temporary: creds.session_token().is_some(),
        expiration: creds.expiry(),
    };
    Ok((creds, base))
}

fn sdk_credentials(creds: &Credentials) -> aws_credential_types::Credentials {
    aws_credential_types::Credentials::new(
        creds.access_key_id.clone(),
        creds.secret_access_key.expose().to_string(),
        Some(creds.session_token.expose().to_string()),
        Some(creds.expiration),
        "switchrole-session",
    )
}

/// STS's credentials in our type, refused when they hold what no key can: an access key ID
/// is upper-case letters and digits, a secret and a token printable ASCII without spaces.
/// They are exported, printed by `env` and written to dotenv files.
fn convert(creds: Option<&aws_sdk_sts::types::Credentials>) -> Result<Credentials, AwsError> {
    let creds = creds.ok_or_else(|| AwsError::Other("STS returned no credentials".into()))?;
    let key_ok = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
    let secret_ok = |c: char| c.is_ascii_graphic();
    let valid = !creds.access_key_id().is_empty()
        && creds.access_key_id().chars().all(key_ok)
        && creds.secret_access_key().chars().all(secret_ok)
        && creds.session_token().chars().all(secret_ok);
    if !valid {
        return Err(AwsError::BadResponse {
            status: 200,
            detail: "STS answered with credentials holding characters no key can hold".into(),
        });
    }
    let expiration = SystemTime::try_from(*creds.expiration())
        .map_err(|_| AwsError::Other("STS returned an invalid expiration time".into()))?;
    Ok(Credentials {
        access_key_id: creds.access_key_id().to_string(),
        secret_access_key: Secret::new(creds.secret_access_key()),
        session_token: Secret::new(creds.session_token()),
        expiration,
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
