//! `switchrole add` and `switchrole remove`.

use std::path::Path;

use anyhow::{Context, bail};

use super::load_config;
use crate::cli::AddArgs;
use crate::config::schema::ROLE_KEYS;
use crate::config::{self, Role, validate};

pub fn add(path: &Path, args: AddArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = role_from_args(&args, config.defaults.partition())?;
    config::add_role(path, &role)?;
    println!(
        "Remembered \"{}\" ({}) in {}",
        role.name,
        config.effective(&role).role_arn,
        path.display()
    );
    Ok(0)
}

pub fn remove(path: &Path, name: &str) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = config.find(name)?;
    if let Some(source) = &role.source {
        bail!(
            "\"{}\" comes from the team source \"{}\", which switchrole only reads: it can be \
             removed from that source's file, not here",
            role.name,
            crate::untrusted::escape_controls(source)
        );
    }
    let removed = config::remove_role(path, &role.name)?;
    println!(
        "Forgot \"{}\" ({})",
        removed.name,
        removed.account_and_role()
    );
    Ok(0)
}

/// Builds and validates a role from `add`'s arguments, key by key through the schema; errors
/// name the flag. A role ARN given to `--account` fills `--role` too, if it is in the
/// config's `partition`.
fn role_from_args(args: &AddArgs, partition: &str) -> anyhow::Result<Role> {
    let mut role = Role::default();
    // Only without --role: an ARN and a role name given apart would contradict each other.
    let account = args.get("account_id").and_then(<[String]>::last);
    let arn = match account.filter(|_| args.get("role_name").is_none()) {
        Some(text) => validate::role_arn_in(text, partition)
            .map_err(anyhow::Error::msg)
            .context("--account is invalid")?,
        None => None,
    };
    for key in ROLE_KEYS {
        let (Some(arg), Some(values)) = (&key.arg, args.get(key.toml)) else {
            continue;
        };
        let values = match (&arn, key.toml) {
            (Some((account_id, _)), "account_id") => vec![account_id.clone()],
            _ => values.to_vec(),
        };
        key.set_items(&mut role, values)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{} is invalid", arg.shown()))?;
    }
    if role.role_name.is_empty() {
        match arn {
            Some((_, role_name)) => role.role_name = role_name,
            None => bail!("--role is required (or pass a role ARN to --account)"),
        }
    }
    if let Some(arg) = ROLE_KEYS
        .iter()
        .filter(|k| k.required() && k.text(&role).is_empty())
        .find_map(|k| k.arg.as_ref())
    {
        bail!("{} is required", arg.shown());
    }
    Ok(role)
}
