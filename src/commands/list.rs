//! `switchrole list [--json]`: the roles, a team source's roles with their source.

use std::io::Write;
use std::path::Path;

use super::load_config;
use crate::config::schema::ROLE_KEYS;
use crate::config::{Config, Role};
use crate::state::{self, UsageState};
use crate::untrusted::escape_controls;

pub fn run(path: &Path, json: bool) -> anyhow::Result<i32> {
    let mut config = load_config(path)?;
    if config.roles.iter().any(Role::is_team) {
        // The team roles' favourites are the user's, in the state file.
        UsageState::load(&state::default_path()).apply_team_favorites(&mut config.roles);
    }
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

/// The REGION column's width when a SOURCE column follows it (the longest region names).
const REGION_WIDTH: usize = 14;

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
    // A SOURCE column only when team roles are listed: other lists look as they always did.
    let source_column = config.roles.iter().any(Role::is_team);
    let region_width = if source_column { REGION_WIDTH } else { 0 };
    write!(
        out,
        "{:name_width$}  {:12}  {:role_width$}  {:region_width$}",
        "NAME", "ACCOUNT", "ROLE", "REGION"
    )?;
    writeln!(out, "{}", if source_column { "  SOURCE" } else { "" })?;
    for role in &config.roles {
        let effective_region = config.region_of(role).unwrap_or("-");
        let padding = name_width.saturating_sub(role.name.chars().count());
        write!(
            out,
            "{}{:padding$}  {}  {:role_width$}  {effective_region:region_width$}",
            role.name, "", role.account_id, role.role_name
        )?;
        match (source_column, &role.source) {
            (false, _) => writeln!(out)?,
            (true, Some(source)) => writeln!(out, "  {}", escape_controls(source))?,
            (true, None) => writeln!(out, "  -")?,
        }
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
            if let Some(source) = &role.source {
                object.insert("source".into(), source.as_str().into());
            }
            serde_json::Value::Object(object)
        })
        .collect();
    serde_json::Value::Array(roles)
}
