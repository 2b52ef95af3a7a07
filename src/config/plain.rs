//! Reads the plain subset of TOML that config and team files are written in, in one pass and
//! without building a TOML tree: blank lines, `#` comments, the headers `[defaults]`,
//! `[[roles]]` and `[[sources]]` (each may be followed by a comment), and `key = value` lines
//! with a bare key and a value that is a string without escapes, a decimal integer, `true`
//! or `false`, or a one-line array of such strings. Anything else, valid TOML or not, is
//! `None`, and the caller parses the text in full with the `toml` crate, which gives every
//! other form its meaning and every mistake its exact message: so this never accepts text
//! the full parse rejects and never reads a text differently from it (the loader's
//! differential test holds it to that).

use super::load::{Field, Header, Items, Scalar, Table, has};

/// More keys than any table of the schema has: such a table is invalid anyway (the full
/// parse says why), and the duplicate-key check stays short.
const MAX_FIELDS: usize = 32;

/// Which table a header opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::config) enum Section {
    Defaults,
    Role,
    Source,
}

/// The items of a one-line array of strings: the text between its brackets, already
/// checked to be strings without escapes separated by commas.
#[derive(Debug, Clone, Copy)]
pub(in crate::config) struct Array<'t> {
    inner: &'t str,
    len: usize,
}

impl<'t> Array<'t> {
    /// How many items there are.
    pub(in crate::config) fn len(self) -> usize {
        self.len
    }

    pub(in crate::config) fn items(self) -> impl Iterator<Item = &'t str> {
        let (text, bytes) = (self.inner, self.inner.as_bytes());
        let mut at = 0;
        std::iter::from_fn(move || {
            // Between items there are only blanks and commas; each item is quoted, and
            // holds no quote of its kind.
            at += bytes[at..].iter().position(|&b| b == b'"' || b == b'\'')?;
            let quote = bytes[at];
            let start = at + 1;
            let end = start + memchr::memchr(quote, &bytes[start..])?;
            at = end + 1;
            Some(&text[start..end])
        })
    }
}

/// At least as many as the `[[roles]]` tables of `text` (a header written in a string or a
/// comment counts too): what to reserve room for.
pub(in crate::config) fn roles_at_most(text: &str) -> usize {
    memchr::memmem::find_iter(text.as_bytes(), b"[[roles]]").count()
}

/// Reads `text` as a plain file, handing each table to `each` as soon as it ends, in file
/// order (the fields are lent: no table of the whole file is built). `None` when the text
/// is not a plain file (see the module's comment) or `each` said `None`; what `each` was
/// handed before is then to be thrown away.
pub(in crate::config) fn read<'t>(
    text: &'t str,
    mut each: impl FnMut(Section, Table<'_, 't>) -> Option<()>,
) -> Option<()> {
    let bytes = text.as_bytes();
    if bytes.starts_with("\u{feff}".as_bytes()) {
        return None;
    }
    let mut fields: Vec<Field<'t>> = Vec::with_capacity(MAX_FIELDS);
    let mut open: Option<(Section, Header)> = None;
    let mut seen_defaults = false;
    let mut line_start = 0;
    let mut line = 1;
    while line_start < bytes.len() {
        let start = skip_blanks(bytes, line_start);
        let end = match bytes.get(start) {
            Some(b'[') => {
                let (section, end) = header(bytes, start)?;
                if let Some((section, header)) = open.take() {
                    each(
                        section,
                        Table::Plain {
                            header,
                            fields: &fields,
                        },
                    )?;
                    fields.clear();
                }
                if section == Section::Defaults {
                    if seen_defaults {
                        return None;
                    }
                    seen_defaults = true;
                }
                let column = start - line_start + 1;
                let header = Header {
                    at: start,
                    line,
                    column,
                };
                open = Some((section, header));
                end
            }
            Some(&b) if is_key_byte(b) => {
                open.as_ref()?;
                let (field, end) = key_value(text, start)?;
                if fields.len() >= MAX_FIELDS || has(&fields, field.key) {
                    return None;
                }
                fields.push(field);
                end
            }
            // A blank line or a comment: the end of the line is checked below.
            _ => start,
        };
        line_start = end_of_line(bytes, end)?;
        line += 1;
    }
    match open {
        Some((section, header)) => each(
            section,
            Table::Plain {
                header,
                fields: &fields,
            },
        ),
        None => Some(()),
    }
}

/// A byte of a bare key (ASCII letters, digits, `_` and `-`), as a table by byte.
fn is_key_byte(b: u8) -> bool {
    KEY_BYTES[usize::from(b)]
}

static KEY_BYTES: [bool; 256] = super::validate::word_and(b"-");

