//! What an STS answer can put into an error message: never the credentials it carried,
//! never a raw control character (SPEC 3, SPEC 10). A local stub plays the hostile or
//! broken STS.

mod common;

use common::{Reply, StubSts, aws_error, env_at, moto_error};

fn assert_terminal_safe(text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| (c.is_control() && *c != '\n') || ('\u{200b}'..='\u{200f}').contains(c))
        .collect();
    assert!(bad.is_empty(), "raw control characters {bad:?} in {text:?}");
}

#[test]
fn an_answer_the_sdk_cannot_parse_is_quoted_without_its_credentials() {
    // An Expiration that is no date: the SDK cannot read the answer and the body is quoted.
    let body = "<AssumeRoleResponse><AssumeRoleResult><Credentials>\
                <AccessKeyId>ASIAQUOTEDKEYID</AccessKeyId>\
                <SecretAccessKey>SECRETKEYVALUE/+x</SecretAccessKey>\
                <SessionToken>SESSIONTOKENVALUE==</SessionToken>\
                <Expiration>soon</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>";
    let stub = StubSts::start(vec![Reply::Http(200, body.into())]);
    let env = env_at(&stub.endpoint());
    let err = env.fails(&["env", "Client"]);
    assert!(err.contains("unexpected answer from STS"), "{err}");
    for secret in ["SECRETKEYVALUE", "SESSIONTOKENVALUE", "ASIAQUOTEDKEYID"] {
        assert!(!err.contains(secret), "{secret} quoted in: {err}");
    }
    assert!(err.contains("[redacted]"), "{err}");

    let json = r#"{"Credentials": {"AccessKeyId": "ASIAJSONKEY", "SecretAccessKey": "JSONSECRET",
                  "SessionToken": "JSONTOKEN", "Token": "JSONTOKEN2"}}"#;
    let stub = StubSts::start(vec![Reply::Http(200, json.into())]);
    let env = env_at(&stub.endpoint());
    let err = env.fails(&["env", "Client"]);
    for secret in ["ASIAJSONKEY", "JSONSECRET", "JSONTOKEN"] {
        assert!(!err.contains(secret), "{secret} quoted in: {err}");
    }
}

#[test]
fn doctor_quotes_no_credentials_either() {
    let body = "<AssumeRoleResponse><Credentials><SecretAccessKey>DOCTORSECRET\
                </SecretAccessKey><SessionToken>DOCTORTOKEN</SessionToken>";
    let stub = StubSts::start(vec![Reply::Http(200, body.into())]);
    let env = env_at(&stub.endpoint());
    let out = env.run(&["doctor", "Client"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for secret in ["DOCTORSECRET", "DOCTORTOKEN"] {
        assert!(!text.contains(secret), "{secret} quoted in: {text}");
    }
}

#[test]
fn control_characters_in_sts_codes_messages_and_bodies_are_escaped() {
    let hostile = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{202e}";
    for reply in [
        aws_error(400, &format!("Weird{hostile}"), &format!("told {hostile}")),
        moto_error(403, "AccessDenied", &format!("denied {hostile}")),
        aws_error(400, "Throttled", &format!("slow {hostile}")),
        Reply::Http(500, format!("<html>{hostile} oops</html>")),
        Reply::Http(200, format!("not xml {hostile}")),
    ] {
        let stub = StubSts::start(vec![reply]);
        let env = env_at(&stub.endpoint());
        let out = env.run(&["env", "Client"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_terminal_safe(&err);
        assert!(err.contains(r"\u{1b}"), "escaped visibly: {err}");
    }
}

#[test]
fn inside_a_session_the_no_credentials_hint_names_a_profile() {
    let mut env = env_at("http://127.0.0.1:9");
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let outside = env.fails(&["env", "Client"]);
    assert!(
        outside.contains("no base AWS credentials found"),
        "{outside}"
    );
    assert!(outside.contains("set AWS_ACCESS_KEY_ID"), "{outside}");

    env.set("SWITCHROLE", "Other client");
    env.set("AWS_ACCESS_KEY_ID", "ASIASESSIONKEY");
    env.set("AWS_SECRET_ACCESS_KEY", "sessionsecret");
    let inside = env.fails(&["env", "Client"]);
    assert!(inside.contains("no base AWS credentials found"), "{inside}");
    assert!(!inside.contains("set AWS_ACCESS_KEY_ID"), "{inside}");
    assert!(inside.contains("source_profile"), "{inside}");
}

#[test]
fn a_config_read_error_names_its_cause_once() {
    let env = env_at("http://127.0.0.1:9");
    // A directory where the config file should be: reading it fails.
    std::fs::remove_file(env.config_path()).unwrap();
    std::fs::create_dir(env.config_path()).unwrap();
    let err = env.fails(&["list"]);
    let cause = "Is a directory";
    assert_eq!(err.matches(cause).count(), 1, "{err}");
}
