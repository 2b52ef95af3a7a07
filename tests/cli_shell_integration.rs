//! Shell integration: dynamic completion of role names (`COMPLETE=<shell> switchrole`, the
//! clap_complete protocol) for shell/exec/env and the other NAME arguments, and the man page.

mod common;

use std::process::Command;

use common::TestEnv;

fn env_with_roles() -> TestEnv {
    // No STS is needed: nothing here assumes a role.
    let env = TestEnv::new("http://127.0.0.1:9");
    env.add_role("Acme Prod", "111122223333", "Admin", &[]);
    env.add_role("Acme Dev", "444455556666", "Admin", &[]);
    env.add_role("Globex", "777788889999", "ReadOnly", &[]);
    env
}

/// What `switchrole` answers when bash asks to complete word `index` of `words`.
fn complete_bash(env: &TestEnv, index: usize, words: &[&str]) -> Vec<String> {
    let mut cmd = env.switchrole(&["--"]);
    cmd.args(words)
        .env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_IFS", "\n");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split('\n')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn role_names_complete_for_shell_exec_and_env() {
    let env = env_with_roles();
    for sub in [
        "shell",
        "exec",
        "env",
        "console",
        "policy",
        "doctor",
        "credential-process",
    ] {
        let all = complete_bash(&env, 2, &["switchrole", sub, ""]);
        for name in ["Acme Prod", "Acme Dev", "Globex"] {
            assert!(all.iter().any(|c| c == name), "{sub}: {all:?}");
        }
    }
    let acme = complete_bash(&env, 2, &["switchrole", "shell", "Acme"]);
    assert_eq!(acme, ["Acme Prod", "Acme Dev"]);
    // After a flag, and with --config pointing elsewhere.
    let g = complete_bash(&env, 3, &["switchrole", "exec", "--refresh", "Gl"]);
    assert_eq!(g, ["Globex"]);
    let other = TestEnv::new("http://127.0.0.1:9");
    other.add_role("Initech", "123456789012", "Admin", &[]);
    let path = other.config_path();
    let names = complete_bash(
        &env,
        4,
        &["switchrole", "--config", path.to_str().unwrap(), "env", ""],
    );
    let roles: Vec<&String> = names.iter().filter(|n| !n.starts_with('-')).collect();
    assert_eq!(roles, ["Initech"], "{names:?}");
}

#[test]
fn registration_scripts_and_usage_errors() {
    let env = env_with_roles();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.switchrole(&[]).env("COMPLETE", shell).output().unwrap();
        assert!(out.status.success());
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("switchrole"), "{shell}: {script}");
        assert!(script.contains("COMPLETE"), "{shell}: {script}");
    }
    // Words after `--` without COMPLETE are a usage error, not the TUI.
    let out = env.run(&["--", "shell"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unexpected argument 'shell'"));
}

#[test]
fn bash_completes_role_names_through_the_registration_script() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("bash not installed: skipped");
        return;
    }
    let env = env_with_roles();
    let bin = env!("CARGO_BIN_EXE_switchrole");
    let dir = std::path::Path::new(bin).parent().unwrap();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = r#"
source <(COMPLETE=bash switchrole)
COMP_WORDS=(switchrole shell Glo)
COMP_CWORD=2
COMP_LINE="switchrole shell Glo"
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
_clap_complete_switchrole switchrole Glo shell
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let out = env
        .command_for("bash")
        .env("PATH", path)
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.lines().any(|l| l.trim() == "Globex"),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn man_page_and_static_completions() {
    let env = TestEnv::new("http://127.0.0.1:9");
    let man = env.ok(&["man"]);
    assert!(man.contains(".TH switchrole 1"), "{man}");
    for command in ["policy", "console", "doctor", "completions"] {
        assert!(man.contains(command), "{command} missing from the man page");
    }
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("complete -F"), "{bash}");
}
