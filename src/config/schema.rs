//! The keys of a role, of `[defaults]` and of `[[sources]]`, each described once (issue 8):
//! its TOML key, its kind and the field it fills, its validator and an example value; for a role also `add`'s
//! argument, the form's label and hint, and what `list --json` shows. The loader, the store,
//! the TUI form, `add`'s flags and `list --json` read these tables; they name a key only for
//! behaviour of its own (a role ARN in the account field, the colour palette). Adding a key: its field in [`Role`], one row in [`ROLE_KEYS`] (the generic tests
//! in `tests/role_schema.rs` then cover it). Holds no I/O.

mod access;

use std::ops::RangeInclusive;

use super::color;
use super::model::{Defaults, Effective, Role, SourceEntry};
use super::validate::{self, MFA_DURATION_RANGE, ROLE_DURATION_RANGE};

/// A validator: `Err(reason)` in plain words (see [`validate`]).
pub type Check = fn(&str) -> Result<(), String>;

/// Reads and writes one field of a record `R`.
pub struct Lens<R, T> {
    pub get: fn(&R) -> &T,
    pub get_mut: fn(&mut R) -> &mut T,
}

macro_rules! lens {
    ($field:ident) => {
        Lens {
            get: |r| &r.$field,
            get_mut: |r| &mut r.$field,
        }
    };
}

/// The kind of value a key holds, and the field it fills.
pub enum Slot<R> {
    /// Required text.
    Text(Lens<R, String>, Check),
    /// Optional text.
    OptText(Lens<R, Option<String>>, Check),
    /// An optional duration in seconds within the range; written the short way (`"1h"`).
    Duration(Lens<R, Option<u32>>, RangeInclusive<u32>),
    /// A list of texts, each checked; written as an array, typed comma separated.
    List(Lens<R, Vec<String>>, Check),
    /// A flag, false when left out.
    Bool(Lens<R, bool>),
    /// A flag that may be left out (`None`): its reader says what that means.
    OptBool(Lens<R, Option<bool>>),
}

/// `add`'s argument for a key: a `--long` flag, or positional when `long` is `None`.
pub struct Arg {
    pub long: Option<&'static str>,
    pub value_name: &'static str,
    pub help: &'static str,
    pub required: bool,
}

impl Arg {
    /// How messages name the argument: `--account`, or `name` for a positional one.
    pub fn shown(&self) -> String {
        match self.long {
            Some(long) => format!("--{long}"),
            None => self.value_name.to_lowercase(),
        }
    }
}

/// What `list --json` shows for a key.
pub enum Json {
    /// The role's own value, under the TOML key.
    Own,
    /// The value in effect (the role's, else `[defaults]`), under the TOML key.
    InEffect(for<'e> fn(&'e Effective) -> JsonValue<'e>),
    /// Only whether a value is in effect, under another name.
    IsSet(&'static str, fn(&Effective) -> bool),
}

/// A value `list --json` shows, borrowed from the role (written as it is, no JSON tree).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsonValue<'a> {
    Text(Option<&'a str>),
    Number(Option<u32>),
    List(&'a [String]),
    Bool(Option<bool>),
}

impl serde::Serialize for JsonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            JsonValue::Text(text) => text.serialize(serializer),
            JsonValue::Number(number) => number.serialize(serializer),
            JsonValue::List(list) => list.serialize(serializer),
            JsonValue::Bool(flag) => flag.serialize(serializer),
        }
    }
}

/// One key of a record `R` (a [`Role`] or the [`Defaults`]).
pub struct Key<R: 'static> {
    /// The key in the TOML file; also the argument's id.
    pub toml: &'static str,
    pub slot: Slot<R>,
    /// A valid value, as typed (used in messages and by the tests).
    pub example: &'static str,
    /// Said instead of the usual message when a TOML value of the wrong type is given.
    pub type_note: Option<&'static str>,
    /// `add`'s argument; `None`: `add` cannot set it.
    pub arg: Option<Arg>,
    /// The form's label and hint; `None`: not in the form (kept as it is by an edit).
    pub form: Option<(&'static str, &'static str)>,
    pub json: Json,
}

