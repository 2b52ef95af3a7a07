//! The CloudFormation template of `setup template` and `setup new` (SPEC 7), built without
//! I/O: one `AWS::IAM::Role` named and pathed as the remembered `role_name`, whose trust
//! policy is the one `switchrole policy` prints ([`policy::trust_policy`], the one place
//! that document is made), with the managed policies asked for, a description naming who
//! asked for it and when, `MaxSessionDuration` when the role's duration is above an hour,
//! and the role's ARN as an output. Also the file and stack names and the one
//! `aws cloudformation deploy` command that applies it.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::aws::credentials::rfc3339;
use crate::aws::policy;
use crate::config::{Config, Role};

/// The role's logical ID in the template.
pub const LOGICAL_ID: &str = "SwitchRole";
/// The managed policy attached when none is given.
pub const DEFAULT_MANAGED_POLICY: &str = "ReadOnlyAccess";
/// IAM's default (and lowest) MaxSessionDuration: the template sets it only above this.
const DEFAULT_MAX_SESSION: u32 = 3600;

/// A managed policy ARN that cannot be attached to a role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{} is not a managed policy ARN: give one like arn:{partition}:iam::aws:policy/ReadOnlyAccess or arn:{partition}:iam::123456789012:policy/NAME",
    crate::config::validate::quoted(.text)
)]
pub struct BadManagedPolicy {
    pub text: String,
    pub partition: String,
}

/// What the template is made of besides the role.
#[derive(Debug, Clone)]
pub struct TemplateRequest<'a> {
    /// The principal the trust policy names (my user's ARN, or `--principal`).
    pub principal: &'a str,
    /// Managed policy ARNs; empty: [`DEFAULT_MANAGED_POLICY`].
    pub managed_policies: &'a [String],
    /// When it was asked for (the description's date).
    pub asked_on: SystemTime,
}

/// The managed policy ARN `text`, checked: `arn:<partition>:iam::aws|<account>:policy/...`.
pub fn parse_managed_policy(text: &str, partition: &str) -> Result<String, BadManagedPolicy> {
    let text = text.trim();
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[1] == partition
        && parts[2] == "iam"
        && parts[3].is_empty()
        && (parts[4] == "aws"
            || (parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit())))
        && parts[5].strip_prefix("policy/").is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c))
        });
    if valid {
        Ok(text.to_string())
    } else {
        Err(BadManagedPolicy {
            text: text.to_string(),
            partition: partition.to_string(),
        })
    }
}

/// The template for `role` (see the module's comment).
pub fn template(config: &Config, role: &Role, request: &TemplateRequest<'_>) -> Value {
    let effective = config.effective(role);
    let (path, name) = split_path(&role.role_name);
    let managed: Vec<String> = if request.managed_policies.is_empty() {
        vec![format!(
            "arn:{}:iam::aws:policy/{DEFAULT_MANAGED_POLICY}",
            effective.partition
        )]
    } else {
        request.managed_policies.to_vec()
    };
    let mut properties = json!({
        "RoleName": name,
        "Path": path,
        "Description": description(config, role, request),
        "AssumeRolePolicyDocument": policy::trust_policy(config, role, request.principal),
        "ManagedPolicyArns": managed,
    });
    if effective.duration > DEFAULT_MAX_SESSION {
        properties["MaxSessionDuration"] = json!(effective.duration);
    }
    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!(
            "The role {name} that {} switches into with switchrole",
            request.principal
        ),
        "Resources": {
            LOGICAL_ID: { "Type": "AWS::IAM::Role", "Properties": properties },
        },
        "Outputs": {
            "RoleArn": {
                "Description": "The role's ARN, for switchrole (a role ARN also fills --account)",
                "Value": { "Fn::GetAtt": [LOGICAL_ID, "Arn"] },
            },
        },
    })
}

/// The template as the JSON the user saves: pretty, policies' keys in AWS's order.
pub fn template_text(config: &Config, role: &Role, request: &TemplateRequest<'_>) -> String {
    policy::to_pretty_json(&template(config, role, request))
}

/// `ops/team/Admin` -> (`/ops/team/`, `Admin`); `Admin` -> (`/`, `Admin`).
fn split_path(role_name: &str) -> (String, &str) {
    match role_name.rsplit_once('/') {
        Some((path, name)) => (format!("/{path}/"), name),
        None => ("/".to_string(), role_name),
    }
}

/// The role's description: who may switch into it, under which conditions, who asked and
/// when (UTC date). ASCII, well within IAM's 1,000 characters.
fn description(config: &Config, role: &Role, request: &TemplateRequest<'_>) -> String {
    let effective = config.effective(role);
    let mut conditions = Vec::new();
    if effective.external_id.is_some() {
        conditions.push("an ExternalId");
    }
    if effective.mfa_serial.is_some() {
        conditions.push("MFA");
    }
    let conditions = match conditions.as_slice() {
        [] => String::new(),
        list => format!(" with {}", list.join(" and ")),
    };
    let date: String = rfc3339(request.asked_on).chars().take(10).collect();
    format!(
        "Lets {} switch into this account{conditions} (switchrole). Asked for by {} on {date}.",
        request.principal,
        policy::arn_leaf(request.principal)
    )
}

