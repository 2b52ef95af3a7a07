//! Small windows over the list: the help, the delete confirmation, the offer to copy a team
//! role and the MFA code prompt (digits masked). Their key lines are generated from the
//! tables in [`keys`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use super::text::{fit, keys_line};
use crate::tui::keys;
use crate::tui::model::{MfaPrompt, Model};

fn window<'a>(frame: &mut Frame, area: Rect, title: String, model: &Model) -> (Rect, Block<'a>) {
    frame.render_widget(Clear, area);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(Span::styled(title, model.theme.title()));
    (block.inner(area), block)
}

pub fn draw_help(frame: &mut Frame, area: Rect, model: &Model) {
    let theme = model.theme;
    let help = keys::LIST.help();
    let key_width = help
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let outer = centered(area, 80, help.len() as u16 + 2);
    let title = format!(" Keys ({}) ", keys::HELP.footer_text(", "));
    let (inner, block) = window(frame, outer, title, model);
    let block = block.title_bottom(Line::styled(
        format!(" Form: {} ", keys::FORM.footer_text(" · ")),
        theme.dim(),
    ));
    frame.render_widget(block, outer);
    let key_width = key_width.min(usize::from(inner.width) / 2);
    let lines: Vec<Line> = help
        .iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(fit(keys, key_width), theme.key()),
                Span::raw("  "),
                Span::raw(what.clone()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, model: &Model, name: &str) {
    let theme = model.theme;
    let target = model
        .role(name)
        .map(|r| r.account_and_role())
        .unwrap_or_default();
    let outer = centered(area, 60, 6);
    let (inner, block) = window(frame, outer, " Delete ".into(), model);
    frame.render_widget(block, outer);
    let lines = vec![
        Line::from(format!("Forget \"{name}\" ({target})?")),
        Line::from(""),
        keys_line(&keys::CONFIRM_DELETE.hints(), " · ", usize::MAX, theme),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// The offer to copy the team role `name` into the user's own list (Ctrl-E on it).
pub fn draw_copy_offer(frame: &mut Frame, area: Rect, model: &Model, name: &str) {
    let theme = model.theme;
    let source = model
        .role(name)
        .and_then(|r| r.source.clone())
        .unwrap_or_default();
    let outer = centered(area, 64, 9);
    let (inner, block) = window(frame, outer, " A team role ".into(), model);
    frame.render_widget(block, outer);
    let lines = vec![
        Line::from(format!(
            "\"{name}\" comes from the team source \"{source}\", which switchrole only reads."
        )),
        Line::from(""),
        Line::from(
            "Copy it into your own list and edit the copy? Under the same name, your copy \
             hides the team's.",
        ),
        Line::from(""),
        keys_line(&keys::CONFIRM_COPY.hints(), " · ", usize::MAX, theme),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

pub fn draw_mfa(frame: &mut Frame, area: Rect, model: &Model, prompt: &MfaPrompt) {
    let theme = model.theme;
    let outer = centered(area, 64, 7);
    let (inner, block) = window(frame, outer, " MFA code ".into(), model);
    frame.render_widget(block, outer);
    let role = &prompt.role;
    let masked: String = "•".repeat(prompt.code.len()) + &"_".repeat(6 - prompt.code.len().min(6));
    let mut lines = vec![
        Line::from(format!("\"{role}\" needs a code from {}", prompt.serial)),
        Line::from(vec![
            Span::styled("Code: ", theme.header()),
            Span::styled(masked, theme.focused()),
        ]),
    ];
    match &prompt.error {
        Some(error) => lines.push(Line::styled(error.clone(), theme.error())),
        None => lines.push(Line::from("")),
    }
    lines.push(Line::styled(keys::MFA.footer_text(" · "), theme.dim()));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
