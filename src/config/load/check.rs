//! The schema's walk over one table of a config or team file, whichever reader found it (the
//! `toml` crate's full parse or the plain reader, [`plain`]): every key must be one of the
//! schema's and every value valid, with an error naming the file, the line, the column, the
//! role and the key. Both readers hand their tables over as the same [`Field`]s, so there is
//! one validation path.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::plain;
use crate::config::schema::{Key, Slot};
use crate::config::{ConfigError, validate};
use crate::untrusted::escape_controls;

/// Line and column numbers of byte offsets; the table of line starts is only built when a
/// position is first asked for (an error, or a table of the full parse).
pub(in crate::config) struct Lines<'a> {
    text: &'a str,
    starts: OnceCell<Vec<usize>>,
}

impl<'a> Lines<'a> {
    pub(in crate::config) fn new(text: &'a str) -> Self {
        Lines {
            text,
            starts: OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub(in crate::config) fn position(&self, offset: usize) -> (usize, usize) {
        let starts = self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = starts.partition_point(|&start| start <= offset).max(1);
        let start = starts[line - 1];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

/// Where a table's header is: its byte offset, and its line and column (counted by the
/// plain reader as it scans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::config) struct Header {
    pub at: usize,
    pub line: usize,
    pub column: usize,
}

/// One table (`[defaults]`, one of the `[[roles]]` or `[[sources]]`) as a reader found it;
/// its text is borrowed for `'t`, the plain reader's fields for `'b`.
#[derive(Clone, Copy)]
pub(in crate::config) enum Table<'b, 't> {
    /// From the full parse: any TOML value, its shape still to be checked.
    Parsed(&'t Spanned<DeValue<'t>>),
    /// From the plain reader: a table whose fields are in file order.
    Plain {
        header: Header,
        fields: &'b [Field<'t>],
    },
}

impl<'t> Table<'_, 't> {
    /// The byte offset of the table (its header).
    pub(in crate::config) fn at(&self) -> usize {
        match self {
            Table::Parsed(value) => value.span().start,
            Table::Plain { header, .. } => header.at,
        }
    }

    /// Line and column of the table's header.
    pub(in crate::config) fn place(&self, lines: &Lines) -> (usize, usize) {
        match self {
            Table::Parsed(value) => lines.position(value.span().start),
            Table::Plain { header, .. } => (header.line, header.column),
        }
    }

    /// The text value of `key`, if the table has one.
    pub(in crate::config) fn text(&self, key: &str) -> Option<&'t str> {
        match self {
            Table::Parsed(value) => value.get_ref().as_table()?.get(key)?.get_ref().as_str(),
            Table::Plain { fields, .. } => match fields.iter().find(|f| f.key == key)?.value {
                Scalar::Text(text) => Some(text),
                _ => None,
            },
        }
    }
}

/// One `key = value` of a table, with the byte offsets of the key and of the value.
#[derive(Debug, Clone)]
pub(in crate::config) struct Field<'t> {
    pub key: &'t str,
    pub key_at: usize,
    pub value: Scalar<'t>,
    pub value_at: usize,
}

/// A value as the schema reads it.
#[derive(Debug, Clone)]
pub(in crate::config) enum Scalar<'t> {
    Text(&'t str),
    /// An integer as written (for [`i64::from_str_radix`]) and its radix.
    Integer(&'t str, u32),
    Bool(bool),
    List(Items<'t>),
    /// Anything else TOML has (a float, a date, a table...): never valid for a key.
    Other,
}

/// The items of an array value.
#[derive(Debug, Clone)]
pub(in crate::config) enum Items<'t> {
    Parsed(&'t [Spanned<DeValue<'t>>]),
    Plain(plain::Array<'t>),
}

impl Items<'_> {
    /// The items as texts; `None` when one is not a text.
    fn texts(&self) -> Option<Vec<String>> {
        match self {
            Items::Parsed(items) => items
                .iter()
                .map(|item| item.get_ref().as_str().map(str::to_string))
                .collect(),
            Items::Plain(array) => {
                let mut texts = Vec::with_capacity(array.len());
                texts.extend(array.items().map(str::to_string));
                Some(texts)
            }
        }
    }
}

impl<'t> Scalar<'t> {
    fn of(value: &'t DeValue<'t>) -> Self {
        match value {
            DeValue::String(text) => Scalar::Text(text),
            DeValue::Integer(n) => Scalar::Integer(n.as_str(), n.radix()),
            DeValue::Boolean(flag) => Scalar::Bool(*flag),
            DeValue::Array(items) => Scalar::List(Items::Parsed(items)),
            _ => Scalar::Other,
        }
    }
}

/// True when `fields` hold `key`.
pub(in crate::config) fn has(fields: &[Field], key: &str) -> bool {
    fields.iter().any(|f| f.key == key)
}

