//! The IAM user a grant is for: the caller of the base credentials (GetCallerIdentity)
//! when it is an IAM user, else who can grant instead, in plain words (an SSO permission
//! set's administrator, an administrator of the role's account, an IAM user for the root
//! user); and the name and ARN of the user's own managed policy.

use super::{GrantError, POLICY_NAME};
use crate::aws::policy;

/// The IAM user that gets the permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user name (without its path).
    pub name: String,
    pub arn: String,
    pub account: String,
    pub partition: String,
}

impl User {
    /// The caller `arn` (GetCallerIdentity) as an IAM user, or who can grant instead.
    pub fn from_caller(arn: &str) -> Result<User, GrantError> {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [_, partition, _, _, account, resource] = parts[..] else {
            return Err(not_a_user(format!(
                "your base identity {arn} is not an IAM user ARN"
            )));
        };
        let who = |what: String| {
            not_a_user(format!(
                "your base credentials are {what}, not an IAM user, and `setup grant` changes an IAM user's own policies"
            ))
        };
        if resource.starts_with("user/") {
            return Ok(User {
                name: policy::arn_leaf(resource).to_string(),
                arn: policy::principal_for_caller(arn).arn,
                account: account.to_string(),
                partition: partition.to_string(),
            });
        }
        if let Some(rest) = resource.strip_prefix("assumed-role/") {
            let role = rest.split('/').next().unwrap_or(rest);
            if let Some(set) = role.strip_prefix("AWSReservedSSO_") {
                let set = set.rsplit_once('_').map_or(set, |(name, _)| name);
                return Err(who(format!(
                    "an IAM Identity Center (SSO) session of the permission set {set} in account {account}: ask your Identity Center administrator to add what `switchrole policy --all` prints to the permission set {set}"
                )));
            }
            return Err(who(format!(
                "a session of the role {role} in account {account}: ask an administrator of account {account} to add what `switchrole policy --all` prints to the role {role}'s permissions, or run grant with an IAM user's keys"
            )));
        }
        if resource == "root" {
            return Err(who(format!(
                "the root user of account {account}, which cannot assume roles: create an IAM user for yourself, make its keys your base credentials and run grant as that user"
            )));
        }
        if let Some(name) = resource.strip_prefix("federated-user/") {
            return Err(who(format!(
                "a federated session of {name} in account {account}: ask an administrator of account {account} to add what `switchrole policy --all` prints to the IAM user that federates you"
            )));
        }
        Err(who(format!("{arn}: run grant with an IAM user's keys")))
    }

    /// The user's own customer managed policy: `switchrole-assume-roles-alice`.
    pub fn managed_policy_name(&self) -> String {
        format!("{POLICY_NAME}-{}", self.name)
    }

    pub fn managed_policy_arn(&self) -> String {
        format!(
            "arn:{}:iam::{}:policy/{}",
            self.partition,
            self.account,
            self.managed_policy_name()
        )
    }
}

fn not_a_user(text: String) -> GrantError {
    GrantError::NotAnIamUser(text)
}
