//! `switchrole pick` in a real PTY with stdout a pipe (as `sr` runs it): the list is drawn
//! on the terminal, Enter prints the picked role's static change on stdout, Esc prints
//! nothing and exits 1.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Moto, TestEnv};
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

fn pick(env: &TestEnv, keys: &[&str]) -> (i32, String, String) {
    let out = env.home().join("picked.txt");
    let mut cmd = env.command_for("sh");
    cmd.arg("-c")
        .arg(r#""$0" pick --format sh > "$1""#)
        .arg(env!("CARGO_BIN_EXE_switchrole"))
        .arg(&out)
        .env("TERM", "xterm-256color")
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    let mut session = OsSession::spawn(cmd).expect("spawn in a PTY");
    session.get_process_mut().set_window_size(80, 24).unwrap();
    let mut screen = vt100::Parser::default();
    let read = |session: &mut OsSession, screen: &mut vt100::Parser| {
        let mut buf = [0u8; 8192];
        while let Ok(n) = session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            screen.process(&buf[..n]);
        }
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !screen.screen().contents().contains("Acme prod") {
        read(&mut session, &mut screen);
        assert!(
            Instant::now() < deadline,
            "no list: {}",
            screen.screen().contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    for key in keys {
        session.write_all(key.as_bytes()).unwrap();
        session.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    let code = loop {
        read(&mut session, &mut screen);
        match session.get_process().status() {
            Ok(WaitStatus::Exited(_, code)) => break code,
            Ok(WaitStatus::Signaled(_, signal, _)) => panic!("killed by {signal:?}"),
            _ => {}
        }
        assert!(
            Instant::now() < deadline,
            "pick did not exit: {}",
            screen.screen().contents()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let printed = std::fs::read_to_string(&out).unwrap_or_default();
    (code, printed, screen.screen().contents())
}

fn env() -> TestEnv {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role(
        "Acme prod",
        "111122223333",
        "Admin",
        &["--region", "eu-west-1"],
    );
    env.add_role("Globex", "444455556666", "Admin", &[]);
    env
}

#[test]
fn enter_prints_the_picked_roles_change_on_stdout() {
    let env = env();
    let (code, printed, _) = pick(&env, &["globex", "\r"]);
    assert_eq!(code, 0, "{printed}");
    // The printed change is what `sr` evaluates: read it back with a real shell.
    let out = env
        .command_for("sh")
        .arg("-c")
        .arg(format!(
            "{printed}\necho \"$SWITCHROLE $SWITCHROLE_ACCOUNT_ID $AWS_ACCESS_KEY_ID\""
        ))
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(
        line.starts_with("Globex 444455556666 ASIA"),
        "{line}\n{printed}"
    );
}

#[test]
fn esc_prints_nothing_and_exits_one() {
    let env = env();
    let (code, printed, _) = pick(&env, &["\x1b"]);
    assert_eq!(code, 1);
    assert_eq!(printed, "");
}
