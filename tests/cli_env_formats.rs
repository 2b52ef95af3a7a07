//! `switchrole env --format ...` read back by the real consumers: POSIX shells (bash, dash),
//! fish and PowerShell where installed, and python-dotenv. Values with quotes, `$` and `\`.

mod common;

use std::process::{Command, Stdio};

use common::{Moto, TestEnv};

/// A display name every quoting scheme must survive.
const NASTY_NAME: &str = r#"Bob's "$HOME" \n `x` $(id)"#;

fn env_with_nasty_role() -> (TestEnv, serde_json::Value) {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role(
        NASTY_NAME,
        "111122223333",
        "Admin",
        &["--region", "eu-west-1"],
    );
    let creds: serde_json::Value =
        serde_json::from_str(&env.ok(&["credential-process", NASTY_NAME])).unwrap();
    (env, creds)
}

fn expected(creds: &serde_json::Value) -> Vec<(&'static str, String)> {
    vec![
        (
            "AWS_ACCESS_KEY_ID",
            creds["AccessKeyId"].as_str().unwrap().into(),
        ),
        (
            "AWS_SECRET_ACCESS_KEY",
            creds["SecretAccessKey"].as_str().unwrap().into(),
        ),
        (
            "AWS_SESSION_TOKEN",
            creds["SessionToken"].as_str().unwrap().into(),
        ),
        (
            "AWS_CREDENTIAL_EXPIRATION",
            creds["Expiration"].as_str().unwrap().into(),
        ),
        ("AWS_REGION", "eu-west-1".into()),
        ("AWS_DEFAULT_REGION", "eu-west-1".into()),
        ("SWITCHROLE", NASTY_NAME.into()),
        ("SWITCHROLE_ACCOUNT_ID", "111122223333".into()),
        (
            "SWITCHROLE_ROLE_ARN",
            "arn:aws:iam::111122223333:role/Admin".into(),
        ),
    ]
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Runs `script` in `shell` with `AWS_PROFILE` set, the env output in `$SR_OUTPUT`.
fn run_shell(shell: &[&str], script: &str, output: &str) -> String {
    let out = Command::new(shell[0])
        .args(&shell[1..])
        .arg(script)
        .env("SR_OUTPUT", output)
        .env("AWS_PROFILE", "before")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The names `expected` lists, space-separated, for the shells' loops.
fn names() -> String {
    let placeholder = serde_json::json!({
        "AccessKeyId": "", "SecretAccessKey": "", "SessionToken": "", "Expiration": ""
    });
    let names: Vec<&str> = expected(&placeholder).iter().map(|(n, _)| *n).collect();
    names.join(" ")
}

fn check_lines(printed: &str, creds: &serde_json::Value) {
    let mut lines = printed.lines();
    for (name, value) in expected(creds) {
        assert_eq!(lines.next(), Some(value.as_str()), "{name}");
    }
    assert_eq!(lines.next(), Some("profile=[]"), "AWS_PROFILE is unset");
}

#[test]
fn sh_format_is_read_back_by_posix_shells() {
    let (env, creds) = env_with_nasty_role();
    let output = env.ok(&["env", NASTY_NAME, "--format", "sh"]);
    let script = format!(
        "eval \"$SR_OUTPUT\"; for v in {}; do eval \"printf '%s\\n' \\\"\\${{$v}}\\\"\"; done; \
         printf 'profile=[%s]\\n' \"${{AWS_PROFILE-}}\"",
        names()
    );
    for shell in ["bash", "dash", "zsh"] {
        if installed(shell) || shell == "bash" {
            check_lines(&run_shell(&[shell, "-c"], &script, &output), &creds);
        }
    }
}

#[test]
fn fish_format_is_read_back_by_fish_when_installed() {
    let (env, creds) = env_with_nasty_role();
    let output = env.ok(&["env", NASTY_NAME, "--format", "fish"]);
    if !installed("fish") {
        eprintln!("fish is not installed: only its quoting unit tests ran");
        return;
    }
    let script = format!(
        "eval $SR_OUTPUT; for v in {}; printf '%s\\n' $$v; end; printf 'profile=[%s]\\n' \"$AWS_PROFILE\"",
        names()
    );
    check_lines(&run_shell(&["fish", "-c"], &script, &output), &creds);
}

#[test]
fn powershell_format_is_read_back_by_pwsh_when_installed() {
    let (env, creds) = env_with_nasty_role();
    let output = env.ok(&["env", NASTY_NAME, "--format", "powershell"]);
    if !installed("pwsh") {
        eprintln!("pwsh is not installed: only its quoting unit tests ran");
        return;
    }
    let script = format!(
        "Invoke-Expression $env:SR_OUTPUT; foreach ($v in '{}'.Split(' ')) {{ [Environment]::GetEnvironmentVariable($v) }}; \"profile=[$env:AWS_PROFILE]\"",
        names()
    );
    check_lines(
        &run_shell(&["pwsh", "-NoProfile", "-Command"], &script, &output),
        &creds,
    );
}

#[test]
fn dotenv_format_is_read_back_by_python_dotenv() {
    let (env, creds) = env_with_nasty_role();
    let output = env.ok(&["env", NASTY_NAME, "--format", "dotenv"]);
    let out = Command::new(common::moto_python())
        .args([
            "-c",
            "import io, json, os; from dotenv import dotenv_values; \
             print(json.dumps(dotenv_values(stream=io.StringIO(os.environ['SR_OUTPUT']))))",
        ])
        .env("SR_OUTPUT", &output)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (name, value) in expected(&creds) {
        assert_eq!(
            parsed[name].as_str(),
            Some(value.as_str()),
            "{name} in {output}"
        );
    }
}
