//! The federation flow's pieces: the Session JSON, the endpoints and the URLs.
use std::time::SystemTime;

use super::*;
use crate::config::Defaults;

fn creds() -> Credentials {
    Credentials {
        access_key_id: "ASIAEXAMPLE".into(),
        secret_access_key: Secret::new("se/cr+et"),
        session_token: Secret::new("to&ken="),
        expiration: SystemTime::UNIX_EPOCH,
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[test]
fn hosts_per_partition() {
    assert_eq!(
        federation_endpoint("aws").unwrap(),
        "https://signin.aws.amazon.com/federation"
    );
    assert_eq!(
        federation_endpoint("aws-cn").unwrap(),
        "https://signin.amazonaws.cn/federation"
    );
    assert_eq!(
        federation_endpoint("aws-us-gov").unwrap(),
        "https://signin.amazonaws-us-gov.com/federation"
    );
    assert!(matches!(
        federation_endpoint("aws-iso"),
        Err(ConsoleError::UnsupportedPartition(_))
    ));
}

#[test]
fn destinations_follow_the_region() {
    assert_eq!(
        destination("aws", Some("eu-west-1"), None).unwrap(),
        "https://console.aws.amazon.com/console/home?region=eu-west-1"
    );
    assert_eq!(
        destination("aws", None, None).unwrap(),
        "https://console.aws.amazon.com/console/home"
    );
    assert_eq!(
        destination("aws-cn", Some("cn-north-1"), Some("s3")).unwrap(),
        "https://console.amazonaws.cn/s3/home?region=cn-north-1"
    );
    assert_eq!(
        destination("aws", Some("eu-west-1"), Some("https://example.com/x?y=1")).unwrap(),
        "https://example.com/x?y=1"
    );
    assert!(destination("aws", None, Some("S3 bucket")).is_err());
    assert!(destination("aws", None, Some("http://insecure")).is_err());
}

#[test]
fn session_json_has_exactly_the_three_keys() {
    let json: serde_json::Value = serde_json::from_str(session_json(&creds()).expose()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "sessionId": "ASIAEXAMPLE",
            "sessionKey": "se/cr+et",
            "sessionToken": "to&ken=",
        })
    );
    assert_eq!(format!("{:?}", session_json(&creds())), "<redacted>");
}

#[test]
fn signin_token_url_encodes_the_session() {
    let url = signin_token_url("https://x/federation", &creds(), Some(3600));
    let url = url.expose();
    assert!(
        url.starts_with("https://x/federation?Action=getSigninToken&SessionDuration=3600&Session=")
    );
    let session = url.split("&Session=").nth(1).unwrap();
    assert!(!session.contains('&') && !session.contains('+') && !session.contains('/'));
    assert!(decode(session).contains("\"sessionKey\":\"se/cr+et\""));
    let without = signin_token_url("https://x/federation", &creds(), None);
    assert!(!without.expose().contains("SessionDuration"));
}

#[test]
fn login_url_has_issuer_destination_and_token() {
    let url = login_url(
        "aws-us-gov",
        "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1",
        &Secret::new("tok/en+1"),
    )
    .unwrap();
    assert_eq!(
        url,
        "https://signin.amazonaws-us-gov.com/federation?Action=login&Issuer=switchrole\
         &Destination=https%3A%2F%2Fconsole.amazonaws-us-gov.com%2Fconsole%2Fhome%3Fregion%3Dus-gov-west-1\
         &SigninToken=tok%2Fen%2B1"
    );
}

#[test]
fn switch_url_is_encoded() {
    let config = Config::default();
    let role = Role {
        name: "Acme & Sons Prod".into(),
        account_id: "012345678901".into(),
        role_name: "ops/Admin".into(),
        color: Some("#FF00aa".into()),
        ..Role::default()
    };
    assert_eq!(
        switch_url(&config, &role).unwrap(),
        "https://signin.aws.amazon.com/switchrole?account=012345678901&roleName=ops%2FAdmin\
         &displayName=Acme%20%26%20Sons%20Prod&color=ff00aa"
    );
    let cn = Config {
        defaults: Defaults {
            partition: Some("aws-cn".into()),
            ..Defaults::default()
        },
        ..Config::default()
    };
    let plain = Role {
        color: Some("blue".into()),
        ..role
    };
    assert!(
        switch_url(&cn, &plain)
            .unwrap()
            .starts_with("https://signin.amazonaws.cn/switchrole?")
    );
    assert!(switch_url(&cn, &plain).unwrap().ends_with("&color=99bce3"));
}

#[test]
fn session_duration_only_for_long_term_base_keys() {
    let role = Role {
        name: "A".into(),
        account_id: "012345678901".into(),
        role_name: "Admin".into(),
        duration: Some(1800),
        ..Role::default()
    };
    let config = Config::default();
    assert_eq!(
        SigninOptions::for_role(&config, &role, false).session_duration,
        Some(1800)
    );
    assert_eq!(
        SigninOptions::for_role(&config, &role, true).session_duration,
        None
    );
    let mfa = Role {
        mfa_serial: Some("arn:aws:iam::012345678901:mfa/me".into()),
        ..role
    };
    assert_eq!(
        SigninOptions::for_role(&config, &mfa, false).session_duration,
        None
    );
}

#[test]
fn signin_token_answers() {
    assert_eq!(
        parse_signin_token(br#"{"SigninToken":"abc"}"#)
            .unwrap()
            .expose(),
        "abc"
    );
    assert!(parse_signin_token(b"<html>nope</html>").is_err());
    assert!(parse_signin_token(br#"{"Other":1}"#).is_err());
}
