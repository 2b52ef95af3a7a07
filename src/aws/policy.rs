//! The two IAM policy documents of the cross-account setup (SPEC 7), built without I/O:
//! the trust policy of the role in the client account (who may assume it) and the inline
//! permission policy of the user in my account (which roles it may assume). Also turns a
//! GetCallerIdentity ARN into the principal a trust policy can name.

use serde_json::{Value, json};

use crate::config::{Config, Role};

/// The policy language version AWS documents for every new policy.
pub const POLICY_VERSION: &str = "2012-10-17";

/// Both documents for one role.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocuments {
    /// The principal the trust policy names.
    pub principal: String,
    /// Trust policy of the role in the client account.
    pub trust: Value,
    /// Inline permission policy of my user.
    pub permission: Value,
}

/// A principal that cannot be put in a trust policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "\"{0}\" is not a principal: give an ARN (arn:aws:iam::123456789012:user/alice) or a 12-digit account ID"
    )]
    BadPrincipal(String),
}

/// The principal to name, and what the user should know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub arn: String,
    /// Set when the caller is not a plain IAM user (an assumed role, the root user, ...).
    pub note: Option<String>,
}

/// Both documents for `role`, trusting `principal` (an ARN).
pub fn documents(config: &Config, role: &Role, principal: &str) -> PolicyDocuments {
    PolicyDocuments {
        principal: principal.to_string(),
        trust: trust_policy(config, role, principal),
        permission: permission_policy(config, std::iter::once(role)),
    }
}

/// A policy as pretty JSON (two-space indent, like `serde_json::to_string_pretty`) with
/// its keys in AWS's order: `Version`, `Statement`; then `Sid`, `Effect`, `Principal`,
/// `Action`, `Resource`, `Condition` in each statement; other keys sorted.
pub fn to_pretty_json(policy: &Value) -> String {
    pretty_ordered(policy, 0)
}

fn pretty_ordered(value: &Value, indent: usize) -> String {
    const ORDER: [&str; 8] = [
        "Version",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "Action",
        "Resource",
        "Condition",
    ];
    let pad = "  ".repeat(indent + 1);
    let end_pad = "  ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by_key(|k| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
            let entries: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{pad}{}: {}",
                        Value::String((*k).clone()),
                        pretty_ordered(&map[*k], indent + 1)
                    )
                })
                .collect();
            format!("{{\n{}\n{end_pad}}}", entries.join(",\n"))
        }
        Value::Array(items) if !items.is_empty() => {
            let entries: Vec<String> = items
                .iter()
                .map(|i| format!("{pad}{}", pretty_ordered(i, indent + 1)))
                .collect();
            format!("[\n{}\n{end_pad}]", entries.join(",\n"))
        }
        other => other.to_string(),
    }
}

/// The trust policy of `role`: `principal` may call `sts:AssumeRole`, with an
/// `sts:ExternalId` condition when the role has an external ID and an
/// `aws:MultiFactorAuthPresent` condition when MFA applies to it.
pub fn trust_policy(config: &Config, role: &Role, principal: &str) -> Value {
    let effective = config.effective(role);
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": { "AWS": principal },
        "Action": "sts:AssumeRole",
    });
    let mut condition = serde_json::Map::new();
    if let Some(external_id) = &effective.external_id {
        condition.insert(
            "StringEquals".into(),
            json!({ "sts:ExternalId": external_id }),
        );
    }
    if effective.mfa_serial.is_some() {
        condition.insert(
            "Bool".into(),
            json!({ "aws:MultiFactorAuthPresent": "true" }),
        );
    }
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    json!({ "Version": POLICY_VERSION, "Statement": [statement] })
}

/// The inline permission policy of my user: one `sts:AssumeRole` statement per role, each
/// with a unique `Sid` made from the role's display name.
pub fn permission_policy<'a>(config: &Config, roles: impl IntoIterator<Item = &'a Role>) -> Value {
    let mut used: Vec<String> = Vec::new();
    let statements: Vec<Value> = roles
        .into_iter()
        .map(|role| {
            let sid = unique_sid(&statement_sid(&role.name), &used);
            used.push(sid.clone());
            json!({
                "Sid": sid,
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": config.effective(role).role_arn,
            })
        })
        .collect();
    json!({ "Version": POLICY_VERSION, "Statement": statements })
}

/// A statement ID from a display name: its ASCII letters and digits (`Acme Prod` ->
/// `AcmeProd`), or `Role` when none are left.
pub fn statement_sid(name: &str) -> String {
    let sid: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    if sid.is_empty() {
        "Role".to_string()
    } else {
        sid
    }
}

fn unique_sid(base: &str, used: &[String]) -> String {
    if !used.iter().any(|u| u == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !used.iter().any(|u| u == candidate))
        .unwrap_or_else(|| base.to_string())
}

