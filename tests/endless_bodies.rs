//! A hostile endpoint with an endless body: what switchrole reads is bounded, so it fails
//! promptly with little memory instead of growing past a gigabyte until the timeout.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Moto, TestEnv, endless_server};

/// Runs `cmd`; returns its exit code, stderr, peak memory (KiB) and how long it took.
fn run_measured(mut cmd: Command) -> (i32, String, i64, Duration) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waits for the child spawned above.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    // Reaped by wait4 already (std's wait then only reports that).
    let _ = child.wait();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    (
        code,
        reader.join().unwrap(),
        usage.ru_maxrss,
        started.elapsed(),
    )
}

const MAX_RSS_KIB: i64 = 150 * 1024;

#[test]
fn an_endless_federation_answer_is_cut_off() {
    let port = endless_server(200, "application/json", r#"{"SigninToken": ""#);
    let mut env = TestEnv::with_moto(Moto::shared());
    env.set(
        "SWITCHROLE_FEDERATION_ENDPOINT",
        &format!("http://127.0.0.1:{port}/federation"),
    );
    env.add_role("A", "111122223333", "Admin", &[]);
    let (code, err, rss, took) = run_measured(env.switchrole(&["console", "A", "--print"]));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("longer than 64 KiB"), "{err}");
    assert!(rss < MAX_RSS_KIB, "peak memory {rss} KiB ({took:?}): {err}");
    assert!(took < Duration::from_secs(8), "{took:?}");
    eprintln!("endless federation answer: {rss} KiB peak, {took:?}: {err}");
}

#[test]
fn an_endless_sts_answer_is_cut_off() {
    let port = endless_server(200, "text/xml", "<AssumeRoleResponse><AssumeRoleResult>");
    let env = TestEnv::new(&format!("http://127.0.0.1:{port}"));
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &["--session-name", "tester"],
    );
    let (code, err, rss, took) = run_measured(env.switchrole(&["env", "Client"]));
    assert_eq!(code, 1, "{err}");
    assert!(rss < MAX_RSS_KIB, "peak memory {rss} KiB ({took:?}): {err}");
    assert!(took < Duration::from_secs(10), "{took:?}: {err}");
    assert!(!err.contains("AAAAAAAAAAAAAAAA"), "{err}");
    assert!(err.contains("longer than 1024 KiB"), "{err}");
    eprintln!("endless STS answer: {rss} KiB peak, {took:?}: {err}");
}
