#![allow(dead_code)]
//! A shell in a PTY for the shell-integration tests: what it wrote so far, waiting for a
//! text or for the prompt after a command line.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use expectrl::session::OsSession;

pub struct Pty {
    pub session: OsSession,
    pub seen: String,
}

impl Pty {
    pub fn spawn(mut cmd: Command) -> Pty {
        cmd.stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        let mut session = OsSession::spawn(cmd).expect("spawn in a PTY");
        session.get_process_mut().set_window_size(120, 40).unwrap();
        Pty {
            session,
            seen: String::new(),
        }
    }

    /// Reads until `needle` has been seen `times` times in all.
    pub fn wait_count(&mut self, needle: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut buf = [0u8; 4096];
        while self.seen.matches(needle).count() < times {
            if let Ok(n) = self.session.try_read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            assert!(
                Instant::now() < deadline,
                "no {times}x {needle:?} in {:?}",
                self.seen
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn wait_for(&mut self, needle: &str) {
        let times = self.seen.matches(needle).count() + 1;
        self.wait_count(needle, times);
    }

    /// Reads whatever comes within `wait`.
    pub fn drain(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        let mut buf = [0u8; 4096];
        while Instant::now() < deadline {
            if let Ok(n) = self.session.try_read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn send(&mut self, text: &str) {
        self.session.write_all(text.as_bytes()).unwrap();
        self.session.flush().unwrap();
    }

    /// Sends a command line and waits for the next prompt after it.
    pub fn run(&mut self, line: &str) -> String {
        let start = self.seen.len();
        self.send(line);
        self.send("\r");
        self.wait_count_after(start, "P> ");
        self.seen[start..].to_string()
    }

    pub fn wait_count_after(&mut self, start: usize, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut buf = [0u8; 4096];
        // The echoed line, then the prompt that follows it.
        let prompted = |seen: &str| {
            let seen = &seen[start..];
            seen.find('\n').is_some_and(|i| seen[i..].contains(needle))
        };
        while !prompted(&self.seen) {
            if let Ok(n) = self.session.try_read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
            assert!(
                Instant::now() < deadline,
                "no prompt after {start} in {:?}",
                &self.seen[start..]
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        self.drain(Duration::from_millis(150));
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.session.get_process_mut().exit(true);
    }
}
