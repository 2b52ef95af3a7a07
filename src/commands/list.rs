//! `switchrole list [--json]`.

use std::io::Write;
use std::path::Path;

use super::load_config;
use crate::config::{Config, Defaults, Role, RoleHead};
use crate::config::schema::ROLE_KEYS;

pub fn run(path: &Path, json: bool) -> anyhow::Result<i32> {
    print(&load_config(path)?, json)
}

/// `list` answered from the config's snapshot alone (the front's way: the table decodes
/// only the heads of the roles); `None` when the TOML must be read (the core then runs
/// the command).
pub fn from_snapshot(path: &Path, json: bool) -> Option<i32> {
    let mut mapped = crate::config::snapshot::Mapped::new();
    let rows = crate::config::load_snapshot(path, &mut mapped)?;
    if json || rows.is_empty() {
        let config = Config {
            path: path.to_path_buf(),
            exists: true,
            roles: rows.decode_all()?,
            defaults: rows.defaults,
        };
        return Some(crate::process::exit_code(print(&config, json)));
    }
    let heads: Vec<RoleHead> = rows.heads().collect();
    Some(crate::process::exit_code(print_table(&heads, &rows.defaults)))
}

fn print(config: &Config, json: bool) -> anyhow::Result<i32> {
    if json {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer_pretty(&mut out, &RolesJson::new(config))?;
        writeln!(out)?;
        out.flush()?;
        Ok(0)
    } else if config.roles.is_empty() {
        print_empty_hint(config);
        Ok(0)
    } else {
        let heads: Vec<RoleHead> = config.roles.iter().map(Role::head).collect();
        print_table(&heads, &config.defaults)
    }
}

fn print_table(heads: &[RoleHead], defaults: &Defaults) -> anyhow::Result<i32> {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    write_table(&mut out, heads, defaults)?;
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

/// The table: a header, then a line per role, columns padded with plain writes.
fn write_table(out: &mut impl Write, heads: &[RoleHead], defaults: &Defaults) -> std::io::Result<()> {
    let width = |text: &str| text.chars().count();
    let name_width = heads.iter().map(|h| width(h.name)).max().unwrap_or(0).max(4);
    let role_width = heads.iter().map(|h| h.role_name.len()).max().unwrap_or(0).max(4);
    let spaces = [b' '; 256];
    let pad = |out: &mut dyn Write, text: &str, to: usize| -> std::io::Result<()> {
        out.write_all(text.as_bytes())?;
        let mut left = to.saturating_sub(width(text)) + 2;
        while left > 0 {
            let chunk = left.min(spaces.len());
            out.write_all(&spaces[..chunk])?;
            left -= chunk;
        }
        Ok(())
    };
    pad(out, "NAME", name_width)?;
    pad(out, "ACCOUNT", 12)?;
    pad(out, "ROLE", role_width)?;
    out.write_all(b"REGION\n")?;
    for head in heads {
        pad(out, head.name, name_width)?;
        pad(out, head.account_id, 12)?;
        pad(out, head.role_name, role_width)?;
        let region = head.region.or(defaults.region.as_deref()).unwrap_or("-");
        out.write_all(region.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Each role as the schema shows it (`Json` of every key), plus its ARN, keys in
/// alphabetical order; serialized as it is written, with no JSON tree.
struct RolesJson<'a> {
    config: &'a Config,
    /// Indexes into `ROLE_KEYS` in the order of their JSON names.
    order: Vec<usize>,
}

impl<'a> RolesJson<'a> {
    fn new(config: &'a Config) -> Self {
        let name = |i: usize| ROLE_KEYS[i].json_entry(&SAMPLE.0, &SAMPLE.1).0;
        let mut order: Vec<usize> = (0..ROLE_KEYS.len()).collect();
        order.sort_by_key(|&i| name(i));
        RolesJson { config, order }
    }
}

/// A role to read the keys' JSON names from (they do not depend on the role).
static SAMPLE: std::sync::LazyLock<(Role, crate::config::Effective)> =
    std::sync::LazyLock::new(|| {
        let config = Config::default();
        let role = Role::default();
        let effective = config.effective(&role);
        (role, effective)
    });

impl serde::Serialize for RolesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let mut roles = serializer.serialize_seq(Some(self.config.roles.len()))?;
        for role in &self.config.roles {
            roles.serialize_element(&RoleJson {
                role,
                effective: self.config.effective(role),
                order: &self.order,
            })?;
        }
        return roles.end();

        struct RoleJson<'r> {
            role: &'r Role,
            effective: crate::config::Effective,
            order: &'r [usize],
        }

        impl serde::Serialize for RoleJson<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.order.len() + 1))?;
                let mut arn_written = false;
                for &i in self.order {
                    let (name, value) = ROLE_KEYS[i].json_entry(self.role, &self.effective);
                    if !arn_written && name > "role_arn" {
                        map.serialize_entry("role_arn", &self.effective.role_arn)?;
                        arn_written = true;
                    }
                    map.serialize_entry(name, &value)?;
                }
                if !arn_written {
                    map.serialize_entry("role_arn", &self.effective.role_arn)?;
                }
                map.end()
            }
        }
    }
}
