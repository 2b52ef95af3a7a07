//! `[defaults] role_name_pattern`: the naming convention of the roles `setup new` creates
//! (SPEC 7). Owns its placeholders, the check the loader runs on it, its expansion into a
//! valid IAM role name, and the role ARN pattern that matches every name it gives (what
//! `setup grant` proposes when the role ARNs no longer fit a policy). Holds no I/O.
//!
//! Placeholders: `{client}` is the display name given to `setup new`, `{me}` the caller's
//! IAM user name, `{account}` the caller's own 12-digit account ID. Each value is sanitised
//! before it is put in: ASCII letters, digits and `+=,.@_-` are kept, every other run of
//! characters (spaces, `/`, accents, ...) becomes one `-`, and `-` is trimmed from both
//! ends (`Acme (prod)` -> `Acme-prod`). The name after the last `/` is cut to IAM's 64
//! characters; the literal text of the pattern may hold a path (`clients/{client}-{me}`).

use super::validate;

/// The convention of the setup guide, used when `[defaults]` names none.
pub const DEFAULT_PATTERN: &str = "{client}-access-{me}";

/// The placeholders a pattern may use.
pub const PLACEHOLDERS: [&str; 3] = ["client", "me", "account"];

/// IAM's longest role name (the part after the path).
const MAX_ROLE_NAME: usize = 64;

/// The values the placeholders stand for.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    pub client: &'a str,
    pub me: &'a str,
    pub account: &'a str,
}

enum Piece<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

fn pieces(pattern: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(0) if rest.starts_with('{') => {
                let end = rest.find('}').ok_or("has a { without its }")?;
                let name = &rest[1..end];
                if !PLACEHOLDERS.contains(&name) {
                    return Err(format!(
                        "has an unknown placeholder {}: use {{client}}, {{me}} or {{account}}",
                        validate::quoted(&rest[..=end])
                    ));
                }
                out.push(Piece::Placeholder(name));
                rest = &rest[end + 1..];
            }
            Some(0) => return Err("has a } without its {".into()),
            Some(at) => {
                out.push(Piece::Literal(&rest[..at]));
                rest = &rest[at..];
            }
            None => {
                out.push(Piece::Literal(rest));
                rest = "";
            }
        }
    }
    Ok(out)
}

/// The loader's check: known placeholders, `{client}` among them (else every client's
/// role would get the same name), and literal text a role name (and its path) can hold.
pub fn check(pattern: &str) -> Result<(), String> {
    let pieces = pieces(pattern)?;
    if !pieces
        .iter()
        .any(|p| matches!(p, Piece::Placeholder("client")))
    {
        return Err("must contain {client}, e.g. \"{client}-access-{me}\"".into());
    }
    let literal_ok = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c);
    for piece in &pieces {
        if let Piece::Literal(text) = piece
            && !text.chars().all(literal_ok)
        {
            return Err(format!(
                "has {} outside the placeholders: a role name holds letters, digits and +=,.@_- (and / for a path)",
                validate::quoted(text)
            ));
        }
    }
    if pattern.starts_with('/') || pattern.ends_with('/') || pattern.contains("//") {
        return Err(
            "has an empty part of the path: write \"path/{client}\", not \"/{client}\"".into(),
        );
    }
    Ok(())
}

/// True when `pattern` uses the placeholder `name`.
pub fn uses(pattern: &str, name: &str) -> bool {
    pieces(pattern).is_ok_and(|pieces| {
        pieces
            .iter()
            .any(|p| matches!(p, Piece::Placeholder(n) if *n == name))
    })
}

