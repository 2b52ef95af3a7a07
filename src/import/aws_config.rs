//! `import aws-config`: the role profiles (`role_arn`) of an AWS config file, read with the
//! AWS SDK's own profile parser (aws-config's `profile::load`), so that a profile means here
//! what it means to every AWS tool: `[profile x]` and `[default]`, comments, continuation
//! lines, merged duplicates; `[sso-session ...]`, `[services ...]` and other sections are not
//! profiles. The SDK keeps no line numbers, so each profile's header line is found by
//! [`section_lines`] for the messages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};

use super::{Bad, Draft, ImportError, Origin, Parsed, set_role_arn};

/// The profile keys carried over, by the role key each fills.
const CARRIED: [(&str, &str); 6] = [
    ("source_profile", "source_profile"),
    ("external_id", "external_id"),
    ("mfa_serial", "mfa_serial"),
    ("region", "region"),
    ("duration_seconds", "duration"),
    ("role_session_name", "session_name"),
];

/// The AWS config file as the SDKs find it: `$AWS_CONFIG_FILE`, else `~/.aws/config`.
pub fn default_path() -> PathBuf {
    crate::server::user_files().0
}

/// Reads the role profiles of the AWS config file at `path`.
pub fn read(path: &Path) -> Result<Parsed, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// The role profiles of `text` (the contents of `path`, named in messages).
pub fn parse(text: &str, path: &Path) -> Result<Parsed, ImportError> {
    let files = EnvConfigFiles::builder()
        .with_contents(EnvConfigFileKind::Config, text)
        .build();
    let loaded = crate::aws::block_on(aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &files,
        None,
    ))
    .map_err(|e| unreadable(path, &e))?
    .map_err(|e| unreadable(path, &e))?;
    let lines = section_lines(text);
    let mut profiles: Vec<(usize, &str)> = loaded
        .profiles()
        .map(|name| (lines.get(name).copied().unwrap_or(0), name))
        .collect();
    profiles.sort_unstable();
    let mut parsed = Parsed::default();
    for (line, name) in profiles {
        let Some(profile) = loaded.get_profile(name) else {
            continue;
        };
        let Some(arn) = profile.get("role_arn") else {
            continue;
        };
        let origin = Origin::Line(line);
        let bad = |reason: String| Bad {
            origin: origin.clone(),
            name: Some(name.to_string()),
            reason,
        };
        if profile.get("web_identity_token_file").is_some() {
            parsed.bad.push(bad(
                "assumes its role with a web identity token (web_identity_token_file), which switchrole does not do".into(),
            ));
            continue;
        }
        let mut draft = Draft::new(origin.clone(), name);
        if let Err(reason) = set_role_arn(&mut draft, "role_arn", arn) {
            parsed.bad.push(bad(reason));
            continue;
        }
        for (profile_key, role_key) in CARRIED {
            if let Some(value) = profile.get(profile_key) {
                draft.set(role_key, profile_key, value);
            }
        }
        parsed.drafts.push(draft);
    }
    Ok(parsed)
}

/// The SDK's parse error (the innermost cause: "error parsing  on line N:\n  message", the
/// file named as "" since it was given the text) as `line N: message`.
fn unreadable(path: &Path, err: &(dyn std::error::Error + 'static)) -> ImportError {
    let mut innermost = err;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let message = innermost
        .to_string()
        .replace("error parsing  on ", "")
        .replace(":\n  ", ": ");
    ImportError::Unreadable {
        path: path.to_path_buf(),
        message,
    }
}

/// The first header line (1-based) of each profile in `text`, by profile name, read the way
/// the SDK reads headers: a line starting with `[`, a comment (`#`, `;`) cut off, then
/// `profile NAME` or `default`. Other sections (`sso-session x`, `services x`) are left out.
pub fn section_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(name) = profile_header(line) {
            lines.entry(name.to_string()).or_insert(index + 1);
        }
    }
    lines
}

/// The profile a header line opens, if it opens one.
pub fn profile_header(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let inner = inner.split(['#', ';']).next().unwrap_or_default();
    let inner = inner.trim_matches([' ', '\t']).strip_suffix(']')?;
    let inner = inner.trim_matches([' ', '\t']);
    match inner.split_once([' ', '\t']) {
        Some(("profile", name)) => Some(name.trim_matches([' ', '\t'])),
        Some(_) => None,
        None => (inner == "default").then_some(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_as_the_sdk_reads_them() {
        assert_eq!(profile_header("[profile a]"), Some("a"));
        assert_eq!(profile_header("[ profile  b ] # note"), Some("b"));
        assert_eq!(profile_header("[default]"), Some("default"));
        assert_eq!(profile_header("[sso-session corp]"), None);
        assert_eq!(profile_header("[services local]"), None);
        assert_eq!(profile_header("[plain]"), None);
        assert_eq!(profile_header(" [profile indented]"), None);
    }
}
