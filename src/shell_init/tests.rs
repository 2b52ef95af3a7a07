use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::segment::{Env, PromptFormat, segment, sgr};
use super::*;
use crate::aws::{Credentials, Secret};
use crate::config::{Config, Role};
use crate::session::{EnvFormat, SessionEnv};

const ALL: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell];

fn full() -> Mode {
    Mode::Full { prompt: true }
}

#[test]
fn every_variable_env_prints_is_one_off_gives_back() {
    let role = Role {
        name: "A".into(),
        account_id: "111122223333".into(),
        role_name: "Admin".into(),
        color: Some("red".into()),
        region: Some("eu-west-1".into()),
        ..Role::default()
    };
    let creds = Credentials {
        access_key_id: "ASIAX".into(),
        secret_access_key: Secret::new("s"),
        session_token: Secret::new("t"),
        expiration: SystemTime::now(),
    };
    let text =
        SessionEnv::new(&role, &Config::default().effective(&role), &creds).render(EnvFormat::Sh);
    let mut names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split('=').next())
        .collect();
    let unset = text.lines().find_map(|l| l.strip_prefix("unset ")).unwrap();
    names.extend(unset.split_whitespace());
    for name in names {
        assert!(SWITCH_VARS.contains(&name), "{name} is not in SWITCH_VARS");
    }
}

#[test]
fn every_placeholder_is_filled() {
    for shell in ALL {
        for mode in [full(), Mode::Full { prompt: false }, Mode::Marker] {
            let text = script(shell, "sr", mode).unwrap();
            assert!(!text.contains("__SR_"), "{shell:?} {mode:?}");
            assert!(text.contains("SWITCHROLE_EXPIRES"), "{shell:?}");
        }
    }
    let bash = script(Shell::Bash, "assume", full()).unwrap();
    assert!(bash.contains("\nassume() {"), "{bash}");
    assert!(bash.contains("_sr_full=1\n_sr_show=1\n"));
    let quiet = script(Shell::Bash, "sr", Mode::Full { prompt: false }).unwrap();
    assert!(quiet.contains("_sr_full=1\n_sr_show=0\n"));
    let marker = script(Shell::Zsh, "sr", Mode::Marker).unwrap();
    assert!(marker.contains("_sr_full=0 _sr_show=1"));
}

#[test]
fn command_names_are_plain_words() {
    for good in ["sr", "assume", "aws_role", "sw-role", "_x1"] {
        assert!(check_command_name(good).is_ok(), "{good}");
    }
    for bad in [
        "", "1sr", "-sr", "s r", "sr;rm", "$(x)", "`x`", "sr'", "a\u{1b}b", "é",
    ] {
        assert!(check_command_name(bad).is_err(), "{bad:?}");
        assert!(script(Shell::Powershell, bad, full()).is_err(), "{bad:?}");
    }
}

/// PowerShell cannot be installed here: its script is checked as text. The variable names
/// are single-quoted literals; the user's arguments reach switchrole as an array (`@`
/// splatting), never through Invoke-Expression, which only ever sees switchrole's own
/// `--format powershell` output; the name is cleaned before it is shown and doubled
/// quotes keep it a literal in the suggestion.
#[test]
fn powershell_script_quotes() {
    let text = script(Shell::Powershell, "sr", full()).unwrap();
    let list = SWITCH_VARS
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        text.contains(&format!("$global:_sr_vars = @({list})")),
        "{text}"
    );
    assert!(text.contains("& switchrole @arguments"));
    let evaluated: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Invoke-Expression") && !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(evaluated, ["    Invoke-Expression $change"]);
    assert!(text.contains("function global:sr {"));
    assert!(text.contains("$shown = (_sr_clean $name).Replace($q, $q + $q)"));
    assert!(text.contains(r"-replace '[\p{Cc}]', '?'"));
    // Quotes balance on every line that is not a comment (a cheap parse check).
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let singles = line.matches('\'').count();
        let doubles = line.matches('"').count() - line.matches("`\"").count();
        assert!(
            singles % 2 == 0 && doubles % 2 == 0,
            "unbalanced quotes: {line}"
        );
    }
}

#[test]
fn quoting_helpers() {
    assert_eq!(sh_quote("a'b"), r"'a'\''b'");
    assert_eq!(fish_quote(r"a\'b"), r"'a\\\'b'");
}

fn env(name: &str, expires: Option<u64>, color: Option<&str>) -> Env {
    Env {
        name: Some(name.into()),
        expires: expires.map(|e| e.to_string()),
        color: color.map(str::to_string),
        colorterm: Some("truecolor".into()),
        no_color: false,
    }
}