/// A placeholder's value as it goes into a role name (see the module's comment).
pub fn sanitise(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || "+=,.@_-".contains(c) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The role name (with its path, when the pattern has one) that `pattern` gives.
pub fn expand(pattern: &str, values: Values<'_>) -> Result<String, String> {
    check(pattern)?;
    if sanitise(values.client).is_empty() {
        return Err(format!(
            "{} has no letters or digits to name a role after",
            validate::quoted(values.client)
        ));
    }
    let mut name = String::new();
    for piece in pieces(pattern)? {
        match piece {
            Piece::Literal(text) => name.push_str(text),
            Piece::Placeholder(which) => name.push_str(&sanitise(value_of(which, values))),
        }
    }
    let (path, leaf) = match name.rsplit_once('/') {
        Some((path, leaf)) => (Some(path), leaf),
        None => (None, name.as_str()),
    };
    let leaf: String = leaf.chars().take(MAX_ROLE_NAME).collect();
    let leaf = leaf.trim_matches('-');
    let name = match path {
        Some(path) => format!("{path}/{leaf}"),
        None => leaf.to_string(),
    };
    validate::role_name(&name)?;
    Ok(name)
}

fn value_of<'a>(placeholder: &str, values: Values<'a>) -> &'a str {
    match placeholder {
        "client" => values.client,
        "me" => values.me,
        _ => values.account,
    }
}

/// The role ARN pattern that matches every role `pattern` names for `me` in any account:
/// `{client}` becomes `*` (`arn:aws:iam::*:role/*-access-alice`).
pub fn arn_pattern(pattern: &str, values: Values<'_>, partition: &str) -> Option<String> {
    let mut glob = String::new();
    for piece in pieces(pattern).ok()? {
        match piece {
            Piece::Literal(text) => glob.push_str(text),
            Piece::Placeholder("client") => glob.push('*'),
            Piece::Placeholder(which) => glob.push_str(&sanitise(value_of(which, values))),
        }
    }
    Some(format!("arn:{partition}:iam::*:role/{glob}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: Values<'static> = Values {
        client: "Acme prod",
        me: "alice",
        account: "111122223333",
    };

    #[test]
    fn checks_placeholders_and_literals() {
        assert!(check(DEFAULT_PATTERN).is_ok());
        assert!(check("clients/{client}-{account}").is_ok());
        assert!(check("{me}-only").unwrap_err().contains("{client}"));
        assert!(check("{client}-{you}").unwrap_err().contains("{you}"));
        assert!(check("{client").unwrap_err().contains("without its }"));
        assert!(check("client}").unwrap_err().contains("without its {"));
        assert!(
            check("{client} access")
                .unwrap_err()
                .contains("\" access\"")
        );
        assert!(check("/{client}").is_err());
        assert!(check("a//{client}").is_err());
    }

    #[test]
    fn expands_and_sanitises() {
        assert_eq!(
            expand(DEFAULT_PATTERN, ALICE).unwrap(),
            "Acme-prod-access-alice"
        );
        let odd = Values {
            client: "  Café (prod) / eu #1 ",
            me: "alice@example.com",
            account: "111122223333",
        };
        assert_eq!(
            expand("clients/{client}.{me}", odd).unwrap(),
            "clients/Caf-prod-eu-1.alice@example.com"
        );
        assert_eq!(
            expand("{client}-{account}", ALICE).unwrap(),
            "Acme-prod-111122223333"
        );
        let long = "x".repeat(100);
        let name = expand(
            DEFAULT_PATTERN,
            Values {
                client: &long,
                ..ALICE
            },
        )
        .unwrap();
        assert_eq!(name.len(), 64);
        assert!(validate::role_name(&name).is_ok());
        let empty = Values {
            client: "日本",
            ..ALICE
        };
        assert!(
            expand(DEFAULT_PATTERN, empty)
                .unwrap_err()
                .contains("no letters")
        );
    }

    #[test]
    fn arn_patterns_match_the_convention() {
        assert_eq!(
            arn_pattern(DEFAULT_PATTERN, ALICE, "aws").unwrap(),
            "arn:aws:iam::*:role/*-access-alice"
        );
        assert_eq!(
            arn_pattern("c/{client}-{account}", ALICE, "aws-cn").unwrap(),
            "arn:aws-cn:iam::*:role/c/*-111122223333"
        );
        assert!(uses(DEFAULT_PATTERN, "me"));
        assert!(!uses(DEFAULT_PATTERN, "account"));
    }
}
