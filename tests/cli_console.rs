//! `switchrole console`: the federation sign-in against a local getSigninToken stub (which
//! checks the exact Session JSON it receives) with the role assumed on a local moto STS,
//! the browser hand-off, and the plain `--switch-url` link. Nothing leaves 127.0.0.1.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{BASE_SECRET, Moto, TestEnv};
use serde_json::Value;

const TOKEN: &str = "stub-signin-token/with+odd=chars";

/// A local getSigninToken endpoint: records each request target, answers `status`/`body`.
struct Federation {
    port: u16,
    targets: Arc<Mutex<Vec<String>>>,
}

impl Federation {
    fn start(status: u16, body: &str) -> Federation {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let targets = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&targets);
        let body = body.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                reader.read_line(&mut request_line).unwrap();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let target = request_line.split_whitespace().nth(1).unwrap_or_default();
                seen.lock().unwrap().push(target.to_string());
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                     Connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Federation { port, targets }
    }

    fn ok() -> Federation {
        Federation::start(
            200,
            &serde_json::json!({ "SigninToken": TOKEN }).to_string(),
        )
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/federation", self.port)
    }

    fn requests(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8()
        .unwrap()
        .into_owned()
}

/// The path and decoded query parameters of a URL or request target, in order.
fn parse(url: &str) -> (String, Vec<(String, String)>) {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (path.to_string(), params)
}

fn env_for(moto: &Moto, federation: &Federation) -> TestEnv {
    let mut env = TestEnv::with_moto(moto);
    env.set("SWITCHROLE_FEDERATION_ENDPOINT", &federation.endpoint());
    env
}

/// The role's cached credentials (as `credential-process` prints them).
fn assumed(env: &TestEnv, name: &str) -> Value {
    serde_json::from_str(&env.ok(&["credential-process", name])).unwrap()
}

fn secrets_of(creds: &Value) -> [String; 3] {
    [
        creds["SecretAccessKey"].as_str().unwrap().to_string(),
        creds["SessionToken"].as_str().unwrap().to_string(),
        BASE_SECRET.to_string(),
    ]
}