#[test]
fn segment_from_the_environment() {
    let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
    assert_eq!(segment(&Env::default(), now), None);
    let s = segment(&env("Acme\u{1b}[2J", Some(1_000_000 + 3900), None), now).unwrap();
    assert_eq!(s.render(PromptFormat::Plain), "Acme?[2J 1h05m");
    assert_eq!(s.render(PromptFormat::Ansi), "Acme?[2J 1h05m");
    let s = segment(&env("A", Some(999_999), Some("#00ff80")), now).unwrap();
    assert_eq!(s.render(PromptFormat::Plain), "A expired");
    assert_eq!(
        s.render(PromptFormat::Ansi),
        "\u{1b}[1;38;2;0;255;128mA\u{1b}[0m expired"
    );
    // Served sessions have no expiry; a colour that is not #rrggbb is left out.
    let s = segment(&env("A", None, Some("red;31m")), now).unwrap();
    assert_eq!(s.render(PromptFormat::Ansi), "A");
    let mut no_color = env("A", None, Some("00ff80"));
    no_color.no_color = true;
    assert_eq!(
        segment(&no_color, now).unwrap().render(PromptFormat::Ansi),
        "A"
    );
}

#[test]
fn colours_fall_back_to_the_256_colour_cube() {
    assert_eq!(sgr((0, 0, 0), false), "\u{1b}[1;38;5;16m");
    assert_eq!(sgr((255, 255, 255), false), "\u{1b}[1;38;5;231m");
    assert_eq!(sgr((0xF2, 0xB0, 0xA9), false), "\u{1b}[1;38;5;217m");
    assert_eq!(sgr((95, 135, 175), false), "\u{1b}[1;38;5;67m");
}

#[test]
fn prompt_answers_early_only_for_its_own_command_lines() {
    use crate::commands::prompt::fast;
    let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
    assert!(fast(&args(&["prompt"])).is_some());
    assert!(fast(&args(&["prompt", "--format", "ansi"])).is_some());
    assert!(fast(&args(&["prompt", "--format=plain"])).is_some());
    for other in [
        &["prompt", "--help"][..],
        &["prompt", "--format", "bogus"],
        &["list"],
        &[],
        &["--config", "x", "prompt"],
    ] {
        assert!(fast(&args(other)).is_none(), "{other:?}");
    }
}

#[test]
fn subshells_of_other_shells_and_without_the_prompt_run_as_before() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, prompt) in [("/bin/dash", true), ("/bin/sh", true), ("/bin/bash", false)] {
        let command = subshell::command(shell.as_ref(), prompt, dir.path()).unwrap();
        assert_eq!(command.get_program(), shell);
        assert!(subshell::args(&command).is_empty(), "{shell}");
        assert_eq!(command.get_envs().count(), 0, "{shell}");
    }
    assert!(!dir.path().join("shell").exists());
}

#[test]
fn subshell_files_are_private_and_written_once() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("shell");
    let first = subshell::command("/usr/bin/bash".as_ref(), true, &files).unwrap();
    let args = subshell::args(&first);
    assert_eq!(args[0], "--rcfile");
    let rc = std::path::PathBuf::from(&args[1]);
    let text = std::fs::read_to_string(&rc).unwrap();
    assert!(text.starts_with("# switchrole: your ~/.bashrc"), "{text}");
    assert!(text.contains(". \"$HOME/.bashrc\""));
    assert!(text.contains("_sr_full=0\n_sr_show=1\n"));
    let meta = std::fs::metadata(&rc).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let parent = std::fs::metadata(rc.parent().unwrap()).unwrap();
    assert_eq!(parent.permissions().mode() & 0o777, 0o700);
    let again = subshell::command("/usr/bin/bash".as_ref(), true, &files).unwrap();
    assert_eq!(subshell::args(&again), args);
    assert_eq!(
        std::fs::metadata(&rc).unwrap().ino(),
        meta.ino(),
        "rewritten"
    );
    // A file changed behind switchrole's back is written again.
    std::fs::write(&rc, "echo pwned\n").unwrap();
    subshell::command("/usr/bin/bash".as_ref(), true, &files).unwrap();
    assert_eq!(std::fs::read_to_string(&rc).unwrap(), text);

    let fish = subshell::command("/usr/bin/fish".as_ref(), true, &files).unwrap();
    let args = subshell::args(&fish);
    assert_eq!(args[0], "--init-command");
    assert!(
        args[1]
            .to_str()
            .unwrap()
            .starts_with("if not set -q _sr_loaded; source '")
    );
    let zsh = subshell::command("/usr/bin/zsh".as_ref(), true, &files).unwrap();
    let zdotdir = zsh
        .get_envs()
        .find(|(k, _)| *k == "ZDOTDIR")
        .unwrap()
        .1
        .unwrap();
    assert!(std::path::Path::new(zdotdir).join(".zshrc").exists());
}

#[test]
fn zsh_files_give_the_users_zdotdir_back() {
    let files = subshell::zsh_files(Some("/home/o'neil/zsh".as_ref()), "MARKER");
    let (_, zshenv) = &files[0];
    assert!(
        zshenv.contains(r"ZDOTDIR='/home/o'\''neil/zsh'"),
        "{zshenv}"
    );
    let (name, zshrc) = &files[2];
    assert_eq!(*name, ".zshrc");
    let back = zshrc.find("ZDOTDIR=$_sr_user_zdotdir").unwrap();
    let user = zshrc.find("source ${ZDOTDIR:-$HOME}/.zshrc").unwrap();
    let marker = zshrc.find("MARKER").unwrap();
    assert!(back < user && user < marker, "{zshrc}");
    let unset = subshell::zsh_files(None, "MARKER");
    assert!(unset[0].1.contains("\nunset ZDOTDIR\n"));
}
