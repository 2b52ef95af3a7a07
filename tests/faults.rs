//! When STS misbehaves: unreachable, silent, garbage, 500, throttling, errors in both XML
//! shapes. Each gives plain words (and no panic, no hang); throttling is retried.

mod common;

use std::time::{Duration, Instant};

use common::{Reply, StubSts, TestEnv, assume_role_ok, aws_error, env_at, moto_error};

fn stub_env(replies: Vec<Reply>) -> (StubSts, TestEnv) {
    let stub = StubSts::start(replies);
    let env = env_at(&stub.endpoint());
    (stub, env)
}

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn nothing_listening_is_a_clear_error() {
    let env = env_at(&format!("http://127.0.0.1:{}", common::free_port()));
    let err = env.fails(&["env", "Client"]);
    assert!(
        err.contains("cannot reach STS (Connection refused"),
        "{err}"
    );
    assert!(err.contains("AWS_ENDPOINT_URL_STS"), "{err}");
}

#[test]
fn a_silent_sts_times_out_with_a_bound() {
    let (_stub, env) = stub_env(vec![Reply::Hang]);
    let started = Instant::now();
    let err = env.fails(&["env", "Client"]);
    // A hang detector, not a speed goal: the call timeout is 12 s.
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    assert!(err.contains("STS did not answer within 12 s"), "{err}");
}

#[test]
fn garbage_and_server_errors_are_reported_without_panic() {
    let (_stub, env) = stub_env(vec![Reply::Http(200, "this is not xml <<<".into())]);
    let err = env.fails(&["env", "Client"]);
    assert_no_panic(&err);
    assert!(
        err.contains("unexpected answer from STS (HTTP 200)"),
        "{err}"
    );

    let (stub, env) = stub_env(vec![Reply::Http(500, "<html>Internal oops</html>".into())]);
    let err = env.fails(&["env", "Client"]);
    assert_no_panic(&err);
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("Internal oops"), "{err}");
    assert!(
        stub.requests().len() >= 2,
        "5xx is retried: {}",
        stub.requests().len()
    );
}

#[test]
fn throttling_is_retried() {
    let (stub, env) = stub_env(vec![
        aws_error(400, "Throttling", "Rate exceeded"),
        assume_role_ok("ASIATHROTTLED"),
    ]);
    let out = env.ok(&["env", "Client"]);
    assert!(out.contains("AWS_ACCESS_KEY_ID='ASIATHROTTLED'"), "{out}");
    assert_eq!(stub.requests().len(), 2);
    assert!(stub.requests()[1].contains("Action=AssumeRole"));
}

#[test]
fn errors_in_both_xml_shapes_keep_code_and_message() {
    for reply in [
        aws_error(403, "SomethingNew", "A message from AWS"),
        moto_error(403, "SomethingNew", "A message from AWS"),
    ] {
        let (_stub, env) = stub_env(vec![reply]);
        let err = env.fails(&["env", "Client"]);
        assert!(
            err.contains("SomethingNew: A message from AWS (HTTP 403)"),
            "{err}"
        );
    }
}

#[test]
fn each_sts_error_maps_to_plain_words_and_a_next_step() {
    let cases = [
        (
            aws_error(
                403,
                "AccessDenied",
                "User: x is not authorized to perform: sts:AssumeRole",
            ),
            vec![
                "access denied assuming arn:aws:iam::111122223333:role/Admin",
                "switchrole policy Client",
            ],
        ),
        (
            moto_error(
                403,
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
            ),
            vec!["does not recognise your base access key", "aws configure"],
        ),
        (
            moto_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match",
            ),
            vec!["secret access key is wrong", "aws configure"],
        ),
        (
            aws_error(
                400,
                "ExpiredToken",
                "The security token included in the request is expired",
            ),
            vec!["base credentials have expired"],
        ),
        (
            aws_error(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
            ),
            vec!["above the maximum session duration", "lower `duration`"],
        ),
    ];
    for (reply, expected) in cases {
        let (_stub, env) = stub_env(vec![reply]);
        let err = env.fails(&["env", "Client"]);
        for text in expected {
            assert!(err.contains(text), "{text:?} in {err}");
        }
    }
}

#[test]
fn a_rejected_mfa_code_says_so() {
    let stub = StubSts::start(vec![aws_error(
        403,
        "AccessDenied",
        "MultiFactorAuthentication failed with invalid MFA one time pass code.",
    )]);
    let env = TestEnv::new(&stub.endpoint());
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &[
            "--session-name",
            "tester",
            "--mfa-serial",
            "arn:aws:iam::123456789012:mfa/tester",
        ],
    );
    let err = env.fails(&["env", "Client", "--mfa-code", "123456"]);
    assert!(err.contains("the MFA code was not accepted"), "{err}");
    assert!(
        stub.requests()[0].contains("Action=GetSessionToken"),
        "{:?}",
        stub.requests()
    );
}
