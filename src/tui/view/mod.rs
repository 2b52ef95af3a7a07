//! Drawing a [`Model`]: the list screen (filter line, rows, status bar, footer) and, on top,
//! the open modal, form or policies screen. Layout is computed from `frame.area()` on every
//! draw, so any size works (down to a "too small" note). Reads the model only: `update` asks
//! the same layout, at the size last reported, for page sizes and scroll limits
//! ([`list_rows`], [`list_offset`], [`policy_scroll_limits`]); nothing is written back.

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

use super::model::{Mode, Model, SwitchState};
use super::policy::PolicyView;

/// The smallest area anything useful fits in.
const MIN_WIDTH: u16 = 24;
const MIN_HEIGHT: u16 = 6;

/// The list screen's rows.
struct Areas {
    top: Rect,
    header: Rect,
    body: Rect,
    message: Rect,
    status: Rect,
    footer: Rect,
}

/// The list screen's rows in `area`, or `None` when it is too small for anything useful.
fn areas(area: Rect, model: &Model) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let message_height = status::message_height(model, area.width);
    let [top, header, body, message, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_height),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Some(Areas {
        top,
        header,
        body,
        message,
        status,
        footer,
    })
}

/// The policies window: over the list, above the message and status rows.
fn policy_area(area: Rect, areas: &Areas) -> Rect {
    Rect {
        height: areas.message.y - area.y,
        ..area
    }
}

/// The whole terminal at the size last reported.
fn last_size(model: &Model) -> Rect {
    Rect::new(0, 0, model.size.0, model.size.1)
}

/// Rows of the list at the size last reported (for PgUp/PgDn).
pub fn list_rows(model: &Model) -> usize {
    areas(last_size(model), model).map_or(1, |a| usize::from(a.body.height))
}

/// The list's first row at the size last reported, so that the selection shows.
pub fn list_offset(model: &Model) -> usize {
    list::scroll_offset(
        model.offset,
        model.selected,
        list_rows(model),
        model.visible.len(),
    )
}

/// The policies screen's page height and last useful scroll at the size last reported.
pub fn policy_scroll_limits(model: &Model, view: &PolicyView) -> (usize, usize) {
    let area = last_size(model);
    match areas(area, model) {
        Some(areas) => policy::scroll_limits(policy_area(area, &areas), model, view),
        None => (1, 0),
    }
}

/// Draws the whole screen for `model`.
pub fn draw(frame: &mut Frame, model: &Model) {
    let area = frame.area();
    let Some(areas) = areas(area, model) else {
        let note = Paragraph::new(vec![
            Line::from("switchrole"),
            Line::from("window too small"),
        ]);
        frame.render_widget(note, area);
        return;
    };
    list::draw_filter(frame, areas.top, model);
    list::draw(frame, areas.header, areas.body, model);
    status::draw_message(frame, areas.message, model);
    status::draw_status(frame, areas.status, model);
    status::draw_footer(frame, areas.footer, model);
    match &model.mode {
        Mode::List => {}
        Mode::Help => modal::draw_help(frame, area, model),
        Mode::ConfirmDelete { name } => modal::draw_confirm(frame, area, model, name),
        Mode::ConfirmCopy { name } => modal::draw_copy_offer(frame, area, model, name),
        Mode::Form(form) => form::draw(frame, area, model, form),
        Mode::Policy(view) => policy::draw(frame, policy_area(area, &areas), model, view),
    }
    if let SwitchState::AwaitingMfa(prompt) = &model.switch {
        modal::draw_mfa(frame, area, model, prompt);
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
