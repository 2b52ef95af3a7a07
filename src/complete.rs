//! Dynamic completion (clap_complete's `COMPLETE=<shell> switchrole` protocol): the role
//! names offered for every NAME argument, and the shells that answer it, bash's with its
//! insertions quoted. Depends on the config alone, so that `cli` can name [`role_names`]
//! without depending on the commands.
//!
//! The shell's registration script (`source <(COMPLETE=bash switchrole)`) calls back
//! `COMPLETE=bash switchrole -- WORDS…` at each Tab; the core's `main` answers it before parsing.
//! clap_complete's bash script puts the raw names into `COMPREPLY`, so `Acme prod` was
//! inserted as two words and a name holding `$(…)` ran it on Enter, and an unquoted
//! `$(…)` expansion let a name like `*` glob. The script here splits the answer without
//! globbing and quotes each candidate with `printf %q` (zsh and fish quote what they
//! insert themselves).

use std::ffi::OsString;

use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Shells, Zsh};

use crate::config;

/// The shells `COMPLETE=<shell>` understands: clap_complete's, with bash's insertions quoted.
pub const SHELLS: Shells<'static> = Shells(&[&QuotedBash, &Elvish, &Fish, &Powershell, &Zsh]);

/// The remembered display names, for completing a NAME argument. Reads the config named by
/// `--config` on the line being completed, else the usual location; nothing on errors.
pub fn role_names() -> Vec<CompletionCandidate> {
    let path = config_flag(std::env::args_os());
    let Ok(config) = config::load(&config::locate(path.as_deref())) else {
        return Vec::new();
    };
    config
        .roles
        .iter()
        .map(|role| {
            CompletionCandidate::new(role.name.clone()).help(Some(role.account_and_role().into()))
        })
        .collect()
}

/// The value of `--config PATH` / `--config=PATH` among `args`.
fn config_flag(args: impl IntoIterator<Item = OsString>) -> Option<std::path::PathBuf> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(Into::into);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            return Some(value.into());
        }
    }
    None
}

/// bash, answering the protocol as clap_complete does, registered with a script that
/// inserts each candidate quoted.
pub struct QuotedBash;

const BASH_SCRIPT: &str = r#"
_clap_complete_NAME() {
    local IFS=$'\013'
    local _CLAP_COMPLETE_INDEX=${COMP_CWORD}
    local _CLAP_COMPLETE_COMP_TYPE=${COMP_TYPE}
    if compopt +o nospace 2> /dev/null; then
        local _CLAP_COMPLETE_SPACE=false
    else
        local _CLAP_COMPLETE_SPACE=true
    fi
    # bash hands over the word dequoted when it opened with a quote, raw otherwise.
    local cur="$2" quote= raw="$2"
    case "${COMP_WORDS[COMP_CWORD]}" in
        \'*|\"*) quote=1 ;;
        *)
            cur=
            while [[ -n $raw ]]; do
                if [[ ${raw:0:1} == '\' ]]; then
                    cur+=${raw:1:1}
                    raw=${raw:2}
                else
                    cur+=${raw:0:1}
                    raw=${raw:1}
                fi
            done
            ;;
    esac
    local words=("${COMP_WORDS[@]}")
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        words[COMP_CWORD]="$cur"
    fi
    local answer
    answer=$( \
        _CLAP_IFS="$IFS" \
        _CLAP_COMPLETE_INDEX="$_CLAP_COMPLETE_INDEX" \
        _CLAP_COMPLETE_COMP_TYPE="$_CLAP_COMPLETE_COMP_TYPE" \
        _CLAP_COMPLETE_SPACE="$_CLAP_COMPLETE_SPACE" \
        VAR="bash" \
        "COMPLETER" -- "${words[@]}" \
    ) || { unset COMPREPLY; return; }
    local candidates=() candidate
    IFS=$'\013' read -r -d '' -a candidates < <(printf '%s\013' "$answer")
    COMPREPLY=()
    for candidate in "${candidates[@]}"; do
        if [[ -z $quote ]]; then
            printf -v candidate '%q' "$candidate"
        fi
        COMPREPLY+=("$candidate")
    done
    if [[ $_CLAP_COMPLETE_SPACE == false ]] && [[ "${COMPREPLY-}" =~ [=/:]$ ]]; then
        compopt -o nospace
    fi
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -o nospace -o bashdefault -o nosort -F _clap_complete_NAME BIN
else
    complete -o nospace -o bashdefault -F _clap_complete_NAME BIN
fi
"#;

impl EnvCompleter for QuotedBash {
    fn name(&self) -> &'static str {
        Bash.name()
    }

    fn is(&self, name: &str) -> bool {
        Bash.is(name)
    }

    fn write_registration(
        &self,
        var: &str,
        name: &str,
        bin: &str,
        completer: &str,
        buf: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let script = BASH_SCRIPT
            .replace("NAME", &name.replace('-', "_"))
            .replace("BIN", &sh_quote(bin))
            .replace("\"COMPLETER\"", &sh_quote(completer))
            .replace("VAR", var);
        writeln!(buf, "{script}")
    }

    fn write_complete(
        &self,
        cmd: &mut clap::Command,
        args: Vec<OsString>,
        current_dir: Option<&std::path::Path>,
        buf: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        Bash.write_complete(cmd, args, current_dir, buf)
    }
}

/// POSIX single quotes, for the program paths in the script.
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_config_flag() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            config_flag(args(&["sr", "--", "sr", "--config", "/x.toml", "shell"])),
            Some("/x.toml".into())
        );
        assert_eq!(
            config_flag(args(&["sr", "--config=/y.toml"])),
            Some("/y.toml".into())
        );
        assert_eq!(config_flag(args(&["sr", "shell"])), None);
    }

    #[test]
    fn the_bash_script_quotes_its_paths() {
        let mut out = Vec::new();
        QuotedBash
            .write_registration("COMPLETE", "switch-role", "/o'dd/sr", "/o'dd/sr", &mut out)
            .unwrap();
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains(r"'/o'\''dd/sr' -- "), "{script}");
        assert!(script.contains("_clap_complete_switch_role"), "{script}");
    }
}
