//! The `switchrole` front against `switchrole-core`: every command line the front answers
//! itself gives what the core gives for it (stdout, stderr, exit code), it answers them with
//! no core installed beside it, and everything else reaches the core unchanged.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Moto, TestEnv};

const FRONT: &str = env!("CARGO_BIN_EXE_switchrole");
const CORE: &str = env!("CARGO_BIN_EXE_switchrole-core");

/// A config of two roles (one of them a team role), their snapshot written and the first
/// role's credentials cached.
fn ready_env() -> TestEnv {
    let env = TestEnv::with_moto(Moto::shared());
    let team = env.home().join("team.toml");
    std::fs::write(
        &team,
        "[[roles]]\nname = \"Team one\"\naccount_id = \"444455556666\"\nrole_name = \"Ops\"\n",
    )
    .unwrap();
    env.write_config(&format!(
        "[defaults]\nregion = \"eu-west-1\"\n\n[[sources]]\nname = \"ops\"\npath = \"{}\"\n\n\
         [[roles]]\nname = \"Acme 'prod' $x\"\naccount_id = \"111122223333\"\n\
         role_name = \"team/Admin\"\ncolor = \"#ff8800\"\ntags = [\"a\"]\n",
        team.display()
    ));
    env.ok(&["env", "Acme 'prod' $x"]);
    // A snapshot is written only for files older than two seconds.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    env.ok(&["list"]);
    env
}

fn run(env: &TestEnv, program: &str, args: &[&str]) -> Output {
    env.command_for(program).args(args).output().unwrap()
}

/// The front binary alone in a directory: no core beside it.
fn lone_front(dir: &Path) -> PathBuf {
    let path = dir.join("switchrole");
    std::fs::copy(FRONT, &path).unwrap();
    path
}

const ANSWERED: &[&[&str]] = &[
    &["env", "Acme 'prod' $x"],
    &["env", "--format", "json", "Acme 'prod' $x"],
    &["env", "Acme 'prod' $x", "--format=fish"],
    &["env", "--format", "dotenv", "--", "Acme 'prod' $x"],
    &["env", "111122223333/team/Admin", "--format", "powershell"],
    &["credential-process", "Acme 'prod' $x"],
    &["list"],
    &["list", "--json"],
    &["prompt"],
    &["prompt", "--format", "ansi"],
];

#[test]
fn what_the_front_answers_is_what_the_core_prints() {
    let mut env = ready_env();
    for args in ANSWERED {
        if args[0] == "prompt" {
            // Inside a session (which would take the test's base keys away from `env`).
            env.set("SWITCHROLE", "Acme");
            env.set("SWITCHROLE_EXPIRES", "4102444800");
        }
        let front = run(&env, FRONT, args);
        let core = run(&env, CORE, args);
        assert_eq!(front.status.code(), Some(0), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&front.stdout),
            String::from_utf8_lossy(&core.stdout),
            "{args:?}"
        );
        assert_eq!(front.stderr, core.stderr, "{args:?}");
        assert_eq!(front.status.code(), core.status.code(), "{args:?}");
    }
}

