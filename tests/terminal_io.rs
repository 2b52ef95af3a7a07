//! The terminal and the pipes around switchrole: a closed stdout (`| head -c1`) ends a
//! command quietly instead of a panic (exit 101), and the CLI's MFA prompt does not echo
//! the code, even when Ctrl-C interrupts it.
#![cfg(unix)]

mod common;

use std::process::Stdio;

use common::pty::Pty;
use common::{MFA_FROM_DEFAULTS, Moto, TestEnv};

/// Runs switchrole with `args` and a stdout whose reader is already gone.
fn run_with_closed_stdout(env: &TestEnv, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = env
        .switchrole(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_commands_without_a_panic() {
    let moto = Moto::shared();
    let env = TestEnv::with_moto(moto);
    env.write_config(MFA_FROM_DEFAULTS);
    env.add_role("A", "111122223333", "Admin", &["--session-name", "tester"]);
    let commands: [&[&str]; 10] = [
        &["env", "A"],
        &["credential-process", "A"],
        &["doctor"],
        &["whoami"],
        &["policy", "A", "--principal", "123456789012"],
        &["console", "A", "--switch-url"],
        &["mfa", "--mfa-code", "123456"],
        &["completions", "bash"],
        &["list"],
        &["man"],
    ];
    for args in commands {
        let (code, stderr) = run_with_closed_stdout(&env, args);
        assert_ne!(code, Some(101), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

fn mfa_prompt(env: &TestEnv, after: &str) -> Pty {
    let mut cmd = env.command_for("sh");
    cmd.arg("-c")
        .arg(format!(
            r#"stty sane; {after} "$0" mfa; echo "EXIT $?"; stty -a"#
        ))
        .arg(env!("CARGO_BIN_EXE_switchrole"))
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    let mut pty = Pty::spawn(cmd);
    pty.wait_for("MFA code for");
    pty
}

#[test]
fn the_cli_mfa_prompt_does_not_echo_the_code() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(MFA_FROM_DEFAULTS);
    let mut pty = mfa_prompt(&env, "");
    pty.send("918273\r");
    pty.wait_for("EXIT 0");
    pty.wait_for("speed");
    let text = pty.text();
    assert!(!text.contains("918273"), "the code was echoed: {text}");
    assert!(
        text.contains(" echo "),
        "echo is back on afterwards: {text}"
    );
}

#[test]
fn ctrl_c_at_the_mfa_prompt_restores_echo() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(MFA_FROM_DEFAULTS);
    // The shell ignores the Ctrl-C itself (it waits for switchrole, then reports).
    let mut pty = mfa_prompt(&env, "trap 'echo INTERRUPTED' INT;");
    pty.send("91");
    pty.send("\x03");
    pty.wait_for("EXIT 130");
    pty.wait_for("speed");
    let text = pty.text();
    assert!(!text.contains("91"), "{text}");
    assert!(
        text.contains(" echo "),
        "echo is back on after Ctrl-C: {text}"
    );
}
