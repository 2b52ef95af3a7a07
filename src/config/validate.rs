//! Validation rules for every config value (SPEC 2), shared by the loader, `add` and the TUI
//! form through the role schema. Each rule returns `Err(reason)` in plain words; callers add
//! the file, role and key. A bad value is quoted with its control characters escaped
//! (SPEC 10), and no rule lets a control character through.

use crate::untrusted::{escape_controls, is_hidden};

/// `value` in double quotes, safe to print.
pub fn quoted(value: &str) -> String {
    format!("\"{}\"", escape_controls(value))
}

/// Refuses the characters that are never valid in a value: controls, and the invisible ones
/// that hide or reorder text. The zero-width joiners (U+200C, U+200D) stay allowed: emoji
/// and several scripts need them.
fn visible(value: &str) -> Result<(), String> {
    if is_printable_ascii(value) {
        return Ok(()); // the usual case hides nothing
    }
    let refused = |c: &char| is_hidden(*c) && !matches!(c, '\u{200C}' | '\u{200D}');
    match value.chars().find(refused) {
        Some(c) => Err(format!(
            "must not contain control or invisible characters ({} in {})",
            escape_controls(c.encode_utf8(&mut [0; 4])),
            quoted(value)
        )),
        None => Ok(()),
    }
}

fn is_printable_ascii(value: &str) -> bool {
    value.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// ASCII letters, digits, underscore (AWS's `\w`) and the ASCII `extra`, as a table by byte:
/// the bytes an IAM name, path or ID may hold (checked for every role of a file), or a TOML
/// bare key. A character outside ASCII has no byte in it.
pub(super) const fn word_and(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

static NAME_CHARS: [bool; 256] = word_and(b"+=,.@-");
static PATH_CHARS: [bool; 256] = word_and(b"+=,.@-/");
static ID_CHARS: [bool; 256] = word_and(b"+=,.@:/-");

fn all_chars(value: &str, allowed: &[bool; 256]) -> bool {
    value.bytes().all(|b| allowed[usize::from(b)])
}

fn length_between(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.chars().count())
}

/// `value` without leading and trailing whitespace. Most values (this runs for every role
/// of a file) start and end with a visible ASCII character, and have nothing to trim.
fn trimmed(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}

/// A display name: what the user sees in the list and types on the command line.
pub fn display_name(value: &str) -> Result<(), String> {
    let trimmed = trimmed(value);
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.len() != value.len() {
        return Err("must not start or end with spaces".into());
    }
    visible(value)?;
    // Never more characters than bytes: most names are counted without decoding.
    if value.len() > 64 && value.chars().count() > 64 {
        return Err("must be at most 64 characters".into());
    }
    if looks_like_account_and_role(value) {
        return Err(format!(
            "{} has the form ACCOUNT_ID/ROLE_NAME, by which roles are also named; \
             choose a name that does not start with 12 digits and a slash",
            quoted(value)
        ));
    }
    Ok(())
}

/// True for `123456789012/anything`: the other way a role is named (SPEC 6).
fn looks_like_account_and_role(value: &str) -> bool {
    // Twelve digits hold no slash: the first one is then the thirteenth byte.
    value.as_bytes().get(12) == Some(&b'/')
        && value.get(..12).is_some_and(|a| account_id(a).is_ok())
}

/// A 12-digit AWS account ID, kept as text so leading zeros survive.
pub fn account_id(value: &str) -> Result<(), String> {
    if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("{} is not a 12-digit account ID", quoted(value)))
    }
}

/// A role name, optionally behind an IAM path (`path/to/name`).
pub fn role_name(value: &str) -> Result<(), String> {
    let (path, name) = match value.rsplit_once('/') {
        Some((path, name)) => (Some(path), name),
        None => (None, value),
    };
    // All ASCII once the characters pass, so the length in bytes is the count.
    if !all_chars(name, &NAME_CHARS) || !(1..=64).contains(&name.len()) {
        return Err(format!(
            "{} is not a role name (1-64 of letters, digits and +=,.@_-)",
            quoted(value)
        ));
    }
    if let Some(path) = path {
        let path_ok = !path.is_empty() && path.len() <= 510 && all_chars(path, &PATH_CHARS);
        if !path_ok {
            return Err(format!(
                "{} has an invalid IAM path before the role name",
                quoted(value)
            ));
        }
    }
    Ok(())
}

/// An STS role session name.
pub fn session_name(value: &str) -> Result<(), String> {
    if length_between(value, 2, 64) && all_chars(value, &NAME_CHARS) {
        Ok(())
    } else {
        Err(format!(
            "{} is not a session name (2-64 of letters, digits and +=,.@_-)",
            quoted(value)
        ))
    }
}

