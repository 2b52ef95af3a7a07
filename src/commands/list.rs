//! `switchrole list [--json]`.

use std::io::Write;
use std::path::Path;

use super::load_config;
use crate::config::Config;
use crate::config::schema::ROLE_KEYS;

pub fn run(path: &Path, json: bool) -> anyhow::Result<i32> {
    print(&load_config(path)?, json)
}

/// `list` answered from the config's snapshot alone (the front's way); `None` when the
/// TOML must be read (the core then runs the command).
pub fn from_snapshot(path: &Path, json: bool) -> Option<i32> {
    let config = crate::config::load_snapshot(path)?;
    Some(crate::process::exit_code(print(&config, json)))
}

fn print(config: &Config, json: bool) -> anyhow::Result<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &as_json(&config))?;
        writeln!(out)?;
    } else if config.roles.is_empty() {
        drop(out);
        print_empty_hint(&config);
        return Ok(0);
    } else {
        write_table(&mut out, &config)?;
    }
    out.flush()?;
    Ok(0)
}

/// What a user sees before the first role: where the config goes and how to add one.
pub fn print_empty_hint(config: &Config) {
    let path = config.path.display().to_string();
    println!(
        "No roles remembered yet ({}).",
        crate::untrusted::escape_controls(&path)
    );
    println!("Add the first one with:");
    println!("  switchrole add \"Client name\" --account 123456789012 --role RoleName");
}

fn write_table(out: &mut impl Write, config: &Config) -> std::io::Result<()> {
    let name_width = config
        .roles
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let role_width = config
        .roles
        .iter()
        .map(|r| r.role_name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    writeln!(
        out,
        "{:name_width$}  {:12}  {:role_width$}  REGION",
        "NAME", "ACCOUNT", "ROLE"
    )?;
    for role in &config.roles {
        let effective_region = config.region_of(role).unwrap_or("-");
        let padding = name_width.saturating_sub(role.name.chars().count());
        writeln!(
            out,
            "{}{:padding$}  {}  {:role_width$}  {effective_region}",
            role.name, "", role.account_id, role.role_name
        )?;
    }
    Ok(())
}

/// Each role as the schema shows it (`Json` of every key), plus its ARN.
fn as_json(config: &Config) -> serde_json::Value {
    let roles: Vec<serde_json::Value> = config
        .roles
        .iter()
        .map(|role| {
            let effective = config.effective(role);
            let mut object: serde_json::Map<String, serde_json::Value> = ROLE_KEYS
                .iter()
                .map(|key| {
                    let (name, value) = key.json_entry(role, &effective);
                    (name.to_string(), value)
                })
                .collect();
            object.insert("role_arn".into(), effective.role_arn.into());
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::Value::Array(roles)
}
