//! The list screen: the filter line, the column header, and the visible rows with colour
//! swatch, favourite star, team source (when some roles have one) and the filter's matched
//! characters highlighted. Only the rows on
//! screen are built, so 10,000 roles draw as fast as ten.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::text::{fit, highlighted};
use crate::tui::filter::{self, Highlights};
use crate::tui::model::{Mode, Model};

const ACCOUNT_WIDTH: usize = 12;
const REGION_WIDTH: usize = 14;
/// The team source's column, shown when some roles come from one and the list is wide.
const SOURCE_WIDTH: usize = 10;
const GAP: &str = "  ";
/// "> " selection marker + "██ " swatch.
const PREFIX_WIDTH: usize = 5;

/// Widths of the columns that fit; 0 means the column is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    name: usize,
    account: usize,
    role: usize,
    region: usize,
    source: usize,
}

/// The columns at `width`; with `team` (some roles come from a team source) a SOURCE column
/// when every other column fits too (narrower, the status bar names the selected one's).
fn columns(width: usize, team: bool) -> Columns {
    let rest = width.saturating_sub(PREFIX_WIDTH);
    let gap = GAP.len();
    let full = 20 + ACCOUNT_WIDTH + 10 + REGION_WIDTH + 3 * gap;
    if team && rest >= full + SOURCE_WIDTH + gap {
        let others = columns(width - SOURCE_WIDTH - gap, false);
        return Columns {
            source: SOURCE_WIDTH,
            ..others
        };
    }
    if rest >= full {
        let flex = rest - ACCOUNT_WIDTH - REGION_WIDTH - 3 * gap;
        let name = flex * 11 / 20;
        Columns {
            name,
            account: ACCOUNT_WIDTH,
            role: flex - name,
            region: REGION_WIDTH,
            source: 0,
        }
    } else if rest >= 14 + ACCOUNT_WIDTH + 8 + 2 * gap {
        let flex = rest - ACCOUNT_WIDTH - 2 * gap;
        let name = flex * 11 / 20;
        Columns {
            name,
            account: ACCOUNT_WIDTH,
            role: flex - name,
            region: 0,
            source: 0,
        }
    } else if rest >= 10 + ACCOUNT_WIDTH + gap {
        Columns {
            name: rest - ACCOUNT_WIDTH - gap,
            account: ACCOUNT_WIDTH,
            role: 0,
            region: 0,
            source: 0,
        }
    } else {
        Columns {
            name: rest,
            account: 0,
            role: 0,
            region: 0,
            source: 0,
        }
    }
}

