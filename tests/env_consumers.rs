//! Every `env` format under its real consumer (SPEC 4): bash, dash and zsh `eval`/`.`,
//! `set -a; . FILE` for dotenv, python-dotenv, fish (and pwsh where installed). Hostile
//! display names never run as code (the file `X` they would create never appears) and
//! read back exactly.
#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use switchrole::aws::{Credentials, Secret};
use switchrole::config::{Config, Role};
use switchrole::session::{EnvFormat, SessionEnv};

/// Display names written to break out of each quoting (newlines and all: the session API
/// takes any text, so the formats must hold any text).
const HOSTILE: [&str; 16] = [
    "${HOME} $HOME ${X:-$(touch X)}",
    "$",
    "It's",
    "say \"hi\"",
    "$(touch X)",
    "`touch X`",
    "it's $(touch X)",
    "it's `touch X`",
    r"back\slash \\double \' \n",
    r#"\"$(touch X)\""#,
    "line one\nline two; touch X",
    "100% %PATH% !x",
    "\u{2018}single\u{2019} \u{201a}low\u{201b} '; touch X; '",
    "\u{201c}double\u{201d} \u{201e}low\u{201d} \"; touch X; \"",
    "a'b\"c\\d$e`f",
    "tab\there; touch X #",
];

fn session(name: &str) -> SessionEnv {
    let role = Role {
        name: name.to_string(),
        account_id: "111122223333".into(),
        role_name: "Admin".into(),
        ..Role::default()
    };
    let creds = Credentials {
        access_key_id: "ASIAEXAMPLE".into(),
        secret_access_key: Secret::new("se/cr+et=="),
        session_token: Secret::new("to+ken/=="),
        expiration: SystemTime::UNIX_EPOCH,
    };
    SessionEnv::new(&role, &Config::default().effective(&role), &creds)
}

fn installed(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `program args…` in `dir` and returns what it printed; asserts success and that no
/// `X` was created.
fn consume(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env_remove("SWITCHROLE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.join("X").exists(), "{program} ran code from a value");
    String::from_utf8(out.stdout).unwrap()
}

/// Writes each hostile name's `format` output to a file and hands it to `read`, which
/// returns the value of SWITCHROLE as the consumer saw it.
fn check(format: EnvFormat, consumer: &str, read: impl Fn(&Path, &Path) -> String) {
    for name in HOSTILE {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("session.env");
        std::fs::write(&file, session(name).render(format)).unwrap();
        let seen = read(dir.path(), &file);
        assert!(
            !dir.path().join("X").exists(),
            "{consumer}: {name:?} ran code"
        );
        assert_eq!(seen, name, "{consumer} read {name:?} back wrong");
    }
}

/// A POSIX shell's view: source the file, print SWITCHROLE and the secret key.
fn shell_reader(shell: &'static str, prefix: &'static str) -> impl Fn(&Path, &Path) -> String {
    move |dir, file| {
        let script = format!(
            "{prefix} . {}; printf '%s\\n' \"$AWS_SECRET_ACCESS_KEY\"; printf '%s' \"$SWITCHROLE\"",
            file.display()
        );
        let out = consume(dir, shell, &["-c", &script]);
        let (secret, name) = out.split_once('\n').unwrap();
        assert_eq!(secret, "se/cr+et==", "{shell}");
        name.to_string()
    }
}

#[test]
fn sh_format_under_bash_dash_and_zsh() {
    for shell in ["bash", "dash", "zsh"] {
        if !installed(shell) {
            eprintln!("{shell} is not installed: skipped (apt-get install {shell})");
            continue;
        }
        check(EnvFormat::Sh, shell, shell_reader(shell, ""));
    }
}

#[test]
fn dotenv_format_sourced_with_set_a() {
    for shell in ["bash", "dash", "zsh"] {
        if !installed(shell) {
            eprintln!("{shell} is not installed: skipped (apt-get install {shell})");
            continue;
        }
        // `set -a` exports what the file assigns; a child process sees it.
        check(EnvFormat::Dotenv, shell, |dir, file| {
            let script = format!(
                "set -a; . {}; set +a; exec python3 -c 'import os,sys; sys.stdout.write(os.environ[\"SWITCHROLE\"])'",
                file.display()
            );
            consume(dir, shell, &["-c", &script])
        });
    }
}

#[test]
fn dotenv_format_under_python_dotenv() {
    let python = common::moto_python();
    let probe = Command::new(&python).args(["-c", "import dotenv"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "python-dotenv is not installed for {}: skipped (python3 tests/run.py installs it)",
            python.display()
        );
        return;
    }
    let python = python.to_string_lossy().into_owned();
    check(EnvFormat::Dotenv, "python-dotenv", |dir, file| {
        let script = format!(
            "import dotenv, json, sys\n\
             values = dotenv.dotenv_values({:?})\n\
             assert values['AWS_SECRET_ACCESS_KEY'] == 'se/cr+et==', values\n\
             assert values['AWS_SESSION_TOKEN'] == 'to+ken/==', values\n\
             sys.stdout.write(json.dumps(values.get('SWITCHROLE')))",
            file.display().to_string()
        );
        let out = consume(dir, &python, &["-c", &script]);
        serde_json::from_str::<String>(&out).unwrap()
    });
}

#[test]
fn fish_format_under_fish() {
    if !installed("fish") {
        eprintln!("fish is not installed: skipped (apt-get install fish)");
        return;
    }
    check(EnvFormat::Fish, "fish", |dir, file| {
        let script = format!(
            "source {}; printf '%s\\n' $AWS_SECRET_ACCESS_KEY; printf '%s' $SWITCHROLE",
            file.display()
        );
        let out = consume(dir, "fish", &["--no-config", "-c", &script]);
        let (secret, name) = out.split_once('\n').unwrap();
        assert_eq!(secret, "se/cr+et==");
        name.to_string()
    });
}

#[test]
fn powershell_format_under_pwsh() {
    if !installed("pwsh") {
        eprintln!("pwsh is not installed (not packaged here): skipped; see session::tests");
        return;
    }
    check(EnvFormat::Powershell, "pwsh", |dir, file| {
        let script = format!(
            ". '{}'; [Console]::Out.Write($env:SWITCHROLE)",
            file.display()
        );
        consume(dir, "pwsh", &["-NoProfile", "-Command", &script])
    });
}
