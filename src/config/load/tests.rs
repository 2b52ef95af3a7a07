//! The loader's tests: reading, errors with their places, damaged files, and the plain
//! reader held to the full parse on generated and damaged files.

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
    let err = parse_str("[[roles]]\nname = \"A\"\naccount_id = 12345678901\nrole_name = \"R\"\n")
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
pub(in crate::config) struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Damages valid text in one of several ways.
pub(in crate::config) fn mutate(text: &str, rng: &mut XorShift) -> String {
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
    let example = include_str!("../../../config.example.toml");
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
                ConfigError::Parse { line, .. } | ConfigError::Invalid { line, .. } => *line >= 1,
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
