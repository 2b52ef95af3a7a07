//! `switchrole add` and `switchrole remove`.

use std::path::Path;

use anyhow::{Context, bail};

use super::load_config;
use crate::cli::AddArgs;
use crate::config::{self, Role, duration, validate};

pub fn add(path: &Path, args: AddArgs) -> anyhow::Result<i32> {
    let role = role_from_args(args)?;
    config::add_role(path, &role)?;
    let config = load_config(path)?;
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
    let removed = config::remove_role(path, &role.name)?;
    println!(
        "Forgot \"{}\" ({})",
        removed.name,
        removed.account_and_role()
    );
    Ok(0)
}

/// Builds and validates a role from `add`'s flags; errors name the flag.
fn role_from_args(args: AddArgs) -> anyhow::Result<Role> {
    let (account_id, role_name) = match (validate::split_role_arn(&args.account), args.role) {
        (Some((_, account, role_from_arn)), None) => (account, role_from_arn),
        (_, Some(role)) => (args.account, role),
        (None, None) => bail!("--role is required (or pass a role ARN to --account)"),
    };
    check("name", &args.name, validate::display_name)?;
    check("--account", &account_id, validate::account_id)?;
    check("--role", &role_name, validate::role_name)?;
    let optional = [
        (
            "--color",
            &args.color,
            (|v| crate::config::color::parse(v).map(|_| ())) as fn(&str) -> Result<(), String>,
        ),
        ("--region", &args.region, validate::region),
        ("--external-id", &args.external_id, validate::external_id),
        ("--mfa-serial", &args.mfa_serial, validate::mfa_serial),
        (
            "--source-profile",
            &args.source_profile,
            validate::profile_name,
        ),
        ("--session-name", &args.session_name, validate::session_name),
    ];
    for (flag, value, rule) in optional {
        if let Some(value) = value {
            check(flag, value, rule)?;
        }
    }
    for tag in &args.tags {
        check("--tag", tag, validate::tag)?;
    }
    let duration = match &args.duration {
        Some(text) => {
            let seconds = duration::parse(text)
                .and_then(|s| validate::duration_in(s, validate::ROLE_DURATION_RANGE).map(|()| s))
                .map_err(|m| anyhow::anyhow!("--duration: {m}"))?;
            Some(seconds)
        }
        None => None,
    };
    Ok(Role {
        name: args.name,
        account_id,
        role_name,
        color: args.color,
        region: args.region,
        external_id: args.external_id,
        mfa_serial: args.mfa_serial,
        source_profile: args.source_profile,
        duration,
        session_name: args.session_name,
        tags: args.tags,
        favorite: args.favorite,
        line: 0,
    })
}

fn check(flag: &str, value: &str, rule: fn(&str) -> Result<(), String>) -> anyhow::Result<()> {
    rule(value)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{flag} is invalid"))
}
