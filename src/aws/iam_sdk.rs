//! The IAM adapter: the only file that uses aws-sdk-iam. It implements the [`Iam`] seam on
//! the process's one runtime ([`super::block_on`]) with clients built from the same
//! per-profile SDK configuration and base credentials as STS's ([`SdkSts`]: one loader,
//! the same timeouts and answer-size bound), honours `AWS_ENDPOINT_URL_IAM` through the
//! SDK, URL-decodes the policy documents IAM returns and turns SDK errors into
//! [`IamError`]s.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::body_limit::BodyLimit;
use super::error::{AwsError, ErrorContext, translate};
use super::iam::{Iam, IamError, PolicyVersion};
use super::sdk::{CALL_TIMEOUT, SdkSts};
use super::sts::Signer;

/// IAM through aws-sdk-iam, signed by the base credentials of one profile (or of the
/// default chain). Cheap to create: nothing is loaded before the first call.
pub struct SdkIam {
    loader: SdkSts,
    profile: Option<String>,
}

impl SdkIam {
    pub fn new(profile: Option<&str>) -> SdkIam {
        SdkIam {
            loader: SdkSts::new(),
            profile: profile.map(str::to_string),
        }
    }

    async fn client(&self) -> Result<aws_sdk_iam::Client, IamError> {
        let signer = Signer::Base(self.profile.clone());
        let (config, provider) = self
            .loader
            .signing_config(&signer)
            .await
            .map_err(IamError::Credentials)?;
        let config = aws_sdk_iam::config::Builder::from(&config)
            .credentials_provider(provider)
            .interceptor(BodyLimit)
            .build();
        Ok(aws_sdk_iam::Client::from_conf(config))
    }

    fn error<E>(&self, action: &'static str, err: SdkError<E, HttpResponse>) -> IamError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let ctx = ErrorContext {
            profile: self.profile.clone(),
            timeout_secs: CALL_TIMEOUT.as_secs(),
            ..ErrorContext::default()
        };
        from_aws(action, translate(err, &ctx))
    }
}

/// The IAM meaning of a translated SDK error (whose words were written for STS).
fn from_aws(action: &'static str, err: AwsError) -> IamError {
    match err {
        AwsError::AccessDenied { detail, .. } => IamError::AccessDenied { action, detail },
        AwsError::InvalidMfaCode => IamError::AccessDenied {
            action,
            detail: "AWS asked for multi-factor authentication".into(),
        },
        AwsError::Service {
            status,
            code,
            message,
        } => match code.as_str() {
            "AccessDenied" | "AccessDeniedException" => IamError::AccessDenied {
                action,
                detail: message,
            },
            "NoSuchEntity" | "NoSuchEntityException" => IamError::NoSuchEntity { detail: message },
            "LimitExceeded" | "LimitExceededException" => IamError::LimitExceeded {
                action,
                detail: message,
            },
            "MalformedPolicyDocument" | "MalformedPolicyDocumentException" => {
                IamError::MalformedPolicy {
                    action,
                    detail: message,
                }
            }
            _ => IamError::Service {
                action,
                status,
                code,
                message,
            },
        },
        AwsError::Unreachable { detail } => IamError::Unreachable { detail },
        AwsError::Timeout { seconds } => IamError::Timeout { seconds },
        AwsError::BadResponse { status, detail } => IamError::BadResponse {
            action,
            status,
            detail,
        },
        AwsError::Other(detail) => IamError::BadResponse {
            action,
            status: 0,
            detail,
        },
        other => IamError::Credentials(other),
    }
}

/// A policy document as IAM returns it (URL-encoded, RFC 3986) as JSON text.
fn decode_document(action: &'static str, encoded: Option<&str>) -> Result<String, IamError> {
    let encoded = encoded.unwrap_or_default();
    percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| IamError::BadResponse {
            action,
            status: 200,
            detail: "a policy document that is not UTF-8 once decoded".into(),
        })
}

impl Iam for SdkIam {
    fn list_user_policies(&self, user: &str) -> Result<Vec<String>, IamError> {
        const ACTION: &str = "iam:ListUserPolicies";
        super::block_on(async {
            let client = self.client().await?;
            let mut names = Vec::new();
            let mut marker = None;
            loop {
                let out = client
                    .list_user_policies()
                    .user_name(user)
                    .set_marker(marker)
                    .send()
                    .await
                    .map_err(|e| self.error(ACTION, e))?;
                names.extend(out.policy_names().iter().cloned());
                marker = out.marker().map(str::to_string);
                if !out.is_truncated() || marker.is_none() {
                    return Ok(names);
                }
            }
        })
        .map_err(IamError::Credentials)?
    }

    fn get_user_policy(&self, user: &str, name: &str) -> Result<String, IamError> {
        const ACTION: &str = "iam:GetUserPolicy";
        super::block_on(async {
            let out = self
                .client()
                .await?
                .get_user_policy()
                .user_name(user)
                .policy_name(name)
                .send()
                .await
                .map_err(|e| self.error(ACTION, e))?;
            decode_document(ACTION, Some(out.policy_document()))
        })
        .map_err(IamError::Credentials)?
    }

