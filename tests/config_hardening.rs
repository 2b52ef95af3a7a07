//! The config against hostile or mistaken input (issue 9): names that take over
//! `ACCOUNT_ID/ROLE_NAME`, control characters in values and in the messages quoting them, an
//! ARN of another partition given to `add`, and a config symlink that points at nothing.

mod common;

use common::TestEnv;

/// No STS is needed here: point at a port where nothing listens.
fn env() -> TestEnv {
    TestEnv::new(&format!("http://127.0.0.1:{}", common::free_port()))
}

fn role(name: &str, extra: &str) -> String {
    format!(
        "[[roles]]\nname = \"{name}\"\naccount_id = \"012345678901\"\nrole_name = \"Admin\"\n{extra}"
    )
}

#[test]
fn a_name_of_the_form_account_slash_role_is_refused_everywhere() {
    let env = env();
    let err = env.fails(&["add", "123456789012/Admin", "--account", "012345678901"]);
    assert!(err.contains("ACCOUNT_ID/ROLE_NAME"), "{err}");
    assert!(!env.config_path().exists(), "nothing was written");
    env.write_config(&role("210987654321/ReadOnly", ""));
    let err = env.fails(&["list"]);
    assert!(err.contains("config.toml:2"), "{err}");
    assert!(err.contains("ACCOUNT_ID/ROLE_NAME"), "{err}");
    // Names that only look a little like it stay fine.
    let two = role("Acme/prod", "") + &role("1234/Admin", "").replace("0123", "1111");
    env.write_config(&two);
    env.ok(&["list"]);
}

#[test]
fn control_characters_are_refused_and_never_quoted_raw() {
    let env = env();
    let cases = [
        ("source_profile", "\"p\\u001b]0;pwned\\u0007\""),
        ("account_id", "\"0123\\u001b]52;c;aGk=\\u0007\""),
        ("region", "\"eu\\u009b31m\""),
        ("tags", "[\"a\\u202eb\"]"),
        (
            "mfa_serial",
            "\"arn:aws\\u001b[2J:iam::123456789012:mfa/me\"",
        ),
        ("color", "\"\\u001b[31m\""),
        ("duration", "\"1\\u007fh\""),
    ];
    for (key, bad) in cases {
        let text = role("Acme", &format!("{key} = {bad}\n"));
        // Keep only the last `account_id`: a key given twice is a syntax error.
        let text = if key == "account_id" {
            text.replacen("account_id = \"012345678901\"\n", "", 1)
        } else {
            text
        };
        env.write_config(&text);
        let err = env.fails(&["list"]);
        assert!(err.contains(key), "{key}: {err}");
        assert!(
            !err.chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{key}: raw control character in {err:?}"
        );
    }
    let env = self::env();
    let err = env.fails(&[
        "add",
        "B",
        "--account",
        "012345678901",
        "--role",
        "R",
        "--source-profile",
        "p\u{1b}]0;x\u{7}",
    ]);
    assert!(err.contains("--source-profile"), "{err}");
    assert!(err.contains("\\u{1b}"), "shown escaped: {err:?}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn a_lookup_by_a_name_with_controls_is_answered_escaped() {
    let env = env();
    env.write_config(&role("Acme", ""));
    let err = env.fails(&["remove", "Ac\u{1b}]0;x\u{7}me"]);
    assert!(err.contains("\\u{1b}"), "{err:?}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}

#[test]
fn add_refuses_an_arn_of_another_partition_and_takes_the_configs() {
    let env = env();
    let err = env.fails(&[
        "add",
        "A",
        "--account",
        "arn:aws-cn:iam::012345678901:role/X",
    ]);
    assert!(err.contains("partition aws-cn"), "{err}");
    assert!(err.contains("[defaults]"), "says where to set it: {err}");
    assert!(!env.config_path().exists(), "nothing was written");
    env.write_config("[defaults]\npartition = \"aws-cn\"\n");
    env.ok(&[
        "add",
        "A",
        "--account",
        "arn:aws-cn:iam::012345678901:role/X",
    ]);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list[0]["role_arn"], "arn:aws-cn:iam::012345678901:role/X");
}

#[cfg(unix)]
#[test]
fn add_through_a_dangling_symlink_refuses_and_keeps_the_link() {
    let env = env();
    let target = env.home().join("dotfiles/switchrole.toml");
    let link = env.config_path();
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let err = env.fails(&["add", "A", "--account", "012345678901", "--role", "R"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(err.contains("dotfiles/switchrole.toml"), "{err}");
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.file_type().is_symlink(), "still a link");
    assert!(!target.exists());
}