/// An STS ExternalId.
pub fn external_id(value: &str) -> Result<(), String> {
    if length_between(value, 2, 1224) && all_chars(value, &ID_CHARS) {
        Ok(())
    } else {
        Err("is not a valid external ID (2-1224 of letters, digits and +=,.@:/_-)".into())
    }
}

/// An MFA device: a virtual device ARN or a hardware serial number.
pub fn mfa_serial(value: &str) -> Result<(), String> {
    if value.starts_with("arn:") {
        let parts: Vec<&str> = value.splitn(6, ':').collect();
        let valid = parts.len() == 6
            && partition(parts[1]).is_ok()
            && parts[2] == "iam"
            && parts[3].is_empty()
            && account_id(parts[4]).is_ok()
            && parts[5]
                .strip_prefix("mfa/")
                .is_some_and(|name| !name.is_empty() && all_chars(name, &PATH_CHARS));
        return if valid {
            Ok(())
        } else {
            Err(format!(
                "{} is not an MFA device ARN (arn:aws:iam::123456789012:mfa/NAME)",
                quoted(value)
            ))
        };
    }
    if length_between(value, 9, 256) && all_chars(value, &ID_CHARS) {
        Ok(())
    } else {
        Err(format!(
            "{} is neither an MFA device ARN nor a hardware serial number",
            quoted(value)
        ))
    }
}

/// An AWS region such as `eu-west-1` or `us-gov-west-1`.
pub fn region(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('-').collect();
    let valid = parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok();
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{} is not an AWS region (like eu-west-1)",
            quoted(value)
        ))
    }
}

/// An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, ...
pub fn partition(value: &str) -> Result<(), String> {
    let valid = value == "aws"
        || value.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{} is not an AWS partition (aws, aws-cn, aws-us-gov)",
            quoted(value)
        ))
    }
}

/// A profile name in `~/.aws/config`.
pub fn profile_name(value: &str) -> Result<(), String> {
    visible(value)?;
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || c == ']') {
        Err(format!("{} is not a profile name", quoted(value)))
    } else {
        Ok(())
    }
}

/// A tag used by the filter.
pub fn tag(value: &str) -> Result<(), String> {
    if trimmed(value).is_empty() {
        return Err("tags must be non-empty text".into());
    }
    visible(value)
}

/// Allowed range of an AssumeRole duration, in seconds.
pub const ROLE_DURATION_RANGE: std::ops::RangeInclusive<u32> = 900..=43_200;
/// Allowed range of an MFA (GetSessionToken) session, in seconds.
pub const MFA_DURATION_RANGE: std::ops::RangeInclusive<u32> = 900..=129_600;

/// Checks a duration already parsed to seconds against its allowed range.
pub fn duration_in(seconds: u32, range: std::ops::RangeInclusive<u32>) -> Result<(), String> {
    if range.contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "{seconds} s is outside the allowed {}..={} s",
            range.start(),
            range.end()
        ))
    }
}

/// Splits a role ARN (`arn:aws:iam::123456789012:role/path/name`) into partition, account ID
/// and role name (with its path).
pub fn split_role_arn(text: &str) -> Option<(String, String, String)> {
    let rest = text.trim().strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let role = resource.strip_prefix("role/")?;
    (partition_ok(partition) && account_id(account).is_ok() && role_name(role).is_ok())
        .then(|| (partition.to_string(), account.to_string(), role.to_string()))
}

/// What an account field holds (`add --account`, the form): a role ARN in `partition` gives
/// its account ID and role name; a role ARN of another partition is refused, since every
/// role of a config is in its `[defaults] partition`; any other text is no ARN (`None`).
pub fn role_arn_in(text: &str, partition: &str) -> Result<Option<(String, String)>, String> {
    match split_role_arn(text) {
        Some((arn_partition, account, role)) if arn_partition == partition => {
            Ok(Some((account, role)))
        }
        Some((arn_partition, ..)) => Err(format!(
            "this ARN is in the partition {arn_partition}, but the config's roles are in \
             {partition} (set `partition` in [defaults])"
        )),
        None => Ok(None),
    }
}

fn partition_ok(value: &str) -> bool {
    partition(value).is_ok()
}

