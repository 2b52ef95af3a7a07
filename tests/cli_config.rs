//! The remembered list through the real binary: validation messages, comment-preserving
//! edits, broken files left alone, and concurrent writers.

mod common;

use common::TestEnv;

/// No STS is needed here: point at a port where nothing listens.
fn env() -> TestEnv {
    TestEnv::new(&format!("http://127.0.0.1:{}", common::free_port()))
}

#[test]
fn an_empty_config_says_how_to_add_the_first_role() {
    let env = env();
    let out = env.ok(&["list"]);
    assert!(out.contains("No roles remembered yet"), "{out}");
    assert!(out.contains("switchrole add"), "{out}");
    assert_eq!(env.ok(&["list", "--json"]).trim(), "[]");
}

#[test]
fn every_rule_rejects_its_bad_value_naming_file_line_role_and_key() {
    let cases = [
        ("account_id", "\"12345\""),
        ("account_id", "123456789012"),
        ("role_name", "\"bad role\""),
        ("color", "\"mauve\""),
        ("region", "\"europe\""),
        ("external_id", "\"x\""),
        ("mfa_serial", "\"arn:aws:iam::123:mfa/me\""),
        ("source_profile", "\"has space\""),
        ("duration", "\"1d\""),
        ("duration", "60"),
        ("duration", "\"13h\""),
        ("session_name", "\"a\""),
        ("tags", "[\"\"]"),
        ("favorite", "\"yes\""),
        ("acount_id", "\"012345678901\""),
    ];
    for (key, bad) in cases {
        let env = env();
        let text = role_with(key, bad);
        env.write_config(&text);
        let err = env.fails(&["list"]);
        let line = text
            .lines()
            .position(|l| l.starts_with(&format!("{key} = ")))
            .unwrap()
            + 1;
        assert!(
            err.contains(&format!("config.toml:{line}")),
            "{key}={bad}: {err}"
        );
        assert!(err.contains(key), "{key}={bad}: {err}");
        if key != "acount_id" && key != "favorite" {
            assert!(err.contains("role \"Acme\""), "{key}={bad}: {err}");
        }
    }
}

/// A valid role where `key` is set to `bad` (replacing the valid value if there is one).
fn role_with(key: &str, bad: &str) -> String {
    let mut keys = vec![
        ("name", "\"Acme\""),
        ("account_id", "\"012345678901\""),
        ("role_name", "\"Admin\""),
    ];
    match keys.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = bad,
        None => keys.push((key, bad)),
    }
    let body: String = keys.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    format!("# clients\n[[roles]]\n{body}")
}

#[test]
fn defaults_are_validated_too() {
    let env = env();
    env.write_config("[defaults]\nregion = \"eu-west-1\"\nmfa_session_duration = \"40h\"\n");
    let err = env.fails(&["list"]);
    assert!(err.contains("config.toml:3"), "{err}");
    assert!(err.contains("mfa_session_duration"), "{err}");
}

#[test]
fn add_refuses_bad_flags_with_the_flag_named() {
    let env = env();
    let err = env.fails(&["add", "A", "--account", "1234", "--role", "R"]);
    assert!(err.contains("--account is invalid"), "{err}");
    let err = env.fails(&[
        "add",
        "A",
        "--account",
        "123456789012",
        "--role",
        "R",
        "--duration",
        "2s",
    ]);
    assert!(err.contains("--duration"), "{err}");
    let err = env.fails(&[
        "add",
        "A",
        "--account",
        "123456789012",
        "--role",
        "R",
        "--color",
        "plaid",
    ]);
    assert!(err.contains("--color is invalid"), "{err}");
    assert!(!env.config_path().exists(), "nothing was written");
}

#[test]
fn add_accepts_a_role_arn_and_duplicates_are_refused() {
    let env = env();
    env.ok(&[
        "add",
        "A",
        "--account",
        "arn:aws:iam::012345678901:role/ops/Admin",
    ]);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["account_id"], "012345678901");
    assert_eq!(list[0]["role_name"], "ops/Admin");
    let err = env.fails(&["add", "A", "--account", "123456789012", "--role", "R"]);
    assert!(err.contains("a role named \"A\" exists already"), "{err}");
}

#[test]
fn edits_keep_the_users_comments_and_layout() {
    let env = env();
    let original = "# My clients, by hand\n\n[defaults]\nregion = \"eu-west-1\"  # Dublin\n\n\
                    # the first client\n[[roles]]\nname = \"Acme\"   # biggest one\n\
                    account_id = \"012345678901\"\nrole_name = \"Admin\"\ntags = [\"prod\", \"eu\"]\n";
    env.write_config(original);
    env.ok(&[
        "add",
        "Globex",
        "--account",
        "111122223333",
        "--role",
        "ReadOnly",
        "--tag",
        "dev",
    ]);
    let after_add = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        after_add.starts_with(original),
        "the original text is untouched:\n{after_add}"
    );
    env.ok(&["remove", "111122223333/ReadOnly"]);
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        original
    );
    let out = env.ok(&["list"]);
    assert!(out.contains("Acme") && !out.contains("Globex"), "{out}");
}

