//! Making other people's text safe to print (SPEC 10): one function that every message, list
//! and error uses before a value it did not write itself reaches the terminal.

use std::borrow::Cow;

/// True for a character that must never reach a terminal raw: the C0 and C1 controls and
/// DEL, and the invisible characters that hide or reorder text (zero-width spaces and
/// joiners, bidi marks, embeddings, overrides and isolates, line and paragraph separators,
/// the byte-order mark).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `text` with every character of [`is_hidden`] written visibly as `\u{1b}`; borrowed when
/// there is nothing to escape (the usual case). A backslash is left as it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            escape_controls("Acme prod 東京"),
            Cow::Borrowed("Acme prod 東京")
        ));
    }

    #[test]
    fn controls_and_invisible_characters_show_escaped() {
        assert_eq!(escape_controls("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(escape_controls("\u{7f}\u{9b}\n"), "\\u{7f}\\u{9b}\\u{a}");
        assert_eq!(
            escape_controls("Ad\u{200b}min\u{202e}\u{2066}\u{feff}"),
            "Ad\\u{200b}min\\u{202e}\\u{2066}\\u{feff}"
        );
    }
}
