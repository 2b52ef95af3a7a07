//! Team sources merged into the list (SPEC 8), on the real binary: `list` shows the team
//! roles with their source (and nothing new for users without sources), `list --json` has a
//! `source` field; a source that does not parse, is missing, or holds a bad role is a
//! warning naming file:line:column and the user's own roles keep working; the user's own role
//! wins a name clash with a warning; team text with control characters is shown escaped
//! (SPEC 10); `remove` refuses a team role; `sources list` says what each source holds; the
//! snapshot sees a same-size edit of a team file.

mod common;
mod sources_support;

use common::TestEnv;
use sources_support::{
    env_with_team, listed, role, run, settle, snapshot_count, source, team_file, write,
};

const NOWHERE: &str = "http://127.0.0.1:9";

#[test]
fn team_roles_are_listed_with_their_source() {
    let env = env_with_team(
        NOWHERE,
        &role("Mine", "111111111111"),
        Some(&(role("Team prod", "222222222222") + &role("Team dev", "333333333333"))),
    );
    let (ok, out, err) = run(&env, &["list"]);
    assert!(ok, "{err}");
    assert!(err.is_empty(), "no warnings: {err}");
    let header = out.lines().next().unwrap();
    assert!(header.ends_with("  SOURCE"), "{out}");
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    assert!(line("Team prod").ends_with("  platform"), "{out}");
    assert!(line("Mine").ends_with("  -"), "{out}");
    assert_eq!(
        listed(&env),
        [
            ("Mine".to_string(), None),
            ("Team prod".to_string(), Some("platform".to_string())),
            ("Team dev".to_string(), Some("platform".to_string())),
        ]
    );
}

#[test]
fn without_sources_the_list_looks_as_before() {
    let env = TestEnv::new(NOWHERE);
    env.write_config(&role("Mine", "111111111111"));
    let out = env.ok(&["list"]);
    assert_eq!(
        out.lines().next().unwrap(),
        "NAME  ACCOUNT       ROLE   REGION"
    );
    assert_eq!(out.lines().nth(1).unwrap(), "Mine  111111111111  Admin  -");
    let json = env.ok(&["list", "--json"]);
    assert!(!json.contains("\"source\""), "{json}");
}

#[test]
fn a_source_that_does_not_parse_leaves_the_own_roles_working() {
    let env = env_with_team(
        NOWHERE,
        &role("Mine", "111111111111"),
        Some("[[roles]]\nname = \"Broken\naccount_id = \"222222222222\"\n"),
    );
    let (ok, out, err) = run(&env, &["list"]);
    assert!(ok, "{err}");
    assert!(out.contains("Mine"), "{out}");
    assert!(!out.contains("SOURCE"), "no team role made it: {out}");
    let file = team_file(&env).display().to_string();
    assert!(
        err.contains("warning: team source \"platform\"")
            && err.contains(&format!("{file}:2:"))
            && err.contains("its roles are left out"),
        "{err}"
    );
    // The own roles work for everything, not only list.
    let (ok, _, err) = run(&env, &["console", "Mine", "--switch-url"]);
    assert!(ok, "{err}");
    let sources = env.ok(&["sources", "list"]);
    assert!(
        sources.contains("platform") && sources.contains("problem:"),
        "{sources}"
    );
}

#[test]
fn a_missing_source_is_a_warning_and_sources_list_says_so() {
    let env = env_with_team(NOWHERE, &role("Mine", "111111111111"), None);
    let (ok, out, err) = run(&env, &["list"]);
    assert!(ok && out.contains("Mine"), "{out}{err}");
    let file = team_file(&env).display().to_string();
    assert!(err.contains(&format!("{file} does not exist")), "{err}");
    let sources = env.ok(&["sources", "list"]);
    let row = sources.lines().nth(1).unwrap();
    assert!(
        row.starts_with("platform") && row.contains(" 0  "),
        "{sources}"
    );
    assert!(row.ends_with(&file), "{sources}");
    assert!(sources.contains("does not exist"), "{sources}");
}

#[test]
fn a_bad_role_in_a_source_is_left_out_with_its_place() {
    let team = role("Good", "222222222222")
        + "[[roles]]\nname = \"Bad\"\naccount_id = \"12\"\nrole_name = \"Admin\"\n";
    let env = env_with_team(NOWHERE, &role("Mine", "111111111111"), Some(&team));
    let (ok, _, err) = run(&env, &["list"]);
    assert!(ok, "{err}");
    let names: Vec<String> = listed(&env).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Mine", "Good"]);
    let file = team_file(&env).display().to_string();
    assert!(
        err.contains(&format!("{file}:8:14: role \"Bad\": `account_id`")),
        "{err}"
    );
    assert!(err.contains("that role is left out"), "{err}");
}

#[test]
fn the_own_role_wins_a_name_clash_with_a_warning() {
    let env = env_with_team(
        NOWHERE,
        &role("Acme", "111111111111"),
        Some(&(role("Other", "333333333333") + &role("Acme", "222222222222"))),
    );
    let out = env.ok(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let acme: Vec<&serde_json::Value> = doc
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "Acme")
        .collect();
    assert_eq!(acme.len(), 1);
    assert_eq!(acme[0]["account_id"], "111111111111");
    assert!(acme[0].get("source").is_none());
    let (_, _, err) = run(&env, &["list"]);
    let file = team_file(&env).display().to_string();
    let config = env.config_path().display().to_string();
    assert!(
        err.contains(&format!("{file}:6:1: the role \"Acme\" is left out"))
            && err.contains(&format!("your own list ({config}:1)")),
        "{err}"
    );
}