#[test]
fn a_malformed_file_is_reported_and_never_rewritten() {
    let env = env();
    let broken = "# notes\n[[roles]]\nname = \"Acme\nrole_name = \"Admin\"\n";
    env.write_config(broken);
    let err = env.fails(&["list"]);
    assert!(err.contains("config.toml:3:"), "{err}");
    let err = env.fails(&["add", "B", "--account", "123456789012", "--role", "R"]);
    assert!(err.contains("config.toml:3:"), "{err}");
    let err = env.fails(&["remove", "Acme"]);
    assert!(err.contains("config.toml:3:"), "{err}");
    assert_eq!(std::fs::read(env.config_path()).unwrap(), broken.as_bytes());
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let env = env();
    let writer = |prefix: &'static str| {
        let env = &env;
        move || {
            for i in 0..50 {
                let name = format!("{prefix}-{i}");
                let account = format!("{:012}", i + if prefix == "a" { 100 } else { 200 });
                env.ok(&["add", &name, "--account", &account, "--role", "Admin"]);
            }
        }
    };
    std::thread::scope(|scope| {
        scope.spawn(writer("a"));
        scope.spawn(writer("b"));
    });
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    let names: std::collections::HashSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 100);
}

#[test]
fn the_config_location_follows_flag_then_variable() {
    let mut env = env();
    let by_var = env.home().join("by-var.toml");
    env.set("SWITCHROLE_CONFIG", by_var.to_str().unwrap());
    env.ok(&["add", "V", "--account", "123456789012", "--role", "R"]);
    assert!(
        std::fs::read_to_string(&by_var)
            .unwrap()
            .contains("name = \"V\"")
    );
    let by_flag = env.home().join("by-flag.toml");
    env.ok(&[
        "--config",
        by_flag.to_str().unwrap(),
        "add",
        "F",
        "--account",
        "123456789012",
        "--role",
        "R",
    ]);
    assert!(
        std::fs::read_to_string(&by_flag)
            .unwrap()
            .contains("name = \"F\"")
    );
    assert!(!std::fs::read_to_string(&by_var).unwrap().contains("\"F\""));
}

#[test]
fn the_example_config_loads_and_documents_every_key() {
    let env = env();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["--config", example, "list", "--json"])).unwrap();
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let text = std::fs::read_to_string(example).unwrap();
    for key in [
        "source_profile",
        "region",
        "duration",
        "session_name",
        "mfa_serial",
        "mfa_session_duration",
        "partition",
        "name",
        "account_id",
        "role_name",
        "color",
        "external_id",
        "tags",
        "favorite",
    ] {
        assert!(
            text.contains(&format!("\n{key} = ")) || text.contains(&format!("# {key} = ")),
            "{key}"
        );
    }
}

#[test]
fn a_hand_edit_is_seen_at_once_even_at_the_same_size() {
    let env = env();
    let role = |name: &str| {
        format!(
            "[[roles]]\nname = \"{name}\"\naccount_id = \"012345678901\"\nrole_name = \"Admin\"\n"
        )
    };
    env.write_config(&role("Acme"));
    assert!(env.ok(&["list"]).contains("Acme"));
    assert!(
        env.ok(&["list"]).contains("Acme"),
        "second run, from the snapshot"
    );
    env.write_config(&role("Acmf"));
    let out = env.ok(&["list"]);
    assert!(out.contains("Acmf") && !out.contains("Acme"), "{out}");
    env.write_config("[[roles]]\nname = \"broken\n");
    let err = env.fails(&["list"]);
    assert!(
        err.contains("config.toml:2:"),
        "a broken edit is reported, not hidden: {err}"
    );
}

#[test]
fn only_a_settled_config_is_snapshotted() {
    let env = env();
    env.write_config(
        "[[roles]]\nname = \"Acme\"\naccount_id = \"012345678901\"\nrole_name = \"Admin\"\n",
    );
    let snapshots = env.cache_dir().join("snapshots");
    let count = || std::fs::read_dir(&snapshots).map_or(0, |d| d.count());
    env.ok(&["list"]);
    assert_eq!(
        count(),
        0,
        "just written: it could still change within the same tick"
    );
    let file = std::fs::File::options()
        .write(true)
        .open(env.config_path())
        .unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
        .unwrap();
    assert!(env.ok(&["list"]).contains("Acme"));
    assert_eq!(count(), 1, "a settled file gets its snapshot");
    assert!(env.ok(&["list"]).contains("Acme"), "and reads back from it");
}
