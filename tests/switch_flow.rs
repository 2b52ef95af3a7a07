//! The switch flow end to end against moto: whose base credentials a switch uses, which
//! cache entry it may reuse, the one-hour cap on chained sessions, and a stuck base
//! credential_process.

mod common;

use std::time::{Duration, Instant};

use common::{Moto, Reply, StubSts, TestEnv, env_value};

const CONFIG_P1: &str = r#"
[defaults]
source_profile = "p1"

[[roles]]
name = "A"
account_id = "111122223333"
role_name = "Admin"
"#;

/// Writes `~/.aws/credentials` as a new file swapped in (what a user copying another
/// user's file, or a tool rewriting it, does).
fn swap_credentials(env: &TestEnv, profile: &str, key_id: &str, secret: &str) {
    let aws = env.home().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let new = aws.join("credentials.new");
    std::fs::write(
        &new,
        format!("[{profile}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"),
    )
    .unwrap();
    std::fs::rename(&new, aws.join("credentials")).unwrap();
}

#[test]
fn an_explicit_source_profile_wins_and_the_cache_follows_the_user() {
    let moto = Moto::start();
    let (alice_key, alice_secret) = moto.create_user("alice");
    let (bob_key, bob_secret) = moto.create_user("bob");
    let mut env = TestEnv::with_moto(&moto);
    // Bob's keys in the environment, alice's under the profile the config names.
    env.set("AWS_ACCESS_KEY_ID", &bob_key);
    env.set("AWS_SECRET_ACCESS_KEY", &bob_secret);
    swap_credentials(&env, "p1", &alice_key, &alice_secret);
    env.write_config(CONFIG_P1);

    let whoami = env.ok(&[
        "exec",
        "A",
        "--",
        env!("CARGO_BIN_EXE_switchrole"),
        "whoami",
    ]);
    assert!(whoami.contains("assumed-role/Admin/alice"), "{whoami}");
    let first = env.ok(&["env", "A", "--format", "dotenv"]);

    // Bob's keys swapped in under p1: his own session, never alice's cached one.
    swap_credentials(&env, "p1", &bob_key, &bob_secret);
    let second = env.ok(&["env", "A", "--format", "dotenv"]);
    assert_ne!(
        env_value(&first, "AWS_ACCESS_KEY_ID"),
        env_value(&second, "AWS_ACCESS_KEY_ID")
    );
    let whoami = env.ok(&[
        "exec",
        "A",
        "--",
        env!("CARGO_BIN_EXE_switchrole"),
        "whoami",
    ]);
    assert!(whoami.contains("assumed-role/Admin/bob"), "{whoami}");
    // And the same file again is a cache hit.
    assert_eq!(env.ok(&["env", "A", "--format", "dotenv"]), second);
}

#[test]
fn a_session_on_an_mfa_base_asks_for_one_hour_and_says_why() {
    let moto = Moto::shared();
    let env = TestEnv::with_moto(moto);
    env.write_config(&format!("{}duration = \"8h\"\n", common::MFA_FROM_DEFAULTS));
    let script = r#"echo $(( $(date -d "$AWS_CREDENTIAL_EXPIRATION" +%s) - $(date +%s) ))"#;
    let out = env.run(&[
        "exec",
        "M",
        "--mfa-code",
        "123456",
        "--",
        "sh",
        "-c",
        script,
    ]);
    assert!(out.status.success(), "{out:?}");
    let left: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert!((3500..=3600).contains(&left), "asked for 1h, got {left} s");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("role chaining").count(), 1, "{stderr}");
    assert!(!stderr.contains("maximum session duration"), "{stderr}");
    let doctor = String::from_utf8_lossy(&env.run(&["doctor", "M"]).stdout).into_owned();
    assert!(doctor.contains("8h asked for, 1h given"), "{doctor}");
    assert!(doctor.contains("role chaining"), "{doctor}");
}

