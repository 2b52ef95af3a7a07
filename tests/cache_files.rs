//! Cache and state files that were damaged or tampered with: empty, truncated, readable by
//! others, owned by someone else. None is fatal; none is trusted; each is replaced.
#![cfg(unix)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::PathBuf;

use common::{Moto, TestEnv};

const PRINT_KEY: [&str; 6] = ["exec", "A", "--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID"];

fn env_with_cached_role() -> (TestEnv, PathBuf, String) {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &[]);
    let key = env.ok(&PRINT_KEY);
    let file = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("role-")
        })
        .unwrap();
    (env, file, key)
}

fn am_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn an_empty_cache_file_is_replaced() {
    let (env, file, first) = env_with_cached_role();
    std::fs::write(&file, b"").unwrap();
    let second = env.ok(&PRINT_KEY);
    assert_ne!(second, first);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains(second.trim())
    );
}

#[test]
fn a_cache_file_others_can_read_is_not_used_and_is_made_private() {
    let (env, file, first) = env_with_cached_role();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let second = env.ok(&PRINT_KEY);
    assert_ne!(
        second, first,
        "credentials others could read are not reused"
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert_eq!(env.ok(&PRINT_KEY), second);
}

#[test]
fn a_cache_file_owned_by_someone_else_is_not_used() {
    if !am_root() {
        eprintln!("not root: cannot give a file to another user; skipped");
        return;
    }
    let (env, file, first) = env_with_cached_role();
    std::os::unix::fs::chown(&file, Some(65534), Some(65534)).unwrap();
    let second = env.ok(&PRINT_KEY);
    assert_ne!(second, first, "a file owned by nobody is not trusted");
    assert_eq!(
        std::fs::metadata(&file).unwrap().uid(),
        0,
        "replaced by ours"
    );
}

#[test]
fn a_too_open_cache_directory_is_tightened() {
    let (env, _file, _) = env_with_cached_role();
    std::fs::set_permissions(env.cache_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.ok(&["exec", "A", "--refresh", "--", "true"]);
    let mode = std::fs::metadata(env.cache_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn a_damaged_state_file_does_not_stop_a_switch() {
    let (env, _file, first) = env_with_cached_role();
    let state = env.state_dir().join("usage.json");
    let log = env.state_dir().join("usage.log");
    assert!(log.exists(), "using a role records it");
    for garbage in [&b""[..], b"{\"roles\": {\"A\": ", b"\xff\xfe"] {
        std::fs::write(&state, garbage).unwrap();
        std::fs::write(&log, garbage).unwrap();
        assert_eq!(env.ok(&PRINT_KEY), first);
        let usage = switchrole::state::UsageState::load(&state);
        assert_eq!(usage.usage("A").count, 1, "started afresh");
    }
}

#[test]
fn concurrent_switches_leave_valid_cache_and_state_files() {
    let (env, file, _) = env_with_cached_role();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..5 {
                    env.ok(&["exec", "A", "--refresh", "--", "true"]);
                }
            });
        }
    });
    let cache: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(cache["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    let state = env.state_dir().join("usage.json");
    switchrole::state::compact(&state).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(doc["roles"]["A"]["count"], 21, "every use counted");
}

#[test]
fn a_read_only_config_directory_gives_an_error_and_changes_nothing() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.add_role("A", "111122223333", "Admin", &[]);
    let dir = env.config_path().parent().unwrap().to_path_buf();
    let before = std::fs::read(env.config_path()).unwrap();
    let mut add = env.switchrole(&["add", "B", "--account", "222222222222", "--role", "R"]);
    if am_root() {
        // Root ignores directory permissions: run switchrole as nobody, owner of the files.
        if std::process::Command::new("setpriv")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("root without setpriv: cannot drop privileges; skipped");
            return;
        }
        std::fs::set_permissions(env.home(), std::fs::Permissions::from_mode(0o755)).unwrap();
        for path in walk(env.home()) {
            std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        }
        let program = add.get_program().to_owned();
        let args: Vec<_> = add.get_args().map(|a| a.to_owned()).collect();
        let envs: Vec<_> = add
            .get_envs()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
            .collect();
        add = std::process::Command::new("setpriv");
        add.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(program)
            .args(args)
            .env_clear()
            .envs(envs);
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = add.output().unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot write") && err.contains("Permission denied"),
        "{err}"
    );
    assert_eq!(std::fs::read(env.config_path()).unwrap(), before);
}

/// Every file and directory under `root`, `root` included.
fn walk(root: &std::path::Path) -> Vec<PathBuf> {
    let mut found = vec![root.to_path_buf()];
    let mut index = 0;
    while index < found.len() {
        if let Ok(entries) = std::fs::read_dir(&found[index]) {
            found.extend(entries.map(|e| e.unwrap().path()));
        }
        index += 1;
    }
    found
}
