//! The subshells of `switchrole shell` in a PTY, for bash, zsh and fish: the user's rc file
//! runs and the marker comes before its prompt, once even when the rc file loads the
//! integration itself; zsh gets the user's ZDOTDIR back; `[defaults] prompt = false` runs
//! the shell as before; the user's rc files are never touched.
#![cfg(unix)]

mod common;
#[path = "common/shell_pty.rs"]
mod pty;
#[path = "common/shells.rs"]
mod shells;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Moto, TestEnv};
use pty::Pty;

fn env_with_role() -> TestEnv {
    let mut env = TestEnv::with_moto(Moto::shared());
    env.use_credentials_file(common::BASE_KEY_ID, common::BASE_SECRET);
    env.write_config(
        "[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n",
    );
    env
}

/// `switchrole shell A` with `$SHELL` = `shell`: the user's rc file runs (its prompt `U> `)
/// and the marker comes before it; with the integration loaded by the rc file itself, once.
fn subshell_marker(shell: &str, static_credentials: bool, rc_loads_init: bool, prompt: bool) {
    let env = env_with_role();
    let Some(path) = shells::installed(shell) else {
        return;
    };
    if !prompt {
        let config = std::fs::read_to_string(env.config_path()).unwrap();
        env.write_config(&format!("[defaults]\nprompt = false\n\n{config}"));
    }
    let home = env.home().to_path_buf();
    let init = |shell: &str| {
        if !rc_loads_init {
            String::new()
        } else if shell == "fish" {
            "switchrole init fish | source\n".to_string()
        } else {
            format!("eval \"$(switchrole init {shell})\"\n")
        }
    };
    match shell {
        "bash" => std::fs::write(
            home.join(".bashrc"),
            format!("PS1='U> '\nPROMPT_COMMAND=\n{}", init(shell)),
        )
        .unwrap(),
        "zsh" => {
            std::fs::write(home.join(".zshrc"), format!("PS1='U> '\n{}", init(shell))).unwrap()
        }
        _ => {
            let dir = home.join("config/fish");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("config.fish"),
                format!("function fish_prompt; printf 'U> '; end\n{}", init(shell)),
            )
            .unwrap();
        }
    }
    let rc_before = rc_files(&home);
    let mut args = vec!["shell", "A"];
    if static_credentials {
        args.push("--static");
    }
    let mut cmd = env.switchrole(&args);
    cmd.env("SHELL", &path)
        .env("PATH", shells::path_with(None))
        .env("TERM", "xterm");
    let mut pty = Pty::spawn(cmd);
    pty.wait_for("U> ");
    pty.drain(Duration::from_millis(300));
    if prompt {
        assert!(pty.seen.contains("[A] U> "), "{shell}: {:?}", pty.seen);
        assert!(!pty.seen.contains("[A] [A]"), "{shell}: {:?}", pty.seen);
    } else {
        assert!(!pty.seen.contains("[A]"), "{shell}: {:?}", pty.seen);
    }
    if shell == "zsh" {
        pty.send("echo \"zd=<${ZDOTDIR-}>\"\r");
        pty.wait_for("zd=<>");
    }
    pty.send("exit\r");
    pty.drain(Duration::from_millis(300));
    assert_eq!(rc_files(&home), rc_before, "the user's rc files changed");
}

fn rc_files(home: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    [".bashrc", ".zshrc", "config/fish/config.fish"]
        .iter()
        .filter_map(|f| std::fs::read(home.join(f)).ok().map(|c| (home.join(f), c)))
        .collect()
}

#[test]
fn bash_subshells_show_the_marker() {
    subshell_marker("bash", false, false, true);
    subshell_marker("bash", true, true, true);
    subshell_marker("bash", false, false, false);
}

#[test]
fn zsh_subshells_show_the_marker() {
    subshell_marker("zsh", false, false, true);
    subshell_marker("zsh", true, true, true);
    subshell_marker("zsh", false, false, false);
}

#[test]
fn fish_subshells_show_the_marker() {
    subshell_marker("fish", false, false, true);
    subshell_marker("fish", true, true, true);
    subshell_marker("fish", false, false, false);
}