/// The principal given with `--principal`: an ARN as it is, or an account ID as that
/// account's root (`arn:<partition>:iam::<id>:root`: the whole account).
pub fn parse_principal(text: &str, partition: &str) -> Result<String, PolicyError> {
    let text = text.trim();
    if text.len() == 12 && text.chars().all(|c| c.is_ascii_digit()) {
        return Ok(format!("arn:{partition}:iam::{text}:root"));
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && matches!(parts[2], "iam" | "sts")
        && parts[4].len() == 12
        && parts[4].chars().all(|c| c.is_ascii_digit())
        && !parts[5].is_empty()
        && !text.chars().any(char::is_whitespace);
    if valid {
        Ok(text.to_string())
    } else {
        Err(PolicyError::BadPrincipal(text.to_string()))
    }
}

/// The principal a trust policy should name for the caller `arn` (GetCallerIdentity).
///
/// - an IAM user is named as it is (an `sts` user ARN, as some emulators return, becomes
///   the `iam` one);
/// - an assumed role session (`…:assumed-role/R/session`) becomes the role `…:role/R`;
/// - the root user stays `…:root`, which trusts the whole account;
/// - anything else is kept as it is.
pub fn principal_for_caller(arn: &str) -> Principal {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return Principal {
            arn: arn.to_string(),
            note: None,
        };
    }
    let (partition, service, account, resource) = (parts[1], parts[2], parts[4], parts[5]);
    if let Some(user) = resource.strip_prefix("user/") {
        return Principal {
            arn: format!("arn:{partition}:iam::{account}:user/{user}"),
            note: (service != "iam").then(|| {
                format!("STS named your user with an {service} ARN; the policy uses its IAM ARN")
            }),
        };
    }
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        let role = rest.split('/').next().unwrap_or(rest);
        let role_arn = format!("arn:{partition}:iam::{account}:role/{role}");
        return Principal {
            note: Some(format!(
                "your base credentials are a session of the role {role}, not an IAM user: the trust policy names {role_arn} \
                 (add the role's path if it has one), and the permission policy belongs on that role"
            )),
            arn: role_arn,
        };
    }
    if resource == "root" {
        return Principal {
            arn: arn.to_string(),
            note: Some(format!(
                "your base credentials are the root user of account {account}: the trust policy names the whole \
                 account, and the root user itself cannot assume roles; use an IAM user (or --principal ARN)"
            )),
        };
    }
    Principal {
        arn: arn.to_string(),
        note: Some(format!(
            "your base identity {arn} is not an IAM user; check that a trust policy can name it, or use --principal ARN"
        )),
    }
}

/// The partition of an ARN (`arn:<partition>:…`).
pub fn arn_partition(arn: &str) -> Option<&str> {
    arn.strip_prefix("arn:")?.split(':').next()
}

/// The last part of a path or ARN: `ops/Admin` -> `Admin`.
pub fn arn_leaf(text: &str) -> &str {
    text.rsplit(['/', ':']).next().unwrap_or(text)
}

/// A display name as a file name part: ASCII letters and digits lowercased, every other run
/// of characters one `-` (`Acme (prod)` -> `acme-prod`); `role` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "role".to_string()
    } else {
        out.to_string()
    }
}

/// Where the trust policy of `role` goes in the console, for a heading.
pub fn trust_policy_place(role: &Role) -> String {
    let leaf = arn_leaf(&role.role_name);
    format!(
        "the role {leaf} in the client account {} (IAM > Roles > {leaf} > Trust relationships)",
        role.account_id
    )
}

/// Where the permission policy goes for `principal` (None: not known), for a heading.
pub fn permission_policy_place(principal: Option<&str>) -> String {
    const STEPS: &str = "Add permissions > Create inline policy";
    match principal {
        Some(arn) if arn.contains(":user/") => {
            format!("the user {arn} (IAM > Users > {} > {STEPS})", arn_leaf(arn))
        }
        Some(arn) if arn.contains(":role/") => {
            format!("the role {arn} (IAM > Roles > {} > {STEPS})", arn_leaf(arn))
        }
        Some(arn) => format!("each IAM user or role that should switch, in the account of {arn}"),
        None => format!("your IAM user (IAM > Users > your user > {STEPS})"),
    }
}

