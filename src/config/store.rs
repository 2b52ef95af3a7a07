//! Changing the config file: add, replace and remove roles while keeping the user's comments
//! and layout (`toml_edit`), each key written as the schema ([`super::schema`]) describes it. Every change takes the advisory lock, re-reads the file under
//! it, refuses to touch a file that does not parse, validates the result and replaces the
//! file atomically.

use std::path::{Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use super::model::{Config, Role};
use super::schema::{Key, ROLE_KEYS, Slot};
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
        push_role(doc, role, path)
    })
}

/// Adds, in one write under the lock, the roles that `choose` picks after looking at the
/// config as it is in the file at that moment (an import: what is there already is not
/// added again). `choose` also returns what the caller wants to know of its choice. The
/// file is not written when nothing is added.
pub fn add_roles<T>(
    path: &Path,
    choose: impl FnOnce(&Config) -> (Vec<Role>, T),
) -> Result<T, ConfigError> {
    edit(path, |config, doc| {
        let (roles, chosen) = choose(config);
        for role in &roles {
            push_role(doc, role, path)?;
        }
        Ok(chosen)
    })
}

/// Appends `role` as a new `[[roles]]` table.
fn push_role(doc: &mut DocumentMut, role: &Role, path: &Path) -> Result<(), ConfigError> {
    // Text after the last item (a header comment in a file with no tables yet) stays
    // above the first role instead of drifting below it.
    let first_role = doc.get("roles").is_none();
    let trailing = doc.trailing().as_str().unwrap_or_default().to_string();
    let mut table = role_table(role);
    if first_role && !trailing.trim().is_empty() {
        table.decor_mut().set_prefix(trailing);
        doc.set_trailing("");
    }
    roles_table_array(doc, path)?.push(table);
    Ok(())
}

/// Saves an edit of a role: `original` is the role as the user saw it, `edited` as they left
/// it. Only the fields they changed are applied, onto the role as it is in the file now, so
/// that a change made meanwhile by another process to another field is kept. Only the keys
/// whose value changes are rewritten, keeping the place and comments of the rest.
pub fn replace_role(path: &Path, original: &Role, edited: &Role) -> Result<(), ConfigError> {
    edit(path, |config, doc| {
        if edited.name != original.name && config.roles.iter().any(|r| r.name == edited.name) {
            return Err(ConfigError::NameTaken {
                path: path.to_path_buf(),
                name: edited.name.clone(),
            });
        }
        let index = position(config, &original.name, path)?;
        let current = &config.roles[index];
        let merged = merge_edit(current, original, edited);
        let array = roles_table_array(doc, path)?;
        let table = array
            .get_mut(index)
            .ok_or_else(|| not_found(path, &original.name))?;
        fill_table(table, &merged, Some(current));
        Ok(())
    })
}

/// `current` with every key that differs between `original` and `edited` taken from `edited`.
fn merge_edit(current: &Role, original: &Role, edited: &Role) -> Role {
    let mut merged = current.clone();
    for key in ROLE_KEYS.iter().filter(|k| !k.same(original, edited)) {
        key.copy(edited, &mut merged);
    }
    merged
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
    // A config that is a symlink (dotfiles managers) is written through, not replaced; a
    // link to nothing is refused rather than replaced by a file.
    refuse_dangling_link(path)?;
    let resolved = fsutil::resolve_symlinks(path);
    let path = resolved.as_path();
    let write_error = |source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = fsutil::parent_dir(path);
    fsutil::create_dirs(dir).map_err(write_error)?;
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
    if new_text != text {
        load::parse(&new_text, path)?;
        fsutil::write_atomic(path, new_text.as_bytes(), None).map_err(write_error)?;
    }
    Ok(result)
}

/// An error when `path` is a symbolic link whose target does not exist.
fn refuse_dangling_link(path: &Path) -> Result<(), ConfigError> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || path.exists() {
        return Ok(());
    }
    let target = std::fs::read_link(path).unwrap_or_default();
    Err(ConfigError::DanglingLink {
        path: path.to_path_buf(),
        target,
    })
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
    fill_table(&mut table, role, None);
    table
}

/// The TOML value of `key` in `role` (`None`: the key is left out).
fn item(key: &Key<Role>, role: &Role) -> Option<Item> {
    match &key.slot {
        Slot::Text(lens, _) => Some(value((lens.get)(role).as_str())),
        Slot::OptText(lens, _) => (lens.get)(role).as_deref().map(value),
        Slot::Duration(lens, _) => (lens.get)(role).map(|d| value(duration::format(u64::from(d)))),
        Slot::List(lens, _) => {
            let items = (lens.get)(role);
            (!items.is_empty()).then(|| value(items.iter().collect::<Array>()))
        }
        Slot::Bool(lens) => (*(lens.get)(role)).then(|| value(true)),
        Slot::OptBool(lens) => (*(lens.get)(role)).map(value),
    }
}

/// Writes the keys of `role` into `table`; keys the role does not set are removed. With
/// `previous` (what the table holds now), keys whose value does not change are left alone.
fn fill_table(table: &mut Table, role: &Role, previous: Option<&Role>) {
    for key in ROLE_KEYS {
        if previous.is_some_and(|previous| key.same(previous, role)) {
            continue;
        }
        match item(key, role) {
            Some(item) => match table.get_mut(key.toml) {
                Some(existing) if existing.is_value() => {
                    let decor = existing.as_value().map(|v| v.decor().clone());
                    *existing = item;
                    if let (Some(decor), Some(v)) = (decor, existing.as_value_mut()) {
                        *v.decor_mut() = decor;
                    }
                }
                _ => {
                    table.insert(key.toml, item);
                }
            },
            None => {
                table.remove(key.toml);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> Role {
        Role::sample(name)
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
        let big = load::parse(&text, &path).unwrap().roles[0].clone();
        let mut favourite = big.clone();
        favourite.favorite = true;
        replace_role(&path, &big, &favourite).unwrap();
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

    #[test]
    fn an_edit_keeps_changes_made_meanwhile_to_other_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        add_role(&path, &role("A")).unwrap();
        let seen = load::parse(&std::fs::read_to_string(&path).unwrap(), &path)
            .unwrap()
            .roles[0]
            .clone();
        // Someone else sets a duration (written their way) and an external ID meanwhile.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            format!("{text}duration = 3600 # by hand\nexternal_id = \"ext-1\"\n"),
        )
        .unwrap();
        let mut edited = seen.clone();
        edited.favorite = true;
        edited.region = Some("eu-west-1".into());
        replace_role(&path, &seen, &edited).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("duration = 3600 # by hand"), "{text}");
        assert!(text.contains("external_id = \"ext-1\""), "{text}");
        assert!(text.contains("favorite = true"), "{text}");
        assert!(text.contains("region = \"eu-west-1\""), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_is_refused_and_left_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("dotfiles/config.toml");
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = add_role(&link, &role("A")).unwrap_err();
        assert!(matches!(err, ConfigError::DanglingLink { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("dotfiles/config.toml"), "{message}");
        assert!(message.contains("does not exist"), "{message}");
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_symlink(), "the link is still a link");
        assert!(!target.exists() && !dir.path().join("dotfiles").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_config_is_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles/config.toml");
        std::fs::create_dir_all(real.parent().unwrap()).unwrap();
        std::fs::write(&real, "# mine\n").unwrap();
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        add_role(&link, &role("A")).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let text = std::fs::read_to_string(&real).unwrap();
        assert!(
            text.starts_with("# mine\n") && text.contains("name = \"A\""),
            "{text}"
        );
    }
}