fn check_color(value: &str) -> Result<(), String> {
    color::parse(value).map(|_| ())
}

/// A team source's path: text with no control or invisible characters.
fn check_source_path(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("must not be empty".into());
    }
    match value.chars().find(|c| crate::untrusted::is_hidden(*c)) {
        Some(_) => Err(format!(
            "must not contain control or invisible characters ({})",
            validate::quoted(value)
        )),
        None => Ok(()),
    }
}

/// Every key of a `[[roles]]` table, in the form's order (SPEC 5), then the others.
#[rustfmt::skip]
pub static ROLE_KEYS: &[Key<Role>] = &[
    Key::role("name", Slot::Text(lens!(name), validate::display_name), "Acme prod")
        .positional("NAME", "Display name (unique)")
        .form("Display name", "how the role shows in the list, e.g. \"Acme prod\""),
    Key::role("account_id", Slot::Text(lens!(account_id), validate::account_id), "012345678901")
        .type_note("must be text in quotes, like \"012345678901\": as a number it would lose \
                    leading zeros")
        .flag("account", "ID", "12-digit account ID (a role ARN also fills --role)")
        .required_arg()
        .form("Account ID", "12 digits, or paste a role ARN to fill account and role name"),
    Key::role("role_name", Slot::Text(lens!(role_name), validate::role_name), "ops/Admin")
        .flag("role", "ROLE", "Role name, optionally with a path (path/name)")
        .form("Role name", "the role in the client account, may carry a path: ops/Admin"),
    Key::role("region", Slot::OptText(lens!(region), validate::region), "eu-west-1")
        .flag("region", "REGION", "Region exported in the role's shell (overrides [defaults])")
        .form("Region", "optional, e.g. eu-west-1")
        .json(Json::InEffect(|e| JsonValue::Text(e.region.as_deref()))),
    Key::role("color", Slot::OptText(lens!(color), check_color), "red")
        .flag("color", "COLOR", "Colour: #rrggbb or red, orange, yellow, green, blue")
        .form("Colour", "optional: Up/Down pick red, orange, yellow, green, blue; or #rrggbb"),
    Key::role("external_id", Slot::OptText(lens!(external_id), validate::external_id), "acme-7f3c")
        .flag("external-id", "ID", "The ExternalId the client's trust policy asks for")
        .form("External ID", "optional, when the client's trust policy requires one")
        .json(Json::IsSet("external_id", |e| e.external_id.is_some())),
    Key::role("mfa_serial", Slot::OptText(lens!(mfa_serial), validate::mfa_serial), MFA_EXAMPLE)
        .flag("mfa-serial", "ARN_OR_SERIAL", "MFA device for this role (overrides [defaults])")
        .form("MFA serial", "optional: arn:aws:iam::123456789012:mfa/NAME")
        .json(Json::IsSet("mfa", |e| e.mfa_serial.is_some())),
    Key::role("source_profile", Slot::OptText(lens!(source_profile), validate::profile_name), "base")
        .flag("source-profile", "PROFILE", "AWS profile of the base credentials (overrides [defaults])")
        .form("Source profile", "optional AWS profile for the base credentials")
        .json(Json::InEffect(|e| JsonValue::Text(e.source_profile.as_deref()))),
    Key::role("duration", Slot::Duration(lens!(duration), ROLE_DURATION_RANGE), "1h30m")
        .flag("duration", "DURATION", "Session duration: \"1h\", \"45m\" or seconds (900..=43200)")
        .form("Duration", "optional, e.g. 1h, 45m or 3600 (900 s to 12 h)")
        .json(Json::InEffect(|e| JsonValue::Number(Some(e.duration)))),
    Key::role("tags", Slot::List(lens!(tags), validate::tag), "prod")
        .flag("tag", "TAG", "A tag for filtering (repeatable)")
        .form("Tags", "optional, comma separated; searched by the filter"),
    Key::role("session_name", Slot::OptText(lens!(session_name), validate::session_name), "alice")
        .flag("session-name", "NAME", "RoleSessionName seen in the client's CloudTrail")
        .json(Json::InEffect(|e| JsonValue::Text(e.session_name.as_deref()))),
    Key::role("favorite", Slot::Bool(lens!(favorite)), "true")
        .flag("favorite", "", "Pin the role to the top of the list"),
];

