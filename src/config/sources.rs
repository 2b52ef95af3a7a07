//! Team sources (SPEC 8): the `[[sources]]` entries of the config, each naming a team's roles
//! file in the `[[roles]]` format (typically in a git checkout), and merging their roles
//! read-only into the list. The user's own roles win a name clash, then the earlier source;
//! a missing or broken source, or a bad role in one, is a [`SourceWarning`] and never an
//! error: the user's own roles always load. Team text is other people's: every warning
//! shows it escaped (SPEC 10). Never writes a team file.

mod team_file;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::ConfigError;
use super::load::{Checker, Table};
use super::model::{Config, SourceEntry};
use super::schema::SOURCE_KEYS;
use super::snapshot::SourceStamp;
use crate::untrusted::escape_controls;

/// The config's `[[sources]]` entries and what went wrong reading their files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    /// The entries, in file order.
    pub sources: Vec<SourceEntry>,
    /// Problems found merging them, in the order met.
    pub warnings: Vec<SourceWarning>,
}

impl Team {
    /// The warnings about the source named `name`.
    pub fn warnings_of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SourceWarning> {
        self.warnings.iter().filter(move |w| w.source() == name)
    }
}

/// What went wrong with one team source. Each names the source and, where there is one, the
/// place in its file (`file:line:column`); every piece of text is shown escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum SourceWarning {
    #[error(
        "team source \"{}\": {} does not exist; its roles are left out",
        escape_controls(source_name),
        shown(path)
    )]
    Missing { source_name: String, path: PathBuf },
    #[error(
        "team source \"{}\": cannot read {}: {}; its roles are left out",
        escape_controls(source_name),
        shown(path),
        escape_controls(reason)
    )]
    Unreadable {
        source_name: String,
        path: PathBuf,
        reason: String,
    },
    /// The file is not valid TOML (or not `[[roles]]` tables): none of its roles is read.
    #[error(
        "team source \"{}\": {}; its roles are left out",
        escape_controls(source_name),
        escape_controls(detail)
    )]
    Broken { source_name: String, detail: String },
    /// One role of the file is invalid: the others are read.
    #[error(
        "team source \"{}\": {}; that role is left out",
        escape_controls(source_name),
        escape_controls(detail)
    )]
    BadRole { source_name: String, detail: String },
    /// Something in the file that a team source does not hold (`[defaults]`...).
    #[error(
        "team source \"{}\": {}; it is ignored",
        escape_controls(source_name),
        escape_controls(detail)
    )]
    Ignored { source_name: String, detail: String },
    /// A role whose name an earlier role (the user's own, or an earlier source's) has.
    #[error(
        "team source \"{}\": {}: the role \"{}\" is left out: {} has a role of that name and wins",
        escape_controls(source_name),
        escape_controls(place),
        escape_controls(role),
        escape_controls(winner)
    )]
    Shadowed {
        source_name: String,
        /// The display name of the role left out.
        role: String,
        /// `file:line:column` of the role left out.
        place: String,
        /// "your own list (config.toml:12)" or "team source \"other\"".
        winner: String,
    },
}

impl SourceWarning {
    /// The name of the source the warning is about.
    pub fn source(&self) -> &str {
        match self {
            SourceWarning::Missing { source_name, .. }
            | SourceWarning::Unreadable { source_name, .. }
            | SourceWarning::Broken { source_name, .. }
            | SourceWarning::BadRole { source_name, .. }
            | SourceWarning::Ignored { source_name, .. }
            | SourceWarning::Shadowed { source_name, .. } => source_name,
        }
    }
}

fn shown(path: &Path) -> String {
    escape_controls(&path.display().to_string()).into_owned()
}

/// The file `written` names: `~/` is the home directory, a relative path is relative to the
/// directory of the config at `config_path`.
pub fn resolve(written: &str, config_path: &Path) -> PathBuf {
    if let Some(rest) = written.strip_prefix("~/")
        && let Some(dirs) = directories::BaseDirs::new()
    {
        return dirs.home_dir().join(rest);
    }
    let path = Path::new(written);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        crate::fsutil::parent_dir(config_path).join(path)
    }
}

