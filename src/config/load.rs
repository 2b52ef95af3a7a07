//! Reading the config file: where it lives, parsing, and validating every key with an error
//! that names the file, the line, the role and the key. Never writes anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::model::{Config, Defaults, Role};
use super::snapshot::{self, FileStamp};
use super::{ConfigError, color, duration, validate};

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

/// Loads the config at `path`; a missing file is an empty list, not an error. An unchanged
/// file is read from its snapshot (see [`snapshot`]) instead of being parsed again.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let stamp = FileStamp::of(path);
    if let Some((defaults, roles)) = stamp.as_ref().and_then(|s| snapshot::read(path, s)) {
        return Ok(Config {
            path: path.to_path_buf(),
            exists: true,
            defaults,
            roles,
        });
    }
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let config = parse(&text, path)?;
            if let Some(stamp) = stamp {
                snapshot::write(path, stamp, &config.defaults, &config.roles);
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

/// A string or a number, so that a wrong type gets a message of our own.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Integer(i64),
}

type Field<T> = Option<Spanned<T>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    defaults: Option<RawDefaults>,
    #[serde(default)]
    roles: Vec<Spanned<RawRole>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    source_profile: Field<String>,
    region: Field<String>,
    duration: Field<Scalar>,
    session_name: Field<String>,
    mfa_serial: Field<String>,
    mfa_session_duration: Field<Scalar>,
    partition: Field<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    name: Field<String>,
    account_id: Field<Scalar>,
    role_name: Field<String>,
    color: Field<String>,
    region: Field<String>,
    external_id: Field<String>,
    mfa_serial: Field<String>,
    source_profile: Field<String>,
    duration: Field<Scalar>,
    session_name: Field<String>,
    tags: Field<Vec<String>>,
    favorite: Option<bool>,
}

/// Byte offsets of line starts, to turn spans into line and column numbers quickly.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
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
struct Checker<'a> {
    path: &'a Path,
    lines: Lines<'a>,
    role: Option<String>,
}

impl Checker<'_> {
    fn invalid(&self, offset: usize, key: &str, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: self.lines.line(offset),
            role: self.role.clone(),
            key: key.to_string(),
            message,
        }
    }

    fn text(
        &self,
        field: Field<String>,
        key: &str,
        rule: fn(&str) -> Result<(), String>,
    ) -> Result<Option<String>, ConfigError> {
        let Some(field) = field else { return Ok(None) };
        let offset = field.span().start;
        let value = field.into_inner();
        rule(&value).map_err(|m| self.invalid(offset, key, m))?;
        Ok(Some(value))
    }

    fn duration(
        &self,
        field: Field<Scalar>,
        key: &str,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<Option<u32>, ConfigError> {
        let Some(field) = field else { return Ok(None) };
        let offset = field.span().start;
        let seconds = match field.into_inner() {
            Scalar::Integer(n) => u32::try_from(n).map_err(|_| format!("{n} is not a duration")),
            Scalar::Text(text) => duration::parse(&text),
        }
        .and_then(|s| validate::duration_in(s, range).map(|()| s))
        .map_err(|m| self.invalid(offset, key, m))?;
        Ok(Some(seconds))
    }
}

/// Parses and validates config text; `path` is only used in messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let lines = Lines::new(text);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| lines.position(span.start));
        let message = e.message().trim();
        // Type errors do not name the key; the line they point at does.
        let message = match key_on_line(text, line) {
            Some(key) if !message.contains(&format!("`{key}`")) => format!("`{key}`: {message}"),
            _ => message.to_string(),
        };
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    })?;
    let mut checker = Checker {
        path,
        lines,
        role: None,
    };
    let defaults = match raw.defaults {
        Some(raw) => read_defaults(&checker, raw)?,
        None => Defaults::default(),
    };
    let mut roles = Vec::with_capacity(raw.roles.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(raw.roles.len());
    for raw_role in raw.roles {
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
    })
}

/// The key assigned on 1-based `line`, if it is a `key = value` line.
fn key_on_line(text: &str, line: usize) -> Option<&str> {
    let (key, _) = text.lines().nth(line.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim();
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then_some(key)
}

fn read_defaults(c: &Checker, raw: RawDefaults) -> Result<Defaults, ConfigError> {
    Ok(Defaults {
        source_profile: c.text(raw.source_profile, "source_profile", validate::profile_name)?,
        region: c.text(raw.region, "region", validate::region)?,
        duration: c.duration(raw.duration, "duration", validate::ROLE_DURATION_RANGE)?,
        session_name: c.text(raw.session_name, "session_name", validate::session_name)?,
        mfa_serial: c.text(raw.mfa_serial, "mfa_serial", validate::mfa_serial)?,
        mfa_session_duration: c.duration(
            raw.mfa_session_duration,
            "mfa_session_duration",
            validate::MFA_DURATION_RANGE,
        )?,
        partition: c.text(raw.partition, "partition", validate::partition)?,
    })
}

fn read_role(c: &mut Checker, raw: Spanned<RawRole>) -> Result<Role, ConfigError> {
    let header = raw.span().start;
    let line = c.lines.line(header);
    let raw = raw.into_inner();
    c.role = None;
    let name = c
        .text(raw.name, "name", validate::display_name)?
        .ok_or_else(|| {
            c.invalid(
                header,
                "name",
                "is missing: every role needs a display name".into(),
            )
        })?;
    c.role = Some(name.clone());
    let account_id = match raw.account_id {
        None => return Err(c.invalid(header, "account_id", "is missing".into())),
        Some(field) => {
            let offset = field.span().start;
            match field.into_inner() {
                Scalar::Text(id) => {
                    validate::account_id(&id).map_err(|m| c.invalid(offset, "account_id", m))?;
                    id
                }
                Scalar::Integer(_) => {
                    let message = "must be text in quotes, like \"012345678901\": as a number \
                                   it would lose leading zeros";
                    return Err(c.invalid(offset, "account_id", message.into()));
                }
            }
        }
    };
    let role_name = c
        .text(raw.role_name, "role_name", validate::role_name)?
        .ok_or_else(|| c.invalid(header, "role_name", "is missing".into()))?;
    let color = c.text(raw.color, "color", |v| color::parse(v).map(|_| ()))?;
    let tags = match raw.tags {
        None => Vec::new(),
        Some(field) => {
            let offset = field.span().start;
            let tags = field.into_inner();
            for tag in &tags {
                validate::tag(tag).map_err(|m| c.invalid(offset, "tags", m))?;
            }
            tags
        }
    };
    Ok(Role {
        name,
        account_id,
        role_name,
        color,
        region: c.text(raw.region, "region", validate::region)?,
        external_id: c.text(raw.external_id, "external_id", validate::external_id)?,
        mfa_serial: c.text(raw.mfa_serial, "mfa_serial", validate::mfa_serial)?,
        source_profile: c.text(raw.source_profile, "source_profile", validate::profile_name)?,
        duration: c.duration(raw.duration, "duration", validate::ROLE_DURATION_RANGE)?,
        session_name: c.text(raw.session_name, "session_name", validate::session_name)?,
        tags,
        favorite: raw.favorite.unwrap_or(false),
        line,
    })
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
