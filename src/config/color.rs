//! Role colours: the AWS console's named colours or any `#rrggbb`.

/// The console's Switch Role colours, by the names it shows.
pub const PALETTE: [(&str, Rgb); 5] = [
    ("red", Rgb(0xF2, 0xB0, 0xA9)),
    ("orange", Rgb(0xFB, 0xBF, 0x93)),
    ("yellow", Rgb(0xFA, 0xD7, 0x91)),
    ("green", Rgb(0xB7, 0xCA, 0x9D)),
    ("blue", Rgb(0x99, 0xBC, 0xE3)),
];

/// A colour as red, green and blue bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The six hex digits, without `#`, as the console's switch-role link wants them.
    pub fn hex(self) -> String {
        format!("{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Parses a colour name or `#rrggbb` (the `#` may be left out, as the console's links do).
pub fn parse(text: &str) -> Result<Rgb, String> {
    let written = text.trim();
    // The hex form first (what files hold), then the names compared without copying: this
    // runs for every role of a 10,000-role file.
    let hex = written.strip_prefix('#').unwrap_or(written);
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        // Six ASCII hex digits: every pair parses.
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0);
        return Ok(Rgb(byte(0), byte(2), byte(4)));
    }
    if let Some((_, rgb)) = PALETTE
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(written))
    {
        return Ok(*rgb);
    }
    let names: Vec<&str> = PALETTE.iter().map(|(name, _)| *name).collect();
    Err(format!(
        "{} is not a colour: use #rrggbb or one of {}",
        super::validate::quoted(text),
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hex() {
        assert_eq!(parse("Red"), Ok(Rgb(0xF2, 0xB0, 0xA9)));
        assert_eq!(parse("#00ff7F"), Ok(Rgb(0, 255, 127)));
        assert_eq!(parse("00ff7f").map(Rgb::hex), Ok("00ff7f".to_string()));
        assert!(parse("#12345").is_err());
        assert!(parse("mauve").is_err());
        assert_eq!(parse(" ABCDEF "), Ok(Rgb(0xAB, 0xCD, 0xEF)));
        assert!(parse("#abcdeg").is_err());
        assert!(parse("#+1+2+3").is_err());
        assert!(parse("#ééé").is_err());
    }
}
