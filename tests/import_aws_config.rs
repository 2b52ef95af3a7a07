//! `import aws-config` on real AWS config files: one written by the aws CLI itself
//! (`aws configure set`), and one with odd spacing, comments, `[default]`, continuation lines
//! and sso-session / services sections. Idempotence, dry runs (the config byte for byte),
//! conflicts and bad entries with their line.

mod common;

use common::TestEnv;

/// An environment with no STS (nothing here calls AWS).
fn env() -> TestEnv {
    TestEnv::new("http://127.0.0.1:9")
}

fn aws_config(env: &TestEnv) -> std::path::PathBuf {
    env.home().join(".aws/config")
}

fn write_aws_config(env: &TestEnv, text: &str) {
    let path = aws_config(env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn list_json(env: &TestEnv) -> Vec<serde_json::Value> {
    let out = env.ok(&["list", "--json"]);
    serde_json::from_str(&out).unwrap()
}

fn role<'a>(roles: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    roles
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no role {name} in {roles:?}"))
}

#[test]
fn a_config_written_by_the_aws_cli_is_imported() {
    let env = env();
    let configure = |args: &[&str]| {
        let status = env
            .command_for("aws")
            .arg("configure")
            .arg("set")
            .args(args)
            .status();
        status.is_ok_and(|s| s.success())
    };
    if !configure(&["region", "eu-west-1"]) {
        eprintln!("SKIPPED: the aws CLI is not installed here");
        return;
    }
    for args in [
        [
            "role_arn",
            "arn:aws:iam::111122223333:role/Admin",
            "--profile",
            "acme-prod",
        ],
        ["source_profile", "default", "--profile", "acme-prod"],
        ["external_id", "acme-7f3c", "--profile", "acme-prod"],
        ["duration_seconds", "7200", "--profile", "acme-prod"],
        ["region", "us-east-2", "--profile", "acme-prod"],
        [
            "role_arn",
            "arn:aws:iam::444455556666:role/ops/ReadOnly",
            "--profile",
            "globex",
        ],
        [
            "mfa_serial",
            "arn:aws:iam::123456789012:mfa/alice",
            "--profile",
            "globex",
        ],
        ["role_session_name", "alice", "--profile", "globex"],
        ["aws_access_key_id", "AKIAEXAMPLE", "--profile", "keys-only"],
    ] {
        assert!(configure(&args), "aws configure set {args:?}");
    }
    let written = std::fs::read_to_string(aws_config(&env)).unwrap();
    assert!(written.contains("[profile acme-prod]"), "{written}");
    let out = env.ok(&["import", "aws-config"]);
    assert!(
        out.contains("2 added, 0 already there, 0 conflicting, 0 bad"),
        "{out}"
    );
    let roles = list_json(&env);
    assert_eq!(roles.len(), 2, "{roles:?}");
    let prod = role(&roles, "acme-prod");
    assert_eq!(prod["account_id"], "111122223333");
    assert_eq!(prod["role_name"], "Admin");
    assert_eq!(prod["region"], "us-east-2");
    assert_eq!(prod["source_profile"], "default");
    assert_eq!(prod["duration"], 7200);
    assert_eq!(prod["external_id"], true);
    let globex = role(&roles, "globex");
    assert_eq!(globex["role_name"], "ops/ReadOnly");
    assert_eq!(globex["session_name"], "alice");
    assert_eq!(globex["mfa"], true);
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("external_id = \"acme-7f3c\""), "{config}");
    assert!(
        config.contains("mfa_serial = \"arn:aws:iam::123456789012:mfa/alice\""),
        "{config}"
    );
}

const ODD: &str = "\
# my AWS config
[default]
region = eu-west-1
role_arn = arn:aws:iam::000011112222:role/DefaultRole ; an inline comment
source_profile = base

;a comment line
[profile   spaced  ]   # trailing comment
role_arn=arn:aws:iam::111122223333:role/team/Deploy
region   =   us-west-2
s3 =
  max_concurrent_requests = 20

[profile base]
aws_access_key_id = AKIAEXAMPLE

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
role_arn = arn:aws:iam::999999999999:role/NotAProfile

[services local]
sts =
  endpoint_url = http://localhost:4566

[unprefixed]
role_arn = arn:aws:iam::888888888888:role/IgnoredByTheSdk

[profile chained]
role_arn = arn:aws:iam::222233334444:role/Admin
source_profile = spaced
mfa_serial = GAHT12345678

[profile broken-arn]
role_arn = arn:aws:iam::12345:role/Short

[profile broken-duration]
role_arn = arn:aws:iam::333344445555:role/Admin
duration_seconds = 60

[profile 123456789012/evil]
role_arn = arn:aws:iam::333344445555:role/Admin
";