/// The `[[sources]]` tables of the config (its own file: a mistake here is an error, as for
/// any key of the config). Names must be unique.
pub(super) fn read_entries<'t>(
    checker: &mut Checker<'t>,
    tables: impl ExactSizeIterator<Item = Table<'t, 't>>,
) -> Result<Vec<SourceEntry>, ConfigError> {
    let mut entries: Vec<SourceEntry> = Vec::with_capacity(tables.len());
    for table in tables {
        read_entry(checker, &table, &mut entries)?;
    }
    Ok(entries)
}

/// One `[[sources]]` table, appended to the `entries` before it.
pub(super) fn read_entry<'t>(
    checker: &mut Checker<'t>,
    table: &Table<'_, 't>,
    entries: &mut Vec<SourceEntry>,
) -> Result<(), ConfigError> {
    checker.role = None;
    let mut entry = SourceEntry {
        line: table.place(&checker.lines).0,
        ..SourceEntry::default()
    };
    checker.record(SOURCE_KEYS, table, "sources", &mut entry)?;
    if let Some(first) = entries.iter().find(|e| e.name == entry.name) {
        let message = format!(
            "\"{}\" names another source already (line {}); source names must be unique",
            escape_controls(&entry.name),
            first.line
        );
        return Err(checker.invalid(table.at(), "name", message));
    }
    entries.push(entry);
    Ok(())
}

/// Who keeps a display name in the merged list.
enum Holder {
    /// The user's own role, at this line of the config.
    Own(usize),
    /// An earlier team source, by name.
    Source(String),
}

