//! Switching to a team role against the local STS (moto): `exec` runs as the team role's
//! assumed identity, `env` prints its session and a second `env` comes from the cache; its
//! use is recorded in the user's usage state under its name, and neither the config nor the
//! team file is written. The TUI (a PTY, the real binary): Ctrl-F on a team role keeps the
//! favourite in the usage state, and Ctrl-E's copy lands in the user's own config.
#![cfg(unix)]

mod common;
mod sources_support;
mod tui_harness;

use common::{Moto, TestEnv, env_value};
use sources_support::{env_with_team, listed, role, team_file};
use tui_harness::Tui;

fn usage_json(env: &TestEnv) -> serde_json::Value {
    let path = env.state_dir().join("usage.json");
    switchrole::state::compact(&path).unwrap(); // the log of uses folded in
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn env_and_exec_of_a_team_role_work_against_sts() {
    let moto = Moto::shared();
    let env = env_with_team(
        &moto.endpoint(),
        &role("Mine", "111111111111"),
        Some(&role("Team prod", "222222222222")),
    );
    let config_before = std::fs::read_to_string(env.config_path()).unwrap();
    let team_before = std::fs::read_to_string(team_file(&env)).unwrap();

    let whoami = env.ok(&[
        "exec",
        "Team prod",
        "--",
        env!("CARGO_BIN_EXE_switchrole"),
        "whoami",
    ]);
    assert!(
        whoami.contains("arn:aws:sts::222222222222:assumed-role/Admin/"),
        "{whoami}"
    );
    let first = env.ok(&["env", "Team prod", "--format", "dotenv"]);
    let key = env_value(&first, "AWS_ACCESS_KEY_ID").expect("a key");
    assert!(key.starts_with("'ASIA"), "{first}");
    assert_eq!(
        env.ok(&["env", "Team prod", "--format", "dotenv"]),
        first,
        "the cached session"
    );
    // Also by ACCOUNT_ID/ROLE_NAME.
    let by_arn = env.ok(&["env", "222222222222/Admin", "--format", "dotenv"]);
    assert_eq!(env_value(&by_arn, "AWS_ACCESS_KEY_ID"), Some(key));

    let usage = usage_json(&env);
    assert!(
        usage["roles"]["Team prod"]["count"].as_u64().unwrap() >= 2,
        "{usage}"
    );
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        config_before
    );
    assert_eq!(
        std::fs::read_to_string(team_file(&env)).unwrap(),
        team_before
    );
}

#[test]
fn the_tui_keeps_a_team_favourite_in_the_state_and_copies_into_the_own_list() {
    let env = env_with_team(
        "http://127.0.0.1:9",
        &role("Mine", "111111111111"),
        Some(&role("Team prod", "222222222222")),
    );
    let config_before = std::fs::read_to_string(env.config_path()).unwrap();
    let team_before = std::fs::read_to_string(team_file(&env)).unwrap();

    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("SOURCE");
    tui.send("team prod");
    tui.wait_for("1/2");
    tui.send("\x06");
    tui.wait_for("\"Team prod\" is a favourite");
    assert_eq!(
        usage_json(&env)["team_favorites"],
        serde_json::json!(["Team prod"])
    );
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        config_before
    );
    assert_eq!(
        std::fs::read_to_string(team_file(&env)).unwrap(),
        team_before
    );

    // Ctrl-E: the offer, y: the form on a copy, Enter: saved in the user's own list.
    tui.send("\x05");
    tui.wait_for("Copy it into your own list");
    tui.send("y");
    tui.wait_for("Your copy of \"Team prod\"");
    tui.send("\r");
    tui.wait_for("Copied \"Team prod\" into your own list");
    tui.send("\x03");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();

    assert_eq!(
        std::fs::read_to_string(team_file(&env)).unwrap(),
        team_before
    );
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    let kept = config_before.lines().all(|line| config.contains(line));
    assert!(kept, "the rest is kept:\n{config}");
    assert!(config.contains("account_id = \"222222222222\""), "{config}");
    assert!(config.contains("[[sources]]"), "{config}");
    // The own copy now wins the name (with a warning); the favourite came along.
    assert_eq!(
        listed(&env),
        [("Mine".to_string(), None), ("Team prod".to_string(), None)]
    );
    let json = env.ok(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc[1]["favorite"], true, "{json}");
}

#[test]
fn a_team_favourite_shows_in_list_json() {
    let env = env_with_team(
        "http://127.0.0.1:9",
        &role("Mine", "111111111111"),
        Some(&role("Team prod", "222222222222")),
    );
    let favourite = |env: &TestEnv| {
        let doc: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
        doc[1]["favorite"].as_bool().unwrap()
    };
    assert!(!favourite(&env));
    switchrole::state::set_team_favorite(&env.state_dir().join("usage.json"), "Team prod", true)
        .unwrap();
    assert!(favourite(&env));
}
