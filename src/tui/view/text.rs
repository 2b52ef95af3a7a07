//! Text helpers for fixed-width columns: truncation with an ellipsis, padding, word
//! wrapping, spans that highlight matched characters, and a line of key hints.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::tui::theme::Theme;

/// `text` cut to `width` characters (with `…` when cut) and padded with spaces to `width`.
pub fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        let mut out = String::with_capacity(width);
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', width - count));
        out
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

/// `text` fitted to `width` as spans, the characters at `matched` (sorted char positions)
/// in `highlight` and the rest in `base`.
pub fn highlighted(
    text: &str,
    width: usize,
    matched: &[usize],
    base: Style,
    highlight: Style,
) -> Vec<Span<'static>> {
    let fitted = fit(text, width);
    if matched.is_empty() {
        return vec![Span::styled(fitted, base)];
    }
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut current_is_match = false;
    let shown = text.chars().count().min(width);
    let cut = text.chars().count() > width;
    for (i, c) in fitted.chars().enumerate() {
        // The ellipsis and the padding are never highlighted.
        let is_match = i < shown && !(cut && i + 1 == width) && matched.binary_search(&i).is_ok();
        if is_match != current_is_match && !current.is_empty() {
            let style = if current_is_match { highlight } else { base };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        current_is_match = is_match;
        current.push(c);
    }
    if !current.is_empty() {
        let style = if current_is_match { highlight } else { base };
        spans.push(Span::styled(current, style));
    }
    spans
}

/// `text` word-wrapped to lines of at most `width` characters (longer words are cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        // A word longer than a line (then `len` is 0) is cut.
        while word.len() > width {
            let rest = word.split_off(width);
            lines.push(word.into_iter().collect());
            word = rest;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.extend(word.iter());
        len += word.len();
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A footer line of `(keys, what)` hints ("^A add"), `gap` between them, as many as fit in
/// `width`.
pub fn keys_line(hints: &[(String, &str)], gap: &str, width: usize, theme: Theme) -> Line<'static> {
    let mut spans = Vec::with_capacity(hints.len() * 3);
    let mut used = 0;
    for (keys, what) in hints {
        let sep = if spans.is_empty() { 0 } else { gap.len() };
        let len = sep + keys.chars().count() + 1 + what.chars().count();
        if used + len > width {
            break;
        }
        if sep > 0 {
            spans.push(Span::styled(gap.to_string(), theme.dim()));
        }
        spans.push(Span::styled(keys.clone(), theme.key()));
        spans.push(Span::styled(format!(" {what}"), theme.dim()));
        used += len;
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_and_highlights() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 0), "");
        let spans = highlighted("abcdef", 4, &[0, 1, 3], Style::new(), Style::new());
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["ab", "c…"]);
        assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
        assert_eq!(wrap("abcdefgh i", 3), ["abc", "def", "gh", "i"]);
        assert_eq!(wrap("", 3), [""]);
    }
}
