//! Reading the config file: where it lives, parsing, and validating every key through the
//! schema ([`super::schema`]) with an error that names the file, the line, the role and the
//! key. A file in the plain subset of TOML is read by [`plain`], any other by the `toml`
//! crate, and both go through the same checks ([`check`]). Never writes the config; a parsed
//! file gets its team sources' roles merged in ([`sources`]) and is handed to [`snapshot`]
//! for the next run.

mod check;
#[cfg(test)]
pub(super) mod plain_files;
#[cfg(test)]
mod plain_tests;
#[cfg(test)]
pub(super) mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub(super) use check::{Checker, Field, Header, Items, Lines, Scalar, Table, has};

use super::ConfigError;
use super::model::{Config, Defaults, Role};
use super::plain::{self, Section};
use super::schema::{DEFAULT_KEYS, ROLE_KEYS};
use super::snapshot::{self, FileStamp};
use super::sources::{self, Team};
use crate::untrusted::escape_controls;

/// Where the config lives: `--config`, else `$SWITCHROLE_CONFIG`, else the platform config dir.
pub fn locate(cli_path: Option<&Path>) -> PathBuf {
    if let Some(path) = cli_path {
        return path.to_path_buf();
    }
    if let Some(path) = std::env::var_os("SWITCHROLE_CONFIG").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    crate::dirs::config_dir().join("config.toml")
}

/// Loads the config at `path` with its team sources' roles merged in ([`sources::merge`]);
/// a missing file is an empty list, not an error. An unchanged file (and unchanged source
/// files) is read from its snapshot (see [`snapshot`]) instead of being parsed again.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let stamp = FileStamp::of(path);
    if let Some(config) = stamp.as_ref().and_then(|stamp| from_snapshot(path, stamp)) {
        return Ok(config);
    }
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mut config = parse(&text, path)?;
            let source_stamps = sources::merge(&mut config);
            if let Some(stamp) = stamp {
                snapshot::write(path, stamp, &source_stamps, &config);
            }
            Ok(config)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config {
            path: path.to_path_buf(),
            ..Config::default()
        }),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The snapshot of the config at `path`, read into `buffer`, when it is current (the
/// front's way: no TOML parser, each role decoded only when asked for); `None` means
/// [`load`] is needed.
pub fn load_snapshot<'a>(
    path: &Path,
    mapped: &'a mut snapshot::Mapped,
) -> Option<snapshot::Rows<'a>> {
    snapshot::read(path, &FileStamp::of(path)?, mapped)
}

fn from_snapshot(path: &Path, stamp: &FileStamp) -> Option<Config> {
    let mut mapped = snapshot::Mapped::new();
    let rows = snapshot::read(path, stamp, &mut mapped)?;
    Some(Config {
        path: path.to_path_buf(),
        exists: true,
        roles: rows.decode_all()?,
        defaults: rows.defaults,
        team: rows.team,
    })
}

/// The TOML document of `text`, or its syntax error at a line and column of `path`.
pub(super) fn parse_document<'i>(
    text: &'i str,
    path: &Path,
    lines: &Lines,
) -> Result<Spanned<DeTable<'i>>, ConfigError> {
    DeTable::parse(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| lines.position(span.start));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: escape_controls(e.message().trim()).into_owned(),
        }
    })
}

/// Parses and validates config text; `path` is only used in messages. The `[[sources]]`
/// entries are read, not their files (that is [`load`]'s business). A mistake is always
/// reported as the full parse finds it, whichever reader met it first.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    match parse_plain(text, path) {
        Some(config) => Ok(config),
        None => parse_full(text, path),
    }
}

