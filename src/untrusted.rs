//! Other people's text made safe for a terminal (SPEC 10): the one function every message,
//! list, table and error passes untrusted text through. Control characters (C0, C1, DEL)
//! are shown escaped, and characters that hide or reorder text (zero-width, bidi overrides,
//! the byte-order mark) are shown as their code points, so a lookalike name stays visible.

use std::borrow::Cow;

/// `text` with every control character escaped (`\x1b` for C0 and DEL, `\u{9b}` for C1)
/// and every invisible or reordering character shown as `\u{200b}`. Borrowed when nothing
/// needed escaping.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            escape_controls("Acme prod ✓ é"),
            Cow::Borrowed("Acme prod ✓ é")
        ));
    }

    #[test]
    fn controls_and_invisibles_are_escaped() {
        assert_eq!(
            escape_controls("a\x1b]0;t\x07b\x7f\u{9b}c\n\t"),
            r"a\x1b]0;t\x07b\x7f\u{9b}c\x0a\x09"
        );
        assert_eq!(
            escape_controls("ad\u{200b}min\u{202e}x\u{2066}\u{feff}"),
            r"ad\u{200b}min\u{202e}x\u{2066}\u{feff}"
        );
    }
}