/// Every key of `[defaults]`.
#[rustfmt::skip]
pub static DEFAULT_KEYS: &[Key<Defaults>] = &[
    Key::defaults("source_profile", Slot::OptText(lens!(source_profile), validate::profile_name), "base"),
    Key::defaults("region", Slot::OptText(lens!(region), validate::region), "eu-west-1"),
    Key::defaults("duration", Slot::Duration(lens!(duration), ROLE_DURATION_RANGE), "1h"),
    Key::defaults("session_name", Slot::OptText(lens!(session_name), validate::session_name), "alice"),
    Key::defaults("mfa_serial", Slot::OptText(lens!(mfa_serial), validate::mfa_serial), MFA_EXAMPLE),
    Key::defaults("mfa_session_duration",
        Slot::Duration(lens!(mfa_session_duration), MFA_DURATION_RANGE), "12h"),
    Key::defaults("partition", Slot::OptText(lens!(partition), validate::partition), "aws-cn"),
    Key::defaults("credentials", Slot::OptText(lens!(credentials), validate::credentials_mode), "static"),
    Key::defaults("prompt", Slot::OptBool(lens!(prompt)), "false"),
    Key::defaults("role_name_pattern",
        Slot::OptText(lens!(role_name_pattern), super::role_name_pattern::check), "{client}-access-{me}"),
];

/// Every key of a `[[sources]]` table (SPEC 8: a team's roles file, merged read-only).
#[rustfmt::skip]
pub static SOURCE_KEYS: &[Key<SourceEntry>] = &[
    Key::source("name", Slot::Text(lens!(name), validate::display_name), "platform-team"),
    Key::source("path", Slot::Text(lens!(path), check_source_path), "~/src/team-roles/roles.toml"),
];

const MFA_EXAMPLE: &str = "arn:aws:iam::123456789012:mfa/alice";

/// The role key named `toml` in the file.
pub fn role_key(toml: &str) -> Option<&'static Key<Role>> {
    ROLE_KEYS.iter().find(|k| k.toml == toml)
}

impl Key<Role> {
    const fn role(toml: &'static str, slot: Slot<Role>, example: &'static str) -> Self {
        Key::new(toml, slot, example)
    }
}

impl Key<SourceEntry> {
    const fn source(toml: &'static str, slot: Slot<SourceEntry>, example: &'static str) -> Self {
        Key::new(toml, slot, example)
    }
}

impl Key<Defaults> {
    const fn defaults(toml: &'static str, slot: Slot<Defaults>, example: &'static str) -> Self {
        Key::new(toml, slot, example)
    }
}

/// The table's builders, so each row reads as one sentence.
impl<R> Key<R> {
    const fn new(toml: &'static str, slot: Slot<R>, example: &'static str) -> Self {
        Key {
            toml,
            slot,
            example,
            type_note: None,
            arg: None,
            form: None,
            json: Json::Own,
        }
    }

    const fn type_note(mut self, note: &'static str) -> Self {
        self.type_note = Some(note);
        self
    }

    const fn flag(
        mut self,
        long: &'static str,
        value_name: &'static str,
        help: &'static str,
    ) -> Self {
        self.arg = Some(Arg {
            long: Some(long),
            value_name,
            help,
            required: false,
        });
        self
    }

    const fn positional(mut self, value_name: &'static str, help: &'static str) -> Self {
        self.arg = Some(Arg {
            long: None,
            value_name,
            help,
            required: true,
        });
        self
    }

    const fn required_arg(mut self) -> Self {
        if let Some(arg) = &mut self.arg {
            arg.required = true;
        }
        self
    }

    const fn form(mut self, label: &'static str, hint: &'static str) -> Self {
        self.form = Some((label, hint));
        self
    }

    const fn json(mut self, json: Json) -> Self {
        self.json = json;
        self
    }
}