#[test]
fn print_signs_in_with_exactly_the_assumed_keys() {
    let federation = Federation::ok();
    let env = env_for(Moto::shared(), &federation);
    env.add_role(
        "Client A",
        "111122223333",
        "Admin",
        &["--region", "eu-west-1"],
    );
    let creds = assumed(&env, "Client A");

    let out = env.run(&["console", "Client A", "--print"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();

    // What the federation endpoint received.
    let requests = federation.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let (path, params) = parse(&requests[0]);
    assert_eq!(path, "/federation");
    let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["Action", "SessionDuration", "Session"]);
    let params: HashMap<String, String> = params.into_iter().collect();
    assert_eq!(params["Action"], "getSigninToken");
    assert_eq!(params["SessionDuration"], "3600");
    let session: Value = serde_json::from_str(&params["Session"]).unwrap();
    assert_eq!(
        session,
        serde_json::json!({
            "sessionId": creds["AccessKeyId"],
            "sessionKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
        })
    );

    // What was printed: the login URL alone.
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let (path, params) = parse(lines[0]);
    assert_eq!(path, "https://signin.aws.amazon.com/federation");
    assert_eq!(
        params,
        vec![
            ("Action".to_string(), "login".to_string()),
            ("Issuer".to_string(), "switchrole".to_string()),
            (
                "Destination".to_string(),
                "https://console.aws.amazon.com/console/home?region=eu-west-1".to_string()
            ),
            ("SigninToken".to_string(), TOKEN.to_string()),
        ]
    );
    for secret in secrets_of(&creds) {
        assert!(!stdout.contains(&secret), "secret in stdout: {stdout}");
        assert!(!stderr.contains(&secret), "secret in stderr: {stderr}");
    }
}

#[test]
fn temporary_base_credentials_send_no_session_duration() {
    let federation = Federation::ok();
    let mut env = env_for(Moto::shared(), &federation);
    env.set("AWS_SESSION_TOKEN", "base-session-token");
    env.add_role("Temp", "111122223333", "Admin", &[]);
    env.add_role(
        "Mfa",
        "111122223333",
        "Admin",
        &["--mfa-serial", "arn:aws:iam::123456789012:mfa/moto"],
    );
    env.ok(&["console", "Temp", "--print"]);
    env.unset("AWS_SESSION_TOKEN");
    // Long-term base keys, but the role is assumed through the MFA session.
    env.ok(&["console", "Mfa", "--print", "--mfa-code", "123456"]);
    let requests = federation.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    for request in &requests {
        let (_, params) = parse(request);
        let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Action", "Session"], "{request}");
    }
}

#[test]
fn destinations_and_partitions() {
    let federation = Federation::ok();
    let env = env_for(Moto::shared(), &federation);
    env.add_role("A", "111122223333", "Admin", &["--region", "us-west-2"]);
    let out = env.ok(&["console", "A", "--print", "--destination", "s3"]);
    let (_, params) = parse(out.trim());
    assert_eq!(
        params[2].1,
        "https://console.aws.amazon.com/s3/home?region=us-west-2"
    );
    let custom = "https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2#alarms";
    let out = env.ok(&["console", "A", "--print", "--destination", custom]);
    assert_eq!(parse(out.trim()).1[2].1, custom);
    let err = env.fails(&["console", "A", "--print", "--destination", "not a service"]);
    assert!(err.contains("is not a console destination"), "{err}");

    let cn_federation = Federation::ok();
    let cn = env_for(Moto::shared(), &cn_federation);
    cn.write_config(
        r#"
[defaults]
partition = "aws-cn"
region = "cn-northwest-1"

[[roles]]
name = "Ningxia"
account_id = "444455556666"
role_name = "Admin"
"#,
    );
    let out = cn.ok(&["console", "Ningxia", "--print"]);
    let (path, params) = parse(out.trim());
    assert_eq!(path, "https://signin.amazonaws.cn/federation");
    assert_eq!(params[1].1, "switchrole");
    assert_eq!(
        params[2].1,
        "https://console.amazonaws.cn/console/home?region=cn-northwest-1"
    );
    assert_eq!(cn_federation.requests().len(), 1);
}

#[test]
fn the_browser_gets_the_url() {
    let federation = Federation::ok();
    let mut env = env_for(Moto::shared(), &federation);
    env.add_role("A", "111122223333", "Admin", &[]);
    let opened = env.home().join("opened.txt");
    let browser = env.home().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    env.set("BROWSER", browser.to_str().unwrap());
    let out = env.run(&["console", "A"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "nothing on stdout without --print");
    let url = std::fs::read_to_string(&opened).unwrap();
    assert!(
        url.starts_with("https://signin.aws.amazon.com/federation?Action=login&Issuer=switchrole&"),
        "{url}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("opened the console for A"));

    env.set("BROWSER", "false");
    let err = env.fails(&["console", "A"]);
    assert!(err.contains("cannot open a browser"), "{err}");
    assert!(err.contains("--print"), "{err}");
}

#[test]
fn a_refused_session_is_explained_without_secrets() {
    let federation = Federation::start(400, "<html>Bad session</html>");
    let env = env_for(Moto::shared(), &federation);
    env.add_role("A", "111122223333", "Admin", &[]);
    let creds = assumed(&env, "A");
    let out = env.run(&["console", "A", "--print"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("refused the session (HTTP 400)"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    for secret in secrets_of(&creds) {
        assert!(!stderr.contains(&secret), "secret in stderr: {stderr}");
    }

    // Nothing listening: unreachable, promptly, without the request URL.
    let port = common::free_port();
    let mut env = TestEnv::with_moto(Moto::shared());
    env.set(
        "SWITCHROLE_FEDERATION_ENDPOINT",
        &format!("http://127.0.0.1:{port}/federation"),
    );
    env.add_role("A", "111122223333", "Admin", &[]);
    let err = env.fails(&["console", "A", "--print"]);
    assert!(
        err.contains("cannot reach the AWS sign-in endpoint 127.0.0.1"),
        "{err}"
    );
    assert!(!err.contains("Session="), "{err}");
}

#[test]
fn switch_url_is_the_consoles_plain_link() {
    // No STS, no federation: no credentials needed at all.
    let mut env = TestEnv::new("http://127.0.0.1:9");
    env.unset("AWS_ACCESS_KEY_ID");
    env.add_role(
        "Acme & Sons Prod",
        "012345678901",
        "path/Admin",
        &["--color", "#1E90FF"],
    );
    env.add_role("Plain", "111122223333", "Admin", &[]);
    let out = env.ok(&["console", "Acme & Sons Prod", "--switch-url"]);
    assert_eq!(
        out,
        "https://signin.aws.amazon.com/switchrole?account=012345678901&roleName=path%2FAdmin\
         &displayName=Acme%20%26%20Sons%20Prod&color=1e90ff\n"
    );
    let (_, params) = parse(out.trim());
    assert_eq!(
        params[2],
        ("displayName".to_string(), "Acme & Sons Prod".to_string())
    );
    let out = env.ok(&["console", "Plain", "--switch-url"]);
    assert_eq!(
        out,
        "https://signin.aws.amazon.com/switchrole?account=111122223333&roleName=Admin&displayName=Plain\n"
    );
    let out = env.run(&["console", "Plain", "--switch-url", "--print"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--switch-url and --print conflict"
    );
}
