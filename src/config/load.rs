//! Reading the config file: where it lives, parsing, and validating every key through the
//! schema ([`super::schema`]) with an error that names the file, the line, the role and the
//! key. Never writes the config; a parsed file gets its team sources' roles merged in
//! ([`sources`]) and is handed to [`snapshot`] for the next run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::{Config, Defaults, Role};
use super::schema::{DEFAULT_KEYS, Key, ROLE_KEYS, Slot};
use super::snapshot::{self, FileStamp};
use super::sources::{self, Team};
use super::{ConfigError, validate};
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

/// Byte offsets of line starts, to turn spans into line and column numbers quickly.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(super) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    fn line(&self, offset: usize) -> usize {
        self.position(offset).0
    }
}

/// Validation context: the file, its lines, and which role (if any) is being read.
pub(super) struct Checker<'a> {
    pub(super) path: &'a Path,
    pub(super) lines: Lines<'a>,
    pub(super) role: Option<String>,
}

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

impl Checker<'_> {
    pub(super) fn invalid(&self, offset: usize, key: &str, message: String) -> ConfigError {
        let (line, column) = self.lines.position(offset);
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            role: self.role.clone(),
            key: escape_controls(key).into_owned(),
            message,
        }
    }

    /// `value` as a table, else an error saying how `key` is written.
    pub(super) fn table<'v, 'i>(
        &self,
        value: &'v Value<'i>,
        key: &str,
    ) -> Result<&'v DeTable<'i>, ConfigError> {
        value.get_ref().as_table().ok_or_else(|| {
            let how = match key {
                "roles" => "[[roles]]",
                "sources" => "[[sources]]",
                _ => "[defaults]",
            };
            self.invalid(
                value.span().start,
                key,
                format!("must be a table, written {how}"),
            )
        })
    }

    /// Fills `record` from `table`: every key must be one of `keys`, and every value valid.
    pub(super) fn record<R: 'static>(
        &self,
        keys: &'static [Key<R>],
        table: &DeTable,
        record: &mut R,
    ) -> Result<(), ConfigError> {
        // In file order, so that the first mistake is the one reported.
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_unstable_by_key(|(name, _)| name.span().start);
        for (name, value) in entries {
            let Some(key) = keys.iter().find(|k| k.toml == name.get_ref().as_ref()) else {
                let known: Vec<&str> = keys.iter().map(|k| k.toml).collect();
                let message = format!("is not a key here (the keys are: {})", known.join(", "));
                return Err(self.invalid(name.span().start, name.get_ref(), message));
            };
            read_value(key, record, value.get_ref())
                .map_err(|m| self.invalid(value.span().start, key.toml, m))?;
        }
        Ok(())
    }
}

/// Checks a TOML value by the key's kind and stores it in `record`.
fn read_value<R>(key: &Key<R>, record: &mut R, value: &DeValue) -> Result<(), String> {
    match (&key.slot, value) {
        (Slot::Text(..) | Slot::OptText(..) | Slot::Duration(..), DeValue::String(text)) => {
            key.set_text(record, text)
        }
        (Slot::Duration(..), DeValue::Integer(n)) => {
            let text = i64::from_str_radix(n.as_str(), n.radix())
                .map_or_else(|_| n.as_str().to_string(), |n| n.to_string());
            key.set_text(record, &text)
        }
        (Slot::List(..), DeValue::Array(items)) => {
            let texts: Option<Vec<String>> = items
                .iter()
                .map(|item| item.get_ref().as_str().map(str::to_string))
                .collect();
            key.set_items(record, texts.ok_or_else(|| type_error(key))?)
        }
        (Slot::Bool(..) | Slot::OptBool(..), DeValue::Boolean(flag)) => {
            key.set_text(record, &flag.to_string())
        }
        _ => Err(type_error(key)),
    }
}

