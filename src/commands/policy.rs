//! `switchrole policy [NAME] [--principal ARN] [--all] [--json]`: the trust policy of the
//! role in the client account and the inline permission policy of my user (SPEC 7).
//! The principal is the caller of the base credentials (GetCallerIdentity) unless given.

use std::path::Path;

use serde_json::{Value, json};

use super::load_config;
use crate::aws::Sts;
use crate::aws::policy::{self, Principal};
use crate::cli::PolicyArgs;
use crate::config::{Config, Role};

pub fn run(path: &Path, args: &PolicyArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = args.name.as_deref().map(|n| config.find(n)).transpose()?;
    let partition = config.defaults.partition.as_deref().unwrap_or("aws");
    if args.all && config.roles.is_empty() {
        anyhow::bail!(
            "no roles remembered in {} yet: add one with `switchrole add`",
            config.path.display()
        );
    }
    let principal = match role {
        None => None,
        Some(role) => Some(principal(
            &config,
            role,
            args.principal.as_deref(),
            partition,
        )?),
    };
    if let Some(principal) = &principal {
        if let Some(note) = &principal.note {
            eprintln!("switchrole: note: {note}");
        }
        let caller_partition = policy::arn_partition(&principal.arn).unwrap_or(partition);
        if caller_partition != partition {
            eprintln!(
                "switchrole: note: the principal is in the partition {caller_partition} but the role in {partition}: \
                 roles can only be assumed from the same partition"
            );
        }
    }
    let trust = role
        .zip(principal.as_ref())
        .map(|(role, p)| policy::trust_policy(&config, role, &p.arn));
    let permission = if args.all {
        policy::permission_policy(&config, &config.roles)
    } else {
        policy::permission_policy(&config, role)
    };
    if args.json {
        let mut doc = serde_json::Map::new();
        if let (Some(p), Some(trust)) = (&principal, &trust) {
            doc.insert("Principal".into(), json!(p.arn));
            doc.insert("TrustPolicy".into(), trust.clone());
        }
        doc.insert("PermissionPolicy".into(), permission);
        println!("{}", policy::to_pretty_json(&Value::Object(doc)));
        return Ok(0);
    }
    if let (Some(role), Some(trust)) = (role, &trust) {
        println!(
            "# Trust policy of the role {} in the client account {} (IAM > Roles > {} > Trust relationships):",
            leaf(&role.role_name),
            role.account_id,
            leaf(&role.role_name)
        );
        println!("{}", policy::to_pretty_json(trust));
        println!();
    }
    let holder = principal
        .as_ref()
        .map_or_else(|| holder_text(None), |p| holder_text(Some(&p.arn)));
    let scope = if args.all {
        format!("all {} remembered roles", config.roles.len())
    } else {
        "this role".to_string()
    };
    println!("# Permission policy for {scope}, inline on {holder}:");
    println!("{}", policy::to_pretty_json(&permission));
    Ok(0)
}

/// The principal the trust policy names: `--principal`, else the base credentials' caller.
fn principal(
    config: &Config,
    role: &Role,
    given: Option<&str>,
    partition: &str,
) -> anyhow::Result<Principal> {
    if let Some(given) = given {
        return Ok(Principal {
            arn: policy::parse_principal(given, partition)?,
            note: None,
        });
    }
    let effective = config.effective(role);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let identity = runtime
        .block_on(async {
            Sts::for_profile(effective.source_profile.as_deref())
                .await
                .caller_identity()
                .await
        })
        .map_err(|e| anyhow::anyhow!("{e} (or name the principal with --principal ARN)"))?;
    Ok(policy::principal_for_caller(&identity.arn))
}

/// Where the permission policy goes, for the heading.
fn holder_text(principal: Option<&str>) -> String {
    const STEPS: &str = "Add permissions > Create inline policy";
    match principal {
        Some(arn) if arn.contains(":user/") => {
            format!("the user {arn} (IAM > Users > {} > {STEPS})", leaf(arn))
        }
        Some(arn) if arn.contains(":role/") => {
            format!("the role {arn} (IAM > Roles > {} > {STEPS})", leaf(arn))
        }
        Some(arn) => format!("each IAM user or role that should switch, in the account of {arn}"),
        None => format!("your IAM user (IAM > Users > your user > {STEPS})"),
    }
}

/// The last part of a path or ARN: `ops/Admin` -> `Admin`.
fn leaf(text: &str) -> &str {
    text.rsplit(['/', ':']).next().unwrap_or(text)
}
