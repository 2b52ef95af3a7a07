//! The AWS Organizations seam (`import organizations`): the accounts of the Organization the
//! base credentials see (ListAccounts, every page) and its management account
//! (DescribeOrganization), in our own types behind a small blocking trait. [`SdkOrganizations`]
//! is the only user of aws-sdk-organizations; it signs with the base credentials and SDK
//! configuration that [`super::SdkSts`] loads for the profile (one loader), bounds every call
//! as the STS calls are bounded, and reads answers up to the same size.

use aws_credential_types::provider::SharedCredentialsProvider;

use super::body_limit::BodyLimit;
use super::error::{AwsError, ErrorContext, translate};
use super::sdk::{CALL_TIMEOUT, SdkSts};

/// The most accounts one ListAccounts page holds (AWS's maximum).
pub const PAGE_SIZE: i32 = 20;
/// Pages read at most: far beyond any Organization's account quota, so a broken endpoint
/// that hands out tokens forever ends with an error instead of a loop.
const MAX_PAGES: usize = 5_000;

/// One account of the Organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, ... (the `State` field, else `Status`).
    pub state: String,
}

impl Account {
    /// True for an account that can be used (the only ones imported).
    pub fn is_active(&self) -> bool {
        self.state == "ACTIVE"
    }
}

/// What the Organization holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The management account's ID, when DescribeOrganization named it.
    pub management_account: Option<String>,
    /// Every account, in the order ListAccounts gave them.
    pub accounts: Vec<Account>,
}

/// A failed call to AWS Organizations, in the user's terms (credential problems are the
/// base credentials' own [`AwsError`]).
#[derive(Debug, thiserror::Error)]
pub enum OrganizationsError {
    #[error(
        "the account of your base credentials is not in an AWS Organization, so it has no accounts to list (AWS said: {detail})"
    )]
    NotInUse { detail: String },
    #[error(
        "access denied listing the Organization's accounts: only the management account (or a delegated administrator) may call ListAccounts; pass --profile with such credentials (AWS said: {detail})"
    )]
    AccessDenied { detail: String },
    #[error(
        "cannot reach AWS Organizations ({detail}): check your network, proxy or AWS_ENDPOINT_URL_ORGANIZATIONS"
    )]
    Unreachable { detail: String },
    #[error(
        "AWS Organizations did not answer within {seconds} s: check your network or proxy, then try again"
    )]
    Timeout { seconds: u64 },
    #[error("AWS Organizations refused the request: {code}: {message} (HTTP {status})")]
    Service {
        status: u16,
        code: String,
        message: String,
    },
    #[error("AWS Organizations handed out more than {MAX_PAGES} pages of accounts: stopped")]
    EndlessPages,
    #[error(transparent)]
    Aws(#[from] AwsError),
}

/// The calls `import organizations` makes. Blocking: each implementation drives its own I/O.
pub trait Organizations {
    /// The accounts of the Organization, signed with the base credentials of `profile`
    /// (or the default chain).
    fn listing(&self, profile: Option<&str>) -> Result<Listing, OrganizationsError>;
}

/// AWS Organizations through aws-sdk-organizations.
pub struct SdkOrganizations<'a> {
    sts: &'a SdkSts,
}

impl<'a> SdkOrganizations<'a> {
    /// Signs with the base credentials `sts` loads (and remembers) for each profile.
    pub fn new(sts: &'a SdkSts) -> Self {
        SdkOrganizations { sts }
    }

    async fn client(
        &self,
        profile: Option<&str>,
    ) -> Result<aws_sdk_organizations::Client, AwsError> {
        let (config, base_creds, _) = self.sts.load(profile).await?;
        let config = aws_sdk_organizations::config::Builder::from(&config)
            .credentials_provider(SharedCredentialsProvider::new(base_creds))
            .interceptor(BodyLimit)
            .build();
        Ok(aws_sdk_organizations::Client::from_conf(config))
    }
}

impl Organizations for SdkOrganizations<'_> {
    fn listing(&self, profile: Option<&str>) -> Result<Listing, OrganizationsError> {
        let ctx = ErrorContext {
            profile: profile.map(str::to_string),
            timeout_secs: CALL_TIMEOUT.as_secs(),
            ..ErrorContext::default()
        };
        super::block_on(async {
            let client = self.client(profile).await?;
            let organization = client
                .describe_organization()
                .send()
                .await
                .map_err(|e| in_words(translate(e, &ctx)))?;
            let management_account = organization
                .organization()
                .and_then(|o| o.master_account_id())
                .map(str::to_string);
            let mut pages = client
                .list_accounts()
                .into_paginator()
                .page_size(PAGE_SIZE)
                .send();
            let mut accounts = Vec::new();
            let mut count = 0;
            while let Some(page) = pages.next().await {
                count += 1;
                if count > MAX_PAGES {
                    return Err(OrganizationsError::EndlessPages);
                }
                let page = page.map_err(|e| in_words(translate(e, &ctx)))?;
                accounts.extend(page.accounts().iter().map(account));
            }
            Ok(Listing {
                management_account,
                accounts,
            })
        })?
    }
}

fn account(account: &aws_sdk_organizations::types::Account) -> Account {
    let state = match (account.state(), account.status()) {
        (Some(state), _) => state.as_str().to_string(),
        (None, Some(status)) => status.as_str().to_string(),
        (None, None) => String::new(),
    };
    Account {
        id: account.id().unwrap_or_default().to_string(),
        name: account.name().unwrap_or_default().to_string(),
        state,
    }
}

/// The translation of the STS calls, re-worded where it would name STS. Codes and messages
/// arrive quoted (escaped and redacted) by [`translate`].
fn in_words(err: AwsError) -> OrganizationsError {
    match err {
        AwsError::Service {
            code,
            message,
            status,
        } => match code.as_str() {
            "AWSOrganizationsNotInUseException" => OrganizationsError::NotInUse { detail: message },
            "AccessDeniedException" | "AccessDenied" => {
                OrganizationsError::AccessDenied { detail: message }
            }
            _ => OrganizationsError::Service {
                status,
                code,
                message,
            },
        },
        AwsError::AccessDenied { detail, .. } => OrganizationsError::AccessDenied { detail },
        AwsError::Unreachable { detail } => OrganizationsError::Unreachable { detail },
        AwsError::Timeout { seconds } => OrganizationsError::Timeout { seconds },
        other => OrganizationsError::Aws(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizations_errors_are_worded_for_organizations() {
        let service = |code: &str| AwsError::Service {
            status: 400,
            code: code.into(),
            message: "m".into(),
        };
        assert!(matches!(
            in_words(service("AWSOrganizationsNotInUseException")),
            OrganizationsError::NotInUse { .. }
        ));
        assert!(matches!(
            in_words(service("AccessDeniedException")),
            OrganizationsError::AccessDenied { .. }
        ));
        let other = in_words(service("TooManyRequestsException")).to_string();
        assert!(other.starts_with("AWS Organizations refused"), "{other}");
        let unreachable = in_words(AwsError::Unreachable { detail: "x".into() }).to_string();
        assert!(!unreachable.contains("STS"), "{unreachable}");
        assert!(matches!(
            in_words(AwsError::InvalidAccessKey { profile: None }),
            OrganizationsError::Aws(AwsError::InvalidAccessKey { .. })
        ));
    }
}