#[test]
fn odd_spacing_comments_and_other_sections_are_read_as_the_sdk_reads_them() {
    let env = env();
    write_aws_config(&env, ODD);
    let out = env.run(&["import", "aws-config"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "bad entries: exit 1\n{stdout}");
    let roles = list_json(&env);
    let names: Vec<&str> = roles.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["default", "spaced", "chained"], "{stdout}");
    assert_eq!(role(&roles, "default")["role_name"], "DefaultRole");
    assert_eq!(role(&roles, "spaced")["role_name"], "team/Deploy");
    assert_eq!(role(&roles, "spaced")["region"], "us-west-2");
    assert_eq!(role(&roles, "chained")["source_profile"], "spaced");
    assert_eq!(role(&roles, "chained")["mfa"], true);
    // The bad ones, each with the line of its header; the good ones imported all the same.
    assert!(
        stdout.contains("bad: line 34, \"broken-arn\": `role_arn` \"arn:aws:iam::12345:role/Short\" is not a role ARN"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad: line 37, \"broken-duration\": `duration_seconds` 60 s is outside the allowed 900..=43200 s"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad: line 41, \"123456789012/evil\": the name"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 added, 0 already there, 0 conflicting, 3 bad"),
        "{stdout}"
    );
    assert!(!stdout.contains("NotAProfile") && !stdout.contains("IgnoredByTheSdk"));
}

#[test]
fn a_second_import_and_a_dry_run_change_nothing() {
    let env = env();
    write_aws_config(&env, ODD);
    env.write_config("# my roles, kept\n[defaults]\nregion = \"eu-west-1\" # home\n");
    let dry = env.run(&["import", "aws-config", "--dry-run"]);
    let dry_out = String::from_utf8_lossy(&dry.stdout);
    assert!(dry_out.contains("dry run: nothing written"), "{dry_out}");
    assert!(dry_out.contains("would be added: \"spaced\""), "{dry_out}");
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        "# my roles, kept\n[defaults]\nregion = \"eu-west-1\" # home\n",
        "a dry run writes nothing"
    );
    env.run(&["import", "aws-config"]);
    let after_first = std::fs::read(env.config_path()).unwrap();
    let text = String::from_utf8_lossy(&after_first);
    assert!(
        text.starts_with("# my roles, kept\n[defaults]\nregion = \"eu-west-1\" # home\n"),
        "{text}"
    );
    let again = env.run(&["import", "aws-config"]);
    let again_out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again_out.contains("0 added, 3 already there"),
        "{again_out}"
    );
    assert_eq!(std::fs::read(env.config_path()).unwrap(), after_first);
    let dry_again = env.run(&["import", "aws-config", "--dry-run"]);
    assert!(
        String::from_utf8_lossy(&dry_again.stdout).contains("0 would be added, 3 already there")
    );
    assert_eq!(std::fs::read(env.config_path()).unwrap(), after_first);
}

#[test]
fn a_taken_name_is_a_conflict_and_is_not_overwritten() {
    let env = env();
    env.add_role("spaced", "999988887777", "Mine", &[]);
    env.add_role("My deploy", "111122223333", "team/Deploy", &[]);
    write_aws_config(
        &env,
        "[profile spaced]\nrole_arn = arn:aws:iam::111122223333:role/Other\n\
         [profile deploy]\nrole_arn = arn:aws:iam::111122223333:role/team/Deploy\n\
         [profile new]\nrole_arn = arn:aws:iam::555566667777:role/Admin\n",
    );
    let out = env.run(&["import", "aws-config"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("conflict: \"spaced\" (line 1) is 111122223333/Other, but the remembered \"spaced\" is 999988887777/Mine: not overwritten"),
        "{stdout}"
    );
    assert!(
        stdout.contains("already there: \"deploy\" (as \"My deploy\")"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 added, 1 already there, 1 conflicting, 0 bad"),
        "{stdout}"
    );
    let roles = list_json(&env);
    assert_eq!(role(&roles, "spaced")["account_id"], "999988887777");
    assert_eq!(roles.len(), 3);
}

#[test]
fn a_file_the_sdk_cannot_parse_imports_nothing_and_says_where() {
    let env = env();
    write_aws_config(
        &env,
        "[profile a]\nrole_arn = arn:aws:iam::111122223333:role/A\nno equals sign\n",
    );
    let err = env.fails(&["import", "aws-config"]);
    let path = aws_config(&env).display().to_string();
    assert!(
        err.contains(&format!("{path}: line 3: Expected an '=' sign")),
        "{err}"
    );
    assert!(!env.config_path().exists(), "nothing written");
    let missing = env.fails(&["import", "aws-config", "--file", "/nonexistent/config"]);
    assert!(
        missing.contains("cannot read /nonexistent/config"),
        "{missing}"
    );
}

#[test]
fn hostile_text_is_escaped_in_the_report() {
    let env = env();
    write_aws_config(
        &env,
        "[profile ok]\nrole_arn = arn:aws:iam::111122223333:role/A\nregion = eu\u{1b}]0;owned\u{7}\n",
    );
    let out = env.run(&["import", "aws-config"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("eu\\u{1b}]0;owned\\u{7}"), "{stdout}");
    assert!(stdout.contains("1 bad"), "{stdout}");
}