/// Reads every source of `config.team` and appends its roles to `config.roles` (their
/// `source` set, their `favorite` left to the user's state file); problems go to
/// `config.team.warnings`. Returns each source file's stamp, taken before it was read, for
/// the snapshot's key.
pub fn merge(config: &mut Config) -> Vec<SourceStamp> {
    let Config {
        path: config_path,
        roles,
        team,
        ..
    } = config;
    team.warnings.clear();
    if team.sources.is_empty() {
        return Vec::new();
    }
    let mut holders: HashMap<String, Holder> = roles
        .iter()
        .map(|r| (r.name.clone(), Holder::Own(r.line)))
        .collect();
    let mut stamps = Vec::with_capacity(team.sources.len());
    for entry in &team.sources {
        let path = resolve(&entry.path, config_path);
        stamps.push(SourceStamp::of(&path));
        let source_name = entry.name.clone();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                team.warnings
                    .push(SourceWarning::Missing { source_name, path });
                continue;
            }
            Err(e) => {
                let reason = e.to_string();
                let warning = SourceWarning::Unreadable {
                    source_name,
                    path,
                    reason,
                };
                team.warnings.push(warning);
                continue;
            }
        };
        let file = match team_file::read(&text, &path) {
            Ok(file) => file,
            Err(e) => {
                let detail = e.to_string();
                team.warnings.push(SourceWarning::Broken {
                    source_name,
                    detail,
                });
                continue;
            }
        };
        for detail in file.ignored {
            let source_name = source_name.clone();
            team.warnings.push(SourceWarning::Ignored {
                source_name,
                detail,
            });
        }
        for detail in file.bad_roles {
            let source_name = source_name.clone();
            team.warnings.push(SourceWarning::BadRole {
                source_name,
                detail,
            });
        }
        for (mut role, column) in file.roles {
            match holders.entry(role.name.clone()) {
                Entry::Occupied(holder) => {
                    let winner = match holder.get() {
                        Holder::Own(line) => {
                            format!("your own list ({}:{line})", config_path.display())
                        }
                        Holder::Source(name) => format!("team source \"{name}\""),
                    };
                    team.warnings.push(SourceWarning::Shadowed {
                        source_name: source_name.clone(),
                        role: role.name,
                        place: format!("{}:{}:{column}", path.display(), role.line),
                        winner,
                    });
                }
                Entry::Vacant(slot) => {
                    slot.insert(Holder::Source(source_name.clone()));
                    role.source = Some(source_name.clone());
                    role.favorite = false;
                    roles.push(role);
                }
            }
        }
    }
    stamps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::load::parse;

    const ROLE: &str = "account_id = \"111122223333\"\nrole_name = \"Admin\"\n";

    fn config_with_source(dir: &Path, own: &str, team: Option<&str>) -> Config {
        let config_path = dir.join("config.toml");
        if let Some(team) = team {
            std::fs::write(dir.join("team.toml"), team).unwrap();
        }
        let text = format!("{own}[[sources]]\nname = \"team\"\npath = \"team.toml\"\n");
        let mut config = parse(&text, &config_path).unwrap();
        let stamps = merge(&mut config);
        assert_eq!(stamps.len(), 1);
        config
    }

    #[test]
    fn relative_paths_are_relative_to_the_config_and_tilde_is_home() {
        let config = Path::new("/etc/sr/config.toml");
        assert_eq!(resolve("team.toml", config), Path::new("/etc/sr/team.toml"));
        assert_eq!(resolve("/x/t.toml", config), Path::new("/x/t.toml"));
        let home = directories::BaseDirs::new()
            .unwrap()
            .home_dir()
            .to_path_buf();
        assert_eq!(resolve("~/t.toml", config), home.join("t.toml"));
    }

    #[test]
    fn team_roles_merge_after_own_roles_and_own_names_win() {
        let dir = tempfile::tempdir().unwrap();
        let own = format!("[[roles]]\nname = \"Shared\"\n{ROLE}");
        let team = format!(
            "[[roles]]\nname = \"Shared\"\n{ROLE}favorite = true\n\n[[roles]]\nname = \"Team only\"\n{ROLE}favorite = true\n"
        );
        let config = config_with_source(dir.path(), &own, Some(&team));
        let names: Vec<(&str, Option<&str>)> = config
            .roles
            .iter()
            .map(|r| (r.name.as_str(), r.source.as_deref()))
            .collect();
        assert_eq!(names, [("Shared", None), ("Team only", Some("team"))]);
        assert!(!config.roles[1].favorite, "favourites are the user's");
        let [warning] = config.team.warnings.as_slice() else {
            panic!("{:?}", config.team.warnings)
        };
        let text = warning.to_string();
        assert!(text.contains("team.toml:1:1"), "{text}");
        assert!(text.contains("your own list"), "{text}");
    }

    #[test]
    fn a_missing_or_broken_source_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let own = format!("[[roles]]\nname = \"Mine\"\n{ROLE}");
        let missing = config_with_source(dir.path(), &own, None);
        assert_eq!(missing.roles.len(), 1);
        assert!(matches!(
            missing.team.warnings.as_slice(),
            [SourceWarning::Missing { .. }]
        ));
        let broken = config_with_source(dir.path(), &own, Some("[[roles]\nname = 1\n"));
        assert_eq!(broken.roles.len(), 1);
        let text = broken.team.warnings[0].to_string();
        assert!(text.contains("team.toml:1:"), "{text}");
    }

    #[test]
    fn duplicate_source_names_are_an_error_of_the_config() {
        let text =
            "[[sources]]\nname = \"a\"\npath = \"x\"\n[[sources]]\nname = \"a\"\npath = \"y\"\n";
        let err = parse(text, Path::new("/c/config.toml")).unwrap_err();
        assert!(err.to_string().contains("config.toml:4:1"), "{err}");
        let err = parse("[[sources]]\nname = \"a\"\n", Path::new("/c/config.toml")).unwrap_err();
        assert!(err.to_string().contains("`path` is missing"), "{err}");
    }
}
