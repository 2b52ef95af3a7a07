//! How the TUI ends from outside (SPEC 5, issue 9), on the real binary in a PTY: when its
//! terminal goes away (the PTY's master side closed, as when a window is closed or ssh
//! drops) it exits within a second or two without spinning, on the list, in the form and in
//! the MFA modal; SIGTERM (143) and SIGHUP (129) end it with the terminal restored on each of
//! those screens, and also while the loop is stuck in a call (the config file's lock held by
//! someone else).
#![cfg(target_os = "linux")]

mod common;
mod tui_harness;

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use common::TestEnv;
use tui_harness::Tui;

const MFA_SERIAL: &str = "arn:aws:iam::123456789012:mfa/tester";

/// The screens a signal or a hang-up can find the TUI on.
#[derive(Debug, Clone, Copy)]
enum Screen {
    List,
    Form,
    Mfa,
}

/// A config with one role that needs MFA (Enter opens the modal without calling STS).
fn env_with_a_role() -> TestEnv {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &["--mfa-serial", MFA_SERIAL],
    );
    env
}

/// A TUI the test types into and watches.
trait Drive {
    fn send(&mut self, bytes: &str);
    fn wait_for(&mut self, needle: &str);

    /// Opens `screen` and waits until it shows.
    fn open(&mut self, screen: Screen) {
        self.wait_for("1 role ");
        match screen {
            Screen::List => {}
            Screen::Form => {
                self.send("\x01");
                self.wait_for("Add a role");
            }
            Screen::Mfa => {
                self.send("\r");
                self.wait_for("\"Client\" needs a code from");
            }
        }
    }
}

impl Drive for Tui {
    fn send(&mut self, bytes: &str) {
        Tui::send(self, bytes);
    }

    fn wait_for(&mut self, needle: &str) {
        Tui::wait_for(self, needle);
    }
}

fn signal_ends_the_tui(screen: Screen, signal: libc::c_int, code: i32) {
    let env = env_with_a_role();
    let mut tui = Tui::start(&env, &[]);
    tui.open(screen);
    let pid = tui.pid_of_switchrole();
    // SAFETY: sending a signal to our own grandchild.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let sent = Instant::now();
    assert_eq!(tui.exit_code(), code, "{screen:?}");
    assert!(sent.elapsed() < Duration::from_secs(2), "{screen:?}");
    tui.assert_terminal_restored();
}

#[test]
fn sigterm_ends_the_list_the_form_and_the_mfa_modal_with_143() {
    for screen in [Screen::List, Screen::Form, Screen::Mfa] {
        signal_ends_the_tui(screen, libc::SIGTERM, 143);
    }
}

#[test]
fn sighup_ends_the_list_the_form_and_the_mfa_modal_with_129() {
    for screen in [Screen::List, Screen::Form, Screen::Mfa] {
        signal_ends_the_tui(screen, libc::SIGHUP, 129);
    }
}

/// The loop stuck in a call (saving a favourite waits for the config's lock, held here):
/// SIGTERM still ends the TUI at once, terminal restored.
#[test]
fn sigterm_ends_a_tui_stuck_in_a_call() {
    let env = env_with_a_role();
    let mut lock_name = env.config_path().into_os_string();
    lock_name.push(".lock");
    let lock = File::create(&lock_name).unwrap();
    lock.lock().unwrap();
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("1 role ");
    tui.send("\x06");
    std::thread::sleep(Duration::from_millis(300));
    let pid = tui.pid_of_switchrole();
    // SAFETY: sending a signal to our own grandchild.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let sent = Instant::now();
    assert_eq!(tui.exit_code(), 143);
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
    tui.assert_terminal_restored();
    drop(lock);
}

/// switchrole in a PTY of our own, whose master side the test can close. The `sh` around it
/// ignores SIGHUP (so only the closed terminal can end switchrole, as for a TUI re-parented
/// to init) and writes switchrole's exit code to a file.
struct Orphanable {
    master: Option<OwnedFd>,
    sh: libc::pid_t,
    screen: Arc<Mutex<vt100::Parser>>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    exit_file: std::path::PathBuf,
}

