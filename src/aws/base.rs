//! Facts about the user's base credentials that need no SDK client: which source of the
//! aws-config chain supplied them, in plain words, and the clock skew against the `Date`
//! STS answered with.

use std::time::{Duration, SystemTime};

use aws_credential_types::credential_feature::AwsCredentialFeature;
use aws_smithy_types::date_time::{DateTime, Format};

/// Clock skew above which AWS rejects signed requests.
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

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
    use crate::aws::sts::BaseCredentials;

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
