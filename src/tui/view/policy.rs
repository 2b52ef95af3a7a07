//! The policies screen (Ctrl-Y): a window over the list, above the message and status rows
//! (so "Saved … to PATH" shows under it), with a tab row (trust / permission), the shown
//! document's heading, notes and pretty JSON scrolled by the view's state, and its keys.
//! Headings and notes are word-wrapped; JSON lines are cut, never wrapped (the saved file
//! has them whole). [`scroll_limits`] tells `update` the page height and the last useful
//! scroll for an area; the keys row comes from [`keys::POLICY`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text::{fit, keys_line, wrap};
use crate::tui::keys;
use crate::tui::model::Model;
use crate::tui::policy::{self, Document, PolicyView};

/// The window's block and what is inside its borders.
fn window(area: Rect, model: &Model, view: &PolicyView) -> (Block<'static>, Rect) {
    let block = Block::new().borders(Borders::ALL).title(Span::styled(
        format!(" Policies for \"{}\" ", view.role),
        model.theme.title(),
    ));
    let inner = block.inner(area);
    (block, inner)
}

/// The document part's height and the last useful scroll, for the window in `area`.
pub fn scroll_limits(area: Rect, model: &Model, view: &PolicyView) -> (usize, usize) {
    let (_, inner) = window(area, model, view);
    if inner.height < 3 || inner.width < 4 {
        return (1, 0);
    }
    let page = usize::from(inner.height - 2);
    let lines = content(model, view, usize::from(inner.width)).len();
    (page.max(1), lines.saturating_sub(page))
}

/// The scrolling part: heading, notes, blank line, the document (or why it is missing).
fn content(model: &Model, view: &PolicyView, width: usize) -> Vec<Line<'static>> {
    let theme = model.theme;
    let mut content: Vec<Line> = Vec::new();
    let shown = model
        .role(&view.role)
        .map(|role| policy::shown(&model.config, &model.identity, role, view.document));
    match shown {
        None => content.push(Line::styled(
            format!("\"{}\" is no longer in the list.", view.role),
            theme.error(),
        )),
        Some(shown) => {
            for line in wrap(&shown.heading, width) {
                content.push(Line::styled(line, theme.header()));
            }
            for note in &shown.notes {
                for line in wrap(&format!("Note: {note}"), width) {
                    content.push(Line::styled(line, theme.dim()));
                }
            }
            content.push(Line::from(""));
            match &shown.body {
                Ok(json) => content.extend(json.lines().map(|l| Line::raw(fit(l, width)))),
                Err(why) => content.extend(
                    wrap(why, width)
                        .into_iter()
                        .map(|l| Line::styled(l, theme.error())),
                ),
            }
        }
    }
    content
}

pub fn draw(frame: &mut Frame, area: Rect, model: &Model, view: &PolicyView) {
    frame.render_widget(Clear, area);
    let (block, inner) = window(area, model, view);
    frame.render_widget(block, area);
    if inner.height < 3 || inner.width < 4 {
        return;
    }
    let width = usize::from(inner.width);
    let page = usize::from(inner.height - 2);
    let content = content(model, view, width);
    let max_scroll = content.len().saturating_sub(page);
    let scroll = view.scroll.min(max_scroll);

    let tabs = tab_row(model, view, scroll, page, content.len(), width);
    let lines: Vec<Line> = content.into_iter().skip(scroll).take(page).collect();
    let row = |y: u16, height: u16| Rect {
        y: inner.y + y,
        height,
        ..inner
    };
    frame.render_widget(Paragraph::new(tabs), row(0, 1));
    frame.render_widget(Paragraph::new(lines), row(1, inner.height - 2));
    let keys_row = keys_line(&keys::POLICY.hints(), "  ", width, model.theme);
    frame.render_widget(Paragraph::new(keys_row), row(inner.height - 1, 1));
}

/// `[ Trust policy ]  Permission policy` with the position on the right when it scrolls.
fn tab_row(
    model: &Model,
    view: &PolicyView,
    scroll: usize,
    page: usize,
    total: usize,
    width: usize,
) -> Line<'static> {
    let theme = model.theme;
    let mut spans = Vec::new();
    for document in [Document::Trust, Document::Permission] {
        let title = match document {
            Document::Trust => "Trust policy",
            Document::Permission => "Permission policy",
        };
        if document == view.document {
            spans.push(Span::styled(format!("[ {title} ]"), theme.focused()));
        } else {
            spans.push(Span::styled(format!("  {title}  "), theme.dim()));
        }
        spans.push(Span::raw(" "));
    }
    if total > page {
        let position = format!(
            "lines {}-{} of {total}",
            scroll + 1,
            (scroll + page).min(total)
        );
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = width.saturating_sub(used);
        if room > position.len() {
            spans.push(Span::raw(" ".repeat(room - position.len())));
            spans.push(Span::styled(position, theme.dim()));
        }
    }
    Line::from(spans)
}