#[test]
fn control_characters_in_team_text_are_escaped() {
    // A role name carrying a terminal escape (set the title, ring the bell), and another
    // hiding behind a right-to-left override: both refused, both shown escaped.
    let team = "[[roles]]\nname = \"Evil\\u001b]0;pwned\\u0007\"\naccount_id = \"222222222222\"\nrole_name = \"Admin\"\n\n\
                [[roles]]\nname = \"Ok\"\naccount_id = \"333333333333\"\nrole_name = \"Admin\"\ntags = [\"a\\u202eb\"]\n\n\
                [[roles]]\nname = \"Fine\"\naccount_id = \"444444444444\"\nrole_name = \"Admin\"\n";
    let env = env_with_team(NOWHERE, &role("Mine", "111111111111"), Some(team));
    for args in [&["list"][..], &["list", "--json"], &["sources", "list"]] {
        let out = env.run(args);
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
                "{args:?} printed a raw control character: {text:?}"
            );
        }
    }
    let (_, out, err) = run(&env, &["list"]);
    assert!(out.contains("Fine") && !out.contains("Evil"), "{out}");
    assert!(err.contains("Evil\\u{1b}]0;pwned\\u{7}"), "{err}");
    assert!(err.contains("a\\u{202e}b"), "{err}");
    // Control characters in a broken file's text are escaped in its syntax error as well.
    write(&team_file(&env), "[[roles]]\nname = \"x\u{1b}[2J\n");
    let (_, _, err) = run(&env, &["list"]);
    assert!(
        !err.contains('\u{1b}') && err.contains("left out"),
        "{err:?}"
    );
}

#[test]
fn a_team_role_cannot_be_removed_here() {
    let env = env_with_team(
        NOWHERE,
        &role("Mine", "111111111111"),
        Some(&role("Team", "222222222222")),
    );
    let before = std::fs::read_to_string(team_file(&env)).unwrap();
    let err = env.fails(&["remove", "Team"]);
    assert!(
        err.contains("comes from the team source \"platform\""),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(team_file(&env)).unwrap(), before);
    assert_eq!(listed(&env).len(), 2);
}

#[test]
fn relative_source_paths_are_relative_to_the_config_file() {
    let env = TestEnv::new(NOWHERE);
    env.write_config(&source("local", "team.toml"));
    let file = env.config_path().parent().unwrap().join("team.toml");
    write(&file, &role("Team", "222222222222"));
    assert_eq!(
        listed(&env),
        [("Team".to_string(), Some("local".to_string()))]
    );
}

#[test]
fn sources_list_counts_each_source() {
    let env = TestEnv::new(NOWHERE);
    env.write_config(&format!(
        "{}{}{}",
        role("Mine", "111111111111"),
        source("platform", "~/team/roles.toml"),
        source("data", "~/data/roles.toml"),
    ));
    write(
        &team_file(&env),
        &(role("A", "222222222222") + &role("B", "333333333333")),
    );
    write(
        &env.home().join("data/roles.toml"),
        &role("C", "444444444444"),
    );
    let out = env.ok(&["sources", "list"]);
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].starts_with("SOURCE"), "{out}");
    assert!(
        rows[1].starts_with("platform") && rows[1].contains("  2  "),
        "{out}"
    );
    assert!(
        rows[2].starts_with("data") && rows[2].contains("  1  "),
        "{out}"
    );
    let none = TestEnv::new(NOWHERE);
    none.write_config(&role("Mine", "111111111111"));
    assert!(none.ok(&["sources", "list"]).contains("No team sources"));
}

#[test]
fn the_snapshot_sees_a_same_size_edit_of_a_team_file() {
    let env = env_with_team(
        NOWHERE,
        &role("Mine", "111111111111"),
        Some(&role("Acme", "222222222222")),
    );
    settle(&env.config_path());
    settle(&team_file(&env));
    assert!(listed(&env).iter().any(|(n, _)| n == "Acme"));
    assert_eq!(snapshot_count(&env), 1, "settled files are snapshotted");
    assert!(
        listed(&env).iter().any(|(n, _)| n == "Acme"),
        "read back from the snapshot"
    );
    // The same size, written in place, its modification time put back: only the change
    // time tells.
    let modified = std::fs::metadata(team_file(&env))
        .unwrap()
        .modified()
        .unwrap();
    let file = std::fs::File::options()
        .write(true)
        .open(team_file(&env))
        .unwrap();
    std::os::unix::fs::FileExt::write_at(&file, b"Acmf", 18).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    let names: Vec<String> = listed(&env).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Mine", "Acmf"]);
    // A team file that goes away is seen too.
    std::fs::remove_file(team_file(&env)).unwrap();
    let (_, _, err) = run(&env, &["list"]);
    assert!(err.contains("does not exist"), "{err}");
    assert_eq!(listed(&env).len(), 1);
}
