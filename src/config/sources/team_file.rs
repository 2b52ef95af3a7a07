//! Reading one team roles file leniently: its `[[roles]]` tables through the same schema and
//! checks as the user's own (the loader's [`Checker`]), but a bad role is set aside with its
//! reason instead of failing the file; only a file that is not TOML at all (or whose
//! `roles` are not tables) fails. Pure: the text is given.

use std::collections::HashMap;
use std::path::Path;

use crate::config::ConfigError;
use crate::config::load::{Checker, Lines, Value, parse_document, read_role};
use crate::config::model::Role;

/// What a team file holds.
#[derive(Debug, Default)]
pub(super) struct TeamFile {
    /// The valid roles, each with the column of its `[[roles]]` header.
    pub roles: Vec<(Role, usize)>,
    /// Why each left-out role is left out (`file:line:column: ...`).
    pub bad_roles: Vec<String>,
    /// Tables a team file does not hold (`[defaults]`, `[[sources]]`...), by place.
    pub ignored: Vec<String>,
}

/// Reads the team file `text` (named `path` in messages).
pub(super) fn read(text: &str, path: &Path) -> Result<TeamFile, ConfigError> {
    let lines = Lines::new(text);
    let doc = parse_document(text, path, &lines)?;
    let mut checker = Checker {
        path,
        lines,
        role: None,
    };
    let mut file = TeamFile::default();
    let mut raw_roles: &[Value] = &[];
    for (name, value) in doc.get_ref() {
        if name.get_ref() == "roles" {
            match value.get_ref().as_array() {
                Some(items) => raw_roles = items,
                None => {
                    let message = "must be [[roles]] tables".to_string();
                    return Err(checker.invalid(value.span().start, "roles", message));
                }
            }
        } else {
            let (line, column) = checker.lines.position(name.span().start);
            file.ignored.push(format!(
                "{}:{line}:{column}: `{}` is not read from a team source (it holds [[roles]] only)",
                path.display(),
                name.get_ref()
            ));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(raw_roles.len());
    for raw in raw_roles {
        let column = checker.lines.position(raw.span().start).1;
        match read_role(&mut checker, raw) {
            Ok(role) => {
                if let Some(&first_line) = seen.get(&role.name) {
                    file.bad_roles.push(format!(
                        "{}:{}:{column}: the display name \"{}\" is used twice in the file \
                         (first at line {first_line})",
                        path.display(),
                        role.line,
                        role.name
                    ));
                    continue;
                }
                seen.insert(role.name.clone(), role.line);
                file.roles.push((role, column));
            }
            Err(e) => file.bad_roles.push(e.to_string()),
        }
    }
    Ok(file)
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

    #[test]
    fn text_that_is_not_toml_fails_the_file() {
        let err = read_str("[[roles]]\nname = \"x\n").unwrap_err();
        assert!(matches!(err, ConfigError::Parse { line: 2, .. }), "{err:?}");
        assert!(read_str("roles = 3\n").is_err());
    }
}