    fn put_user_policy(&self, user: &str, name: &str, document: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .put_user_policy()
                .user_name(user)
                .policy_name(name)
                .policy_document(document)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:PutUserPolicy", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn delete_user_policy(&self, user: &str, name: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .delete_user_policy()
                .user_name(user)
                .policy_name(name)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:DeleteUserPolicy", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn get_policy(&self, arn: &str) -> Result<Option<String>, IamError> {
        super::block_on(async {
            let result = self
                .client()
                .await?
                .get_policy()
                .policy_arn(arn)
                .send()
                .await
                .map_err(|e| self.error("iam:GetPolicy", e));
            match result {
                Ok(out) => Ok(Some(
                    out.policy()
                        .and_then(|p| p.default_version_id())
                        .unwrap_or_default()
                        .to_string(),
                )),
                Err(IamError::NoSuchEntity { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })
        .map_err(IamError::Credentials)?
    }

    fn get_policy_version(&self, arn: &str, version: &str) -> Result<String, IamError> {
        const ACTION: &str = "iam:GetPolicyVersion";
        super::block_on(async {
            let out = self
                .client()
                .await?
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version)
                .send()
                .await
                .map_err(|e| self.error(ACTION, e))?;
            decode_document(ACTION, out.policy_version().and_then(|v| v.document()))
        })
        .map_err(IamError::Credentials)?
    }

    fn create_policy(&self, name: &str, document: &str) -> Result<String, IamError> {
        const ACTION: &str = "iam:CreatePolicy";
        super::block_on(async {
            let out = self
                .client()
                .await?
                .create_policy()
                .policy_name(name)
                .policy_document(document)
                .send()
                .await
                .map_err(|e| self.error(ACTION, e))?;
            out.policy()
                .and_then(|p| p.arn())
                .map(str::to_string)
                .ok_or(IamError::BadResponse {
                    action: ACTION,
                    status: 200,
                    detail: "no ARN in the answer".into(),
                })
        })
        .map_err(IamError::Credentials)?
    }

    fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, IamError> {
        super::block_on(async {
            let out = self
                .client()
                .await?
                .list_policy_versions()
                .policy_arn(arn)
                .send()
                .await
                .map_err(|e| self.error("iam:ListPolicyVersions", e))?;
            let mut versions: Vec<_> = out
                .versions()
                .iter()
                .map(|v| {
                    let created = v.create_date().map(|d| (d.secs(), d.subsec_nanos()));
                    let version = PolicyVersion {
                        id: v.version_id().unwrap_or_default().to_string(),
                        is_default: v.is_default_version(),
                    };
                    (created, version)
                })
                .collect();
            versions.sort_by_key(|(created, _)| *created);
            Ok(versions.into_iter().map(|(_, v)| v).collect())
        })
        .map_err(IamError::Credentials)?
    }

    fn create_policy_version(&self, arn: &str, document: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .create_policy_version()
                .policy_arn(arn)
                .policy_document(document)
                .set_as_default(true)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:CreatePolicyVersion", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn delete_policy_version(&self, arn: &str, version: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .delete_policy_version()
                .policy_arn(arn)
                .version_id(version)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:DeletePolicyVersion", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn attach_user_policy(&self, user: &str, arn: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .attach_user_policy()
                .user_name(user)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:AttachUserPolicy", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn detach_user_policy(&self, user: &str, arn: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .detach_user_policy()
                .user_name(user)
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:DetachUserPolicy", e))
        })
        .map_err(IamError::Credentials)?
    }

    fn delete_policy(&self, arn: &str) -> Result<(), IamError> {
        super::block_on(async {
            self.client()
                .await?
                .delete_policy()
                .policy_arn(arn)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| self.error("iam:DeletePolicy", e))
        })
        .map_err(IamError::Credentials)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_url_decoded() {
        let encoded = "%7B%22Version%22%3A%20%222012-10-17%22%7D";
        assert_eq!(
            decode_document("x", Some(encoded)).unwrap(),
            r#"{"Version": "2012-10-17"}"#
        );
        assert!(decode_document("x", Some("%FF")).is_err());
    }

    #[test]
    fn sts_words_become_iam_words() {
        let denied = from_aws(
            "iam:PutUserPolicy",
            AwsError::AccessDenied {
                role_arn: String::new(),
                name: String::new(),
                detail: "not authorized".into(),
            },
        );
        assert!(matches!(
            denied,
            IamError::AccessDenied {
                action: "iam:PutUserPolicy",
                ..
            }
        ));
        let missing = from_aws(
            "iam:GetPolicy",
            AwsError::Service {
                status: 404,
                code: "NoSuchEntity".into(),
                message: "not found".into(),
            },
        );
        assert!(matches!(missing, IamError::NoSuchEntity { .. }));
        let timeout = from_aws("iam:GetPolicy", AwsError::Timeout { seconds: 12 });
        assert!(timeout.to_string().contains("AWS_ENDPOINT_URL_IAM"));
        let creds = from_aws(
            "iam:GetPolicy",
            AwsError::InvalidAccessKey { profile: None },
        );
        assert!(matches!(creds, IamError::Credentials(_)));
    }
}
