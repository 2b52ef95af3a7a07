//! Credential values cut out of text that is about to be quoted in an error: the XML
//! elements (`<SecretAccessKey>…</SecretAccessKey>`), JSON members (`"Token": "…"`), query
//! parameters and headers (`X-Amz-Security-Token: …`) that can carry a secret, whatever
//! their case or namespace prefix.

/// Names whose values are replaced, lower case. A name matches at the start of a word.
const SECRET_NAMES: [&str; 7] = [
    "secretaccesskey",
    "sessiontoken",
    "x-amz-security-token",
    "signintoken",
    "accesskeyid",
    "tokencode",
    "token",
];

const REDACTED: &str = "[redacted]";

/// `text` with the value of every credential element, member, parameter or header replaced
/// by `[redacted]`.
pub fn redact_credentials(text: &str) -> String {
    let bytes = text.as_bytes();
    let lower = text.to_ascii_lowercase();
    let lower = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let word_start = i == 0 || !is_word(bytes[i - 1]);
        let found = word_start
            .then(|| {
                SECRET_NAMES.iter().find_map(|name| {
                    lower[i..]
                        .starts_with(name.as_bytes())
                        .then_some(name.len())
                })
            })
            .flatten()
            .and_then(|len| value_span(bytes, i, i + len));
        match found {
            Some((start, end)) => {
                out.push_str(&text[copied..start]);
                out.push_str(REDACTED);
                copied = end;
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Where the value after a secret's name (from `name` to `after`) starts and ends, if what
/// follows the name is a value: `>` (XML, attributes allowed), `"…": "` (JSON), `=` or `:`.
fn value_span(bytes: &[u8], name: usize, after: usize) -> Option<(usize, usize)> {
    let mut j = after;
    let at = |j: usize| bytes.get(j).copied();
    // `<Name` or `<prefix:Name`: an XML start tag.
    let in_tag = bytes[..name]
        .iter()
        .rev()
        .find(|b| !is_word(**b) && **b != b':')
        == Some(&b'<');
    match at(j)? {
        // `<Name>` or `<Name attr="…">`: the text up to the next tag.
        b'>' if in_tag => return Some(until(bytes, j + 1, |b| b == b'<')),
        b' ' if in_tag => {
            let close = j + bytes[j..].iter().position(|b| *b == b'>')?;
            return Some(until(bytes, close + 1, |b| b == b'<'));
        }
        _ => {}
    }
    if at(j) == Some(b'"') || at(j) == Some(b'\'') {
        j += 1;
    }
    while at(j).is_some_and(|b| b == b' ' || b == b'\t') {
        j += 1;
    }
    if !matches!(at(j)?, b':' | b'=') {
        return None;
    }
    j += 1;
    while at(j).is_some_and(|b| b.is_ascii_whitespace()) {
        j += 1;
    }
    match at(j) {
        Some(quote @ (b'"' | b'\'')) => {
            // A JSON string: up to the closing quote that is not escaped.
            let start = j + 1;
            let mut k = start;
            while k < bytes.len() && bytes[k] != quote {
                k += if bytes[k] == b'\\' { 2 } else { 1 };
            }
            Some((start, k.min(bytes.len())))
        }
        _ => Some(until(bytes, j, |b| {
            b.is_ascii_whitespace() || matches!(b, b'&' | b'<' | b',' | b';' | b'}' | b'"')
        })),
    }
}

fn until(bytes: &[u8], start: usize, stop: impl Fn(u8) -> bool) -> (usize, usize) {
    let end = bytes[start..]
        .iter()
        .position(|b| stop(*b))
        .map_or(bytes.len(), |p| start + p);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_credentials_are_cut() {
        let body = "<Credentials><AccessKeyId>ASIAXYZ</AccessKeyId>\
                    <SecretAccessKey>s3cr3t/k+y</SecretAccessKey>\
                    <sts:SessionToken a=\"1\">T0K3N==</sts:SessionToken>\
                    <Expiration>2099</Expiration><SessionToken>unterminated";
        let out = redact_credentials(body);
        for secret in ["ASIAXYZ", "s3cr3t", "T0K3N", "unterminated"] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(out.contains("<Expiration>2099</Expiration>"), "{out}");
        assert!(out.contains("<SecretAccessKey>[redacted]</SecretAccessKey>"));
    }

    #[test]
    fn json_query_and_header_credentials_are_cut() {
        let body = r#"{"AccessKeyId": "ASIAXYZ", "SecretAccessKey":"a\"b", "Token" : "tk",
                      "sessionToken": "st", "SigninToken": "sg", "Code": "Oops"}
                      X-Amz-Security-Token: hdr Action=AssumeRole&TokenCode=123456&x=1"#;
        let out = redact_credentials(body);
        for secret in ["ASIAXYZ", "a\\\"b", "\"tk\"", "st\"", "sg", "hdr", "123456"] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(out.contains(r#""Code": "Oops""#), "{out}");
        assert!(out.contains("Action=AssumeRole"), "{out}");
    }

    #[test]
    fn words_that_only_mention_a_token_stay() {
        let text = "The security token included in the request is invalid.";
        assert_eq!(redact_credentials(text), text);
    }
}
