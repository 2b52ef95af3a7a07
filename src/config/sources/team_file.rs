//! Reading one team roles file leniently: its `[[roles]]` tables through the same schema and
//! checks as the user's own (the loader's [`Checker`]), but a bad role is set aside with its
//! reason instead of failing the file; only a file that is not TOML at all (or whose
//! `roles` are not tables) fails. Pure: the text is given.

use std::collections::hash_map::Entry;
use std::path::Path;

use toml::Spanned;
use toml::de::DeValue;

use crate::config::ConfigError;
use crate::config::load::{Checker, Lines, SeenNames, Table, name_of, parse_document, read_role};
use crate::config::plain::{self, Section};

/// What a team file holds.
#[derive(Debug, Default, PartialEq)]
pub(super) struct TeamFile {
    /// The valid roles, each with the column of its `[[roles]]` header.
    pub roles: Vec<(crate::config::Role, usize)>,
    /// Why each left-out role is left out (`file:line:column: ...`).
    pub bad_roles: Vec<String>,
    /// Tables a team file does not hold (`[defaults]`, `[[sources]]`...), by place.
    pub ignored: Vec<String>,
}

/// Reads the team file `text` (named `path` in messages): by the plain reader when the file
/// is plain TOML holding only valid `[[roles]]`, else in full (which words every problem).
pub(super) fn read(text: &str, path: &Path) -> Result<TeamFile, ConfigError> {
    match read_plain(text, path) {
        Some(file) => Ok(file),
        None => read_full(text, path),
    }
}

/// The file read by the plain reader; `None` when it is not plain, holds anything but
/// `[[roles]]`, or has a role to set aside.
fn read_plain(text: &str, path: &Path) -> Option<TeamFile> {
    let mut checker = Checker::new(path, Lines::new(text));
    let mut roles = TeamRoles::new(Vec::new(), plain::roles_at_most(text));
    plain::read(text, |section, table| {
        (section == Section::Role).then_some(())?;
        roles.add(&mut checker, &table);
        roles.file.bad_roles.is_empty().then_some(())
    })?;
    Some(roles.file)
}

/// The file parsed in full by the `toml` crate.
fn read_full(text: &str, path: &Path) -> Result<TeamFile, ConfigError> {
    let lines = Lines::new(text);
    let doc = parse_document(text, path, &lines)?;
    let mut checker = Checker::new(path, lines);
    let mut ignored = Vec::new();
    let mut raw_roles: &[Spanned<DeValue>] = &[];
    for (name, value) in doc.get_ref() {
        if name.get_ref() == "roles" {
            raw_roles = checker.array(value, "roles", "must be [[roles]] tables")?;
        } else {
            let (line, column) = checker.lines.position(name.span().start);
            ignored.push(format!(
                "{}:{line}:{column}: `{}` is not read from a team source (it holds [[roles]] only)",
                path.display(),
                name.get_ref()
            ));
        }
    }
    let mut roles = TeamRoles::new(ignored, raw_roles.len());
    for raw in raw_roles {
        roles.add(&mut checker, &Table::Parsed(raw));
    }
    Ok(roles.file)
}

/// A team file's roles as they are read: a bad one, or one whose name an earlier one has,
/// is set aside with its reason.
struct TeamRoles<'t> {
    file: TeamFile,
    /// The line of each name's role.
    seen: SeenNames<'t>,
}

impl<'t> TeamRoles<'t> {
    fn new(ignored: Vec<String>, capacity: usize) -> Self {
        let file = TeamFile {
            roles: Vec::with_capacity(capacity),
            bad_roles: Vec::new(),
            ignored,
        };
        let seen = SeenNames::with_capacity_and_hasher(capacity, Default::default());
        TeamRoles { file, seen }
    }

    fn add(&mut self, checker: &mut Checker<'t>, table: &Table<'_, 't>) {
        let column = table.place(&checker.lines).1;
        match read_role(checker, table) {
            Ok(role) => match self.seen.entry(name_of(table, &role)) {
                Entry::Occupied(first) => self.file.bad_roles.push(format!(
                    "{}:{}:{column}: the display name \"{}\" is used twice in the file \
                     (first at line {})",
                    checker.path.display(),
                    role.line,
                    role.name,
                    first.get()
                )),
                Entry::Vacant(slot) => {
                    slot.insert(role.line);
                    self.file.roles.push((role, column));
                }
            },
            Err(e) => self.file.bad_roles.push(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<TeamFile, ConfigError> {
        read(text, Path::new("/team/roles.toml"))
    }

    #[test]
    fn a_bad_role_is_set_aside_and_the_others_read() {
        let text = "[defaults]\nregion = \"eu-west-1\"\n\n\
                    [[roles]]\nname = \"Good\"\naccount_id = \"111122223333\"\nrole_name = \"A\"\n\n\
                    [[roles]]\nname = \"Bad\"\naccount_id = \"1\"\nrole_name = \"A\"\n\n\
                    [[roles]]\nname = \"Good\"\naccount_id = \"111122223333\"\nrole_name = \"B\"\n";
        let file = read_str(text).unwrap();
        assert_eq!(file.roles.len(), 1);
        assert_eq!(file.roles[0].0.name, "Good");
        assert_eq!(file.bad_roles.len(), 2, "{:?}", file.bad_roles);
        assert!(
            file.bad_roles[0].starts_with("/team/roles.toml:11:14: role \"Bad\""),
            "{}",
            file.bad_roles[0]
        );
        assert!(
            file.bad_roles[1].contains("used twice"),
            "{:?}",
            file.bad_roles
        );
        assert_eq!(file.ignored.len(), 1);
        assert!(
            file.ignored[0].starts_with("/team/roles.toml:1:2:"),
            "{:?}",
            file.ignored
        );
    }

    /// The plain reader, where it answers, answers as the full parse: on generated team
    /// files (and config files, whose other tables it leaves to the full parse), plain and
    /// damaged.
    #[test]
    fn the_plain_path_reads_team_files_as_the_full_parse_does() {
        use crate::config::load::plain_files::plain_file;
        use crate::config::load::tests::{XorShift, mutate};
        let path = Path::new("/team/roles.toml");
        let mut rng = XorShift(0x7ea_5eed);
        let (mut plain, mut clean_team, mut clean_team_plain) = (0, 0, 0);
        for round in 0..6_000 {
            let team_form = round % 4 != 0;
            let mut text = plain_file(&mut rng, team_form);
            let clean = round % 2 == 0;
            if !clean {
                text = mutate(&text, &mut rng);
            }
            let full = read_full(&text, path);
            let took = read_plain(&text, path);
            if let Some(file) = &took {
                plain += 1;
                assert_eq!(full.as_ref().ok(), Some(file), "{text:?}");
            }
            if clean && team_form {
                clean_team += 1;
                clean_team_plain += usize::from(took.is_some());
            }
            let answer = format!("{:?}", read(&text, path));
            assert_eq!(answer, format!("{full:?}"), "{text:?}");
        }
        println!(
            "team files: 6000 inputs, {plain} read by the plain path; of {clean_team} \
             undamaged team files, {clean_team_plain}"
        );
        assert!(
            clean_team_plain * 4 > clean_team * 3,
            "most take the plain path"
        );
    }

    #[test]
    fn text_that_is_not_toml_fails_the_file() {
        let err = read_str("[[roles]]\nname = \"x\n").unwrap_err();
        assert!(matches!(err, ConfigError::Parse { line: 2, .. }), "{err:?}");
        assert!(read_str("roles = 3\n").is_err());
    }
}
