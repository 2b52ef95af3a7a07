//! Test input: config and team files in the plain subset of TOML, generated from a seed,
//! written the many ways people and switchrole write them.

use super::tests::XorShift;

fn pick<'a>(rng: &mut XorShift, items: &[&'a str]) -> &'a str {
    items[rng.below(items.len())]
}

/// `value` as a TOML string the way a person might write it.
fn quoted(rng: &mut XorShift, value: &str) -> String {
    let (has_double, has_single) = (value.contains('"'), value.contains('\''));
    match (has_double, has_single) {
        (true, true) => format!("\"{}\"", value.replace('"', "\\\"")),
        (true, false) => format!("'{value}'"),
        (false, true) => format!("\"{value}\""),
        (false, false) if rng.below(4) == 0 => format!("'{value}'"),
        (false, false) if rng.below(400) == 0 => format!("\"\\u0041{value}\""),
        (false, false) => format!("\"{value}\""),
    }
}

fn quoted_pick(rng: &mut XorShift, values: &[&str]) -> String {
    let value = pick(rng, values);
    quoted(rng, value)
}

/// `line` with the blanks and comment a person might put around it.
fn decorate(rng: &mut XorShift, line: &str) -> String {
    let indent = pick(rng, &["", "", "", "", " ", "\t", "  "]);
    let trailing = pick(rng, &["", "", "", " ", "\t ", "  "]);
    let comment = pick(
        rng,
        &[
            "",
            "",
            "",
            "",
            " # note",
            "#c",
            " # ünï # [[roles]] \"q\" 'x'",
        ],
    );
    format!("{indent}{line}{trailing}{comment}")
}

fn assign(rng: &mut XorShift, key: &str, value: &str) -> String {
    let before = pick(rng, &[" ", " ", "", "\t", "  "]);
    let after = pick(rng, &[" ", " ", "", "\t", "  "]);
    format!("{key}{before}={after}{value}")
}

/// Now and then a blank line, a comment or a line of blanks (rarely with a control
/// character, which TOML does not allow in a comment).
fn maybe_blank(rng: &mut XorShift, lines: &mut Vec<String>) {
    let line = match rng.below(12) {
        0 | 1 => "",
        2 => "# a comment with ünïcode, \"quotes\" and = [signs]",
        3 => "  \t",
        4 => "#\ttab",
        5 if rng.below(200) == 0 => "# \u{7f} delete",
        6 if rng.below(200) == 0 => "# a lone \r return",
        _ => return,
    };
    lines.push(line.to_string());
}

/// A duration, now and then one outside the plain subset or outside TOML.
fn duration(rng: &mut XorShift) -> String {
    let usual = ["\"1h\"", "\"45m\"", "3600", "+3600", "900", "43200", "'2h'"];
    let rare = [
        "0",
        "-900",
        "03600",
        "1_000",
        "3600.0",
        "99999999999999999999",
        "+0",
        "-0",
    ];
    let written = if rng.below(20) == 0 {
        pick(rng, &rare)
    } else {
        pick(rng, &usual)
    };
    written.to_string()
}

fn tags(rng: &mut XorShift) -> String {
    let items: Vec<String> = (0..rng.below(4))
        .map(|_| {
            let tag = pick(
                rng,
                &["prod", "ünï", "a#b", "x y", "'q'", "say \"hi\"", "t,1"],
            );
            quoted(rng, tag)
        })
        .collect();
    let comma = pick(rng, &[",", ", ", " , ", ",\t"]);
    let trailing = if items.is_empty() {
        ""
    } else {
        pick(rng, &["", ",", ", "])
    };
    let inside = pick(rng, &["", " ", "\t"]);
    format!("[{inside}{}{trailing}{inside}]", items.join(comma))
}

fn display_name(rng: &mut XorShift, index: usize) -> String {
    if rng.below(100) == 0 {
        return "Twice".into();
    }
    let parts = [
        "Client",
        "Ωμέγα",
        "東京",
        "O'Brien",
        "say \"hi\"",
        "#1",
        "a # b",
        "x=y",
        "[[roles]]",
        "🚀",
    ];
    let first = pick(rng, &parts);
    let second = pick(rng, &parts);
    format!("{first} {second} {index}")
}

/// A config file in the plain subset (or, `team`, a team file: `[[roles]]` only), valid or
/// nearly so, written the many ways people and switchrole write them: CRLF, blanks,
/// comments, both quotes, integers and texts for durations, arrays with trailing commas.
pub(in crate::config) fn plain_file(rng: &mut XorShift, team: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    maybe_blank(rng, &mut lines);
    if !team && rng.below(2) == 0 {
        lines.push(decorate(rng, "[defaults]"));
        let region = quoted(rng, "eu-west-1");
        let seconds = duration(rng);
        let prompt = pick(rng, &["true", "false"]).to_string();
        let session = quoted(rng, "alice");
        let keys = [("region", region), ("duration", seconds)];
        let more = [("prompt", prompt), ("session_name", session)];
        for (key, value) in keys.into_iter().chain(more) {
            if rng.below(3) != 0 {
                let line = assign(rng, key, &value);
                lines.push(decorate(rng, &line));
            }
        }
    }
    for index in 0..rng.below(7) {
        maybe_blank(rng, &mut lines);
        lines.push(decorate(rng, "[[roles]]"));
        let name = display_name(rng, index);
        let account = format!("{:012}", rng.next() % 1_000_000_000_000);
        let mut keys = vec![
            ("name", quoted(rng, &name)),
            ("account_id", quoted(rng, &account)),
            ("role_name", quoted_pick(rng, &["Admin", "ops/ReadOnly"])),
        ];
        let optional = [
            ("duration", duration(rng)),
            ("tags", tags(rng)),
            ("favorite", pick(rng, &["true", "false"]).to_string()),
            ("color", quoted_pick(rng, &["red", "#b7ca9d"])),
            ("region", quoted(rng, "us-east-1")),
        ];
        keys.extend(optional.into_iter().filter(|_| rng.below(2) == 0));
        let turn = rng.below(keys.len());
        keys.rotate_left(turn);
        for (key, value) in keys {
            maybe_blank(rng, &mut lines);
            let line = assign(rng, key, &value);
            lines.push(decorate(rng, &line));
        }
    }
    if !team && rng.below(3) == 0 {
        lines.push(decorate(rng, "[[sources]]"));
        for (key, value) in [("name", "platform"), ("path", "team.toml")] {
            let value = quoted(rng, value);
            let line = assign(rng, key, &value);
            lines.push(decorate(rng, &line));
        }
    }
    let newline = if rng.below(4) == 0 { "\r\n" } else { "\n" };
    let mut text = lines.join(newline);
    if rng.below(5) != 0 {
        text.push_str(newline);
    }
    text
}