/// `text` read by the plain reader and checked; `None` when it is not plain TOML or holds
/// a mistake (the full parse then says which).
pub(super) fn parse_plain(text: &str, path: &Path) -> Option<Config> {
    let mut checker = Checker::new(path, Lines::new(text));
    let mut defaults = Defaults::default();
    let mut roles = OwnRoles::with_capacity(plain::roles_at_most(text));
    let mut team = Team::default();
    plain::read(text, |section, table| {
        match section {
            Section::Defaults => {
                checker.role = None;
                checker.record(DEFAULT_KEYS, &table, "defaults", &mut defaults)
            }
            Section::Role => roles.add(&mut checker, &table),
            Section::Source => sources::read_entry(&mut checker, &table, &mut team.sources),
        }
        .ok()
    })?;
    Some(Config {
        path: path.to_path_buf(),
        exists: true,
        defaults,
        roles: roles.list,
        team,
    })
}

/// `text` parsed in full by the `toml` crate and checked.
pub(super) fn parse_full(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let lines = Lines::new(text);
    let doc = parse_document(text, path, &lines)?;
    let doc = doc.get_ref();
    let mut checker = Checker::new(path, lines);
    let mut defaults = Defaults::default();
    let mut raw_roles: &[Spanned<DeValue>] = &[];
    let mut team = Team::default();
    for (name, value) in doc {
        match name.get_ref().as_ref() {
            "defaults" => {
                checker.record(
                    DEFAULT_KEYS,
                    &Table::Parsed(value),
                    "defaults",
                    &mut defaults,
                )?;
            }
            "roles" => raw_roles = checker.array(value, "roles", "must be [[roles]] tables")?,
            "sources" => {
                let items = checker.array(value, "sources", "must be [[sources]] tables")?;
                team.sources =
                    sources::read_entries(&mut checker, items.iter().map(Table::Parsed))?;
            }
            other => {
                let message = "is not a section of the config (there are [defaults], \
                               [[roles]] and [[sources]])";
                return Err(checker.invalid(name.span().start, other, message.into()));
            }
        }
    }
    let mut roles = OwnRoles::with_capacity(raw_roles.len());
    for raw in raw_roles {
        roles.add(&mut checker, &Table::Parsed(raw))?;
    }
    Ok(Config {
        path: path.to_path_buf(),
        exists: true,
        defaults,
        roles: roles.list,
        team,
    })
}

/// The line of the role of each display name read so far.
pub(super) type SeenNames<'t> = HashMap<Cow<'t, str>, usize, foldhash::fast::RandomState>;

/// The user's own roles as they are read, in file order: a display name used twice is an
/// error naming both lines.
struct OwnRoles<'t> {
    list: Vec<Role>,
    seen: SeenNames<'t>,
}

impl<'t> OwnRoles<'t> {
    fn with_capacity(capacity: usize) -> Self {
        OwnRoles {
            list: Vec::with_capacity(capacity),
            seen: SeenNames::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    fn add(&mut self, checker: &mut Checker<'t>, table: &Table<'_, 't>) -> Result<(), ConfigError> {
        let role = read_role(checker, table)?;
        match self.seen.entry(name_of(table, &role)) {
            Entry::Occupied(first) => Err(ConfigError::DuplicateName {
                path: checker.path.to_path_buf(),
                name: role.name,
                first_line: *first.get(),
                second_line: role.line,
            }),
            Entry::Vacant(slot) => {
                slot.insert(role.line);
                self.list.push(role);
                Ok(())
            }
        }
    }
}

/// The display name of the role read from `table`, borrowed from the table where it can be.
pub(super) fn name_of<'t>(table: &Table<'_, 't>, role: &Role) -> Cow<'t, str> {
    table
        .text("name")
        .map_or_else(|| Cow::Owned(role.name.clone()), Cow::Borrowed)
}

/// One `[[roles]]` table, checked key by key through the schema.
pub(super) fn read_role<'t>(
    c: &mut Checker<'t>,
    table: &Table<'_, 't>,
) -> Result<Role, ConfigError> {
    // The name first, so that every message about the other keys names the role.
    c.role = table.text("name");
    let mut role = Role {
        line: table.place(&c.lines).0,
        ..Role::default()
    };
    c.record(ROLE_KEYS, table, "roles", &mut role)?;
    Ok(role)
}