/// Validation context: the file, its lines, and which role (if any) is being read.
pub(in crate::config) struct Checker<'a> {
    pub path: &'a Path,
    pub lines: Lines<'a>,
    /// The `name` of the role being read, as written: messages name the role by it when it
    /// is a valid display name (checked only when there is a message to write).
    pub role: Option<&'a str>,
}

impl<'a> Checker<'a> {
    pub(in crate::config) fn new(path: &'a Path, lines: Lines<'a>) -> Self {
        Checker {
            path,
            lines,
            role: None,
        }
    }

    pub(in crate::config) fn invalid(
        &self,
        offset: usize,
        key: &str,
        message: String,
    ) -> ConfigError {
        let (line, column) = self.lines.position(offset);
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            column,
            role: self
                .role
                .filter(|name| validate::display_name(name).is_ok())
                .map(str::to_string),
            key: escape_controls(key).into_owned(),
            message,
        }
    }

    /// `value` as an array (`[[roles]]`), else the error `message` about `key`.
    pub(in crate::config) fn array<'v>(
        &self,
        value: &'v Spanned<DeValue<'v>>,
        key: &str,
        message: &str,
    ) -> Result<&'v [Spanned<DeValue<'v>>], ConfigError> {
        match value.get_ref().as_array() {
            Some(items) => Ok(items),
            None => Err(self.invalid(value.span().start, key, message.into())),
        }
    }

    /// The fields of `table` in file order, else an error saying how `key` is written.
    pub(in crate::config) fn fields<'b>(
        &self,
        table: &Table<'b, 'a>,
        key: &str,
    ) -> Result<Cow<'b, [Field<'a>]>, ConfigError> {
        let value = match *table {
            Table::Plain { fields, .. } => return Ok(Cow::Borrowed(fields)),
            Table::Parsed(value) => value,
        };
        let table: &DeTable = value.get_ref().as_table().ok_or_else(|| {
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
        })?;
        // In file order, so that the first mistake is the one reported.
        let mut fields: Vec<Field> = table
            .iter()
            .map(|(name, value)| Field {
                key: name.get_ref(),
                key_at: name.span().start,
                value: Scalar::of(value.get_ref()),
                value_at: value.span().start,
            })
            .collect();
        fields.sort_unstable_by_key(|f| f.key_at);
        Ok(Cow::Owned(fields))
    }

    /// Fills `record` from `table` (a `kind` table): every key must be one of `keys`, every
    /// value valid, and every required key there.
    pub(in crate::config) fn record<R: 'static>(
        &self,
        keys: &'static [Key<R>],
        table: &Table,
        kind: &str,
        record: &mut R,
    ) -> Result<(), ConfigError> {
        let fields = self.fields(table, kind)?;
        let count = keys.len();
        let mut next = 0;
        for field in fields.iter() {
            // Files mostly list the keys in the schema's order: look from after the last one.
            let found = (0..count)
                .map(|k| (next + k) % count)
                .find(|&i| keys.get(i).is_some_and(|key| key.toml == field.key));
            let Some(key) = found.and_then(|i| {
                next = i + 1;
                keys.get(i)
            }) else {
                let known: Vec<&str> = keys.iter().map(|k| k.toml).collect();
                let message = format!("is not a key here (the keys are: {})", known.join(", "));
                return Err(self.invalid(field.key_at, field.key, message));
            };
            read_value(key, record, &field.value)
                .map_err(|m| self.invalid(field.value_at, key.toml, m))?;
        }
        if let Some(key) = keys.iter().find(|k| k.required() && !has(&fields, k.toml)) {
            let message = format!("is missing (like {} = \"{}\")", key.toml, key.example);
            return Err(self.invalid(table.at(), key.toml, message));
        }
        Ok(())
    }
}

/// Checks a value by the key's kind and stores it in `record`.
fn read_value<R>(key: &Key<R>, record: &mut R, value: &Scalar) -> Result<(), String> {
    match (&key.slot, value) {
        (Slot::Text(..) | Slot::OptText(..) | Slot::Duration(..), Scalar::Text(text)) => {
            key.set_text(record, text)
        }
        (Slot::Duration(..), Scalar::Integer(digits, radix)) => {
            let text = i64::from_str_radix(digits, *radix)
                .map_or_else(|_| digits.to_string(), |n| n.to_string());
            key.set_text(record, &text)
        }
        (Slot::List(..), Scalar::List(items)) => {
            key.set_items(record, items.texts().ok_or_else(|| type_error(key))?)
        }
        (Slot::Bool(..) | Slot::OptBool(..), Scalar::Bool(flag)) => {
            key.set_text(record, if *flag { "true" } else { "false" })
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
