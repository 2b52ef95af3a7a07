//! Completion inserts names quoted for the shell (SPEC 6): real bash, zsh and fish in a
//! PTY complete a role name, then run the line through `printf '[%s]'` to show the words
//! the shell saw. A name with a space stays one word; `$(…)` never runs.
#![cfg(unix)]

mod common;

use std::process::Command;

use common::TestEnv;
use common::pty::Pty;

const CONFIG: &str = r#"
[[roles]]
name = "Acme Prod"
account_id = "111122223333"
role_name = "Admin"

[[roles]]
name = "x $(touch X)"
account_id = "444455556666"
role_name = "Admin"

[[roles]]
name = "Bob's *"
account_id = "777788889999"
role_name = "Admin"
"#;

fn installed(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// An interactive `shell` in a PTY with switchrole on its PATH, in the temporary HOME.
fn shell(env: &TestEnv, program: &str, args: &[&str]) -> Pty {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_switchrole"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = env.command_for(program);
    cmd.args(args)
        .env("PATH", path)
        .env("TERM", "dumb")
        .env("PS1", "$ ")
        .current_dir(env.home())
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit());
    Pty::spawn(cmd)
}

/// Types `typed`, presses Tab, then turns the line into `printf '[%s]\n' LINE` and runs
/// it; returns the words the shell passed, as printed.
fn complete_and_show(pty: &mut Pty, typed: &str, marker: &str) -> Vec<String> {
    pty.send(typed);
    pty.send("\t");
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Ctrl-A: start of line; the printf shows each word between brackets.
    pty.send(&format!("\x01printf '{marker}[%s]\\n' "));
    pty.send("\r");
    pty.wait_for(&format!("{marker}[switchrole]"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    pty.send("");
    let text = pty.text();
    let words: Vec<String> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        // A word's line may start with the prompt.
        .filter_map(|l| Some(&l[l.find(&format!("{marker}["))? + marker.len()..]))
        .filter_map(|l| l.strip_prefix('[')?.strip_suffix(']'))
        .map(str::to_string)
        .collect();
    words
}

/// Waits until the shell reads what is typed (a shell starting up may drop typeahead),
/// then runs `setup` and waits for it to finish.
fn run_setup(pty: &mut Pty, setup: &str) {
    for _attempt in 0..20 {
        pty.send("echo 'ALI''VE'\r");
        if pty.wait_for_within("ALIVE", std::time::Duration::from_secs(2)) {
            break;
        }
    }
    pty.send(&format!("{setup}; echo 'REA''DY'\r"));
    pty.wait_for("READY");
}

fn assert_completes(pty: &mut Pty, env: &TestEnv, shell: &str) {
    let words = complete_and_show(pty, "switchrole shell Acme", "A");
    assert_eq!(
        words,
        ["switchrole", "shell", "Acme Prod"],
        "{shell}: {:?}",
        pty.text()
    );
    let words = complete_and_show(pty, "switchrole env Bob", "B");
    assert_eq!(words, ["switchrole", "env", "Bob's *"], "{shell}");
    let words = complete_and_show(pty, "switchrole exec x", "C");
    assert_eq!(words, ["switchrole", "exec", "x $(touch X)"], "{shell}");
    assert!(!env.home().join("X").exists(), "{shell} ran a role name");
}

#[test]
fn bash_inserts_names_quoted() {
    if !installed("bash") {
        eprintln!("bash is not installed: skipped");
        return;
    }
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config(CONFIG);
    let mut pty = shell(&env, "bash", &["--norc", "--noprofile", "-i"]);
    run_setup(&mut pty, "source <(COMPLETE=bash switchrole)");
    assert_completes(&mut pty, &env, "bash");
    // A word the user escaped is completed too.
    let words = complete_and_show(&mut pty, "switchrole shell Acme\\ P", "D");
    assert_eq!(words, ["switchrole", "shell", "Acme Prod"]);
    let words = complete_and_show(&mut pty, "switchrole shell x\\ \\$", "E");
    assert_eq!(words, ["switchrole", "shell", "x $(touch X)"]);
    assert!(!env.home().join("X").exists());
    // In quotes the shell's own quoting holds.
    let words = complete_and_show(&mut pty, "switchrole shell 'Acme P", "F");
    assert_eq!(
        words,
        ["switchrole", "shell", "Acme Prod"],
        "{:?}",
        pty.text()
    );
}

#[test]
fn zsh_inserts_names_quoted() {
    if !installed("zsh") {
        eprintln!("zsh is not installed: skipped (apt-get install zsh)");
        return;
    }
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config(CONFIG);
    let mut pty = shell(&env, "zsh", &["-f", "-i"]);
    run_setup(
        &mut pty,
        "autoload -U compinit && compinit -u && source <(COMPLETE=zsh switchrole)",
    );
    assert_completes(&mut pty, &env, "zsh");
}

#[test]
fn fish_inserts_names_quoted() {
    if !installed("fish") {
        eprintln!("fish is not installed: skipped (apt-get install fish)");
        return;
    }
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config(CONFIG);
    let mut pty = shell(&env, "fish", &["--no-config", "-i"]);
    run_setup(&mut pty, "COMPLETE=fish switchrole | source");
    assert_completes(&mut pty, &env, "fish");
}