/// A note when `principal` is in another partition than the role's: such a switch cannot work.
pub fn partition_note(principal: &str, role_partition: &str) -> Option<String> {
    let caller = arn_partition(principal)?;
    (caller != role_partition).then(|| {
        format!(
            "the principal is in the partition {caller} but the role in {role_partition}: \
             roles can only be assumed from the same partition"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Defaults;

    fn role(name: &str) -> Role {
        Role {
            name: name.into(),
            account_id: "012345678901".into(),
            role_name: "ops/Admin".into(),
            ..Role::default()
        }
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

    #[test]
    fn plain_trust_and_permission_policies() {
        let config = Config::default();
        let docs = documents(&config, &role("Acme Prod"), ALICE);
        assert_eq!(
            docs.trust,
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": ALICE},
                    "Action": "sts:AssumeRole",
                }]
            })
        );
        assert_eq!(
            docs.permission,
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AcmeProd",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": "arn:aws:iam::012345678901:role/ops/Admin",
                }]
            })
        );
    }

    #[test]
    fn external_id_and_mfa_conditions() {
        let config = Config {
            defaults: Defaults {
                mfa_serial: Some("arn:aws:iam::111122223333:mfa/alice".into()),
                ..Defaults::default()
            },
            ..Config::default()
        };
        let mut r = role("X");
        r.external_id = Some("ext-42".into());
        let trust = trust_policy(&config, &r, ALICE);
        assert_eq!(
            trust["Statement"][0]["Condition"],
            json!({
                "StringEquals": {"sts:ExternalId": "ext-42"},
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
            })
        );
        let trust = trust_policy(&Config::default(), &r, ALICE);
        assert_eq!(
            trust["Statement"][0]["Condition"],
            json!({"StringEquals": {"sts:ExternalId": "ext-42"}})
        );
    }

    #[test]
    fn partition_comes_from_the_config() {
        let config = Config {
            defaults: Defaults {
                partition: Some("aws-us-gov".into()),
                ..Defaults::default()
            },
            ..Config::default()
        };
        let permission = permission_policy(&config, [&role("A")]);
        assert_eq!(
            permission["Statement"][0]["Resource"],
            "arn:aws-us-gov:iam::012345678901:role/ops/Admin"
        );
    }

    #[test]
    fn sids_are_alphanumeric_and_unique() {
        assert_eq!(statement_sid("Acme (prod) #1 – eu"), "Acmeprod1eu");
        assert_eq!(statement_sid("日本"), "Role");
        let config = Config::default();
        let roles = [role("Acme Prod"), role("Acme-Prod"), role("AcmeProd")];
        let permission = permission_policy(&config, &roles);
        let sids: Vec<&str> = permission["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["Sid"].as_str().unwrap())
            .collect();
        assert_eq!(sids, ["AcmeProd", "AcmeProd2", "AcmeProd3"]);
    }

    #[test]
    fn pretty_json_keeps_aws_key_order() {
        let config = Config::default();
        let mut r = role("A");
        r.external_id = Some("x\"y".into());
        let text = to_pretty_json(&trust_policy(&config, &r, ALICE));
        let expected = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:user/alice"
      },
      "Action": "sts:AssumeRole",
      "Condition": {
        "StringEquals": {
          "sts:ExternalId": "x\"y"
        }
      }
    }
  ]
}"#;
        assert_eq!(text, expected);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, trust_policy(&config, &r, ALICE));
        assert_eq!(
            to_pretty_json(&json!({"a": [], "b": {}})),
            "{\n  \"a\": [],\n  \"b\": {}\n}"
        );
    }

    #[test]
    fn principals_from_callers() {
        assert_eq!(
            principal_for_caller(ALICE),
            Principal {
                arn: ALICE.into(),
                note: None
            }
        );
        let moto = principal_for_caller("arn:aws:sts::123456789012:user/moto");
        assert_eq!(moto.arn, "arn:aws:iam::123456789012:user/moto");
        let assumed = principal_for_caller("arn:aws-cn:sts::123456789012:assumed-role/Ops/alice");
        assert_eq!(assumed.arn, "arn:aws-cn:iam::123456789012:role/Ops");
        assert!(assumed.note.unwrap().contains("session of the role Ops"));
        let root = principal_for_caller("arn:aws:iam::123456789012:root");
        assert_eq!(root.arn, "arn:aws:iam::123456789012:root");
        assert!(root.note.unwrap().contains("root user"));
    }

    #[test]
    fn places_and_partition_notes() {
        assert_eq!(arn_leaf("ops/Admin"), "Admin");
        assert!(trust_policy_place(&role("A")).contains("IAM > Roles > Admin >"));
        assert!(permission_policy_place(Some(ALICE)).contains("IAM > Users > alice >"));
        assert!(permission_policy_place(None).contains("your IAM user"));
        assert_eq!(partition_note(ALICE, "aws"), None);
        assert!(partition_note(ALICE, "aws-cn").is_some_and(|n| n.contains("aws-cn")));
    }

    #[test]
    fn principals_from_the_command_line() {
        assert_eq!(parse_principal(ALICE, "aws"), Ok(ALICE.to_string()));
        assert_eq!(
            parse_principal("123456789012", "aws-cn"),
            Ok("arn:aws-cn:iam::123456789012:root".to_string())
        );
        assert!(parse_principal("alice", "aws").is_err());
        assert!(parse_principal("arn:aws:iam::1:user/x", "aws").is_err());
        assert!(parse_principal("arn:aws:s3:::bucket", "aws").is_err());
        assert_eq!(arn_partition("arn:aws-cn:iam::1:root"), Some("aws-cn"));
    }
}
