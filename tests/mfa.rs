//! MFA asked once a day: one GetSessionToken (with the code) serves every role until it
//! expires; AssumeRole is signed with that session.

#![cfg(unix)]

mod common;

use common::{Moto, StubSts, TestEnv, assume_role_ok, session_token_ok};

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/tester";

fn mfa_env(endpoint: &str) -> TestEnv {
    let env = TestEnv::new(endpoint);
    env.write_config(&format!(
        "[defaults]\nmfa_serial = \"{SERIAL}\"\nsession_name = \"tester\"\n\n\
         [[roles]]\nname = \"A\"\naccount_id = \"111111111111\"\nrole_name = \"Admin\"\n\n\
         [[roles]]\nname = \"B\"\naccount_id = \"222222222222\"\nrole_name = \"Admin\"\n\n\
         [[roles]]\nname = \"C\"\naccount_id = \"333333333333\"\nrole_name = \"Admin\"\n"
    ));
    env
}

/// The cached MFA session file (there is exactly one).
fn mfa_session_file(env: &TestEnv) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("mfa-"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// The MFA session file's identity and content: every new session replaces the file (a new
/// inode, by atomic rename), so an unchanged identity means no new GetSessionToken was stored.
fn session_fingerprint(env: &TestEnv) -> (u64, String) {
    use std::os::unix::fs::MetadataExt;
    let path = mfa_session_file(env);
    let inode = std::fs::metadata(&path).unwrap().ino();
    (inode, std::fs::read_to_string(&path).unwrap())
}

#[test]
fn one_code_covers_every_role_until_the_session_expires() {
    let env = mfa_env(&Moto::shared().endpoint());
    let err = env.fails(&["env", "A"]);
    assert!(err.contains("an MFA code is needed"), "{err}");
    env.ok(&["env", "A", "--mfa-code", "123456"]);
    let first_session = session_fingerprint(&env);
    // No code, no terminal: only a cached MFA session makes these work.
    env.ok(&["env", "B"]);
    env.ok(&["env", "C", "--refresh"]);
    assert_eq!(
        session_fingerprint(&env),
        first_session,
        "one GetSessionToken for three roles"
    );

    // Expire the MFA session: a code is needed again, and a new session is made.
    let path = mfa_session_file(&env);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["Expiration"] = "2020-01-01T00:00:00Z".into();
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let err = env.fails(&["env", "A", "--refresh"]);
    assert!(err.contains("an MFA code is needed"), "{err}");
    env.ok(&["env", "A", "--refresh", "--mfa-code", "654321"]);
    let (_, renewed) = session_fingerprint(&env);
    assert!(
        !renewed.contains("2020-01-01"),
        "a new MFA session after expiry: {renewed}"
    );
}

#[test]
fn assume_role_is_signed_with_the_mfa_session() {
    let stub = StubSts::start(vec![
        session_token_ok("ASIAMFASESSION"),
        assume_role_ok("ASIAROLEA"),
        assume_role_ok("ASIAROLEB"),
    ]);
    let env = mfa_env(&stub.endpoint());
    env.ok(&["env", "A", "--mfa-code", "123456"]);
    env.ok(&["env", "B"]);
    let requests = stub.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert!(requests[0].contains("Action=GetSessionToken"));
    assert!(requests[0].contains("TokenCode=123456"));
    assert!(
        requests[0].contains("DurationSeconds=43200"),
        "12 h by default"
    );
    assert!(requests[0].contains(&format!("Credential={}/", common::BASE_KEY_ID)));
    for request in &requests[1..] {
        assert!(request.contains("Action=AssumeRole"));
        assert!(request.contains("Credential=ASIAMFASESSION/"), "{request}");
        assert!(
            !request.contains("TokenCode"),
            "no code once the session exists"
        );
    }
}

#[test]
fn temporary_base_credentials_send_the_code_with_assume_role() {
    let stub = StubSts::start(vec![
        common::aws_error(
            403,
            "AccessDenied",
            "Cannot call GetSessionToken with session credentials",
        ),
        assume_role_ok("ASIAROLEA"),
    ]);
    let env = mfa_env(&stub.endpoint());
    let out = env.ok(&["env", "A", "--mfa-code", "123456"]);
    assert!(out.contains("ASIAROLEA"), "{out}");
    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "{requests:#?}");
    assert!(requests[1].contains("Action=AssumeRole"));
    assert!(requests[1].contains("TokenCode=123456"), "{}", requests[1]);
    assert!(requests[1].contains("SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Ftester"));
}

#[test]
fn mfa_opens_the_session_for_credential_process() {
    let env = mfa_env(&Moto::shared().endpoint());
    let err = env.fails(&["credential-process", "A"]);
    assert!(
        err.contains("`switchrole mfa`"),
        "the message says how to start one: {err}"
    );
    let err = env.fails(&["mfa", "--mfa-code", "12"]);
    assert!(err.contains("6 digits"), "{err}");
    let out = env.ok(&["mfa", "--mfa-code", "123456"]);
    assert!(
        out.starts_with(&format!("MFA session for {SERIAL} open until ")),
        "{out}"
    );
    assert!(
        out.contains("12h left") || out.contains("11h59m left"),
        "{out}"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&env.ok(&["credential-process", "A"])).unwrap();
    assert_eq!(doc["Version"], 1);
    let again = env.ok(&["mfa"]);
    assert!(
        again.starts_with("MFA session for"),
        "a valid session needs no code: {again}"
    );
}