#[test]
fn the_front_answers_them_with_no_core_beside_it() {
    let env = ready_env();
    let dir = tempfile::tempdir().unwrap();
    let front = lone_front(dir.path());
    for args in ANSWERED {
        let output = run(&env, front.to_str().unwrap(), args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let json = run(
        &env,
        front.to_str().unwrap(),
        &["env", "Acme 'prod' $x", "--format", "json"],
    );
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(doc["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
}

#[test]
fn everything_else_goes_to_the_core() {
    let env = ready_env();
    let dir = tempfile::tempdir().unwrap();
    let front = lone_front(dir.path());
    // Not answered by the front: a cache miss or `--refresh` (new credentials each time),
    // an option it leaves to clap, an unknown role (the core's message names close ones),
    // another command.
    for (args, same_output) in [
        (&["env", "Team one"][..], false),
        (&["env", "Acme 'prod' $x", "--refresh"], false),
        (&["env", "Acme prod"], true),
        (&["list", "--help"], true),
        (&["whoami"], true),
    ] {
        let lone = run(&env, front.to_str().unwrap(), args);
        assert_eq!(lone.status.code(), Some(1), "{args:?}");
        let text = String::from_utf8_lossy(&lone.stderr);
        assert!(
            text.contains("switchrole-core") && text.contains("cargo install"),
            "{text}"
        );
        let front = run(&env, FRONT, args);
        let core = run(&env, CORE, args);
        if same_output {
            assert_eq!(front.stdout, core.stdout, "{args:?}");
            assert_eq!(front.stderr, core.stderr, "{args:?}");
        }
        assert_eq!(front.status.code(), core.status.code(), "{args:?}");
    }
    let unknown =
        String::from_utf8_lossy(&run(&env, FRONT, &["env", "Acme prod"]).stderr).into_owned();
    assert!(unknown.contains("did you mean"), "{unknown}");
    // clap's messages name the command the user typed, not the core.
    let usage = String::from_utf8_lossy(&run(&env, FRONT, &["env"]).stderr).into_owned();
    assert!(usage.contains("Usage: switchrole env"), "{usage}");
}

#[test]
fn an_edited_config_is_read_by_the_core_not_from_the_old_snapshot() {
    let env = ready_env();
    let text = std::fs::read_to_string(env.config_path())
        .unwrap()
        .replace("eu-west-1", "eu-west-2");
    std::fs::write(env.config_path(), text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lone = run(&env, lone_front(dir.path()).to_str().unwrap(), &["list"]);
    assert_eq!(
        lone.status.code(),
        Some(1),
        "the stale snapshot must not answer"
    );
    let list = env.ok(&["list"]);
    assert!(list.contains("eu-west-2"), "{list}");
}

/// The snapshots' directory of `env`'s cache.
fn snapshots(env: &TestEnv) -> PathBuf {
    env.cache_dir().join("snapshots")
}

#[test]
fn a_kept_list_is_what_the_core_prints_and_a_tampered_one_is_not_used() {
    let env = ready_env();
    for args in [&["list"][..], &["list", "--json"]] {
        let core = run(&env, CORE, args);
        // The first `list` from the snapshot keeps its output; the next ones write it.
        for _ in 0..2 {
            assert_eq!(run(&env, FRONT, args).stdout, core.stdout, "{args:?}");
        }
    }
    let kept: Vec<PathBuf> = std::fs::read_dir(snapshots(&env))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".table.bin"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let json_kept = std::fs::read_dir(snapshots(&env))
        .unwrap()
        .any(|e| e.unwrap().path().to_string_lossy().ends_with(".json.bin"));
    assert!(
        !json_kept,
        "a list with team roles shows favourites from the state: not kept"
    );
    // Someone edits the kept table: its tag no longer matches, the table is made again.
    let bytes = std::fs::read(&kept[0]).unwrap();
    let at = bytes
        .windows(12)
        .position(|w| w == b"111122223333")
        .unwrap();
    let mut forged = bytes.clone();
    forged[at..at + 12].copy_from_slice(b"999999999999");
    std::fs::write(&kept[0], forged).unwrap();
    let list = env.ok(&["list"]);
    assert!(
        list.contains("111122223333") && !list.contains("999999999999"),
        "{list}"
    );
}

#[test]
fn a_kept_json_list_follows_the_config() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &[]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    for _ in 0..3 {
        env.ok(&["list", "--json"]);
    }
    let json_kept = std::fs::read_dir(snapshots(&env))
        .unwrap()
        .any(|e| e.unwrap().path().to_string_lossy().ends_with(".json.bin"));
    assert!(json_kept, "no team roles: the JSON is kept");
    env.add_role("B", "222222222222", "Admin", &[]);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
}
