//! A program in a pseudo-terminal (expectrl), for tests of what a terminal user sees:
//! what was echoed, what a shell's completion inserted, how the program ended.

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;

pub struct Pty {
    session: OsSession,
    /// Every byte the program wrote to the terminal.
    pub output: Vec<u8>,
}

impl Pty {
    pub fn spawn(cmd: Command) -> Pty {
        let mut session = OsSession::spawn(cmd).expect("spawn in a PTY");
        session
            .get_process_mut()
            .set_window_size(120, 40)
            .expect("window size");
        Pty {
            session,
            output: Vec::new(),
        }
    }

    fn pump(&mut self) {
        let mut buf = [0u8; 8192];
        while let Ok(n) = self.session.try_read(&mut buf) {
            if n == 0 {
                break;
            }
            self.output.extend_from_slice(&buf[..n]);
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.output).into_owned()
    }

    /// Waits until the output holds `needle` (panics after 30 s).
    pub fn wait_for(&mut self, needle: &str) {
        assert!(
            self.wait_for_within(needle, Duration::from_secs(30)),
            "timed out waiting for {needle:?}; output:\n{}",
            self.text()
        );
    }

    /// Waits at most `limit` for the output to hold `needle`; whether it did.
    pub fn wait_for_within(&mut self, needle: &str, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            self.pump();
            if self.text().contains(needle) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `text` and gives the program a moment to read it.
    pub fn send(&mut self, text: &str) {
        self.session.write_all(text.as_bytes()).expect("write");
        self.session.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(200));
        self.pump();
    }

    /// Waits for the program to end; its exit code (128 + signal when killed).
    pub fn exit_code(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            self.pump();
            match self.session.get_process().status() {
                Ok(WaitStatus::Exited(_, code)) => return code,
                Ok(WaitStatus::Signaled(_, signal, _)) => return 128 + signal as i32,
                _ => {}
            }
            assert!(
                Instant::now() < deadline,
                "did not exit; output:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
