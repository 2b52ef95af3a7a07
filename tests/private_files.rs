//! What switchrole reads back from its own directories is trusted only when it is ours and
//! private (SPEC 3): the config snapshot (planted, edited, owned by another uid, in an open
//! directory), the directories and lock files it creates whatever the umask, locks another
//! process holds, a file size limit, and no home directory at all (no shared fallback).
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Moto, TestEnv};

const CONFIG: &str = r#"
[[roles]]
name = "Acme prod"
account_id = "111122223333"
role_name = "Admin"
"#;

fn am_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn have_setpriv() -> bool {
    Command::new("setpriv").arg("--version").output().is_ok()
}

/// A config old enough to be snapshotted, and its snapshot made by a first `list`.
fn env_with_snapshot() -> (TestEnv, PathBuf) {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config(CONFIG);
    let status = Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(env.config_path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(account_listed(&env).contains("111122223333"));
    let dir = env.cache_dir().join("snapshots");
    let snapshot = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "bin"))
        .expect("a snapshot was written");
    (env, snapshot)
}

fn account_listed(env: &TestEnv) -> String {
    let out = env.ok(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    doc.as_array().unwrap()[0]["account_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern in the snapshot");
    let mut out = bytes.to_vec();
    out[at..at + from.len()].copy_from_slice(to);
    out
}

/// The snapshot's tag (keyed BLAKE3), to forge a snapshot as someone who stole the key would.
fn tag(key: &[u8], message: &[u8]) -> Vec<u8> {
    let key: [u8; 32] = key.try_into().unwrap();
    blake3::keyed_hash(&key, message).as_bytes().to_vec()
}

/// The snapshot pointing "Acme prod" at 999999999999, signed with the real key.
fn forge_signed(env: &TestEnv, snapshot: &Path) {
    let key = std::fs::read(env.cache_dir().join("snapshot.key")).unwrap();
    let bytes = std::fs::read(snapshot).unwrap();
    let body = replace(&bytes[32..], b"111122223333", b"999999999999");
    let mut forged = tag(&key, &body);
    forged.extend_from_slice(&body);
    std::fs::write(snapshot, forged).unwrap();
}

#[test]
fn an_edited_snapshot_is_not_used() {
    let (env, snapshot) = env_with_snapshot();
    let bytes = std::fs::read(&snapshot).unwrap();
    std::fs::write(&snapshot, replace(&bytes, b"111122223333", b"999999999999")).unwrap();
    assert_eq!(account_listed(&env), "111122223333");
}

#[test]
fn a_snapshot_is_used_only_when_it_its_directory_and_its_key_are_ours_and_private() {
    if !am_root() || !have_setpriv() {
        eprintln!("needs root and setpriv to act as a second uid; skipped");
        return;
    }
    let (env, snapshot) = env_with_snapshot();
    let dir = snapshot.parent().unwrap().to_path_buf();
    // The forgery itself is good: with everything ours and private it would be believed.
    forge_signed(&env, &snapshot);
    assert_eq!(account_listed(&env), "999999999999", "the forgery check");

    // Planted by another uid (written by a process running as nobody).
    let forged = std::fs::read(&snapshot).unwrap();
    std::fs::remove_file(&snapshot).unwrap();
    let staging = tempfile::tempdir().unwrap();
    std::fs::set_permissions(staging.path(), PermissionsExt::from_mode(0o777)).unwrap();
    let staged = staging.path().join("forged.bin");
    std::fs::write(&staged, &forged).unwrap();
    std::fs::set_permissions(&staged, PermissionsExt::from_mode(0o644)).unwrap();
    let planted = staging.path().join("planted.bin");
    let copied = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "cp"])
        .arg(&staged)
        .arg(&planted)
        .status()
        .unwrap();
    assert!(copied.success());
    std::fs::rename(&planted, &snapshot).unwrap();
    std::fs::set_permissions(&snapshot, PermissionsExt::from_mode(0o600)).unwrap();
    assert_eq!(std::fs::metadata(&snapshot).unwrap().uid(), 65534);
    assert_eq!(account_listed(&env), "111122223333", "another uid's file");

    // A file others can write.
    std::fs::remove_file(&snapshot).unwrap();
    std::fs::write(&snapshot, &forged).unwrap();
    std::fs::set_permissions(&snapshot, PermissionsExt::from_mode(0o666)).unwrap();
    assert_eq!(
        account_listed(&env),
        "111122223333",
        "a file others can write"
    );

    // A directory another uid owns, or others can write.
    std::fs::write(&snapshot, &forged).unwrap();
    std::fs::set_permissions(&snapshot, PermissionsExt::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(&dir, Some(65534), Some(65534)).unwrap();
    assert_eq!(
        account_listed(&env),
        "111122223333",
        "another uid's directory"
    );
    std::os::unix::fs::chown(&dir, Some(0), Some(0)).unwrap();
    std::fs::write(&snapshot, &forged).unwrap();
    std::fs::set_permissions(&dir, PermissionsExt::from_mode(0o777)).unwrap();
    assert_eq!(account_listed(&env), "111122223333", "an open directory");
    std::fs::set_permissions(&dir, PermissionsExt::from_mode(0o700)).unwrap();

    // A key another uid owns.
    std::fs::write(&snapshot, &forged).unwrap();
    let key = env.cache_dir().join("snapshot.key");
    std::os::unix::fs::chown(&key, Some(65534), Some(65534)).unwrap();
    assert_eq!(account_listed(&env), "111122223333", "another uid's key");
}

