//! The core promise against a real local STS (moto): `exec`/`env`/`credential-process`
//! assume the role, cache the credentials, and export exactly the SPEC 4 environment.

mod common;

use common::{Moto, TestEnv, env_value};

const ACCOUNT: &str = "111122223333";

fn env_with_role(moto: &Moto, extra: &[&str]) -> TestEnv {
    let env = TestEnv::with_moto(moto);
    env.add_role("Client A", ACCOUNT, "Admin", extra);
    env
}

#[test]
fn exec_runs_the_command_as_the_assumed_role() {
    let env = env_with_role(Moto::shared(), &["--region", "eu-west-1"]);
    let bin = env!("CARGO_BIN_EXE_switchrole");
    let out = env.ok(&["exec", "Client A", "--", bin, "whoami"]);
    let first = out.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/Admin/moto")
    );
    assert!(out.contains("switchrole: Client A (expires "), "{out}");
}

#[test]
fn exec_exports_exactly_the_session_environment() {
    let mut env = env_with_role(Moto::shared(), &["--region", "eu-west-1"]);
    env.set("AWS_PROFILE", "someprofile");
    env.set("AWS_DEFAULT_PROFILE", "someprofile");
    env.set("AWS_SECURITY_TOKEN", "old");
    let out = env.ok(&["exec", "Client A", "--", "env"]);
    let key = env_value(&out, "AWS_ACCESS_KEY_ID").unwrap();
    assert!(key.starts_with("ASIA"), "{key}");
    assert!(env_value(&out, "AWS_SECRET_ACCESS_KEY").is_some());
    assert!(env_value(&out, "AWS_SESSION_TOKEN").is_some());
    let expiration = env_value(&out, "AWS_CREDENTIAL_EXPIRATION").unwrap();
    assert!(
        expiration.ends_with('Z') && expiration.contains('T'),
        "{expiration}"
    );
    assert_eq!(env_value(&out, "AWS_REGION").as_deref(), Some("eu-west-1"));
    assert_eq!(
        env_value(&out, "AWS_DEFAULT_REGION").as_deref(),
        Some("eu-west-1")
    );
    assert_eq!(env_value(&out, "SWITCHROLE").as_deref(), Some("Client A"));
    assert_eq!(
        env_value(&out, "SWITCHROLE_ACCOUNT_ID").as_deref(),
        Some(ACCOUNT)
    );
    assert_eq!(
        env_value(&out, "SWITCHROLE_ROLE_ARN").as_deref(),
        Some("arn:aws:iam::111122223333:role/Admin")
    );
    for unset in ["AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"] {
        assert_eq!(env_value(&out, unset), None, "{unset} should be unset");
    }
}

#[test]
fn exec_passes_the_exit_code_through() {
    let env = env_with_role(Moto::shared(), &[]);
    let out = env.run(&["exec", "Client A", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));
    let out = env.run(&["exec", "Client A", "--", "no-such-command-xyz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run no-such-command-xyz"));
}

#[test]
fn shell_runs_dollar_shell_with_the_session() {
    let mut env = env_with_role(Moto::shared(), &[]);
    let script = env.home().join("fake-shell");
    std::fs::write(
        &script,
        "#!/bin/sh\necho \"shell as $SWITCHROLE $AWS_ACCESS_KEY_ID\"\nexit 4\n",
    )
    .unwrap();
    make_executable(&script);
    env.set("SHELL", script.to_str().unwrap());
    let out = env.run(&["shell", "--static", "Client A"]);
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("shell as Client A ASIA"), "{stdout}");
}

#[test]
fn cached_credentials_are_reused_without_sts_until_refresh() {
    let moto = Moto::shared();
    let mut env = env_with_role(moto, &[]);
    let key = |env: &TestEnv, extra: &[&str]| {
        let mut args = vec!["exec", "Client A"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--", "sh", "-c", "echo $AWS_ACCESS_KEY_ID"]);
        env.ok(&args).trim().to_string()
    };
    let first = key(&env, &[]);
    // Nothing listens here: a second switch that reached STS would fail.
    env.set(
        "AWS_ENDPOINT_URL_STS",
        &format!("http://127.0.0.1:{}", common::free_port()),
    );
    assert_eq!(key(&env, &[]), first, "the cached credentials are reused");
    let err = env.fails(&["exec", "Client A", "--refresh", "--", "true"]);
    assert!(err.contains("cannot reach STS"), "{err}");
    env.set("AWS_ENDPOINT_URL_STS", &moto.endpoint());
    let refreshed = key(&env, &["--refresh"]);
    assert_ne!(refreshed, first, "--refresh assumes the role again");
    assert!(refreshed.starts_with("ASIA"));
}

#[test]
fn cache_files_are_private_and_a_damaged_one_is_replaced() {
    let env = env_with_role(Moto::shared(), &[]);
    let print_key = [
        "exec",
        "Client A",
        "--",
        "sh",
        "-c",
        "echo $AWS_ACCESS_KEY_ID",
    ];
    let first = env.ok(&print_key);
    let cache = env.cache_dir();
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("role-")
        })
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o700);
        assert_eq!(mode(&files[0]), 0o600);
    }
    let text = std::fs::read_to_string(&files[0]).unwrap();
    std::fs::write(&files[0], &text[..text.len() / 2]).unwrap();
    let second = env.ok(&print_key);
    assert_ne!(second, first, "a truncated cache file is a miss");
    let repaired = std::fs::read_to_string(&files[0]).unwrap();
    assert!(repaired.contains(second.trim()), "the file was replaced");
    assert_eq!(env.ok(&print_key), second, "and is used again");
}

