//! The bottom of the list screen: the last error or notice (wrapped, a few lines at most),
//! the status bar (switch in flight with a spinner, the selected role's team source and
//! cached session, the base identity) and the footer of control keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::keys_line;
use crate::aws::credentials::remaining_text;
use crate::tui::keys;
use crate::tui::model::Model;
use crate::tui::status::Identity;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// The most lines an error takes; longer ones are cut.
const MAX_MESSAGE_LINES: u16 = 4;

/// Rows the message needs at `width` (0 when there is none).
pub fn message_height(model: &Model, width: u16) -> u16 {
    let Some((text, _)) = model.status.message() else {
        return 0;
    };
    let lines = wrapped_lines(&format!("! {text}"), usize::from(width.max(1)));
    u16::try_from(lines)
        .unwrap_or(MAX_MESSAGE_LINES)
        .clamp(1, MAX_MESSAGE_LINES)
}

/// Lines `text` takes when word-wrapped at `width` (close to what `Wrap` does).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut column = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if column == 0 {
            column = len;
        } else if column + 1 + len <= width {
            column += 1 + len;
        } else {
            lines += 1;
            column = len;
        }
        while column > width {
            lines += 1;
            column -= width;
        }
    }
    lines
}

pub fn draw_message(frame: &mut Frame, area: Rect, model: &Model) {
    let Some((text, is_error)) = model.status.message() else {
        return;
    };
    let theme = model.theme;
    let style = if is_error {
        theme.error()
    } else {
        theme.info()
    };
    let prefix = if is_error { "! " } else { "" };
    let paragraph =
        Paragraph::new(Line::styled(format!("{prefix}{text}"), style)).wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

pub fn draw_status(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme;
    let mut spans = Vec::new();
    if let Some(role) = model.switch.role() {
        let spin = SPINNER[model.spinner % SPINNER.len()];
        spans.push(Span::styled(
            format!(
                "{spin} Assuming \"{role}\"… ({})",
                keys::SWITCHING.footer_text(", ")
            ),
            theme.info(),
        ));
    } else {
        if let Some(source) = model.selected_role().and_then(|r| r.source.as_deref()) {
            spans.push(Span::styled(format!("team: {source}"), theme.dim()));
            spans.push(Span::styled("  │  ", theme.dim()));
        }
        let session = model.selected_role().and_then(|role| {
            let text = match model.cached.get(&role.name)? {
                Some(expires) => match expires.duration_since(model.now) {
                    Ok(left) => format!("session cached, {} left", remaining_text(left.as_secs())),
                    Err(_) => "cached session expired".to_string(),
                },
                None => "no cached session".to_string(),
            };
            Some(text)
        });
        if let Some(text) = session {
            spans.push(Span::styled(text, theme.dim()));
            spans.push(Span::styled("  │  ", theme.dim()));
        }
        match &model.identity {
            Identity::Known(arn) => {
                spans.push(Span::styled("as ", theme.dim()));
                spans.push(Span::raw(arn.clone()));
            }
            Identity::Failed(_) => spans.push(Span::styled("base identity unknown", theme.dim())),
            Identity::Unknown => spans.push(Span::styled("base identity: …", theme.dim())),
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_footer(frame: &mut Frame, area: Rect, model: &Model) {
    let line = keys_line(
        &keys::LIST.hints(),
        " ",
        usize::from(area.width),
        model.theme,
    );
    frame.render_widget(Paragraph::new(line), area);
}
