//! Changing the config file: add, replace and remove roles while keeping the user's comments
//! and layout (`toml_edit`). Every change takes the advisory lock, re-reads the file under
//! it, refuses to touch a file that does not parse, validates the result and replaces the
//! file atomically.

use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::model::{Config, Role};
use super::{ConfigError, duration, load};
use crate::fsutil;

/// Adds `role`; fails if a role of that display name exists.
pub fn add_role(path: &Path, role: &Role) -> Result<(), ConfigError> {
    edit(path, |config, doc| {
        if config.roles.iter().any(|r| r.name == role.name) {
            return Err(ConfigError::NameTaken {
                path: path.to_path_buf(),
                name: role.name.clone(),
            });
        }
        roles_table_array(doc, path)?.push(role_table(role));
        Ok(())
    })
}

/// Replaces the role named `old_name` with `role`, keeping its place and comments.
pub fn replace_role(path: &Path, old_name: &str, role: &Role) -> Result<(), ConfigError> {
    edit(path, |config, doc| {
        if role.name != old_name && config.roles.iter().any(|r| r.name == role.name) {
            return Err(ConfigError::NameTaken {
                path: path.to_path_buf(),
                name: role.name.clone(),
            });
        }
        let index = position(config, old_name, path)?;
        let array = roles_table_array(doc, path)?;
        let table = array
            .get_mut(index)
            .ok_or_else(|| not_found(path, old_name))?;
        fill_table(table, role);
        Ok(())
    })
}

/// Removes the role named `name` and returns it.
pub fn remove_role(path: &Path, name: &str) -> Result<Role, ConfigError> {
    edit(path, |config, doc| {
        let index = position(config, name, path)?;
        roles_table_array(doc, path)?.remove(index);
        Ok(config.roles[index].clone())
    })
}

fn position(config: &Config, name: &str, path: &Path) -> Result<usize, ConfigError> {
    config
        .roles
        .iter()
        .position(|r| r.name == name)
        .ok_or_else(|| not_found(path, name))
}

fn not_found(path: &Path, name: &str) -> ConfigError {
    ConfigError::NotFound {
        path: path.to_path_buf(),
        name: name.to_string(),
        suggestions: Vec::new(),
    }
}

/// Runs `change` on the current file under the lock, then writes the result atomically.
fn edit<T>(
    path: &Path,
    change: impl FnOnce(&Config, &mut DocumentMut) -> Result<T, ConfigError>,
) -> Result<T, ConfigError> {
    let write_error = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = fsutil::parent_dir(path);
    std::fs::create_dir_all(dir).map_err(write_error)?;
    let _lock = fsutil::lock_exclusive(&lock_path(path)).map_err(write_error)?;

    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ConfigError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    // The strict loader first: a file we cannot read fully is never rewritten.
    let config = load::parse(&text, path)?;
    let mut doc: DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ConfigError::Parse {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: e.message().to_string(),
            })?;
    let result = change(&config, &mut doc)?;
    let new_text = doc.to_string();
    load::parse(&new_text, path)?;
    fsutil::write_atomic(path, new_text.as_bytes(), None).map_err(write_error)?;
    Ok(result)
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

fn roles_table_array<'d>(
    doc: &'d mut DocumentMut,
    path: &Path,
) -> Result<&'d mut ArrayOfTables, ConfigError> {
    let item = doc
        .entry("roles")
        .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()));
    item.as_array_of_tables_mut()
        .ok_or_else(|| ConfigError::Unsupported {
            path: path.to_path_buf(),
            message: "`roles` must be written as [[roles]] tables to be edited by switchrole"
                .into(),
        })
}

fn role_table(role: &Role) -> Table {
    let mut table = Table::new();
    fill_table(&mut table, role);
    table
}

/// Writes every key of `role` into `table`; keys the role does not set are removed.
fn fill_table(table: &mut Table, role: &Role) {
    let text = |v: &Option<String>| v.as_ref().map(|s| value(s.as_str()));
    let entries: [(&str, Option<Item>); 12] = [
        ("name", Some(value(role.name.as_str()))),
        ("account_id", Some(value(role.account_id.as_str()))),
        ("role_name", Some(value(role.role_name.as_str()))),
        ("color", text(&role.color)),
        ("region", text(&role.region)),
        ("external_id", text(&role.external_id)),
        ("mfa_serial", text(&role.mfa_serial)),
        ("source_profile", text(&role.source_profile)),
        (
            "duration",
            role.duration.map(|d| value(duration::format(u64::from(d)))),
        ),
        ("session_name", text(&role.session_name)),
        (
            "tags",
            (!role.tags.is_empty()).then(|| value(role.tags.iter().collect::<Array>())),
        ),
        ("favorite", role.favorite.then(|| value(true))),
    ];
    for (key, item) in entries {
        match item {
            Some(item) => match table.get_mut(key) {
                Some(existing) if existing.is_value() => {
                    let decor = existing.as_value().map(|v| v.decor().clone());
                    *existing = item;
                    if let (Some(decor), Some(v)) = (decor, existing.as_value_mut()) {
                        *v.decor_mut() = decor;
                    }
                }
                _ => {
                    table.insert(key, item);
                }
            },
            None => {
                table.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> Role {
        Role {
            name: name.into(),
            account_id: "012345678901".into(),
            role_name: "Admin".into(),
            ..Role::default()
        }
    }

    #[test]
    fn comments_survive_add_replace_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let original = "# my clients\n[defaults]\nregion = \"eu-west-1\" # home\n\n\
                        # the big one\n[[roles]]\nname = \"Big\" # keep me\n\
                        account_id = \"111111111111\"\nrole_name = \"Ops\"\n";
        std::fs::write(&path, original).unwrap();
        add_role(&path, &role("New")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut big = load::parse(&text, &path).unwrap().roles[0].clone();
        big.favorite = true;
        replace_role(&path, "Big", &big).unwrap();
        remove_role(&path, "New").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for kept in ["# my clients", "# home", "# the big one", "# keep me"] {
            assert!(text.contains(kept), "lost {kept:?} in:\n{text}");
        }
        assert!(text.contains("favorite = true"), "{text}");
        assert!(!text.contains("New"), "{text}");
    }

    #[test]
    fn a_broken_file_is_never_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let broken = "[[roles]\nname = \"x\"\n";
        std::fs::write(&path, broken).unwrap();
        let err = add_role(&path, &role("A")).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { line: 1, .. }), "{err:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    }

    #[test]
    fn adding_a_taken_name_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        add_role(&path, &role("A")).unwrap();
        assert!(matches!(
            add_role(&path, &role("A")),
            Err(ConfigError::NameTaken { .. })
        ));
    }
}
