//! The TUI on a config read from its snapshot (issue 14: the roles are decoded one by one as
//! they are shown or used, sorted by their heads alone) shows and does what it does on the
//! parsed config: the same rows in the same order (favourites first, a team role's
//! favourite from the usage state, then the recently used, then by name), the filter on
//! tags, the form filled with every key.
#![cfg(unix)]

mod common;
mod tui_harness;

use std::path::PathBuf;
use std::time::SystemTime;

use common::{Moto, TestEnv};
use tui_harness::Tui;

/// A settled config of own roles and a team source, with its snapshot written by `list`,
/// and a team role used.
fn env_with_snapshot() -> TestEnv {
    let env = TestEnv::with_moto(Moto::shared());
    let team = env.home().join("team.toml");
    std::fs::write(
        &team,
        "[[roles]]\nname = \"Team one\"\naccount_id = \"444455556666\"\nrole_name = \"Ops\"\n\n\
         [[roles]]\nname = \"Team two\"\naccount_id = \"444455557777\"\nrole_name = \"Ops\"\n",
    )
    .unwrap();
    env.write_config(&format!(
        "[defaults]\nregion = \"eu-west-1\"\n\n[[sources]]\nname = \"ops\"\npath = \"{}\"\n\n\
         [[roles]]\nname = \"alpha\"\naccount_id = \"111111111111\"\nrole_name = \"Admin\"\n\n\
         [[roles]]\nname = \"Charlie\"\naccount_id = \"333333333333\"\nrole_name = \"team/Dev\"\n\
         region = \"us-west-2\"\ncolor = \"#ff8800\"\ntags = [\"billing-tag\"]\n\n\
         [[roles]]\nname = \"Bravo\"\naccount_id = \"222222222222\"\nrole_name = \"Admin\"\n\
         favorite = true\n",
        team.display()
    ));
    // A snapshot is written only for files older than two seconds.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    env.ok(&["list"]);
    assert!(snapshot(&env).is_some(), "`list` wrote the snapshot");
    env.ok(&["env", "Team one"]);
    env
}

/// The config's snapshot file and when it was last written.
fn snapshot(env: &TestEnv) -> Option<(PathBuf, SystemTime)> {
    let dir = env.cache_dir().join("snapshots");
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            // `config-HASH.bin`, not the outputs kept beside it (`config-HASH.table.bin`).
            name.starts_with("config-") && name.matches('.').count() == 1
        })
        .map(|path| {
            let written = std::fs::metadata(&path).unwrap().modified().unwrap();
            (path, written)
        })
}

/// The list's rows as the screen shows them (the lines between the header and the footer).
fn rows(tui: &Tui) -> Vec<String> {
    tui.text()
        .lines()
        .filter(|line| line.contains("Admin") || line.contains("Ops") || line.contains("Dev"))
        .map(|line| line.trim_end().to_string())
        .collect()
}

#[test]
fn the_tui_on_the_snapshot_shows_and_does_what_it_does_on_the_parsed_file() {
    let env = env_with_snapshot();
    let (_, written) = snapshot(&env).unwrap();

    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("5 roles");
    // A team role's favourite is the user's: Ctrl-F on it puts it first, after "Bravo".
    tui.send("two");
    tui.wait_for("1/5");
    tui.send("\x06");
    tui.wait_for("\"Team two\" is a favourite");
    tui.send("\x1b");
    tui.wait_for("5 roles");
    let from_snapshot = rows(&tui);
    let expected = [
        "★ Bravo",
        "★ Team two",
        "Team one", // recently used
        "alpha",
        "Charlie", // by name, whatever the case
    ];
    assert_eq!(from_snapshot.len(), expected.len(), "{from_snapshot:#?}");
    for (row, name) in from_snapshot.iter().zip(expected) {
        assert!(row.contains(name), "{name} expected: {from_snapshot:#?}");
    }
    assert!(
        from_snapshot[4].contains("333333333333 "),
        "{from_snapshot:#?}"
    );
    assert!(from_snapshot[4].contains("us-west-2"), "{from_snapshot:#?}");

    // The filter searches tags, which only a whole role holds.
    tui.send("billing");
    tui.wait_for("1/5");
    assert!(tui.text().contains("Charlie"), "{}", tui.text());
    // Ctrl-E fills the form with every key of the role.
    tui.send("\x05");
    tui.wait_for("Edit");
    tui.wait_for("billing-tag");
    tui.wait_for("#ff8800");
    tui.send("\x1b");
    tui.send("\x1b");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    let (_, after) = snapshot(&env).unwrap();
    assert_eq!(
        after, written,
        "read from the snapshot, which stayed as it was"
    );

    // The same list from the parsed file.
    std::fs::remove_dir_all(env.cache_dir().join("snapshots")).unwrap();
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("5 roles");
    assert_eq!(rows(&tui), from_snapshot);
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
}
