//! Files the TUI writes itself: the policies screen's documents and template (Ctrl-Y, `t` /
//! `p` / `c`), each to
//! a new file in the current directory, never over an existing one.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `text` (and a final newline) to a new file `<stem>.json` in `dir`, or
/// `<stem>-2.json`, `<stem>-3.json`… when taken: an existing file is never overwritten
/// (`create_new`, so not even by a race). Returns the path written.
pub fn write_new_file(dir: &Path, stem: &str, text: &str) -> io::Result<PathBuf> {
    const MAX_TRIES: u32 = 1000;
    for n in 1..=MAX_TRIES {
        let name = match n {
            1 => format!("{stem}.json"),
            n => format!("{stem}-{n}.json"),
        };
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let written = file
                    .write_all(text.as_bytes())
                    .and_then(|()| file.write_all(b"\n"))
                    .and_then(|()| file.sync_all());
                return match written {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    Err(io::Error::other(format!(
        "{stem}.json to {stem}-{MAX_TRIES}.json all exist in {}",
        dir.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a-trust-policy-2.json"), "keep").unwrap();
        let first = write_new_file(dir.path(), "a-trust-policy", "{}").unwrap();
        assert_eq!(first, dir.path().join("a-trust-policy.json"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "{}\n");
        let next = write_new_file(dir.path(), "a-trust-policy", "[]").unwrap();
        assert_eq!(next, dir.path().join("a-trust-policy-3.json"));
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a-trust-policy-2.json")).unwrap(),
            "keep"
        );
        let missing = dir.path().join("missing");
        assert!(write_new_file(&missing, "x", "{}").is_err());
    }
}