/// `[defaults] credentials`: `"server"` or `"static"`.
pub fn credentials_mode(value: &str) -> Result<(), String> {
    match value {
        "server" | "static" => Ok(()),
        _ => Err(format!(
            "must be \"server\" (renewing credentials from switchrole's server) or \"static\" (exported keys), not {}",
            quoted(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_split() {
        assert_eq!(
            split_role_arn("arn:aws:iam::012345678901:role/ops/Admin"),
            Some(("aws".into(), "012345678901".into(), "ops/Admin".into()))
        );
        assert_eq!(split_role_arn("arn:aws:iam::012345678901:user/bob"), None);
        assert_eq!(split_role_arn("012345678901"), None);
    }

    #[test]
    fn account_ids_keep_leading_zeros_and_need_twelve_digits() {
        assert!(account_id("012345678901").is_ok());
        assert!(account_id("12345678901").is_err());
        assert!(account_id("1234567890123").is_err());
        assert!(account_id("12345678901a").is_err());
    }

    #[test]
    fn role_names_allow_paths() {
        assert!(role_name("Admin").is_ok());
        assert!(role_name("ops/team/Admin+RW").is_ok());
        assert!(role_name("").is_err());
        assert!(role_name("bad name").is_err());
        assert!(role_name("/Admin").is_err());
        assert!(role_name(&"a".repeat(65)).is_err());
        assert!(role_name(&"a".repeat(64)).is_ok());
        assert!(role_name("Adminé").is_err());
        assert!(role_name("ops/é/Admin").is_err());
    }

    /// Display names and tags are checked byte by byte when they are printable ASCII and
    /// by character otherwise: both ways agree on spaces, whitespace and length.
    #[test]
    fn names_are_trimmed_and_counted_by_character() {
        for (value, valid) in [
            ("Acme", true),
            (" Acme", false),
            ("Acme ", false),
            ("   ", false),
            ("", false),
            ("\u{3000}Acme", false),
            ("Acme\u{a0}", false),
            ("Ac me", true),
        ] {
            assert_eq!(display_name(value).is_ok(), valid, "{value:?}");
        }
        assert!(display_name(&"é".repeat(64)).is_ok());
        assert!(display_name(&"é".repeat(65)).is_err());
        assert!(display_name(&"a".repeat(65)).is_err());
        assert!(tag(" ").is_err());
        assert!(tag("\u{2003}").is_err());
        assert!(tag(" a ").is_ok());
    }

    #[test]
    fn session_and_external_ids() {
        assert!(session_name("a").is_err());
        assert!(session_name("alice@example.com").is_ok());
        assert!(session_name(&"a".repeat(65)).is_err());
        assert!(external_id("x").is_err());
        assert!(external_id("client:42/abc").is_ok());
        assert!(external_id("has space").is_err());
    }

    #[test]
    fn mfa_serials() {
        assert!(mfa_serial("arn:aws:iam::123456789012:mfa/alice").is_ok());
        assert!(mfa_serial("arn:aws:iam::12345:mfa/alice").is_err());
        assert!(mfa_serial("arn:aws:iam::123456789012:user/alice").is_err());
        assert!(mfa_serial("GAHT12345678").is_ok());
        assert!(mfa_serial("short").is_err());
    }

    #[test]
    fn regions_and_partitions() {
        assert!(region("eu-west-1").is_ok());
        assert!(region("us-gov-west-1").is_ok());
        assert!(region("europe").is_err());
        assert!(partition("aws-cn").is_ok());
        assert!(partition("azure").is_err());
    }

    /// Issue 9: names that take over `ACCOUNT_ID/ROLE_NAME`, and control or invisible
    /// characters where they can never be valid.
    #[test]
    fn hostile_names_and_characters_are_refused() {
        type Rule = fn(&str) -> Result<(), String>;
        let cases: [(Rule, &str, bool); 15] = [
            (display_name, "123456789012/Admin", false),
            (display_name, "012345678901/anything at all", false),
            (display_name, "123456789012/", false),
            (display_name, "Acme/prod", true),
            (display_name, "1234/Admin", true),
            (display_name, "123456789012 Admin", true),
            (display_name, "Ad\u{2066}min", false),
            (display_name, "Team 👩\u{200d}💻", true),
            (profile_name, "p\u{1b}]0;x\u{7}", false),
            (profile_name, "p\u{85}", false),
            (profile_name, "p\u{7f}", false),
            (profile_name, "prod-base", true),
            (tag, "a\u{202e}b", false),
            (tag, "a\u{200b}b", false),
            (
                mfa_serial,
                "arn:aws\u{1b}[2J:iam::123456789012:mfa/me",
                false,
            ),
        ];
        for (rule, value, valid) in cases {
            assert_eq!(rule(value).is_ok(), valid, "{value:?}: {:?}", rule(value));
        }
    }

    #[test]
    fn bad_values_are_quoted_with_controls_escaped() {
        for err in [
            account_id("0123\u{1b}]52;c;aGk=\u{7}").unwrap_err(),
            region("eu\u{9b}31m").unwrap_err(),
            profile_name("p\u{1b}x").unwrap_err(),
            role_name("R\u{1b}").unwrap_err(),
            mfa_serial("GAHT\u{1b}12345678").unwrap_err(),
            crate::config::color::parse("\u{1b}[31m").unwrap_err(),
            crate::config::duration::parse("1\u{7f}h").unwrap_err(),
        ] {
            assert!(!err.chars().any(char::is_control), "{err:?}");
            assert!(err.contains("\\u{"), "{err:?}");
        }
    }
}