#[test]
fn credential_process_output_is_used_by_the_aws_sdk() {
    let moto = Moto::shared();
    let env = env_with_role(moto, &[]);
    let aws_config = env.home().join(".aws/config");
    std::fs::create_dir_all(aws_config.parent().unwrap()).unwrap();
    let home = env.home().display().to_string();
    std::fs::write(
        &aws_config,
        format!(
            "[profile client-a]\ncredential_process = env HOME={home} XDG_CONFIG_HOME={home}/config \
             XDG_CACHE_HOME={home}/cache XDG_STATE_HOME={home}/state AWS_EC2_METADATA_DISABLED=true \
             AWS_REGION=us-east-1 AWS_ENDPOINT_URL_STS={endpoint} AWS_ACCESS_KEY_ID={key} \
             AWS_SECRET_ACCESS_KEY={secret} {bin} credential-process \"Client A\"\n",
            endpoint = moto.endpoint(),
            key = common::BASE_KEY_ID,
            secret = common::BASE_SECRET,
            bin = env!("CARGO_BIN_EXE_switchrole"),
        ),
    )
    .unwrap();
    let arn = common::caller_arn_through_profile(&moto.endpoint(), &aws_config, "client-a");
    assert_eq!(
        arn,
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/Admin/moto")
    );
}

