//! The PTY harness of the TUI's end-to-end tests: the real binary in a pseudo-terminal
//! (expectrl) behind a `sh` that sets a cooked terminal first and records `stty -a` after,
//! a virtual screen rebuilt from the output with `vt100`, and a `$SHELL` that records its
//! environment. Shared by `tui_pty.rs` and `tui_signals.rs`.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

use crate::common::TestEnv;

/// A switchrole TUI running in a PTY, with a virtual screen of what it drew.
pub struct Tui {
    pub session: OsSession,
    pub screen: vt100::Parser,
    /// Every byte the TUI wrote, for escape-sequence checks.
    pub raw: Vec<u8>,
    /// `stty -a` of the PTY after switchrole exited (written by the wrapper).
    pub stty_after: PathBuf,
}

impl Tui {
    /// Runs switchrole (through a `sh` that sets a sane cooked terminal first, as a login
    /// terminal would be, and records `stty -a` once switchrole exits) in the temporary HOME.
    pub fn start(env: &TestEnv, extra_env: &[(&str, &str)]) -> Tui {
        let stty_after = env.home().join("stty-after.txt");
        let mut cmd: Command = env.command_for("sh");
        cmd.arg("-c")
            .arg(r#"stty sane; "$0"; code=$?; stty -a > "$1"; exit $code"#)
            .arg(env!("CARGO_BIN_EXE_switchrole"))
            .arg(&stty_after)
            .env("TERM", "xterm-256color")
            .current_dir(env.home())
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        for (name, value) in extra_env {
            cmd.env(name, value);
        }
        let mut session = OsSession::spawn(cmd).expect("spawn switchrole in a PTY");
        session
            .get_process_mut()
            .set_window_size(80, 24)
            .expect("window size");
        Tui {
            session,
            screen: vt100::Parser::default(),
            raw: Vec::new(),
            stty_after,
        }
    }

    pub fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        loop {
            match self.session.try_read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    self.screen.process(&buf[..n]);
                    self.raw.extend_from_slice(&buf[..n]);
                }
                Err(_) => break,
            }
        }
    }

    pub fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// Waits until the screen shows `needle`.
    pub fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.pump();
            if self.text().contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.session.write_all(bytes.as_bytes()).expect("write");
        self.session.flush().expect("flush");
        // Lets the TUI read each send on its own (a lone Esc must not merge with the next
        // bytes into an Alt- sequence).
        std::thread::sleep(Duration::from_millis(150));
        self.pump();
    }

    /// Waits for the process to exit; returns its exit code.
    pub fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            self.pump();
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return code,
                Ok(WaitStatus::Signaled(_, signal, _)) => panic!("killed by {signal:?}"),
                _ => {}
            }
            if Instant::now() > deadline {
                panic!("switchrole did not exit; screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The PTY after exit: cooked (icanon, echo), main screen, cursor shown, no paste mode.
    pub fn assert_terminal_restored(&self) {
        let stty = std::fs::read_to_string(&self.stty_after).expect("stty after exit");
        assert_cooked(&stty);
        let raw = String::from_utf8_lossy(&self.raw);
        let last = |seq: &str| raw.rfind(seq);
        assert!(
            last("\x1b[?1049h").is_some(),
            "the alternate screen was used"
        );
        assert!(
            last("\x1b[?1049l") > last("\x1b[?1049h"),
            "left the alternate screen at the end"
        );
        assert!(last("\x1b[?2004l") > last("\x1b[?2004h"), "paste mode off");
        assert!(last("\x1b[?25h") > last("\x1b[?25l"), "cursor shown");
    }

    #[cfg(target_os = "linux")]
    pub fn pid_of_switchrole(&self) -> i32 {
        // The PTY's process is the wrapper shell; switchrole is its only child.
        let wrapper = self.session.get_process().pid().as_raw();
        let path = format!("/proc/{wrapper}/task/{wrapper}/children");
        let children = std::fs::read_to_string(&path).expect("children of the wrapper");
        children
            .split_whitespace()
            .next()
            .and_then(|p| p.parse().ok())
            .expect("switchrole's pid")
    }
}

pub fn assert_cooked(stty: &str) {
    let flags: Vec<&str> = stty
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    assert!(flags.contains(&"icanon"), "icanon off:\n{stty}");
    assert!(flags.contains(&"echo"), "echo off:\n{stty}");
    assert!(flags.contains(&"isig"), "isig off:\n{stty}");
}

/// A `$SHELL` that records its environment and terminal mode, then exits.
/// Python that asks the credential server of a served session for its credentials, as an
/// SDK does, and prints them as `AWS_ACCESS_KEY_ID=...` lines marked `SERVED_`.
const SERVED_CREDENTIALS: &str = "import json, os, urllib.request; \
    r = urllib.request.Request(os.environ[\"AWS_CONTAINER_CREDENTIALS_FULL_URI\"], \
    headers={\"Authorization\": os.environ[\"AWS_CONTAINER_AUTHORIZATION_TOKEN\"]}); \
    d = json.load(urllib.request.urlopen(r)); \
    print(\"SERVED_AWS_ACCESS_KEY_ID=\" + d[\"AccessKeyId\"]); \
    print(\"SERVED_AWS_SECRET_ACCESS_KEY=\" + d[\"SecretAccessKey\"]); \
    print(\"SERVED_AWS_SESSION_TOKEN=\" + d[\"Token\"]); \
    print(\"SERVED_AWS_CREDENTIAL_EXPIRATION=\" + d[\"Expiration\"])";

/// A `$SHELL` that records its environment (and, in a served session, the credentials its
/// server hands out) and `stty -a`, then exits.
pub fn recording_shell(dir: &Path) -> PathBuf {
    let script = dir.join("record-shell.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nenv > '{0}/shell-env.txt'\nstty -a > '{0}/shell-stty.txt'\n\
             [ -n \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" ] && '{1}' -c '{2}' >> '{0}/shell-env.txt'\n\
             echo RECORDED\n",
            dir.display(),
            super::common::moto_python().display(),
            SERVED_CREDENTIALS
        ),
    )
    .unwrap();
    let mut perms = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).unwrap();
    script
}

pub fn env_file(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .expect("the shell recorded its environment")
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn get<'a>(vars: &'a [(String, String)], name: &str) -> Option<&'a str> {
    vars.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
