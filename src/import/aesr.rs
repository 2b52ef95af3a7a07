//! `import aesr`: the configuration text of the "AWS Extend Switch Roles" browser extension,
//! as its README documents it. Sections `[profile NAME]` or `[NAME]`; `key = value` lines;
//! everything from `;` or `#` on is a comment. A target role is `role_arn`, or
//! `aws_account_id` with `role_name`, with optional `color` (hex without `#`) and `region`.
//! A section named by another's `source_profile` is a base account (where the browser signs
//! in, not a role): its `target_role_name` and `target_region` are the defaults of its
//! targets. A mistake spoils only its own section, reported with its line.

use std::collections::{HashMap, HashSet};

use super::{Bad, Draft, Origin, Parsed, set_role_arn};

/// One section as written.
#[derive(Debug, Default)]
struct Section {
    name: String,
    line: usize,
    /// `key -> value`, in no order.
    params: HashMap<String, String>,
    /// The first mistake in the section, with its line.
    error: Option<(usize, String)>,
}

impl Section {
    fn get(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}

/// The roles of AESR configuration `text`.
pub fn parse(text: &str) -> Parsed {
    let (sections, mut bad) = sections(text);
    let by_name: HashMap<&str, &Section> = sections.iter().map(|s| (s.name.as_str(), s)).collect();
    let bases: HashSet<&str> = sections
        .iter()
        .filter_map(|s| s.get("source_profile"))
        .collect();
    let mut parsed = Parsed::default();
    for section in &sections {
        let origin = Origin::Line(section.line);
        let bad_entry = |reason: String| Bad {
            origin: origin.clone(),
            name: Some(section.name.clone()),
            reason,
        };
        if let Some((line, reason)) = &section.error {
            bad.push(Bad {
                origin: Origin::Line(*line),
                ..bad_entry(reason.clone())
            });
            continue;
        }
        if bases.contains(section.name.as_str()) {
            parsed.skipped.push(bad_entry(
                "a base account (named by source_profile): where the browser signs in, not a role"
                    .into(),
            ));
            continue;
        }
        let base = match section.get("source_profile") {
            Some(base) => match by_name.get(base) {
                Some(base) => Some(*base),
                None => {
                    bad.push(bad_entry(format!(
                        "`source_profile` names \"{base}\", which no section defines"
                    )));
                    continue;
                }
            },
            None => None,
        };
        match draft(section, base, origin.clone()) {
            Ok(draft) => parsed.drafts.push(draft),
            Err(reason) => bad.push(bad_entry(reason)),
        }
    }
    parsed.bad = bad;
    parsed
}

/// The role of a target section; `base` is its base account's section.
fn draft(section: &Section, base: Option<&Section>, origin: Origin) -> Result<Draft, String> {
    let mut draft = Draft::new(origin, &section.name);
    let from_base = |key: &str| base.and_then(|b| b.get(key));
    match section.get("role_arn") {
        Some(_)
            if section.get("aws_account_id").is_some() || section.get("role_name").is_some() =>
        {
            return Err("has both `role_arn` and `aws_account_id` or `role_name`".into());
        }
        Some(arn) => set_role_arn(&mut draft, "role_arn", arn)?,
        None => {
            let account = section
                .get("aws_account_id")
                .ok_or("names no account (`aws_account_id` or `role_arn`)")?;
            draft.set("account_id", "aws_account_id", account);
            match (section.get("role_name"), from_base("target_role_name")) {
                (Some(role), _) => draft.set("role_name", "role_name", role),
                (None, Some(role)) => draft.set("role_name", "target_role_name", role),
                (None, None) => {
                    return Err(
                        "names no role (`role_name`, or `target_role_name` in its base account)"
                            .into(),
                    );
                }
            }
        }
    }
    match (section.get("region"), from_base("target_region")) {
        (Some(region), _) => draft.set("region", "region", region),
        (None, Some(region)) => draft.set("region", "target_region", region),
        (None, None) => {}
    }
    if let Some(color) = section.get("color") {
        // AESR writes hex without `#`; a colour name or `#rrggbb` is taken as it is.
        let is_hex = color.len() == 6 && color.chars().all(|c| c.is_ascii_hexdigit());
        let color = if is_hex {
            format!("#{}", color.to_ascii_lowercase())
        } else {
            color.to_string()
        };
        draft.set("color", "color", &color);
    }
    Ok(draft)
}

/// The sections of `text` and the lines outside any section that are not blank.
fn sections(text: &str) -> (Vec<Section>, Vec<Bad>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut bad = Vec::new();
    for (index, raw) in text
        .split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .enumerate()
    {
        let line = index + 1;
        let content = raw.split([';', '#']).next().unwrap_or_default().trim();
        if content.is_empty() {
            continue;
        }
        if let Some(header) = content.strip_prefix('[').and_then(|c| c.strip_suffix(']'))
            && !header.trim().is_empty()
        {
            sections.push(Section {
                name: strip_profile(header.trim()).to_string(),
                line,
                ..Section::default()
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            bad.push(Bad {
                origin: Origin::Line(line),
                name: None,
                reason: "text before the first [section]".into(),
            });
            continue;
        };
        if section.error.is_some() {
            continue;
        }
        let (key, value) = content.split_once('=').unwrap_or((content, ""));
        let (key, value) = (key.trim(), value.trim());
        let error = if key.is_empty() || value.is_empty() {
            Some("is not a `key = value` line".to_string())
        } else if section.params.contains_key(key) {
            Some(format!("sets `{key}` twice"))
        } else {
            section.params.insert(key.to_string(), value.to_string());
            None
        };
        section.error = error.map(|reason| (line, reason));
    }
    (sections, bad)
}

/// `profile NAME` -> `NAME` (the word in any case, then spaces).
fn strip_profile(header: &str) -> &str {
    match header.split_once(char::is_whitespace) {
        Some((word, rest)) if word.eq_ignore_ascii_case("profile") && !rest.trim().is_empty() => {
            rest.trim_start()
        }
        _ => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_prefix_comments_and_line_endings() {
        let parsed = parse(
            "[Profile  a]\r\nrole_arn = arn:aws:iam::123456789012:role/R ; c\r[b] # x\naws_account_id=123456789012\nrole_name=S\n",
        );
        let names: Vec<&str> = parsed.drafts.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(parsed.drafts[1].origin, Origin::Line(3));
        assert!(parsed.bad.is_empty(), "{:?}", parsed.bad);
    }

    #[test]
    fn a_mistake_spoils_only_its_section() {
        let parsed = parse(
            "stray\n[a]\naws_account_id = 1\naws_account_id = 2\n[b]\nrole_name\n[c]\naws_account_id = 123456789012\nrole_name = R\n",
        );
        let reasons: Vec<String> = parsed.bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            reasons,
            [
                "line 1: text before the first [section]",
                "line 4, \"a\": sets `aws_account_id` twice",
                "line 6, \"b\": is not a `key = value` line",
            ]
        );
        assert_eq!(parsed.drafts.len(), 1);
    }
}
