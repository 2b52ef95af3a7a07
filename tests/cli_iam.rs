//! Real AccessDenied answers: moto with IAM enforcement on, a user with keys, and roles whose
//! trust policies name that user (with and without an ExternalId condition).

mod common;

use std::sync::OnceLock;

use common::{Moto, TestEnv};

struct Iam {
    moto: Moto,
    key_id: String,
    secret: String,
}

/// One enforcing server for this file: user alice, and roles trusting her (or not).
fn iam() -> &'static Iam {
    static IAM: OnceLock<Iam> = OnceLock::new();
    IAM.get_or_init(|| {
        let moto = Moto::start();
        let (key_id, secret) = moto.create_user("alice");
        let alice = "arn:aws:iam::123456789012:user/alice";
        moto.create_role("ClientA", alice, None);
        moto.create_role("ClientB", alice, None);
        moto.create_role(
            "WithExternalId",
            alice,
            Some(r#"{"StringEquals": {"sts:ExternalId": "right-id-42"}}"#),
        );
        moto.create_role(
            "TrustsSomeoneElse",
            "arn:aws:iam::123456789012:user/mallory",
            None,
        );
        moto.enforce_iam();
        Iam {
            moto,
            key_id,
            secret,
        }
    })
}

/// An environment whose base user is alice, from `~/.aws/credentials`.
fn alice_env() -> TestEnv {
    let iam = iam();
    let mut env = TestEnv::with_moto(&iam.moto);
    env.use_credentials_file(&iam.key_id, &iam.secret);
    env
}

const ACCOUNT: &str = "123456789012";

#[test]
fn external_id_reaches_sts() {
    let env = alice_env();
    env.add_role(
        "Right",
        ACCOUNT,
        "WithExternalId",
        &["--external-id", "right-id-42"],
    );
    env.add_role(
        "Wrong",
        ACCOUNT,
        "WithExternalId",
        &["--external-id", "wrong-id-13"],
    );
    let bin = env!("CARGO_BIN_EXE_switchrole");
    let out = env.ok(&["exec", "Right", "--", bin, "whoami"]);
    assert!(
        out.starts_with("arn:aws:sts::123456789012:assumed-role/WithExternalId/alice\n"),
        "{out}"
    );
    let err = env.fails(&["exec", "Wrong", "--", "true"]);
    assert!(
        err.contains("access denied assuming arn:aws:iam::123456789012:role/WithExternalId"),
        "{err}"
    );
    assert!(err.contains("switchrole policy Wrong"), "{err}");
}

#[test]
fn a_trust_policy_naming_someone_else_is_access_denied() {
    let env = alice_env();
    env.add_role("Nope", ACCOUNT, "TrustsSomeoneElse", &[]);
    let err = env.fails(&["env", "Nope"]);
    assert!(err.contains("trust policy may not name your user"), "{err}");
    assert!(err.contains("switchrole policy Nope"), "{err}");
    assert!(
        err.contains("is not authorized"),
        "AWS's own words are kept: {err}"
    );
}

#[test]
fn unknown_keys_and_wrong_secrets_are_explained() {
    let mut env = alice_env();
    env.add_role("A", ACCOUNT, "ClientA", &[]);
    env.use_credentials_file("AKIAUNKNOWNKEY000000", "whatever");
    let err = env.fails(&["env", "A"]);
    assert!(
        err.contains("does not recognise your base access key"),
        "{err}"
    );
    env.use_credentials_file(&iam().key_id, "not-the-secret");
    let err = env.fails(&["env", "A"]);
    assert!(err.contains("secret access key is wrong"), "{err}");
}

#[test]
fn switching_inside_a_session_assumes_with_the_base_user() {
    let env = alice_env();
    env.add_role("A", ACCOUNT, "ClientA", &[]);
    env.add_role("B", ACCOUNT, "ClientB", &[]);
    let bin = env!("CARGO_BIN_EXE_switchrole");
    // From inside A's session, B is assumed by alice (B trusts only alice).
    let out = env.ok(&[
        "exec",
        "A",
        "--",
        bin,
        "exec",
        "B",
        "--refresh",
        "--",
        bin,
        "whoami",
    ]);
    assert!(
        out.starts_with("arn:aws:sts::123456789012:assumed-role/ClientB/alice\n"),
        "{out}"
    );
    assert!(out.contains("switchrole: B ("), "{out}");
    // Control: without switchrole's marker the inherited credentials of A would be used,
    // and B's trust policy refuses A.
    let out = env.run(&[
        "exec",
        "A",
        "--",
        "env",
        "-u",
        "SWITCHROLE",
        bin,
        "exec",
        "B",
        "--refresh",
        "--",
        "true",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("access denied"));
}

#[test]
fn switching_inside_a_served_session_assumes_with_the_base_user() {
    let env = alice_env();
    env.add_role("A", ACCOUNT, "ClientA", &[]);
    env.add_role("B", ACCOUNT, "ClientB", &[]);
    let bin = env!("CARGO_BIN_EXE_switchrole");
    let inner = ["exec", "B", "--refresh", "--", bin, "whoami"];
    let mut args = vec!["exec", "--server", "A", "--", bin];
    args.extend_from_slice(&inner);
    let out = env.ok(&args);
    assert!(
        out.starts_with("arn:aws:sts::123456789012:assumed-role/ClientB/alice\n"),
        "{out}"
    );
    // Control: without switchrole's marker the server's credentials (A's) would be the
    // base, and B's trust policy refuses A.
    let mut args = vec![
        "exec",
        "--server",
        "A",
        "--",
        "env",
        "-u",
        "SWITCHROLE",
        bin,
    ];
    args.extend_from_slice(&inner);
    let out = env.run(&args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("access denied"));
}

#[test]
fn no_secret_appears_in_any_error() {
    let env = alice_env();
    env.add_role("A", ACCOUNT, "ClientA", &[]);
    env.add_role("Nope", ACCOUNT, "TrustsSomeoneElse", &[]);
    env.add_role(
        "Wrong",
        ACCOUNT,
        "WithExternalId",
        &["--external-id", "wrong-id-13"],
    );
    let session = env.ok(&["credential-process", "A"]);
    let doc: serde_json::Value = serde_json::from_str(&session).unwrap();
    let secrets = [
        iam().secret.clone(),
        doc["SecretAccessKey"].as_str().unwrap().to_string(),
        doc["SessionToken"].as_str().unwrap().to_string(),
    ];
    let mut outputs = Vec::new();
    for args in [
        vec!["env", "Nope"],
        vec!["exec", "Wrong", "--", "true"],
        vec!["exec", "A", "--", "no-such-command-xyz"],
        vec!["shell", "Missing"],
        vec!["exec", "A", "--refresh", "--duration-typo"],
        vec!["console", "Nope", "--print"],
        vec!["doctor", "Nope"],
        vec![
            "mfa",
            "--mfa-serial",
            "arn:aws:iam::123456789012:mfa/alice",
            "--mfa-code",
            "12",
        ],
    ] {
        let out = env.run(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let mut bad = alice_env();
    bad.use_credentials_file(&iam().key_id, &format!("{}x", iam().secret));
    bad.add_role("A", ACCOUNT, "ClientA", &[]);
    for args in [
        vec!["exec", "A", "--refresh", "--", "true"],
        vec!["whoami"],
        vec!["doctor", "A"],
        vec!["policy", "A"],
        vec!["console", "A", "--print", "--refresh"],
    ] {
        let out = bad.run(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    for output in &outputs {
        for secret in &secrets {
            assert!(
                !output.contains(secret.as_str()),
                "secret leaked in: {output}"
            );
        }
    }
}
