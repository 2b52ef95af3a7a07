//! A served `shell` in a real PTY: Ctrl-C at the child's prompt reaches the child and not
//! switchrole, the child's exit code passes through, and SIGTERM or SIGHUP to switchrole
//! ends both (129 / 143, as shells report a signal).
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Moto, TestEnv};
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

struct Pty {
    session: OsSession,
    seen: String,
}

impl Pty {
    fn shell(env: &TestEnv) -> Pty {
        let mut cmd = env.switchrole(&["shell", "A"]);
        cmd.env("SHELL", "/bin/sh")
            .env("PS1", "served$ ")
            .env("TERM", "dumb")
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let session = OsSession::spawn(cmd).expect("spawn in a PTY");
        Pty {
            session,
            seen: String::new(),
        }
    }

    fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            if let Ok(n) = self.session.try_read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in {:?}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, text: &str) {
        self.session.write_all(text.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// The child shell's pid, as it says itself.
    fn child_pid(&mut self) -> i32 {
        self.send("echo \"pid=<$$>\"\r");
        self.wait_for(">\r\n");
        let start = self.seen.rfind("pid=<").unwrap() + 5;
        let end = start + self.seen[start..].find('>').unwrap();
        self.seen[start..end].parse().unwrap()
    }

    fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return code,
                Ok(WaitStatus::Signaled(_, signal, _)) => panic!("switchrole killed by {signal:?}"),
                _ => {}
            }
            assert!(
                Instant::now() < deadline,
                "switchrole did not exit: {:?}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn env() -> TestEnv {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(
        "[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n",
    );
    env
}

fn gone(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |s| s.contains(") Z "))
}

#[test]
fn ctrl_c_is_the_childs_and_its_exit_code_is_the_sessions() {
    let env = env();
    let mut pty = Pty::shell(&env);
    pty.wait_for("served$ ");
    pty.child_pid();
    pty.send("\x03");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("echo still-$SWITCHROLE\r");
    pty.wait_for("still-A");
    pty.send("exit 3\r");
    assert_eq!(pty.exit_code(), 3);
}

#[test]
fn sigterm_and_sighup_end_the_session_and_its_child() {
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let env = env();
        let mut pty = Pty::shell(&env);
        pty.wait_for("served$ ");
        let child = pty.child_pid();
        let switchrole = pty.session.get_process().pid().as_raw();
        assert_eq!(unsafe { libc::kill(switchrole, signal) }, 0);
        assert_eq!(pty.exit_code(), code, "signal {signal}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !gone(child) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(gone(child), "the child shell {child} outlived switchrole");
    }
}