#[test]
fn credential_process_and_env_json_print_the_documented_schema() {
    let env = env_with_role(Moto::shared(), &[]);
    let out = env.ok(&["credential-process", "Client A"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["Version"], 1);
    for key in [
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
    ] {
        assert!(
            doc[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key} in {out}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["env", "Client A", "--format", "json"])).unwrap();
    assert_eq!(
        json["AccessKeyId"], doc["AccessKeyId"],
        "same cached session"
    );
}

#[test]
fn unknown_roles_list_the_closest_names() {
    let env = env_with_role(Moto::shared(), &[]);
    env.add_role("Globex", "444455556666", "Admin", &[]);
    let err = env.fails(&["exec", "client a", "--", "true"]);
    assert!(err.contains("no role \"client a\""), "{err}");
    assert!(err.contains("did you mean: Client A"), "{err}");
    assert!(!err.contains("Globex"), "{err}");
    let by_id = env.ok(&[
        "exec",
        "444455556666/Admin",
        "--",
        "sh",
        "-c",
        "echo $SWITCHROLE",
    ]);
    assert_eq!(by_id.trim(), "Globex");
}

#[test]
fn usage_errors_exit_with_two() {
    let env = TestEnv::new("http://127.0.0.1:9");
    assert_eq!(env.run(&["exec", "x"]).status.code(), Some(2));
    assert_eq!(env.run(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["env", "x", "--format", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn whoami_outside_a_session_shows_the_base_identity() {
    let env = TestEnv::with_moto(Moto::shared());
    let out = env.ok(&["whoami"]);
    assert!(
        out.starts_with("arn:aws:sts::123456789012:user/moto\n"),
        "{out}"
    );
    assert!(!out.contains("switchrole:"), "{out}");
}

#[test]
fn no_base_credentials_is_explained() {
    let mut env = env_with_role(Moto::shared(), &[]);
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let err = env.fails(&["exec", "Client A", "--", "true"]);
    assert!(err.contains("no base AWS credentials found"), "{err}");
    assert!(err.contains("aws configure"), "{err}");
}

#[test]
fn bad_mfa_codes_are_refused_before_sts_and_missing_ones_explained() {
    let env = env_with_role(
        Moto::shared(),
        &["--mfa-serial", "arn:aws:iam::123456789012:mfa/tester"],
    );
    let err = env.fails(&["exec", "Client A", "--mfa-code", "12ab", "--", "true"]);
    assert!(err.contains("MFA code must be 6 digits"), "{err}");
    // No terminal (stdin is /dev/null): a clear message instead of a hanging prompt.
    let err = env.fails(&["credential-process", "Client A"]);
    assert!(err.contains("--mfa-code"), "{err}");
    let out = env.ok(&[
        "exec",
        "Client A",
        "--mfa-code",
        "123456",
        "--",
        "sh",
        "-c",
        "echo $SWITCHROLE",
    ]);
    assert_eq!(out.trim(), "Client A");
}

fn make_executable(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

#[test]
fn different_base_users_never_share_cached_credentials() {
    let mut env = env_with_role(Moto::shared(), &[]);
    let aws = env.home().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("credentials"),
        "[alice]\naws_access_key_id = AKIAALICE\naws_secret_access_key = a\n\
         [bob]\naws_access_key_id = AKIABOB\naws_secret_access_key = b\n",
    )
    .unwrap();
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let key_as = |env: &mut TestEnv, profile: &str| {
        env.set("AWS_PROFILE", profile);
        env.ok(&[
            "exec",
            "Client A",
            "--",
            "sh",
            "-c",
            "echo $AWS_ACCESS_KEY_ID",
        ])
    };
    let alice = key_as(&mut env, "alice");
    assert_eq!(key_as(&mut env, "alice"), alice, "alice's cache is reused");
    let bob = key_as(&mut env, "bob");
    assert_ne!(bob, alice, "bob does not get alice's credentials");
    env.set("AWS_PROFILE", "nobody");
    let err = env.fails(&["exec", "Client A", "--", "true"]);
    assert!(err.contains("no base AWS credentials found"), "{err}");
    // Keys in the environment are another base user again.
    env.unset("AWS_PROFILE");
    env.set("AWS_ACCESS_KEY_ID", common::BASE_KEY_ID);
    env.set("AWS_SECRET_ACCESS_KEY", common::BASE_SECRET);
    let from_env = env.ok(&[
        "exec",
        "Client A",
        "--",
        "sh",
        "-c",
        "echo $AWS_ACCESS_KEY_ID",
    ]);
    assert!(from_env != alice && from_env != bob);
}

#[test]
fn credential_process_under_its_own_profile_does_not_call_itself() {
    let mut env = env_with_role(Moto::shared(), &[]);
    env.add_role(
        "Looping",
        ACCOUNT,
        "Admin",
        &["--source-profile", "client-a"],
    );
    env.use_credentials_file(common::BASE_KEY_ID, common::BASE_SECRET);
    let bin = env!("CARGO_BIN_EXE_switchrole");
    std::fs::write(
        env.home().join(".aws/config"),
        format!(
            "[profile client-a]\ncredential_process = {bin} credential-process \"Client A\"\n\
             [profile looping]\ncredential_process = {bin} credential-process Looping\n"
        ),
    )
    .unwrap();
    // An AWS tool runs us with AWS_PROFILE=client-a: the base is still the default profile.
    env.set("AWS_PROFILE", "client-a");
    let doc: serde_json::Value =
        serde_json::from_str(&env.ok(&["credential-process", "Client A"])).unwrap();
    assert!(doc["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    // A role whose base profile is switchrole itself is refused at once, not recursed into.
    let err = env.fails(&["credential-process", "Looping"]);
    assert!(
        err.contains("credential-process was called from itself"),
        "{err}"
    );
}

#[test]
fn shell_falls_back_to_bin_sh_and_using_a_role_never_rewrites_the_config() {
    let mut env = env_with_role(Moto::shared(), &[]);
    env.unset("SHELL");
    let config_before = std::fs::read(env.config_path()).unwrap();
    let mtime = || {
        std::fs::metadata(env.config_path())
            .unwrap()
            .modified()
            .unwrap()
    };
    let modified_before = mtime();
    let mut shell = env.switchrole(&["shell", "Client A"]);
    shell.stdin(std::process::Stdio::piped());
    shell.stdout(std::process::Stdio::piped());
    let mut child = shell.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"echo \"as $SWITCHROLE in $0\"\nexit 5\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "as Client A in /bin/sh");
    assert_eq!(std::fs::read(env.config_path()).unwrap(), config_before);
    assert_eq!(
        mtime(),
        modified_before,
        "usage goes to the state file only"
    );
    assert!(env.state_dir().join("usage.log").exists());
}

#[test]
fn assume_role_sends_the_configured_parameters() {
    let stub = common::StubSts::start(vec![common::assume_role_ok("ASIASTUB")]);
    let env = TestEnv::new(&stub.endpoint());
    env.write_config(
        "[defaults]\npartition = \"aws-us-gov\"\nduration = \"45m\"\n\n\
         [[roles]]\nname = \"Gov\"\naccount_id = \"012345678901\"\nrole_name = \"ops/Admin\"\n\
         external_id = \"ext:42\"\nsession_name = \"alice@example.com\"\n",
    );
    env.ok(&["env", "Gov"]);
    let requests = stub.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let body = requests[0].rsplit("\r\n\r\n").next().unwrap();
    let params: std::collections::HashMap<&str, &str> = body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .collect();
    assert_eq!(params["Action"], "AssumeRole");
    assert_eq!(
        params["RoleArn"],
        "arn%3Aaws-us-gov%3Aiam%3A%3A012345678901%3Arole%2Fops%2FAdmin"
    );
    assert_eq!(params["DurationSeconds"], "2700");
    assert_eq!(params["ExternalId"], "ext%3A42");
    assert_eq!(params["RoleSessionName"], "alice%40example.com");
    assert!(!params.contains_key("SerialNumber"));
}