#[test]
fn a_stuck_credential_process_is_named_and_ended() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let pid_file = env.home().join("helper.pid");
    let script = env.home().join("slow-credentials.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho $$ > '{}'\nsleep 60\n", pid_file.display()),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("755")
        .arg(&script)
        .status()
        .unwrap();
    std::fs::create_dir_all(env.home().join(".aws")).unwrap();
    std::fs::write(
        env.home().join(".aws/config"),
        format!("[profile p1]\ncredential_process = {}\n", script.display()),
    )
    .unwrap();
    env.write_config(CONFIG_P1);
    let stderr = env.fails(&["env", "A"]);
    assert!(stderr.contains("base credentials"), "{stderr}");
    assert!(stderr.contains("did not arrive within"), "{stderr}");
    assert!(!stderr.contains("STS did not answer"), "{stderr}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let proc_dir = format!("/proc/{}", pid.trim());
    let deadline = Instant::now() + Duration::from_secs(3);
    while std::path::Path::new(&proc_dir).exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    // A zombie counts as ended: it has exited and waits for its (new) parent.
    let alive = std::fs::read_to_string(format!("{proc_dir}/stat"))
        .is_ok_and(|stat| !stat.contains(") Z "));
    assert!(!alive, "the credential_process {pid} outlived switchrole");
}

/// A GetCallerIdentity answer whose ARN holds `arn` (XML-escaped by the caller).
fn caller_identity(arn: &str) -> Reply {
    Reply::Http(
        200,
        format!(
            "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
             <GetCallerIdentityResult><Arn>{arn}</Arn><UserId>AIDA</UserId>\
             <Account>123456789012</Account></GetCallerIdentityResult>\
             <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\
             </GetCallerIdentityResponse>"
        ),
    )
}

#[test]
fn impossible_sts_answers_never_reach_the_terminal_raw() {
    // An identity with a terminal title sequence in its ARN.
    let stub = StubSts::start(vec![caller_identity(
        "arn:aws:iam::123456789012:user/me&#x1b;]0;PWNED&#x7;",
    )]);
    let env = TestEnv::new(&stub.endpoint());
    for args in [&["whoami"][..], &["doctor"][..]] {
        let out = env.run(args);
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert!(
            !all.contains(&0x1b),
            "{args:?}: {}",
            String::from_utf8_lossy(&all)
        );
        assert!(
            String::from_utf8_lossy(&all).contains("impossible value"),
            "{args:?}: {}",
            String::from_utf8_lossy(&all)
        );
    }
    // Credentials holding an escape sequence are refused, not exported.
    let stub = StubSts::start(vec![common::assume_role_ok("ASIA&#x1b;]0;X&#x7;")]);
    let env = TestEnv::new(&stub.endpoint());
    env.write_config("[defaults]\nsession_name = \"tester\"\n[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n");
    let err = env.fails(&["env", "A"]);
    assert!(err.contains("no key can hold"), "{err}");
    assert!(!err.contains('\u{1b}'));
}

#[test]
fn a_base_key_from_the_users_files_is_shown_escaped_by_doctor() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    env.use_credentials_file("AK\u{1b}]0;K\u{7}", "secret");
    let out = env.run(&["doctor"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    assert!(stdout.contains("AK\\u{1b}]0;K"), "{stdout}");
}

#[test]
fn the_session_names_its_colour_as_hash_rrggbb() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &["--color", "#F2B0A9"]);
    let out = env.ok(&["exec", "A", "--", "sh", "-c", "echo \"$SWITCHROLE_COLOR\""]);
    assert_eq!(out.trim(), "#f2b0a9");
    // SWITCHROLE_EXPIRES is AWS_CREDENTIAL_EXPIRATION in Unix seconds.
    let script = r#"echo "$SWITCHROLE_EXPIRES $(date -u -d "$AWS_CREDENTIAL_EXPIRATION" +%s)""#;
    let out = env.ok(&["exec", "A", "--", "sh", "-c", script]);
    let (expires, expiration) = out.trim().split_once(' ').unwrap();
    assert_eq!(expires, expiration, "{out}");
    assert!(expires.parse::<u64>().is_ok(), "{out}");
}
