//! Durations as users write them: `"1h"`, `"45m"`, `"1h30m"`, `"900s"`, `"3600"` or `3600`.

use super::validate::quoted;

/// Parses a duration into whole seconds.
pub fn parse(text: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("is empty; write it like \"1h\", \"45m\" or 3600".into());
    }
    if let Ok(seconds) = text.parse::<u32>() {
        return Ok(seconds);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => {
                return Err(format!(
                    "{} is not a duration like \"1h\", \"45m\" or 3600",
                    quoted(text)
                ));
            }
        };
        let value: u64 = number.parse().map_err(|_| {
            format!(
                "{} is not a duration like \"1h\", \"45m\" or 3600",
                quoted(text)
            )
        })?;
        total = value
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("{} is too long", quoted(text)))?;
        number.clear();
    }
    if !number.is_empty() {
        return Err(format!(
            "{} has a number without a unit (h, m or s) at the end",
            quoted(text)
        ));
    }
    u32::try_from(total).map_err(|_| format!("{} is too long", quoted(text)))
}

/// Formats seconds the short way a user would write them (`1h`, `45m`, `1h30m`).
pub fn format(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_forms() {
        assert_eq!(parse("1h"), Ok(3600));
        assert_eq!(parse("45m"), Ok(2700));
        assert_eq!(parse("1h30m"), Ok(5400));
        assert_eq!(parse("900s"), Ok(900));
        assert_eq!(parse("3600"), Ok(3600));
        assert!(parse("1d").is_err());
        assert!(parse("12").is_ok());
        assert!(parse("1h30").is_err());
        assert!(parse("").is_err());
        assert!(parse("18446744073709551615h1h").is_err(), "no overflow");
    }

    #[test]
    fn formats_back() {
        assert_eq!(format(3600), "1h");
        assert_eq!(format(5400), "1h30m");
        assert_eq!(format(59), "59s");
    }
}