/// The file the template is saved under: `acme-prod-role-template.json`.
pub fn file_stem(display_name: &str) -> String {
    format!("{}-role-template", policy::slug(display_name))
}

/// The stack the client's administrator deploys it as: `switchrole-acme-prod`.
pub fn stack_name(display_name: &str) -> String {
    format!("switchrole-{}", policy::slug(display_name))
}

/// The one command that applies the saved template in the client account.
pub fn deploy_command(display_name: &str) -> String {
    format!(
        "aws cloudformation deploy --template-file {}.json --stack-name {} --capabilities CAPABILITY_NAMED_IAM",
        file_stem(display_name),
        stack_name(display_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Defaults;

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

    fn role() -> Role {
        Role {
            name: "Acme (prod)".into(),
            account_id: "012345678901".into(),
            role_name: "clients/Acme-access-alice".into(),
            external_id: Some("Xy12".into()),
            ..Role::default()
        }
    }

    fn request(managed: &[String]) -> TemplateRequest<'_> {
        TemplateRequest {
            principal: ALICE,
            managed_policies: managed,
            asked_on: SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_750_000_000),
        }
    }

    #[test]
    fn the_role_and_its_output() {
        let config = Config::default();
        let t = template(&config, &role(), &request(&[]));
        let props = &t["Resources"][LOGICAL_ID]["Properties"];
        assert_eq!(t["Resources"][LOGICAL_ID]["Type"], "AWS::IAM::Role");
        assert_eq!(props["RoleName"], "Acme-access-alice");
        assert_eq!(props["Path"], "/clients/");
        assert_eq!(
            props["ManagedPolicyArns"],
            json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        );
        assert_eq!(
            props["AssumeRolePolicyDocument"],
            policy::trust_policy(&config, &role(), ALICE)
        );
        assert!(props.get("MaxSessionDuration").is_none());
        assert_eq!(
            props["Description"],
            "Lets arn:aws:iam::111122223333:user/alice switch into this account with an ExternalId (switchrole). Asked for by alice on 2025-06-15."
        );
        assert_eq!(
            t["Outputs"]["RoleArn"]["Value"],
            json!({"Fn::GetAtt": [LOGICAL_ID, "Arn"]})
        );
        let text = template_text(&config, &role(), &request(&[]));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), t);
    }

    #[test]
    fn duration_mfa_and_managed_policies() {
        let config = Config {
            defaults: Defaults {
                mfa_serial: Some("arn:aws:iam::111122223333:mfa/alice".into()),
                partition: Some("aws-cn".into()),
                ..Defaults::default()
            },
            ..Config::default()
        };
        let mut r = role();
        r.duration = Some(7200);
        r.role_name = "Admin".into();
        let managed = vec!["arn:aws-cn:iam::aws:policy/PowerUserAccess".to_string()];
        let t = template(&config, &r, &request(&managed));
        let props = &t["Resources"][LOGICAL_ID]["Properties"];
        assert_eq!(props["MaxSessionDuration"], 7200);
        assert_eq!(props["Path"], "/");
        assert_eq!(props["ManagedPolicyArns"], json!(managed));
        assert!(
            props["Description"]
                .as_str()
                .unwrap()
                .contains("with an ExternalId and MFA")
        );
        let default = template(&config, &r, &request(&[]));
        assert_eq!(
            default["Resources"][LOGICAL_ID]["Properties"]["ManagedPolicyArns"],
            json!(["arn:aws-cn:iam::aws:policy/ReadOnlyAccess"])
        );
    }

    #[test]
    fn managed_policy_arns_are_checked() {
        assert!(parse_managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess", "aws").is_ok());
        assert!(parse_managed_policy("arn:aws:iam::123456789012:policy/team/X", "aws").is_ok());
        assert!(parse_managed_policy("ReadOnlyAccess", "aws").is_err());
        assert!(parse_managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess", "aws-cn").is_err());
        assert!(parse_managed_policy("arn:aws:iam::aws:role/X", "aws").is_err());
        let err = parse_managed_policy("x y", "aws").unwrap_err().to_string();
        assert!(err.contains("\"x y\""), "{err}");
    }

    #[test]
    fn names_and_the_deploy_command() {
        assert_eq!(file_stem("Acme (prod)"), "acme-prod-role-template");
        assert_eq!(
            deploy_command("Acme (prod)"),
            "aws cloudformation deploy --template-file acme-prod-role-template.json \
             --stack-name switchrole-acme-prod --capabilities CAPABILITY_NAMED_IAM"
        );
    }
}