/// What a value of the wrong type for `key` should look like.
fn type_error<R>(key: &Key<R>) -> String {
    if let Some(note) = key.type_note {
        return note.to_string();
    }
    match key.slot {
        Slot::Text(..) | Slot::OptText(..) => {
            format!("must be text in quotes, like \"{}\"", key.example)
        }
        Slot::Duration(..) => "must be a duration like \"1h\" or \"45m\", or seconds".into(),
        Slot::List(..) => format!("must be a list of texts, like [\"{}\"]", key.example),
        Slot::Bool(..) | Slot::OptBool(..) => "must be true or false".into(),
    }
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
/// entries are read, not their files (that is [`load`]'s business).
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let lines = Lines::new(text);
    let doc = parse_document(text, path, &lines)?;
    let doc = doc.get_ref();
    let mut checker = Checker {
        path,
        lines,
        role: None,
    };
    let mut defaults = Defaults::default();
    let mut raw_roles: &[Value] = &[];
    let mut team = Team::default();
    for (name, value) in doc {
        match name.get_ref().as_ref() {
            "defaults" => {
                let table = checker.table(value, "defaults")?;
                checker.record(DEFAULT_KEYS, table, &mut defaults)?;
            }
            "roles" => match value.get_ref().as_array() {
                Some(items) => raw_roles = items,
                None => {
                    return Err(checker.invalid(
                        value.span().start,
                        "roles",
                        "must be [[roles]] tables".into(),
                    ));
                }
            },
            "sources" => team.sources = sources::read_entries(&mut checker, value)?,
            other => {
                let message = "is not a section of the config (there are [defaults], \
                               [[roles]] and [[sources]])";
                return Err(checker.invalid(name.span().start, other, message.into()));
            }
        }
    }
    let mut roles = Vec::with_capacity(raw_roles.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(raw_roles.len());
    for raw_role in raw_roles {
        let role = read_role(&mut checker, raw_role)?;
        if let Some(&first_line) = seen.get(&role.name) {
            return Err(ConfigError::DuplicateName {
                path: path.to_path_buf(),
                name: role.name,
                first_line,
                second_line: role.line,
            });
        }
        seen.insert(role.name.clone(), role.line);
        roles.push(role);
    }
    Ok(Config {
        path: path.to_path_buf(),
        exists: true,
        defaults,
        roles,
        team,
    })
}

pub(super) fn read_role(c: &mut Checker, raw: &Value) -> Result<Role, ConfigError> {
    let header = raw.span().start;
    c.role = None;
    let table = c.table(raw, "roles")?;
    // A valid name first, so that every message about the other keys names the role.
    c.role = table
        .get("name")
        .and_then(|name| name.get_ref().as_str())
        .filter(|name| validate::display_name(name).is_ok())
        .map(str::to_string);
    let mut role = Role {
        line: c.lines.line(header),
        ..Role::default()
    };
    c.record(ROLE_KEYS, table, &mut role)?;
    if let Some(key) = ROLE_KEYS
        .iter()
        .find(|k| k.required() && !table.contains_key(k.toml))
    {
        let message = format!("is missing (like {} = \"{}\")", key.toml, key.example);
        return Err(c.invalid(header, key.toml, message));
    }
    Ok(role)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, ConfigError> {
        parse(text, Path::new("/tmp/config.toml"))
    }

    #[test]
    fn reads_defaults_and_roles() {
        let config = parse_str(
            r#"
[defaults]
region = "eu-west-1"
duration = "45m"

[[roles]]
name = "Client A"
account_id = "012345678901"
role_name = "Admin"
tags = ["prod"]
favorite = true
"#,
        )
        .unwrap();
        assert_eq!(config.defaults.duration, Some(2700));
        assert_eq!(config.roles[0].account_id, "012345678901");
        assert_eq!(config.roles[0].line, 6);
        assert!(config.roles[0].favorite);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let err = parse_str("[[roles]]\nname = \"x\nrole = 1\n").unwrap_err();
        let ConfigError::Parse { line, column, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (line, column),
            (2, 10),
            "the end of the unterminated string"
        );
    }

    #[test]
    fn integer_account_id_is_refused_with_a_reason() {
        let err =
            parse_str("[[roles]]\nname = \"A\"\naccount_id = 12345678901\nrole_name = \"R\"\n")
                .unwrap_err()
                .to_string();
        assert!(err.contains("config.toml:3"), "{err}");
        assert!(err.contains("\"A\""), "{err}");
        assert!(err.contains("account_id"), "{err}");
        assert!(err.contains("leading zeros"), "{err}");
    }

    #[test]
    fn unknown_keys_are_reported() {
        let err = parse_str("[[roles]]\nname = \"A\"\nacount_id = \"123456789012\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("acount_id"), "{err}");
        assert!(err.contains(":3:"), "{err}");
    }

    #[test]
    fn duplicate_names_give_both_lines() {
        let role = "[[roles]]\nname = \"A\"\naccount_id = \"123456789012\"\nrole_name = \"R\"\n";
        let err = parse_str(&format!("{role}{role}")).unwrap_err();
        let ConfigError::DuplicateName {
            first_line,
            second_line,
            ..
        } = err
        else {
            panic!("{err:?}")
        };
        assert_eq!((first_line, second_line), (1, 5));
    }

    /// A small deterministic generator, so failures can be replayed.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Damages valid text in one of several ways.
    fn mutate(text: &str, rng: &mut XorShift) -> String {
        let mut bytes = text.as_bytes().to_vec();
        for _ in 0..=rng.below(4) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.below(bytes.len());
            match rng.below(6) {
                0 => bytes[at] = rng.next() as u8,
                1 => {
                    bytes.remove(at);
                }
                2 => bytes.insert(at, b"\"[]=#\n{},.'"[rng.below(10)]),
                3 => bytes.truncate(at),
                4 => {
                    let end = (at + rng.below(40)).min(bytes.len());
                    let chunk = bytes[at..end].to_vec();
                    let to = rng.below(bytes.len());
                    bytes.splice(to..to, chunk);
                }
                _ => bytes.insert(at, 0xC3),
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The loader never panics on damaged input, and every error points at a line.
    #[test]
    fn damaged_files_never_panic_and_errors_name_a_line() {
        let example = include_str!("../../config.example.toml");
        let mut rng = XorShift(0x5eed_cafe_f00d);
        let mut errors = 0;
        for round in 0..20_000 {
            let text = if round % 10 == 0 {
                (0..rng.below(200))
                    .map(|_| rng.next() as u8 as char)
                    .collect()
            } else {
                mutate(example, &mut rng)
            };
            if let Err(err) = parse_str(&text) {
                errors += 1;
                let message = err.to_string();
                let names_a_line = match &err {
                    ConfigError::Parse { line, .. } | ConfigError::Invalid { line, .. } => {
                        *line >= 1
                    }
                    ConfigError::DuplicateName { first_line, .. } => *first_line >= 1,
                    _ => false,
                };
                assert!(names_a_line, "round {round}: {message}");
                assert!(message.contains("config.toml:"), "round {round}: {message}");
            }
        }
        assert!(errors > 5_000, "the mutations do break files ({errors})");
    }

    #[test]
    fn unicode_names_and_ten_thousand_roles() {
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&format!(
                "[[roles]]\nname = \"Client Ωμέγα 東京 {i}\"\naccount_id = \"{:012}\"\nrole_name = \"Admin\"\n",
                i
            ));
        }
        let config = parse_str(&text).unwrap();
        assert_eq!(config.roles.len(), 10_000);
        assert_eq!(config.roles[9_999].name, "Client Ωμέγα 東京 9999");
        assert_eq!(config.roles[9_999].line, 9_999 * 4 + 1);
        let err = parse_str("[[roles]]\nname = \"東京\"\naccount_id = \"1\"\n").unwrap_err();
        assert!(err.to_string().contains("role \"東京\""), "{err}");
    }
}