/// A byte TOML allows in a comment or an unescaped string (not a control character but tab).
const fn is_text_byte(b: u8) -> bool {
    matches!(b, b'\t' | 0x20..=0x7e | 0x80..=0xff)
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// The header at `at` and where it ends.
fn header(bytes: &[u8], at: usize) -> Option<(Section, usize)> {
    let rest = &bytes[at..];
    [
        (&b"[defaults]"[..], Section::Defaults),
        (&b"[[roles]]"[..], Section::Role),
        (&b"[[sources]]"[..], Section::Source),
    ]
    .into_iter()
    .find(|(written, _)| rest.starts_with(written))
    .map(|(written, kind)| (kind, at + written.len()))
}

/// After the value or header ending at `at`: blanks, an optional comment, then a newline
/// (LF or CRLF) or the end of the text. Returns where the next line starts.
fn end_of_line(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = skip_blanks(bytes, at);
    if bytes.get(at) == Some(&b'#') {
        at += 1;
        while let Some(&b) = bytes.get(at) {
            if b == b'\n' || b == b'\r' {
                break;
            }
            if !is_text_byte(b) {
                return None;
            }
            at += 1;
        }
    }
    match bytes.get(at) {
        None => Some(at),
        Some(b'\n') => Some(at + 1),
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => Some(at + 2),
        _ => None,
    }
}

/// The `key = value` at `at` and where its value ends.
fn key_value(text: &str, at: usize) -> Option<(Field<'_>, usize)> {
    let bytes = text.as_bytes();
    let key_end = at + bytes[at..].iter().position(|&b| !is_key_byte(b))?;
    let equals = skip_blanks(bytes, key_end);
    if bytes.get(equals) != Some(&b'=') {
        return None;
    }
    let value_at = skip_blanks(bytes, equals + 1);
    let (value, end) = value(text, value_at)?;
    let field = Field {
        key: &text[at..key_end],
        key_at: at,
        value,
        value_at,
    };
    Some((field, end))
}

fn value(text: &str, at: usize) -> Option<(Scalar<'_>, usize)> {
    let bytes = text.as_bytes();
    let rest = &bytes[at..];
    match *rest.first()? {
        quote @ (b'"' | b'\'') => {
            let end = string_end(bytes, at, quote)?;
            Some((Scalar::Text(&text[at + 1..end]), end + 1))
        }
        b'[' => array(text, at),
        b't' if rest.starts_with(b"true") => Some((Scalar::Bool(true), at + 4)),
        b'f' if rest.starts_with(b"false") => Some((Scalar::Bool(false), at + 5)),
        _ => integer(text, at),
    }
}

/// Where the string opened at `at` by `quote` closes; `None` for an escape (in a basic
/// string) or a control character.
fn string_end(bytes: &[u8], at: usize, quote: u8) -> Option<usize> {
    let inside = if quote == b'"' {
        &IN_BASIC_STRING
    } else {
        &IN_LITERAL_STRING
    };
    let rest = bytes.get(at + 1..)?;
    let end = at + 1 + rest.iter().position(|&b| !inside[usize::from(b)])?;
    (bytes[end] == quote).then_some(end)
}

/// The bytes a string may hold as they are, by its quote: all that TOML allows in a
/// string ([`is_text_byte`]) but the closing quote (and, in a basic string, the backslash
/// that starts an escape).
static IN_BASIC_STRING: [bool; 256] = string_bytes(b'"');
static IN_LITERAL_STRING: [bool; 256] = string_bytes(b'\'');

const fn string_bytes(quote: u8) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        let escape = quote == b'"' && byte == b'\\';
        table[b] = is_text_byte(byte) && byte != quote && !escape;
        b += 1;
    }
    table
}

/// A one-line array of strings, with an optional trailing comma.
fn array(text: &str, at: usize) -> Option<(Scalar<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut i = skip_blanks(bytes, at + 1);
    let mut len = 0;
    loop {
        match *bytes.get(i)? {
            b']' => break,
            quote @ (b'"' | b'\'') => {
                len += 1;
                i = skip_blanks(bytes, string_end(bytes, i, quote)? + 1);
                match *bytes.get(i)? {
                    b',' => i = skip_blanks(bytes, i + 1),
                    b']' => break,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    let inner = &text[at + 1..i];
    Some((Scalar::List(Items::Plain(Array { inner, len })), i + 1))
}

/// A decimal integer in TOML's form (an optional sign, no leading zero, no `_`) within i64.
fn integer(text: &str, at: usize) -> Option<(Scalar<'_>, usize)> {
    let bytes = text.as_bytes();
    let digits = at + usize::from(matches!(bytes.get(at), Some(b'+' | b'-')));
    let end = digits
        + bytes[digits..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    if end == digits || (bytes[digits] == b'0' && end - digits > 1) {
        return None;
    }
    let written = &text[at..end];
    written.parse::<i64>().ok()?;
    Some((Scalar::Integer(written, 10), end))
}
