//! The IAM seam: the calls `setup grant` makes on the caller's own user and its policies,
//! in our own types, behind a small blocking trait (as [`super::sts`] is for STS). The SDK
//! adapter ([`super::iam_sdk::SdkIam`]) implements it for real; the grant's unit tests
//! implement it with a fake. Nothing here knows about aws-sdk-iam.

use super::error::AwsError;

/// One version of a customer managed policy (ListPolicyVersions), oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub id: String,
    pub is_default: bool,
}

/// A failed IAM call, in the user's terms. Every quoted answer is cut to one line with its
/// control characters escaped (by [`super::error::translate`]) before it lands here.
#[derive(Debug, thiserror::Error)]
pub enum IamError {
    #[error("IAM refused {action} ({detail})")]
    AccessDenied {
        action: &'static str,
        detail: String,
    },
    #[error("IAM has no such entity ({detail})")]
    NoSuchEntity { detail: String },
    #[error("IAM said a limit was reached on {action} ({detail})")]
    LimitExceeded {
        action: &'static str,
        detail: String,
    },
    #[error("IAM refused the policy document of {action} ({detail})")]
    MalformedPolicy {
        action: &'static str,
        detail: String,
    },
    #[error("cannot reach IAM ({detail}): check your network, proxy or AWS_ENDPOINT_URL_IAM")]
    Unreachable { detail: String },
    #[error(
        "IAM did not answer within {seconds} s: check your network, proxy or AWS_ENDPOINT_URL_IAM, then try again"
    )]
    Timeout { seconds: u64 },
    #[error("IAM refused {action}: {code}: {message} (HTTP {status})")]
    Service {
        action: &'static str,
        status: u16,
        code: String,
        message: String,
    },
    #[error("unexpected answer from IAM to {action} (HTTP {status}): {detail}")]
    BadResponse {
        action: &'static str,
        status: u16,
        detail: String,
    },
    /// The base credentials themselves (missing, expired, unknown key, wrong secret).
    #[error("{0}")]
    Credentials(AwsError),
}

/// The calls switchrole makes to IAM, each signed by the base credentials the
/// implementation was made for. Blocking: each implementation drives its own I/O.
pub trait Iam: Send + Sync {
    /// ListUserPolicies: the names of the user's inline policies.
    fn list_user_policies(&self, user: &str) -> Result<Vec<String>, IamError>;
    /// GetUserPolicy: the document of one inline policy, URL-decoded (JSON text).
    fn get_user_policy(&self, user: &str, name: &str) -> Result<String, IamError>;
    /// PutUserPolicy: creates or replaces an inline policy.
    fn put_user_policy(&self, user: &str, name: &str, document: &str) -> Result<(), IamError>;
    /// DeleteUserPolicy.
    fn delete_user_policy(&self, user: &str, name: &str) -> Result<(), IamError>;
    /// GetPolicy: the default version's ID of a customer managed policy, `None` when the
    /// policy does not exist.
    fn get_policy(&self, arn: &str) -> Result<Option<String>, IamError>;
    /// GetPolicyVersion: one version's document, URL-decoded (JSON text).
    fn get_policy_version(&self, arn: &str, version: &str) -> Result<String, IamError>;
    /// CreatePolicy: a new customer managed policy; returns its ARN.
    fn create_policy(&self, name: &str, document: &str) -> Result<String, IamError>;
    /// ListPolicyVersions, oldest first.
    fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>, IamError>;
    /// CreatePolicyVersion, made the default version.
    fn create_policy_version(&self, arn: &str, document: &str) -> Result<(), IamError>;
    /// DeletePolicyVersion (never the default one).
    fn delete_policy_version(&self, arn: &str, version: &str) -> Result<(), IamError>;
    /// AttachUserPolicy (attaching twice is no error).
    fn attach_user_policy(&self, user: &str, arn: &str) -> Result<(), IamError>;
    /// DetachUserPolicy.
    fn detach_user_policy(&self, user: &str, arn: &str) -> Result<(), IamError>;
    /// DeletePolicy (its other versions deleted and detached first).
    fn delete_policy(&self, arn: &str) -> Result<(), IamError>;
}