impl Orphanable {
    fn start(env: &TestEnv) -> Orphanable {
        // Close-on-exec from the start: no other test's child may keep the master open.
        // SAFETY: plain libc calls; each descriptor is owned once opened.
        let master = unsafe {
            let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
            assert!(fd >= 0, "posix_openpt");
            assert_eq!(libc::grantpt(fd), 0);
            assert_eq!(libc::unlockpt(fd), 0);
            OwnedFd::from_raw_fd(fd)
        };
        let mut name = [0 as libc::c_char; 128];
        // SAFETY: the buffer's length is passed with it.
        let named = unsafe { libc::ptsname_r(master.as_raw_fd(), name.as_mut_ptr(), name.len()) };
        assert_eq!(named, 0, "ptsname_r");
        // SAFETY: ptsname_r wrote a NUL-terminated path.
        let path = unsafe { std::ffi::CStr::from_ptr(name.as_ptr()) };
        // SAFETY: opening the slave side by its path, close-on-exec.
        let slave = unsafe {
            let fd = libc::open(
                path.as_ptr(),
                libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
            );
            assert!(fd >= 0, "open the slave side");
            OwnedFd::from_raw_fd(fd)
        };
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: TIOCSWINSZ with a valid winsize.
        unsafe { libc::ioctl(slave.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        let exit_file = env.home().join("exit-code.txt");
        let mut cmd = env.command_for("sh");
        cmd.arg("-c")
            .arg(r#"trap '' HUP; stty sane; "$0"; echo $? > "$1""#)
            .arg(env!("CARGO_BIN_EXE_switchrole"))
            .arg(&exit_file)
            .env("TERM", "xterm-256color")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and ioctl are async-signal-safe; stdin is the PTY's slave side.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        // Waited for with `wait4` (for its rusage), in `wait` and on drop.
        #[allow(clippy::zombie_processes)]
        let child = cmd.spawn().expect("spawn sh in a PTY");
        drop(cmd);
        let screen = Arc::new(Mutex::new(vt100::Parser::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (screen, stop) = (Arc::clone(&screen), Arc::clone(&stop));
            let mut file = File::from(master.try_clone().unwrap());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while !stop.load(Ordering::SeqCst) {
                    let mut fd = libc::pollfd {
                        fd: file.as_raw_fd(),
                        events: libc::POLLIN,
                        revents: 0,
                    };
                    // SAFETY: one valid pollfd.
                    if unsafe { libc::poll(&mut fd, 1, 20) } <= 0 {
                        continue;
                    }
                    match file.read(&mut buf) {
                        Ok(n) if n > 0 => screen.lock().unwrap().process(&buf[..n]),
                        _ => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })
        };
        Orphanable {
            master: Some(master),
            sh: child.id() as libc::pid_t,
            screen,
            stop,
            reader: Some(reader),
            exit_file,
        }
    }
}

impl Drive for Orphanable {
    fn send(&mut self, bytes: &str) {
        let master = self.master.as_ref().expect("master open");
        let mut file = File::from(master.try_clone().unwrap());
        std::io::Write::write_all(&mut file, bytes.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.screen.lock().unwrap().screen().contents();
            if text.contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                self.kill();
                panic!("timed out waiting for {needle:?}; screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Orphanable {
    /// Closes the master side: the terminal is gone.
    fn close_terminal(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.master = None;
    }

    fn kill(&self) {
        // SAFETY: the whole process group of our child (its own session).
        unsafe { libc::kill(-self.sh, libc::SIGKILL) };
    }

    /// Waits up to `limit` for `sh` (and so switchrole) to end; its rusage counts switchrole.
    fn wait(&self, limit: Duration) -> Option<libc::rusage> {
        let deadline = Instant::now() + limit;
        loop {
            let mut status = 0;
            // SAFETY: a zeroed rusage is valid plain data for wait4 to fill.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            // SAFETY: waiting for our own child.
            let pid = unsafe { libc::wait4(self.sh, &mut status, libc::WNOHANG, &mut usage) };
            if pid == self.sh {
                return Some(usage);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// switchrole's CPU time so far (user + system), from `/proc`.
    fn switchrole_cpu(&self) -> Duration {
        let path = format!("/proc/{0}/task/{0}/children", self.sh);
        let children = std::fs::read_to_string(path).unwrap();
        let pid: i32 = children.split_whitespace().next().unwrap().parse().unwrap();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        // After the name: state is field 3, utime 14 and stime 15 (1-based over the line).
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        // SAFETY: sysconf has no preconditions.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
        Duration::from_millis(ticks * 1000 / per_second.max(1))
    }
}

impl Drop for Orphanable {
    fn drop(&mut self) {
        self.kill();
        let _ = self.wait(Duration::from_secs(2));
    }
}

fn cpu(usage: &libc::rusage) -> Duration {
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn closed_terminal_ends_the_tui(screen: Screen) {
    let env = env_with_a_role();
    let mut tui = Orphanable::start(&env);
    tui.open(screen);
    let before = tui.switchrole_cpu();
    tui.close_terminal();
    let closed = Instant::now();
    let Some(usage) = tui.wait(Duration::from_secs(3)) else {
        tui.kill();
        panic!("{screen:?}: switchrole still runs 3 s after its terminal closed");
    };
    let took = closed.elapsed();
    assert!(took < Duration::from_secs(2), "{screen:?}: took {took:?}");
    // sh's rusage counts switchrole's; sh itself does next to nothing.
    let after_close = cpu(&usage).saturating_sub(before);
    assert!(
        after_close < Duration::from_millis(500),
        "{screen:?}: {after_close:?} of CPU after the terminal closed"
    );
    let code = std::fs::read_to_string(&tui.exit_file).unwrap_or_default();
    assert_eq!(code.trim(), "129", "{screen:?}: exit code");
}

#[test]
fn a_closed_terminal_ends_the_list_the_form_and_the_mfa_modal() {
    for screen in [Screen::List, Screen::Form, Screen::Mfa] {
        closed_terminal_ends_the_tui(screen);
    }
}
