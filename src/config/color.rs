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
    let hex = written.strip_prefix('#').unwrap_or(written);
    if let [r1, r2, g1, g2, b1, b2] = *hex.as_bytes() {
        let byte = |high: u8, low: u8| Some(hex_digit(high)? << 4 | hex_digit(low)?);
        if let (Some(r), Some(g), Some(b)) = (byte(r1, r2), byte(g1, g2), byte(b1, b2)) {
            return Ok(Rgb(r, g, b));
        }
    }
    // Compared without copying: this runs for every role of a 10,000-role file.
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

/// The value of one hex digit.
fn hex_digit(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
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
