//! Drawing a [`Model`]: the list screen (filter line, rows, status bar, footer) and, on top,
//! the open modal, form or policies screen. Layout is computed from `frame.area()` on every draw, so any size
//! works (down to a "too small" note) and resizes need nothing special. Reads the model
//! only; the list's scroll offset is kept in a `Cell` for the next frame.

mod form;
mod list;
mod modal;
mod policy;
mod status;
mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::model::{Mode, Model};

/// The smallest area anything useful fits in.
const MIN_WIDTH: u16 = 24;
const MIN_HEIGHT: u16 = 6;

/// Draws the whole screen for `model`.
pub fn draw(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let note = Paragraph::new(vec![
            Line::from("switchrole"),
            Line::from("window too small"),
        ]);
        frame.render_widget(note, area);
        return;
    }
    let message_height = status::message_height(model, area.width);
    let [top, header, body, message, status_bar, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_height),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    list::draw_filter(frame, top, model);
    list::draw(frame, header, body, model);
    status::draw_message(frame, message, model);
    status::draw_status(frame, status_bar, model);
    status::draw_footer(frame, footer, model);
    match &model.mode {
        Mode::List => {}
        Mode::Help => modal::draw_help(frame, area, model),
        Mode::ConfirmDelete { name } => modal::draw_confirm(frame, area, model, name),
        Mode::Mfa(prompt) => modal::draw_mfa(frame, area, model, prompt),
        Mode::Form(form) => form::draw(frame, area, model, form),
        Mode::Policy(view) => {
            // Over the list, above the message and status rows, which stay visible.
            let above = Rect {
                height: message.y - area.y,
                ..area
            };
            policy::draw(frame, above, model, view);
        }
    }
}

/// A rectangle of at most `width` x `height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
