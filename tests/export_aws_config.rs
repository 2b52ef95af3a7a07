//! `export aws-config`: the profiles between the marker lines, the rest of the file byte for
//! byte, the block replaced by the next export, names no profile may have, and the aws CLI
//! (a real consumer, through Python's shlex) getting the assumed identity through an exported
//! profile from moto, for names with spaces, quotes, `#`, `;` and `$`.

mod common;

use std::path::PathBuf;

use common::{Moto, TestEnv};

const ACCOUNT: &str = "111122223333";

fn aws_config(env: &TestEnv) -> PathBuf {
    env.home().join(".aws/config")
}

/// A directory holding `switchrole` (a link to the binary under test), put first on PATH.
fn put_switchrole_on_path(env: &mut TestEnv) {
    let bin = env.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_switchrole"), bin.join("switchrole")).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    env.set("PATH", &path);
}

#[test]
fn the_rest_of_the_file_stays_byte_for_byte_and_the_block_is_replaced() {
    let mut env = TestEnv::new("http://127.0.0.1:9");
    put_switchrole_on_path(&mut env);
    env.add_role("Acme prod", ACCOUNT, "Admin", &["--region", "eu-west-1"]);
    let path = aws_config(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let head: &[u8] = b"# mine\r\n[default]\r\nregion = us-east-1  ; odd\r\n\xff\xfe not utf-8\n[profile x]\nregion=eu";
    std::fs::write(&path, head).unwrap();
    let out = env.run(&["export", "aws-config"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("PATH"),
        "switchrole on PATH is this binary: {stderr}"
    );
    let first = std::fs::read(&path).unwrap();
    assert!(first.starts_with(head), "the file before the block is kept");
    let text = String::from_utf8_lossy(&first[head.len()..]).into_owned();
    assert_eq!(
        text,
        "\n# BEGIN switchrole\n\
         # Written by `switchrole export aws-config`: the next export replaces these lines.\n\
         \n[profile acme-prod]\ncredential_process = switchrole credential-process \"Acme prod\"\n\
         region = eu-west-1\n\n# END switchrole\n"
    );
    // Someone writes after the block; the next export replaces the block alone.
    let mut with_tail = first.clone();
    with_tail.extend_from_slice(b"[profile after]\nregion = ap-south-1\n");
    std::fs::write(&path, &with_tail).unwrap();
    env.add_role("Globex", "444455556666", "ReadOnly", &[]);
    env.ok(&["export", "aws-config"]);
    let second = std::fs::read(&path).unwrap();
    let block_start = head.len() + 1;
    assert_eq!(&second[..block_start], &first[..block_start]);
    assert!(second.ends_with(b"# END switchrole\n[profile after]\nregion = ap-south-1\n"));
    let block = String::from_utf8_lossy(&second[block_start..]);
    assert!(
        block.contains(
            "[profile globex]\ncredential_process = switchrole credential-process \"Globex\"\n"
        ),
        "{block}"
    );
    assert_eq!(block.matches("# BEGIN switchrole").count(), 1);
    // Unchanged roles: the file is not rewritten.
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    let again = env.ok(&["export", "aws-config"]);
    assert!(again.contains("(unchanged)"), "{again}");
    assert_eq!(std::fs::read(&path).unwrap(), second);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn taken_profile_names_broken_markers_and_a_missing_path_are_said() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.add_role("Acme prod", ACCOUNT, "Admin", &[]);
    env.add_role("Acme-Prod!", ACCOUNT, "Dev", &[]);
    env.add_role("Mine", ACCOUNT, "Ops", &[]);
    let path = aws_config(&env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "[profile sr-mine]\nregion = eu-west-1\n").unwrap();
    let out = env.run(&["export", "aws-config", "--prefix", "sr-"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "\"Mine\" left out: a profile \"sr-mine\" exists outside the switchrole lines"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`switchrole` is not on PATH"), "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("[profile sr-acme-prod]\n") && text.contains("[profile sr-acme-prod-2]\n"),
        "{text}"
    );
    assert!(text.starts_with("[profile sr-mine]\nregion = eu-west-1\n"));

    let bad_prefix = env.fails(&["export", "aws-config", "--prefix", "a b"]);
    assert!(
        bad_prefix.contains("--prefix a b holds characters"),
        "{bad_prefix}"
    );

    let broken = "[default]\n# BEGIN switchrole\n[profile half]\n";
    std::fs::write(&path, broken).unwrap();
    let err = env.fails(&["export", "aws-config"]);
    assert!(
        err.contains(&format!(
            "{}:2: `# BEGIN switchrole` without an `# END switchrole`",
            path.display()
        )),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "left as it was"
    );
}

/// The aws CLI on PATH, or `None` (the test says it is skipped).
fn aws_cli_found(env: &TestEnv) -> bool {
    let found = env
        .command_for("aws")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIPPED: the aws CLI is not installed here");
    }
    found
}

#[test]
fn the_aws_cli_gets_the_assumed_identity_through_an_exported_profile() {
    let mut env = TestEnv::with_moto(Moto::shared());
    if !aws_cli_found(&env) {
        return;
    }
    put_switchrole_on_path(&mut env);
    let names = ["Acme prod", "it's #1; $HOME `x` \"q\" \\ !"];
    for (i, name) in names.iter().enumerate() {
        let role = format!("Role{i}");
        env.add_role(name, ACCOUNT, &role, &["--region", "eu-west-1"]);
    }
    let listed = env.ok(&["export", "aws-config", "--prefix", "sr-"]);
    let text = std::fs::read_to_string(aws_config(&env)).unwrap();
    for (i, name) in names.iter().enumerate() {
        let profile = listed
            .lines()
            .find(|l| l.ends_with(&format!("-> \"{name}\"")))
            .and_then(|l| l.strip_prefix("[profile "))
            .and_then(|l| l.split(']').next())
            .unwrap_or_else(|| panic!("{name} not exported: {listed}"));
        let out = env
            .command_for("aws")
            .args([
                "sts",
                "get-caller-identity",
                "--profile",
                profile,
                "--query",
                "Arn",
                "--output",
                "text",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{profile}: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        let arn = String::from_utf8_lossy(&out.stdout);
        assert!(
            arn.trim()
                .starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/Role{i}/")),
            "{name}: {arn}"
        );
        let region = env
            .command_for("aws")
            .args(["configure", "get", "region", "--profile", profile])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&region.stdout).trim(), "eu-west-1");
    }
}
