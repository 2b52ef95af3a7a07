//! The subshell of `shell` and of the TUI's Enter with the prompt marker (SPEC 4b), without
//! touching the user's rc files: bash gets `--rcfile` a private file that sources
//! `~/.bashrc` first, zsh a private `ZDOTDIR` whose files source the user's, fish an
//! `--init-command`; each then loads the marker part of the init script (nothing when the
//! user's own rc already loaded the integration). Other shells, and `[defaults] prompt =
//! false`, run as before. The files are private (0600 in a 0700 directory) and named by
//! their contents, so they can outlive an exec'd session and are written once.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use super::{Mode, Shell, fish_quote, script, sh_quote};

/// The shells whose subshell gets the marker, by the file name of `$SHELL`.
fn kind(shell: &OsStr) -> Option<Shell> {
    let name = Path::new(shell).file_name()?.to_str()?;
    match name {
        "bash" => Some(Shell::Bash),
        "zsh" => Some(Shell::Zsh),
        "fish" => Some(Shell::Fish),
        _ => None,
    }
}

/// The command that runs `shell` as the session's interactive shell: with the marker when
/// `prompt` is on and the shell is bash, zsh or fish (its start-up files written under
/// `dir`, a private directory created when missing), else the shell as it is.
pub fn command(shell: &OsStr, prompt: bool, dir: &Path) -> std::io::Result<Command> {
    let mut command = Command::new(shell);
    let Some(kind) = kind(shell).filter(|_| prompt) else {
        return Ok(command);
    };
    let marker = script(kind, "sr", Mode::Marker).map_err(std::io::Error::other)?;
    match kind {
        Shell::Bash => {
            let rc = format!(
                "# switchrole: your ~/.bashrc, then the prompt marker of this session.\n\
                 if [ -f \"$HOME/.bashrc\" ]; then . \"$HOME/.bashrc\"; fi\n\
                 if [ -z \"${{_sr_loaded-}}\" ]; then\n{marker}\nfi\n"
            );
            let files = write_files(dir, "bash", &[(".bashrc", rc)])?;
            command.arg("--rcfile").arg(files.join(".bashrc"));
        }
        Shell::Zsh => {
            let user = std::env::var_os("ZDOTDIR");
            let files = write_files(dir, "zsh", &zsh_files(user.as_deref(), &marker))?;
            command.env("ZDOTDIR", files);
        }
        Shell::Fish => {
            let files = write_files(dir, "fish", &[("marker.fish", marker)])?;
            let path = files.join("marker.fish");
            command.arg("--init-command").arg(format!(
                "if not set -q _sr_loaded; source {}; end",
                fish_quote(&path.to_string_lossy())
            ));
        }
        Shell::Powershell => {}
    }
    Ok(command)
}

/// zsh's start-up files in the private `ZDOTDIR`: `.zshenv` sources the user's (with the
/// user's `ZDOTDIR`, which it may change) and comes back to ours; `.zshrc` gives the user's
/// `ZDOTDIR` back, sources the user's `.zshrc`, then loads the marker.
pub(super) fn zsh_files(user_zdotdir: Option<&OsStr>, marker: &str) -> Vec<(&'static str, String)> {
    let user = match user_zdotdir {
        Some(dir) => format!("ZDOTDIR={}", sh_quote(&dir.to_string_lossy())),
        None => "unset ZDOTDIR".to_string(),
    };
    let zshenv = format!(
        "# switchrole: your .zshenv; the prompt marker comes with .zshrc.\n\
         _sr_ours=$ZDOTDIR\n\
         {user}\n\
         if [[ -f ${{ZDOTDIR:-$HOME}}/.zshenv ]]; then builtin source ${{ZDOTDIR:-$HOME}}/.zshenv; fi\n\
         _sr_user_zdotdir=${{ZDOTDIR-}} _sr_user_zdotdir_set=${{ZDOTDIR+1}}\n\
         ZDOTDIR=$_sr_ours\n\
         unset _sr_ours\n"
    );
    let back = "if [[ -n $_sr_user_zdotdir_set ]]; then ZDOTDIR=$_sr_user_zdotdir; \
                else unset ZDOTDIR; fi\n\
                unset _sr_user_zdotdir _sr_user_zdotdir_set\n";
    let zshrc = format!(
        "# switchrole: your .zshrc, then the prompt marker of this session.\n\
         {back}\
         if [[ -f ${{ZDOTDIR:-$HOME}}/.zshrc ]]; then builtin source ${{ZDOTDIR:-$HOME}}/.zshrc; fi\n\
         if [[ -z ${{_sr_loaded-}} ]]; then\n{marker}\nfi\n"
    );
    // A login shell reads .zprofile before .zshrc: the user's, from the user's ZDOTDIR.
    let zprofile = "# switchrole: your .zprofile.\n\
                    if [[ -f ${_sr_user_zdotdir:-$HOME}/.zprofile ]]; then \
                    builtin source ${_sr_user_zdotdir:-$HOME}/.zprofile; fi\n"
        .to_string();
    vec![
        (".zshenv", zshenv),
        (".zprofile", zprofile),
        (".zshrc", zshrc),
    ]
}

/// Writes `files` into `dir/<shell>-<digest of the contents>/` (private), unless they are
/// there already as written; returns that directory.
fn write_files(dir: &Path, shell: &str, files: &[(&str, String)]) -> std::io::Result<PathBuf> {
    let mut digest = Sha256::new();
    for (name, text) in files {
        digest.update(name.as_bytes());
        digest.update([0]);
        digest.update(text.as_bytes());
        digest.update([0]);
    }
    let hex: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    crate::fsutil::create_private_dir(dir)?;
    let target = dir.join(format!("{shell}-{hex}"));
    crate::fsutil::create_private_dir(&target)?;
    for (name, text) in files {
        let path = target.join(name);
        if std::fs::read(&path).ok().as_deref() != Some(text.as_bytes()) {
            crate::fsutil::write_atomic_unsynced(&path, text.as_bytes(), Some(0o600))?;
        }
    }
    Ok(target)
}

/// The directory of the start-up files: `shell/` in the cache directory.
pub fn default_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join("shell")
}

/// The argument list of `command`, for tests and messages.
pub fn args(command: &Command) -> Vec<OsString> {
    command.get_args().map(OsStr::to_os_string).collect()
}