/// The filter prompt with the match count on the right.
pub fn draw_filter(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme;
    let total = model.roles.len();
    let count = if model.filter.value().is_empty() {
        let plural = if total == 1 { "" } else { "s" };
        format!(" {total} role{plural} ")
    } else {
        format!(" {}/{total} ", model.visible.len())
    };
    let width = area.width as usize;
    let prompt = "> ";
    let input_width = width.saturating_sub(prompt.len() + count.chars().count());
    let scroll = model.filter.visual_scroll(input_width.max(1));
    let shown: String = model
        .filter
        .value()
        .chars()
        .skip(scroll)
        .take(input_width)
        .collect();
    let line = Line::from(vec![
        Span::styled(prompt, theme.key()),
        Span::raw(fit(&shown, input_width)),
        Span::styled(count, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if matches!(model.mode, Mode::List) && model.switch.is_idle() {
        let x = model.filter.visual_cursor().saturating_sub(scroll) + prompt.len();
        let x = (x as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position((area.x + x, area.y));
    }
}

/// The header and the rows (or the empty-list explanation).
pub fn draw(frame: &mut Frame, header: Rect, body: Rect, model: &Model) {
    let theme = model.theme;
    let width = header.width as usize;
    let cols = columns(width, model.has_team_roles);
    if model.roles.is_empty() {
        draw_empty(frame, body, model);
        return;
    }
    let mut head = String::from("     ");
    head.push_str(&fit("NAME", cols.name));
    for (title, w) in [
        ("ACCOUNT", cols.account),
        ("ROLE", cols.role),
        ("REGION", cols.region),
        ("SOURCE", cols.source),
    ] {
        if w > 0 {
            head.push_str(GAP);
            head.push_str(&fit(title, w));
        }
    }
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&head, width), theme.header())),
        header,
    );

    if model.visible.is_empty() {
        let text = format!(
            "No role matches \"{}\". Esc clears the filter.",
            model.filter.value()
        );
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim())).wrap(Wrap { trim: true }),
            body,
        );
        return;
    }

    let rows = body.height as usize;
    // `update` keeps the offset for the size last reported; this frame's size decides.
    let offset = scroll_offset(model.offset, model.selected, rows, model.visible.len());

    let query = model.filter.value();
    let pattern = (!query.trim().is_empty()).then(|| filter::pattern(query));
    let mut matcher = pattern.as_ref().map(|_| filter::new_matcher());

    let mut lines = Vec::with_capacity(rows);
    for (position, &index) in model.visible.iter().enumerate().skip(offset).take(rows) {
        let Some(role) = model.roles.get(index) else {
            continue;
        };
        let selected = position == model.selected;
        let marks = match (&pattern, &mut matcher, model.haystacks.get(index)) {
            (Some(p), Some(m), Some(h)) => filter::highlights(p, role, h, m),
            _ => Highlights::default(),
        };
        let base = Style::new();
        let hl = theme.matched();
        let mut spans = Vec::with_capacity(12);
        spans.push(Span::styled(
            if selected { "> " } else { "  " },
            theme.key(),
        ));
        match theme.swatch(role.color.as_deref()) {
            Some(style) => spans.push(Span::styled("██", style)),
            None => spans.push(Span::raw("  ")),
        }
        spans.push(Span::raw(" "));
        if model.is_favorite(role) {
            let name = format!("★ {}", role.name);
            let marks: Vec<usize> = marks.name.iter().map(|i| i + 2).collect();
            spans.extend(highlighted(&name, cols.name, &marks, base, hl));
        } else {
            spans.extend(highlighted(&role.name, cols.name, &marks.name, base, hl));
        }
        for (text, width, matched, style) in [
            (&role.account_id, cols.account, &marks.account, theme.dim()),
            (&role.role_name, cols.role, &marks.role_name, base),
        ] {
            if width > 0 {
                spans.push(Span::raw(GAP));
                spans.extend(highlighted(text, width, matched, style, hl));
            }
        }
        if cols.region > 0 {
            spans.push(Span::raw(GAP));
            let region = model.config.region_of(role).unwrap_or("-");
            spans.push(Span::styled(fit(region, cols.region), theme.dim()));
        }
        if cols.source > 0 {
            spans.push(Span::raw(GAP));
            let source = role.source.as_deref().unwrap_or("-");
            spans.push(Span::styled(fit(source, cols.source), theme.dim()));
        }
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        if used < width {
            spans.push(Span::raw(" ".repeat(width - used)));
        }
        let mut line = Line::from(spans);
        if selected {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// The first row to show so that `selected` is on screen, moving as little as possible.
pub(super) fn scroll_offset(previous: usize, selected: usize, rows: usize, len: usize) -> usize {
    let rows = rows.max(1);
    let mut offset = previous.min(len.saturating_sub(rows));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + rows {
        offset = selected + 1 - rows;
    }
    offset
}

fn draw_empty(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme;
    let lines = vec![
        Line::from(""),
        Line::styled("No roles remembered yet.", theme.title()),
        Line::from(""),
        Line::from(vec![
            Span::raw("Press "),
            Span::styled("Ctrl-A", theme.key()),
            Span::raw(" to add the first one (a pasted role ARN fills account and role)."),
        ]),
        Line::from("Or from a shell:"),
        Line::styled(
            "  switchrole add \"Client\" --account 123456789012 --role RoleName",
            theme.dim(),
        ),
        Line::from(""),
        Line::styled(
            format!("The list is kept in {}", model.config.path.display()),
            theme.dim(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_shrink_with_the_width() {
        let wide = columns(80, false);
        assert!(
            wide.region > 0 && wide.role > 0 && wide.name >= 15,
            "{wide:?}"
        );
        let narrow = columns(50, false);
        assert_eq!(narrow.region, 0);
        assert!(narrow.role > 0);
        let tiny = columns(30, false);
        assert_eq!((tiny.account, tiny.role), (12, 0));
        assert_eq!(columns(10, false).account, 0);
        assert_eq!(columns(80, false).source, 0);
        let team = columns(80, true);
        assert_eq!((team.source, team.region), (SOURCE_WIDTH, REGION_WIDTH));
        assert_eq!(
            columns(70, true).source,
            0,
            "narrow: the status bar names it"
        );
    }

    #[test]
    fn scrolling_keeps_the_selection_visible() {
        assert_eq!(scroll_offset(0, 5, 10, 100), 0);
        assert_eq!(scroll_offset(0, 12, 10, 100), 3);
        assert_eq!(scroll_offset(20, 12, 10, 100), 12);
        assert_eq!(scroll_offset(90, 2, 10, 5), 0);
    }
}
