//! The add/edit form: one row per field (label, input, inline error mark), then the focused
//! field's hint, the errors in words and the keys ([`keys::FORM`]'s footer). Scrolls its rows to keep the focused
//! field visible on short terminals.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use super::text::fit;
use crate::tui::form::{FIELDS, Field, Form};
use crate::tui::keys;
use crate::tui::model::Model;

const LABEL_WIDTH: usize = 15;

pub fn draw(frame: &mut Frame, area: Rect, model: &Model, form: &Form) {
    let theme = model.theme;
    let notes = errors_count(form) + 2;
    let outer = centered(area, 80, (FIELDS.len() + 3 + notes) as u16);
    frame.render_widget(Clear, outer);
    let title = match (&form.original, &form.copy_of) {
        (Some(role), _) => format!(" Edit \"{}\" ", role.name),
        (None, Some(role)) => format!(" Your copy of \"{}\" ", role.name),
        (None, None) => " Add a role ".to_string(),
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme.title()))
        .title_bottom(Line::styled(
            format!(" {} ", keys::FORM.footer_text(" · ")),
            theme.dim(),
        ));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    if inner.height == 0 || inner.width < 4 {
        return;
    }

    let width = usize::from(inner.width);
    let label_width = LABEL_WIDTH.min(width / 3);
    let input_width = width.saturating_sub(label_width + 3);
    // Field rows first; below them the hint and the errors, as room allows.
    let errors: Vec<(Field, String)> = FIELDS
        .iter()
        .filter_map(|f| form.shown_error(*f).map(|e| (*f, e)))
        .collect();
    let rows = usize::from(inner.height);
    let field_rows = FIELDS.len().min(rows);
    let first = (form.focus + 1).saturating_sub(field_rows);

    let mut lines = Vec::with_capacity(rows);
    for (i, field) in FIELDS.iter().enumerate().skip(first).take(field_rows) {
        let focused = i == form.focus;
        let has_error = errors.iter().any(|(f, _)| f == field);
        let label_style = if has_error {
            theme.error()
        } else if focused {
            theme.key()
        } else {
            theme.header()
        };
        let mark = if focused {
            ">"
        } else if has_error {
            "!"
        } else {
            " "
        };
        let input = &form.inputs[i];
        let scroll = input.visual_scroll(input_width.max(1));
        let shown: String = input.value().chars().skip(scroll).collect();
        let mut spans = vec![
            Span::styled(mark, label_style),
            Span::styled(fit(field.label(), label_width), label_style),
            Span::raw(" "),
        ];
        let input_style = if focused {
            theme.focused()
        } else {
            ratatui::style::Style::new()
        };
        if *field == Field::Color {
            let swatch = theme.swatch(Some(input.value()));
            let room = input_width.saturating_sub(3);
            spans.push(Span::styled(fit(&shown, room), input_style));
            spans.push(Span::raw(" "));
            match swatch {
                Some(style) => spans.push(Span::styled("██", style)),
                None => spans.push(Span::raw("  ")),
            }
        } else {
            spans.push(Span::styled(fit(&shown, input_width), input_style));
        }
        lines.push(Line::from(spans));
        if focused {
            let x = label_width + 2 + input.visual_cursor().saturating_sub(scroll);
            let x = (x as u16).min(inner.width.saturating_sub(1));
            let y = (i - first) as u16;
            frame.set_cursor_position((inner.x + x, inner.y + y));
        }
    }
    if lines.len() < rows {
        lines.push(Line::from(""));
    }
    let mut notes = vec![Line::styled(form.field().hint(), theme.dim())];
    for (field, error) in &errors {
        notes.push(Line::styled(error_text(*field, error), theme.error()));
    }
    if let Some(error) = &form.save_error {
        notes.push(Line::styled(format!("Not saved: {error}"), theme.error()));
    }
    let used = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines), inner);
    if used < inner.height {
        let notes_area = Rect {
            y: inner.y + used,
            height: inner.height - used,
            ..inner
        };
        frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);
    }
}

fn errors_count(form: &Form) -> usize {
    FIELDS
        .iter()
        .filter(|f| form.shown_error(**f).is_some())
        .count()
        + usize::from(form.save_error.is_some())
}

/// "Role name is required", "Account ID: \"12\" is not ...".
fn error_text(field: Field, error: &str) -> String {
    if error.starts_with("is ") || error.starts_with("must ") {
        format!("{} {error}", field.label())
    } else {
        format!("{}: {error}", field.label())
    }
}
