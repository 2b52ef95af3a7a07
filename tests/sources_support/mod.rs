//! Fixtures of the team source tests (`sources_*.rs`): a config with own roles and a
//! `[[sources]]` entry, team roles files, settling a file's times (so the snapshot is
//! written), and the git CLI (a test that needs git and finds none prints SKIPPED).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use crate::common::TestEnv;

/// One `[[roles]]` table.
pub fn role(name: &str, account: &str) -> String {
    format!("[[roles]]\nname = \"{name}\"\naccount_id = \"{account}\"\nrole_name = \"Admin\"\n\n")
}

/// A `[[sources]]` table.
pub fn source(name: &str, path: &str) -> String {
    format!("[[sources]]\nname = \"{name}\"\npath = \"{path}\"\n\n")
}

/// The team file of the standard layout: `<home>/team/roles.toml`.
pub fn team_file(env: &TestEnv) -> PathBuf {
    env.home().join("team/roles.toml")
}

/// Writes `text` to `path`, making its directory.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// An environment whose config has `own` roles and the source "platform" at `~/team/roles.toml`
/// holding `team` (not written when `None`).
pub fn env_with_team(endpoint: &str, own: &str, team: Option<&str>) -> TestEnv {
    let env = TestEnv::new(endpoint);
    env.write_config(&format!("{own}{}", source("platform", "~/team/roles.toml")));
    if let Some(team) = team {
        write(&team_file(&env), team);
    }
    env
}

/// Sets the file's modification time an hour back, so that it counts as settled (a snapshot
/// is only written for files that changed more than a moment ago).
pub fn settle(path: &Path) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// How many snapshots the cache holds.
pub fn snapshot_count(env: &TestEnv) -> usize {
    std::fs::read_dir(env.cache_dir().join("snapshots")).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
            .count()
    })
}

/// stdout and stderr of a run, and whether it succeeded.
pub fn run(env: &TestEnv, args: &[&str]) -> (bool, String, String) {
    let out = env.run(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The names in `list --json`, with their `source` (None for own roles).
pub fn listed(env: &TestEnv) -> Vec<(String, Option<String>)> {
    let out = env.ok(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r.get("source").and_then(|s| s.as_str()).map(str::to_string),
            )
        })
        .collect()
}

/// True when the git CLI runs; otherwise says SKIPPED.
pub fn have_git(test: &str) -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED {test}: git is not installed (apt-get install git)");
    }
    ok
}

/// Runs git in `dir` with a fixed identity; panics with its output on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Team Lead")
        .env("GIT_AUTHOR_EMAIL", "lead@example.com")
        .env("GIT_COMMITTER_NAME", "Team Lead")
        .env("GIT_COMMITTER_EMAIL", "lead@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
