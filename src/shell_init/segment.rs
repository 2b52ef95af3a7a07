//! The prompt segment of `switchrole prompt`: the role's name, the time left and its
//! colour, from the environment alone (`SWITCHROLE`, `SWITCHROLE_EXPIRES`,
//! `SWITCHROLE_COLOR`, `COLORTERM`, `NO_COLOR`): no config, no network, no SDK. The same
//! marker the init scripts draw in shell code.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::aws::credentials::remaining_text;
use crate::untrusted::is_hidden;

/// How `switchrole prompt` prints the segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptFormat {
    /// `NAME 42m`, no escape sequences.
    Plain,
    /// The same in the role's colour (truecolor, else 256 colours; none under NO_COLOR).
    Ansi,
}

impl PromptFormat {
    /// The format named on the command line (`plain`, `ansi`), as clap reads it.
    pub fn parse(text: &str) -> Option<PromptFormat> {
        clap::ValueEnum::from_str(text, false).ok()
    }
}

/// What the segment is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segment {
    /// The display name, control characters replaced by `?`.
    pub name: String,
    /// Seconds left (`None` when the session renews itself or says nothing).
    pub left: Option<u64>,
    /// The role's colour as an SGR sequence (`None`: no colour).
    pub sgr: Option<String>,
}

/// The variables the segment reads, as the environment holds them.
#[derive(Debug, Default)]
pub struct Env {
    pub name: Option<String>,
    pub expires: Option<String>,
    pub color: Option<String>,
    pub colorterm: Option<String>,
    pub no_color: bool,
}

impl Env {
    /// This process's environment.
    pub fn current() -> Env {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            name: var("SWITCHROLE"),
            expires: var("SWITCHROLE_EXPIRES"),
            color: var("SWITCHROLE_COLOR"),
            colorterm: var("COLORTERM"),
            no_color: var("NO_COLOR").is_some(),
        }
    }
}

/// The segment for `env` at `now`; `None` outside a switchrole session.
pub fn segment(env: &Env, now: SystemTime) -> Option<Segment> {
    let name: String = env
        .name
        .as_deref()?
        .chars()
        .map(|c| if is_hidden(c) { '?' } else { c })
        .collect();
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let left = env
        .expires
        .as_deref()
        .and_then(|e| e.parse::<u64>().ok())
        .map(|expires| expires.saturating_sub(now));
    let truecolor = matches!(env.colorterm.as_deref(), Some("truecolor" | "24bit"));
    let sgr = (!env.no_color)
        .then(|| env.color.as_deref().and_then(parse_hex))
        .flatten()
        .map(|rgb| sgr(rgb, truecolor));
    Some(Segment { name, left, sgr })
}

/// `#rrggbb` or `rrggbb`.
fn parse_hex(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.strip_prefix('#').unwrap_or(text);
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// Bold in the colour: 24-bit, else the nearest of xterm's 6x6x6 cube.
pub fn sgr((r, g, b): (u8, u8, u8), truecolor: bool) -> String {
    if truecolor {
        return format!("\x1b[1;38;2;{r};{g};{b}m");
    }
    let level = |v: u8| match v {
        0..48 => 0u16,
        48..115 => 1,
        _ => (u16::from(v) - 35) / 40,
    };
    let index = 16 + 36 * level(r) + 6 * level(g) + level(b);
    format!("\x1b[1;38;5;{index}m")
}

impl Segment {
    /// The segment as text: `NAME 42m` (or `NAME expired`, or `NAME` alone).
    pub fn render(&self, format: PromptFormat) -> String {
        let left = match self.left {
            Some(0) => " expired".to_string(),
            Some(secs) => format!(" {}", remaining_text(secs)),
            None => String::new(),
        };
        match (&self.sgr, format) {
            (Some(sgr), PromptFormat::Ansi) => format!("{sgr}{}\x1b[0m{left}", self.name),
            _ => format!("{}{left}", self.name),
        }
    }
}
