//! `switchrole policy [NAME] [--principal ARN] [--all] [--json]`: the trust policy of the
//! role in the client account and the inline permission policy of my user (SPEC 7).
//! The principal is the caller of the base credentials (GetCallerIdentity) unless given.

use std::path::Path;

use serde_json::{Value, json};

use super::load_config;
use crate::aws::Switcher;
use crate::aws::policy::{self, Principal};
use crate::cli::PolicyArgs;
use crate::config::{Config, Role};

pub fn run(path: &Path, args: &PolicyArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = args.name.as_deref().map(|n| config.find(n)).transpose()?;
    let partition = config.defaults.partition();
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
        if let Some(note) = policy::partition_note(&principal.arn, partition) {
            eprintln!("switchrole: note: {note}");
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
        println!("# Trust policy of {}:", policy::trust_policy_place(role));
        println!("{}", policy::to_pretty_json(trust));
        println!();
    }
    let holder = policy::permission_policy_place(principal.as_ref().map(|p| p.arn.as_str()));
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
pub(super) fn principal(
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
    let identity = Switcher::standard()
        .base_identity(effective.source_profile.as_deref())
        .map_err(|e| anyhow::anyhow!("{e} (or name the principal with --principal ARN)"))?;
    Ok(policy::principal_for_caller(&identity.arn))
}
