//! The in-place switch at real prompts, in a PTY, for bash, zsh and fish: the marker before
//! the prompt after `sr A` and not after `sr --off`, the title (OSC 2) set and given back,
//! the role's colour; renewal at a prompt when `SWITCHROLE_EXPIRES` is near and no process
//! at all while it is not (a counting `switchrole` wrapper, and strace when installed); one
//! line, and no question, when the renewal needs an MFA code; hostile names reach neither
//! the terminal raw nor the shell as code.
#![cfg(unix)]

mod common;
#[path = "common/shell_pty.rs"]
mod pty;
#[path = "common/shells.rs"]
mod shells;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Moto, TestEnv};
use pty::Pty;

/// The interactive shell `name` with the init script loaded and `P> ` as its prompt.
fn interactive(env: &TestEnv, name: &str, path: &str) -> Option<Pty> {
    interactive_with(env, name, path, "")
}

/// The same, with `options` after `switchrole init SHELL`.
fn interactive_with(env: &TestEnv, name: &str, path: &str, options: &str) -> Option<Pty> {
    let shell = shells::installed(name)?;
    let dir = env.home().join(format!("rc-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = env.command_for(&shell);
    match name {
        "bash" => {
            std::fs::write(
                dir.join("rc"),
                format!("PS1='P> '\nPROMPT_COMMAND=\neval \"$(switchrole init bash{options})\"\n"),
            )
            .unwrap();
            cmd.arg("--rcfile").arg(dir.join("rc")).arg("-i");
        }
        "zsh" => {
            std::fs::write(
                dir.join(".zshrc"),
                format!(
                    "PS1='P> '\nsetopt prompt_subst\neval \"$(switchrole init zsh{options})\"\n"
                ),
            )
            .unwrap();
            cmd.args(["-d", "-i"]).env("ZDOTDIR", &dir);
        }
        _ => {
            std::fs::write(
                dir.join("rc.fish"),
                format!("function fish_prompt; printf 'P> '; end\nswitchrole init fish{options} | source\n"),
            )
            .unwrap();
            cmd.args(["--no-config", "-i", "-C"])
                .arg(format!("source '{}'", dir.join("rc.fish").display()));
        }
    }
    cmd.env("PATH", path)
        .env("TERM", "xterm")
        .current_dir(env.home());
    let mut pty = Pty::spawn(cmd);
    pty.wait_for("P> ");
    pty.drain(Duration::from_millis(300));
    Some(pty)
}

fn env_with_roles() -> TestEnv {
    let mut env = TestEnv::with_moto(Moto::shared());
    env.use_credentials_file(common::BASE_KEY_ID, common::BASE_SECRET);
    env.write_config(
        "[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n\n\
         [[roles]]\nname = \"C\"\naccount_id = \"444455556666\"\nrole_name = \"Admin\"\n\
         color = \"#f2b0a9\"\n\n\
         [[roles]]\nname = \"H $(touch pwned) `touch pwned2` %n %{\"\naccount_id = \"777788889999\"\n\
         role_name = \"Admin\"\n",
    );
    env
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The line that makes SWITCHROLE_EXPIRES `secs` from now, in `shell`.
fn set_expires(shell: &str, secs: u64) -> String {
    let at = now() + secs;
    if shell == "fish" {
        format!("set -gx SWITCHROLE_EXPIRES {at}")
    } else {
        format!("export SWITCHROLE_EXPIRES={at}")
    }
}

fn marker_and_title(shell: &str) {
    let env = env_with_roles();
    let Some(mut pty) = interactive(&env, shell, &shells::path_with(None)) else {
        return;
    };
    let after = pty.run("sr A");
    assert!(after.contains("[A] P> "), "{after:?}");
    assert!(after.contains("\x1b]2;A\x07"), "no title: {after:?}");
    assert!(after.contains("\x1b[22;2t"), "title not pushed: {after:?}");
    let after = pty.run("echo \"in=<$SWITCHROLE>\"");
    assert!(after.contains("in=<A>"), "{after:?}");
    let after = pty.run("sr --off");
    assert!(!last_line(&after).contains("[A] P> "), "{after:?}");
    assert!(
        after.contains("\x1b[23;2t"),
        "title not given back: {after:?}"
    );
    let after = pty.run("echo \"out=<$SWITCHROLE>\"");
    assert!(after.contains("out=<>"), "{after:?}");
    assert!(!last_line(&after).contains("[A] P> "), "{after:?}");
}

/// What follows the last line break: the prompt the shell drew last.
fn last_line(text: &str) -> &str {
    text.rsplit('\n').next().unwrap_or(text)
}

/// `--no-prompt`: the prompt and the title are left alone; the switch and the renewal work.
fn no_prompt(shell: &str) {
    let env = env_with_roles();
    let Some(mut pty) = interactive_with(&env, shell, &shells::path_with(None), " --no-prompt")
    else {
        return;
    };
    let after = pty.run("sr A");
    assert!(
        !after.contains("[A]") && !after.contains("\x1b]2;"),
        "{after:?}"
    );
    pty.run(&set_expires(shell, 100));
    let after = pty.run("echo \"in=<$SWITCHROLE> exp=<$SWITCHROLE_EXPIRES>\"");
    assert!(after.contains("in=<A>"), "{after:?}");
    assert!(
        !after.contains(&format!("exp=<{}", now() + 100)),
        "not renewed: {after:?}"
    );
    assert!(
        !after.contains("[A]") && !after.contains("\x1b]2;"),
        "{after:?}"
    );
}

#[test]
fn no_prompt_leaves_the_prompt_alone() {
    for shell in ["bash", "zsh", "fish"] {
        no_prompt(shell);
    }
}

#[test]
fn bash_marker_and_title() {
    marker_and_title("bash");
}

#[test]
fn zsh_marker_and_title() {
    marker_and_title("zsh");
}

#[test]
fn fish_marker_and_title() {
    marker_and_title("fish");
}

fn colour_and_hostile_names(shell: &str) {
    let env = env_with_roles();
    let Some(mut pty) = interactive(&env, shell, &shells::path_with(None)) else {
        return;
    };
    let after = pty.run(if shell == "fish" {
        "set -gx COLORTERM truecolor; sr C"
    } else {
        "export COLORTERM=truecolor; sr C"
    });
    assert!(
        after.contains("\x1b[1;38;2;242;176;169m[C]\x1b[0m"),
        "{after:?}"
    );
    let after = pty.run(if shell == "fish" {
        "set -e COLORTERM; sr C"
    } else {
        "unset COLORTERM; sr C"
    });
    assert!(after.contains("\x1b[1;38;5;217m[C]"), "{after:?}");
    let after = pty.run(if shell == "fish" {
        "set -gx NO_COLOR 1"
    } else {
        "export NO_COLOR=1"
    });
    assert!(after.contains("[C] P> "), "{after:?}");
    // A name from the config: `$(...)`, backticks and `%` stay text.
    let after = pty.run("sr 'H $(touch pwned) `touch pwned2` %n %{'");
    assert!(
        after.contains("[H $(touch pwned) `touch pwned2` %n %{] P> "),
        "{after:?}"
    );
    // A name from anywhere else (the environment): its escape sequences never reach the
    // terminal raw.
    let line = if shell == "fish" {
        "set -gx SWITCHROLE (printf 'E\\e]2;pwn\\a\\e[31mX')"
    } else {
        "export SWITCHROLE=$(printf 'E\\033]2;pwn\\007\\033[31mX')"
    };
    let after = pty.run(line);
    assert!(after.contains("[E?]2;pwn??[31mX] P> "), "{after:?}");
    assert!(!after.contains("\x1b]2;pwn"), "{after:?}");
    assert!(!after.contains("\x1b[31mX"), "{after:?}");
    for file in ["pwned", "pwned2"] {
        assert!(!env.home().join(file).exists(), "{file} was created");
    }
}

#[test]
fn bash_colour_and_hostile_names() {
    colour_and_hostile_names("bash");
}

#[test]
fn zsh_colour_and_hostile_names() {
    colour_and_hostile_names("zsh");
}

#[test]
fn fish_colour_and_hostile_names() {
    colour_and_hostile_names("fish");
}

/// The pid of the shell in `pty`, as it says itself.
fn shell_pid(pty: &mut Pty, shell: &str) -> i32 {
    let var = if shell == "fish" { "$fish_pid" } else { "$$" };
    let after = pty.run(&format!("echo \"pid=<{var}>\""));
    let start = after.rfind("pid=<").unwrap() + 5;
    let end = start + after[start..].find('>').unwrap();
    after[start..end].parse().unwrap()
}

/// Processes the shell `pid` starts while `act` runs, as strace sees them (`None` without
/// strace).
fn processes_started(pid: i32, pty: &mut Pty, act: impl FnOnce(&mut Pty)) -> Option<Vec<String>> {
    let strace = ["/usr/bin/strace", "/bin/strace"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())?;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(strace)
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=execve,clone,clone3,fork,vfork",
            "-o",
        ])
        .arg(log.path())
        .arg("-p")
        .arg(pid.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    std::thread::sleep(Duration::from_millis(800));
    act(pty);
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let _ = child.wait();
    let text = std::fs::read_to_string(log.path()).unwrap_or_default();
    Some(
        text.lines()
            .filter(|l| {
                ["execve(", "clone(", "clone3(", "fork(", "vfork("]
                    .iter()
                    .any(|s| l.contains(s))
            })
            // fish's own worker threads are not processes.
            .filter(|l| !l.contains("CLONE_THREAD"))
            .map(str::to_string)
            .collect(),
    )
}

fn renewal(shell: &str) {
    let env = env_with_roles();
    let (wrapper, count) = shells::counting_wrapper(env.home());
    let Some(mut pty) = interactive(&env, shell, &shells::path_with(Some(&wrapper))) else {
        return;
    };
    let before = shells::runs(&count);
    pty.run("sr A");
    assert_eq!(
        shells::runs(&count),
        before + 1,
        "sr A runs switchrole once"
    );
    let pid = shell_pid(&mut pty, shell);
    // Fresh credentials: prompts start no process at all.
    let started = processes_started(pid, &mut pty, |pty| {
        for _ in 0..3 {
            pty.run("");
        }
    });
    match started {
        Some(started) => assert_eq!(
            started,
            Vec::<String>::new(),
            "a fresh prompt started processes"
        ),
        None => println!("strace not installed: only the switchrole wrapper counts processes"),
    }
    assert_eq!(
        shells::runs(&count),
        before + 1,
        "a fresh prompt ran switchrole"
    );
    // Near expiry: the next prompt renews (here from the cache, which has an hour left).
    pty.run(&set_expires(shell, 100));
    assert_eq!(
        shells::runs(&count),
        before + 2,
        "the near expiry was not renewed"
    );
    let after = pty.run("echo \"exp=<$SWITCHROLE_EXPIRES>\"");
    let start = after.rfind("exp=<").unwrap() + 5;
    let end = start + after[start..].find('>').unwrap();
    let expires: u64 = after[start..end].parse().unwrap();
    assert!(expires > now() + 1800, "not renewed: {after:?}");
    assert!(after.contains("[A] P> "), "{after:?}");
    assert!(
        !after.contains("switchrole:"),
        "renewal said something: {after:?}"
    );
}

#[test]
fn bash_renews_near_expiry_and_starts_nothing_while_fresh() {
    renewal("bash");
}

#[test]
fn zsh_renews_near_expiry_and_starts_nothing_while_fresh() {
    renewal("zsh");
}

#[test]
fn fish_renews_near_expiry_and_starts_nothing_while_fresh() {
    renewal("fish");
}

fn renewal_needing_mfa(shell: &str) {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(common::MFA_FROM_DEFAULTS);
    let Some(mut pty) = interactive(&env, shell, &shells::path_with(None)) else {
        return;
    };
    pty.run("sr M --mfa-code 123456");
    // Nothing cached any more: renewing needs a new code.
    let cache = env.cache_dir();
    std::fs::remove_dir_all(&cache).unwrap();
    let after = pty.run(&set_expires(shell, 100));
    let line = "renewing them needs an MFA code: run `sr M` (it asks for it)";
    assert!(after.contains(line), "{after:?}");
    assert!(!after.contains("MFA code for"), "it asked: {after:?}");
    pty.run("");
    pty.run("");
    assert_eq!(pty.seen.matches(line).count(), 1, "{:?}", pty.seen);
}

#[test]
fn bash_renewal_needing_mfa_says_so_once() {
    renewal_needing_mfa("bash");
}

#[test]
fn zsh_renewal_needing_mfa_says_so_once() {
    renewal_needing_mfa("zsh");
}

#[test]
fn fish_renewal_needing_mfa_says_so_once() {
    renewal_needing_mfa("fish");
}

/// `sr` alone opens the list on the terminal; Enter switches this shell, Esc changes nothing.
fn sr_picks(shell: &str) {
    let env = env_with_roles();
    let Some(mut pty) = interactive(&env, shell, &shells::path_with(None)) else {
        return;
    };
    pty.send("sr\r");
    pty.wait_for("3 roles");
    pty.send("\x1b");
    pty.wait_for("P> ");
    let after = pty.run("echo \"esc=<$SWITCHROLE>\"");
    assert!(after.contains("esc=<>"), "Esc changes nothing: {after:?}");
    pty.send("sr\r");
    pty.wait_for("3 roles");
    std::thread::sleep(Duration::from_millis(200));
    pty.send("444455556666");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("\r");
    // The marker (in the role's colour) and the title say where this shell is now.
    pty.wait_for("\x1b]2;C\x07");
    let after = pty.run("echo \"picked=<$SWITCHROLE> $SWITCHROLE_ACCOUNT_ID\"");
    assert!(after.contains("picked=<C> 444455556666"), "{after:?}");
}

#[test]
fn sr_without_a_name_opens_the_picker_in_bash_zsh_and_fish() {
    for shell in ["bash", "zsh", "fish"] {
        sr_picks(shell);
    }
}