/// `args` run as a uid that the password database does not know, with no HOME and no
/// XDG variables, and TMPDIR at `tmp`.
fn run_homeless(tmp: &Path, extra: &[(&str, &Path)], args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=54321", "--regid=54321", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_switchrole"))
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TMPDIR", tmp)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null());
    for (name, value) in extra {
        cmd.env(name, value);
    }
    cmd.output().unwrap()
}

#[test]
fn without_a_home_nothing_falls_back_to_a_shared_directory() {
    if !am_root() || !have_setpriv() {
        eprintln!("needs root and setpriv to run as a uid without a home; skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), PermissionsExt::from_mode(0o1777)).unwrap();
    let out = run_homeless(tmp.path(), &[], &["list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for variable in [
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
    ] {
        assert!(err.contains(variable), "says to set {variable}: {err}");
    }
    assert!(
        !tmp.path().join("switchrole").exists(),
        "no shared fallback"
    );

    // Naming the directories is enough.
    let own = tmp.path().join("own");
    std::fs::create_dir(&own).unwrap();
    std::os::unix::fs::chown(&own, Some(54321), Some(54321)).unwrap();
    let config = own.join("config.toml");
    std::fs::write(&config, CONFIG).unwrap();
    std::os::unix::fs::chown(&config, Some(54321), Some(54321)).unwrap();
    let out = run_homeless(
        tmp.path(),
        &[
            ("SWITCHROLE_CONFIG", &config),
            ("XDG_CACHE_HOME", &own.join("cache")),
            ("XDG_STATE_HOME", &own.join("state")),
        ],
        &["list"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Acme prod"), "{text}");
    assert!(
        !tmp.path().join("switchrole").exists(),
        "no shared fallback"
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn with_umask_000_directories_are_0700_and_files_0600() {
    let env = TestEnv::with_moto(Moto::shared());
    let umask = |args: &[&str]| {
        let mut cmd = env.command_for("sh");
        cmd.arg("-c")
            .arg(r#"umask 000; exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_switchrole"))
            .args(args);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    umask(&["add", "A", "--account", "111122223333", "--role", "Admin"]);
    umask(&["exec", "A", "--", "true"]);
    let config_dir = env.config_path().parent().unwrap().to_path_buf();
    for dir in [&config_dir, &env.cache_dir(), &env.state_dir()] {
        assert_eq!(mode(dir), 0o700, "{}", dir.display());
    }
    for file in [
        env.config_path(),
        config_dir.join("config.toml.lock"),
        env.state_dir().join("usage.log"),
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

/// `flock PATH sleep 60`, holding the lock until killed.
struct HeldLock(std::process::Child);

impl HeldLock {
    fn take(path: &Path) -> HeldLock {
        let child = Command::new("flock")
            .arg(path)
            .args(["sleep", "60"])
            .spawn()
            .expect("flock (util-linux)");
        let deadline = Instant::now() + Duration::from_secs(5);
        let locks = || std::fs::read_to_string("/proc/locks").unwrap_or_default();
        while !locks().contains(&format!(" {} ", child.id())) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        HeldLock(child)
    }
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `cmd`, killing it after `limit`; returns its output and how long it took.
fn run_bounded(mut cmd: Command, limit: Duration) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (out, started.elapsed())
}

#[test]
fn a_held_usage_lock_never_blocks_a_switch() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &[]);
    env.ok(&["env", "A"]);
    let _held = HeldLock::take(&env.state_dir().join("usage.json.lock"));
    let (out, took) = run_bounded(env.switchrole(&["env", "A"]), Duration::from_secs(20));
    assert!(
        out.status.success(),
        "after {took:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("AWS_ACCESS_KEY_ID"));
    assert!(out.stderr.is_empty(), "skipped silently");
}

#[test]
fn a_held_config_lock_times_out_and_names_the_holder() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.add_role("A", "111122223333", "Admin", &[]);
    let lock = env.config_path().with_file_name("config.toml.lock");
    let held = HeldLock::take(&lock);
    let add = env.switchrole(&["add", "B", "--account", "222222222222", "--role", "R"]);
    let (out, took) = run_bounded(add, Duration::from_secs(40));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "after {took:?}: {err}");
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert!(err.contains(&format!("pid {}", held.0.id())), "{err}");
    assert!(err.contains("config.toml.lock"), "{err}");
    assert!(
        !std::fs::read_to_string(env.config_path())
            .unwrap()
            .contains("\"B\"")
    );
}

#[test]
fn a_file_size_limit_fails_the_cache_write_without_killing_or_leaving_temp_files() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &[]);
    // 1 block of 512 bytes: the config and state fit, the cached credentials do not.
    let mut cmd = env.command_for("sh");
    cmd.arg("-c")
        .arg(r#"ulimit -f 1; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_switchrole"))
        .args(["env", "A", "--refresh"]);
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "not killed by SIGXFSZ: {err}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("AWS_SESSION_TOKEN="),
        "the credentials are still handed out"
    );
    assert!(err.contains("could not cache"), "{err}");
    let leftovers: Vec<_> = [env.cache_dir(), env.state_dir()]
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
