//! `switchrole list [--json]`.

use std::io::Write;
use std::path::Path;

use super::load_config;
use crate::config::schema::{JsonValue, ROLE_KEYS};
use crate::config::snapshot::Mapped;
use crate::config::snapshot::output::{self, Kind};
use crate::config::{Config, Defaults, Role, RoleHead};
use crate::state::{self, UsageState};
use crate::untrusted::escape_controls;

pub fn run(path: &Path, json: bool) -> anyhow::Result<i32> {
    print(load_config(path)?, json)
}

/// `list` answered from the config's snapshot alone (the front's way); `None` when the
/// TOML must be read (the core then runs the command). The output kept from the last
/// `list` of an unchanged config is written as it is; else the table is rendered from the
/// roles' heads alone, and kept for the next time when it depends on nothing else.
pub fn from_snapshot(path: &Path, json: bool) -> Option<i32> {
    let kind = if json { Kind::Json } else { Kind::Table };
    let mut kept = Mapped::new();
    if let Some(text) = output::read(path, kind, &mut kept) {
        return Some(crate::process::exit_code(write_stdout(text)));
    }
    let mut mapped = Mapped::new();
    let rows = crate::config::load_snapshot(path, &mut mapped)?;
    super::print_team_warnings(&rows.team);
    if rows.is_empty() && !json {
        let config = Config {
            path: path.to_path_buf(),
            exists: true,
            ..Config::default()
        };
        print_empty_hint(&config);
        return Some(0);
    }
    let mut text = Vec::new();
    let mut keep = rows.team.warnings.is_empty();
    if json {
        let mut config = Config {
            path: path.to_path_buf(),
            exists: true,
            roles: rows.decode_all()?,
            defaults: rows.defaults.clone(),
            team: rows.team.clone(),
        };
        keep &= !apply_team_favorites(&mut config);
        write_json(&mut text, &config).ok()?;
    } else {
        let heads: Vec<RoleHead> = rows.heads().collect();
        write_table(&mut text, heads.iter().copied(), &rows.defaults).ok()?;
    }
    let code = crate::process::exit_code(write_stdout(&text));
    if keep && code == 0 {
        output::write(path, &rows.header, rows.tag, kind, &text);
    }
    Some(code)
}

fn print(config: Config, json: bool) -> anyhow::Result<i32> {
    // The process ends after the list: its memory goes back to the OS without each role
    // being dropped (10,000 roles are 70,000 allocations).
    let mut config = std::mem::ManuallyDrop::new(config);
    if config.roles.is_empty() && !json {
        print_empty_hint(&config);
        return Ok(0);
    }
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    if json {
        apply_team_favorites(&mut config);
        write_json(&mut out, &config)?;
    } else {
        write_table(
            &mut out,
            config.roles.iter().map(Role::head),
            &config.defaults,
        )?;
    }
    out.flush()?;
    Ok(0)
}

/// The team roles' favourites are the user's, in the state file: marks them; true when
/// there are team roles (the list then depends on the state file too).
fn apply_team_favorites(config: &mut Config) -> bool {
    let team = config.roles.iter().any(Role::is_team);
    if team {
        UsageState::load(&state::default_path()).apply_team_favorites(&mut config.roles);
    }
    team
}

fn write_stdout(text: &[u8]) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)?;
    out.flush()?;
    Ok(0)
}

fn write_json(out: &mut impl Write, config: &Config) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &RolesJson(config))?;
    writeln!(out)?;
    Ok(())
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

/// The table: a header, then a line per role, columns padded with plain writes. A SOURCE
/// column only when team roles are listed: other lists look as they always did.
fn write_table<'h>(
    out: &mut impl Write,
    heads: impl Iterator<Item = RoleHead<'h>> + Clone,
    defaults: &Defaults,
) -> std::io::Result<()> {
    let width = |text: &str| {
        if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        }
    };
    let name_width = heads
        .clone()
        .map(|h| width(h.name))
        .max()
        .unwrap_or(0)
        .max(4);
    let role_width = heads
        .clone()
        .map(|h| h.role_name.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let source_column = heads.clone().any(|h| h.source.is_some());
    let spaces = [b' '; 256];
    let pad = |out: &mut dyn Write, text: &str, to: usize, gap: usize| -> std::io::Result<()> {
        out.write_all(text.as_bytes())?;
        let mut left = to.saturating_sub(width(text)) + gap;
        while left > 0 {
            let chunk = left.min(spaces.len());
            out.write_all(&spaces[..chunk])?;
            left -= chunk;
        }
        Ok(())
    };
    let (region_width, region_gap) = if source_column {
        (REGION_WIDTH, 2)
    } else {
        (0, 0)
    };
    pad(out, "NAME", name_width, 2)?;
    pad(out, "ACCOUNT", 12, 2)?;
    pad(out, "ROLE", role_width, 2)?;
    pad(out, "REGION", region_width, region_gap)?;
    out.write_all(if source_column { b"SOURCE\n" } else { b"\n" })?;
    for head in heads {
        pad(out, head.name, name_width, 2)?;
        pad(out, head.account_id, 12, 2)?;
        pad(out, head.role_name, role_width, 2)?;
        let region = head.region.or(defaults.region.as_deref()).unwrap_or("-");
        pad(out, region, region_width, region_gap)?;
        if source_column {
            out.write_all(escape_controls(head.source.unwrap_or("-")).as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Each role as the schema shows it (`Json` of every key), plus its ARN and, for a team
/// role, its source; keys in alphabetical order. Serialized as it is written, with no JSON
/// tree.
struct RolesJson<'a>(&'a Config);

impl serde::Serialize for RolesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let config = self.0;
        let mut roles = serializer.serialize_seq(Some(config.roles.len()))?;
        for role in &config.roles {
            let effective = config.effective(role);
            let mut entries = Vec::with_capacity(ROLE_KEYS.len() + 2);
            entries.extend(ROLE_KEYS.iter().map(|key| key.json_entry(role, &effective)));
            entries.push(("role_arn", JsonValue::Text(Some(&effective.role_arn))));
            if let Some(source) = &role.source {
                entries.push(("source", JsonValue::Text(Some(source))));
            }
            entries.sort_unstable_by_key(|(name, _)| *name);
            roles.serialize_element(&Object(&entries))?;
        }
        return roles.end();

        struct Object<'e>(&'e [(&'static str, JsonValue<'e>)]);

        impl serde::Serialize for Object<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, value) in self.0 {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}
