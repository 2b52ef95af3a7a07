//! Colours and text styles of the TUI, in one place so that `NO_COLOR` is honoured
//! everywhere: with it set, only bold/underline/reverse are used and no colour at all.

use ratatui::style::{Color, Modifier, Style};

use crate::config::color;

/// The styles the views use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False when `NO_COLOR` is set (to anything non-empty).
    pub color: bool,
}

impl Theme {
    /// The theme for this process's environment.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn colored() -> Theme {
        Theme { color: true }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn header(self) -> Style {
        self.fg(Color::Gray).add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row of the list.
    pub fn selected(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// Characters matched by the filter.
    pub fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn error(self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn info(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn favorite(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// The focused form field's input.
    pub fn focused(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Indexed(236))
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    /// The swatch of a role colour (`#rrggbb` or a console colour name); none without colour.
    pub fn swatch(self, role_color: Option<&str>) -> Option<Style> {
        if !self.color {
            return None;
        }
        let rgb = color::parse(role_color?).ok()?;
        Some(Style::new().fg(Color::Rgb(rgb.0, rgb.1, rgb.2)))
    }
}
