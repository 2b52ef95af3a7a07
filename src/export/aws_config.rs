//! `export aws-config`: a profile per role whose `credential_process` is `switchrole
//! credential-process "NAME"`, written between `# BEGIN switchrole` and `# END switchrole`
//! lines that the next export replaces; every other byte of the file stays as it was, and
//! the file is replaced atomically. The command is the plain name `switchrole`, found on
//! `PATH` as aws-vault and granted do, so that the profiles keep working when the binary
//! moves (a reinstall, another machine sharing the dotfiles); [`path_warning`] says when
//! `PATH` does not lead to this binary.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::fsutil;
use crate::import::aws_config::profile_header;
use crate::untrusted::escape_controls;

pub const BEGIN: &str = "# BEGIN switchrole";
pub const END: &str = "# END switchrole";
/// The program the profiles run.
pub const PROGRAM: &str = "switchrole";

/// What could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source} (the file was left as it was)", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: {message}; fix the file by hand (it was left as it was)", path.display())]
    Markers {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("--prefix {} holds characters a profile name cannot (letters, digits and _-.@+ only)", escape_controls(.0))]
    Prefix(String),
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Exported {
    /// `(display name, profile name)` of each profile written.
    pub profiles: Vec<(String, String)>,
    /// Roles left out, with the reason.
    pub left_out: Vec<(String, String)>,
    /// False when the file already held exactly this.
    pub changed: bool,
}

/// Writes the profiles of `config`'s roles into the AWS config file at `path`.
pub fn export(config: &Config, path: &Path, prefix: &str) -> Result<Exported, ExportError> {
    if !prefix.chars().all(is_profile_char) {
        return Err(ExportError::Prefix(prefix.to_string()));
    }
    let path = fsutil::resolve_symlinks(path);
    let old = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => return Err(ExportError::Read { path, source }),
    };
    let (before, after) = split_around_block(&old, &path)?;
    let outside = format!(
        "{}\n{}",
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after)
    );
    let taken: HashSet<&str> = outside.lines().filter_map(profile_header).collect();
    let mut exported = Exported::default();
    let mut block = format!(
        "{BEGIN}\n# Written by `switchrole export aws-config`: the next export replaces these lines.\n"
    );
    let mut used: HashSet<String> = HashSet::new();
    for role in &config.roles {
        let base = format!("{prefix}{}", slug(&role.name, &role.account_id));
        if taken.contains(base.as_str()) {
            exported.left_out.push((
                role.name.clone(),
                format!("a profile \"{base}\" exists outside the switchrole lines (choose another --prefix)"),
            ));
            continue;
        }
        let mut profile = base.clone();
        let mut n = 2;
        while used.contains(&profile) || taken.contains(profile.as_str()) {
            profile = format!("{base}-{n}");
            n += 1;
        }
        used.insert(profile.clone());
        block.push_str(&format!(
            "\n[profile {profile}]\ncredential_process = {PROGRAM} credential-process {}\n",
            command_word(&role.name)
        ));
        if let Some(region) = config.region_of(role) {
            block.push_str(&format!("region = {region}\n"));
        }
        exported.profiles.push((role.name.clone(), profile));
    }
    block.push_str(&format!("\n{END}\n"));
    let mut new = before.to_vec();
    if !new.is_empty() && !new.ends_with(b"\n") {
        new.push(b'\n');
    }
    new.extend_from_slice(block.as_bytes());
    new.extend_from_slice(after);
    exported.changed = new != old;
    if exported.changed {
        fsutil::create_dirs(fsutil::parent_dir(&path)).map_err(|source| ExportError::Write {
            path: path.clone(),
            source,
        })?;
        fsutil::write_atomic(&path, &new, None)
            .map_err(|source| ExportError::Write { path, source })?;
    }
    Ok(exported)
}

/// The bytes before the block and after it (the whole file and nothing when there is none
/// yet). Markers out of order, or more than one block, are refused.
fn split_around_block<'a>(
    bytes: &'a [u8],
    path: &Path,
) -> Result<(&'a [u8], &'a [u8]), ExportError> {
    let mut begin: Option<(usize, usize)> = None;
    let mut block: Option<(usize, usize)> = None;
    let mut offset = 0;
    for (index, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let text = line.trim_ascii_end();
        let error = |message: &str| ExportError::Markers {
            path: path.to_path_buf(),
            line: index + 1,
            message: message.to_string(),
        };
        if text == BEGIN.as_bytes() {
            if begin.is_some() || block.is_some() {
                return Err(error(&format!("a second `{BEGIN}` line")));
            }
            begin = Some((index + 1, offset));
        } else if text == END.as_bytes() {
            match begin.take() {
                Some((_, start)) if block.is_none() => block = Some((start, offset + line.len())),
                _ => {
                    return Err(error(&format!(
                        "`{END}` without a `{BEGIN}` line before it"
                    )));
                }
            }
        }
        offset += line.len();
    }
    if let Some((line, _)) = begin {
        return Err(ExportError::Markers {
            path: path.to_path_buf(),
            line,
            message: format!("`{BEGIN}` without an `{END}` line after it"),
        });
    }
    Ok(match block {
        Some((start, end)) => (&bytes[..start], &bytes[end..]),
        None => (bytes, &[]),
    })
}

/// A character every AWS SDK accepts in a profile name.
fn is_profile_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-.@+".contains(c)
}

/// The profile name of a display name: lower case, runs of other characters as one `-`;
/// `role-ACCOUNT_ID` when nothing is left.
fn slug(name: &str, account_id: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if is_profile_char(c) {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches(['-', '.']);
    if slug.is_empty() {
        format!("role-{account_id}")
    } else {
        slug.to_string()
    }
}

/// `name` as one argument for both programs that split a `credential_process` line: `sh -c`
/// (the Rust, Go and JavaScript SDKs on Unix) and Python's `shlex.split` (the aws CLI).
/// Double quotes when nothing in the name is special to either, else single quotes with `'`
/// (and `#`, `;`) written outside them as `\'`: the SDKs' config parser ends a value at a
/// `#` or `;` that follows a space, and a `\` before it keeps it in.
pub fn command_word(name: &str) -> String {
    const SPECIAL: &[char] = &['"', '\\', '$', '`', '!', '\'', '#', ';'];
    if !name.contains(SPECIAL) {
        return format!("\"{name}\"");
    }
    let mut word = String::from("'");
    for c in name.chars() {
        if matches!(c, '\'' | '#' | ';') {
            word.push_str(&format!("'\\{c}'"));
        } else {
            word.push(c);
        }
    }
    word.push('\'');
    word
}

/// A warning when `switchrole` on `PATH` is not this installation's (or is not there at
/// all): the profiles run whatever `PATH` finds.
pub fn path_warning() -> Option<String> {
    let this = crate::front::command_path().canonicalize().ok()?;
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(PROGRAM))
            .find(|candidate| candidate.is_file())
    });
    match found {
        None => Some(format!(
            "`{PROGRAM}` is not on PATH, so the AWS tools will not find it: put {} on PATH (e.g. cargo install --path .)",
            escape_controls(&this.display().to_string())
        )),
        Some(found) if found.canonicalize().ok().as_ref() != Some(&this) => Some(format!(
            "`{PROGRAM}` on PATH is {}, not this binary ({}): the profiles will run that one",
            escape_controls(&found.display().to_string()),
            escape_controls(&this.display().to_string())
        )),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests;
