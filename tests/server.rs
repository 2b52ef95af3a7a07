//! The credential server (SPEC 4a) against moto and real clients: the aws CLI and boto3
//! inside `shell` and `exec --server`, the token and the paths, renewal (one AssumeRole for
//! concurrent requests), an ended MFA session, nested switches, and exit codes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::{Moto, Reply, StubSts, TestEnv, assume_role_ok};

const ROLE: &str = r#"
[[roles]]
name = "A"
account_id = "111122223333"
role_name = "Admin"
"#;

/// `exec --server NAME -- sh -c ...` that prints the server's URI and token, then waits for
/// its stdin to close.
struct Served {
    child: Child,
    port: u16,
    uri: String,
    token: String,
}

impl Served {
    fn start(env: &TestEnv, args: &[&str]) -> Served {
        let mut all = vec!["exec", "--server"];
        all.extend_from_slice(args);
        all.extend_from_slice(&[
            "--",
            "sh",
            "-c",
            "echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI $AWS_CONTAINER_AUTHORIZATION_TOKEN\"; read _; exit 7",
        ]);
        let mut child = env
            .switchrole(&all)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let (uri, token) = line.trim().split_once(' ').expect("uri and token");
        let port = uri
            .trim_start_matches("http://127.0.0.1:")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("a loopback URI: {line}"));
        Served {
            child,
            port,
            uri: uri.to_string(),
            token: token.to_string(),
        }
    }

    fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        request(self.port, path, token)
    }

    fn credentials(&self) -> serde_json::Value {
        let (status, body) = self.get("/", Some(&self.token));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Ends the child; returns switchrole's exit code and stderr.
    fn finish(mut self) -> (Option<i32>, String) {
        drop(self.child.stdin.take());
        let out = self.child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        eprintln!("switchrole's stderr: {stderr}");
        (out.status.code(), stderr)
    }
}

fn request(port: u16, path: &str, token: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let auth = token
        .map(|t| format!("Authorization: {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn port_is_closed(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_err()
}

#[test]
fn the_token_guards_the_credentials_and_the_port_closes_with_the_child() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(ROLE);
    let served = Served::start(&env, &["A"]);
    assert!(
        served.uri.starts_with("http://127.0.0.1:"),
        "{}",
        served.uri
    );
    assert!(
        served.token.len() >= 43,
        "32 random bytes, base64url: {}",
        served.token
    );
    let creds = served.credentials();
    let key = creds["AccessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA"), "{creds}");
    for field in ["SecretAccessKey", "Token", "Expiration"] {
        assert!(
            creds[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field}: {creds}"
        );
    }
    let secret = creds["SecretAccessKey"].as_str().unwrap().to_string();
    for token in [None, Some("wrong"), Some(&served.token[1..])] {
        let (status, body) = served.get("/", token);
        assert_eq!(status, 403, "{token:?}");
        assert!(!body.contains(key) && !body.contains(&secret), "{body}");
    }
    let (status, body) = served.get("/other", Some(&served.token));
    assert_eq!(status, 404);
    assert!(!body.contains(key));
    let port = served.port;
    let first_token = served.token.clone();
    let (code, _) = served.finish();
    assert_eq!(code, Some(7), "the child's exit code is the session's");
    assert!(port_is_closed(port), "the port closes when the child ends");
    let again = Served::start(&env, &["A"]);
    assert_ne!(again.token, first_token, "a new token per session");
    again.finish();
}

#[test]
fn every_answer_is_renewed_past_the_margin_and_concurrent_requests_share_one_renewal() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    env.write_config(ROLE);
    // A margin longer than any session: every request needs a renewal.
    env.set("SWITCHROLE_TEST_SERVER_MARGIN_SECS", "100000");
    let served = Served::start(&env, &["A"]);
    let first = served.credentials()["AccessKeyId"].clone();
    let second = served.credentials()["AccessKeyId"].clone();
    assert_ne!(
        first, second,
        "an answer after the threshold carries new credentials"
    );
    served.finish();

    // Against an STS that takes a second to answer, ten requests at once: one AssumeRole.
    let expires = std::time::SystemTime::now() + Duration::from_secs(3600);
    let reply = |key: &str| match assume_role_ok(key) {
        Reply::Http(status, body) => Reply::Slow(
            Duration::from_secs(1),
            status,
            body.replace(
                "2099-01-01T00:00:00Z",
                &switchrole::aws::credentials::rfc3339(expires),
            ),
        ),
        other => other,
    };
    let stub = StubSts::start(vec![reply("ASIAFIRST"), reply("ASIARENEWED")]);
    let mut env = TestEnv::new(&stub.endpoint());
    env.write_config(&format!("[defaults]\nsession_name = \"tester\"\n{ROLE}"));
    env.set("SWITCHROLE_TEST_SERVER_MARGIN_SECS", "100000");
    let served = Served::start(&env, &["A"]);
    let answers: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|_| scope.spawn(|| served.get("/", Some(&served.token))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap().1).collect()
    });
    for body in &answers {
        assert!(body.contains("ASIARENEWED"), "{body}");
    }
    let assume_calls = stub
        .requests()
        .iter()
        .filter(|r| r.contains("Action=AssumeRole"))
        .count();
    assert_eq!(assume_calls, 2, "the first switch and one renewal");
    served.finish();
}

/// The aws CLI on PATH, or `None` (the test says it is skipped).
fn aws_cli() -> Option<String> {
    let found = std::process::Command::new("aws")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIPPED: the aws CLI is not installed here; boto3 still runs");
    }
    found.then(|| "aws".to_string())
}

/// A non-interactive SHELL that asks the aws CLI (when installed) and boto3 who it is.
fn client_shell(env: &TestEnv) -> String {
    let script = env.home().join("client-shell");
    let aws = aws_cli().map_or(String::new(), |aws| {
        format!("{aws} sts get-caller-identity --query Arn --output text\n")
    });
    let python = common::moto_python();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n{aws}'{}' -c 'import boto3; print(\"boto3\", boto3.client(\"sts\").get_caller_identity()[\"Arn\"])'\n",
            python.display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod")
        .arg("755")
        .arg(&script)
        .status()
        .unwrap();
    script.to_string_lossy().into_owned()
}

fn assert_clients_are_the_role(stdout: &str) {
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = if aws_cli().is_some() { 2 } else { 1 };
    assert_eq!(lines.len(), expected, "{stdout}");
    for line in lines {
        assert!(
            line.contains("arn:aws:sts::111122223333:assumed-role/Admin/"),
            "a client acted as someone else: {line}"
        );
    }
}

#[test]
fn the_aws_cli_and_boto3_act_as_the_role_even_with_base_keys_in_the_default_profile() {
    let moto = Moto::shared();
    // The usual set-up: `aws configure` wrote the base keys to ~/.aws/credentials [default],
    // which every SDK reads before the container endpoint.
    let mut env = TestEnv::with_moto(moto);
    env.use_credentials_file(common::BASE_KEY_ID, common::BASE_SECRET);
    std::fs::write(
        env.home().join(".aws/config"),
        "[default]\nregion = us-east-1\naws_access_key_id = AKIAINCONFIG\naws_secret_access_key = x\n",
    )
    .unwrap();
    env.write_config(ROLE);
    let shell = client_shell(&env);
    env.set("SHELL", &shell);
    assert_clients_are_the_role(&env.ok(&["shell", "A"]));
    assert_clients_are_the_role(&env.ok(&["exec", "--server", "A", "--", &shell]));
    // The user's files are untouched and named for switchrole inside the session.
    let inside = env.ok(&["exec", "--server", "A", "--", "sh", "-c",
        "cat \"$AWS_SHARED_CREDENTIALS_FILE\"; echo \"[$SWITCHROLE_BASE_CREDENTIALS_FILE]\"; grep -c aws_access_key_id \"$AWS_CONFIG_FILE\"; grep -c region \"$AWS_CONFIG_FILE\""]);
    let base = env.home().join(".aws/credentials");
    assert_eq!(inside, format!("[{}]\n0\n1\n", base.display()));
    // `~/` in AWS_CONFIG_FILE is the home directory, as the SDKs read it.
    let mut tilde = TestEnv::with_moto(moto);
    std::fs::create_dir_all(tilde.home().join(".aws")).unwrap();
    std::fs::write(
        tilde.home().join(".aws/config"),
        "[default]\naws_access_key_id = AKIAINCONFIG\naws_secret_access_key = x\n",
    )
    .unwrap();
    tilde.set("AWS_CONFIG_FILE", "~/.aws/config");
    tilde.write_config(ROLE);
    let child_config = tilde.ok(&[
        "exec",
        "--server",
        "A",
        "--",
        "sh",
        "-c",
        "echo \"$AWS_CONFIG_FILE\"; grep -c aws_access_key_id \"$AWS_CONFIG_FILE\"; true",
    ]);
    assert!(
        child_config.contains("/sessions/session-"),
        "{child_config}"
    );
    assert!(child_config.ends_with("\n0\n"), "{child_config}");
    assert!(
        std::fs::read_to_string(base)
            .unwrap()
            .contains(common::BASE_KEY_ID)
    );

    // Base keys in a named profile, nothing in the environment.
    let mut env = TestEnv::with_moto(moto);
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    std::fs::create_dir_all(env.home().join(".aws")).unwrap();
    std::fs::write(
        env.home().join(".aws/credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            common::BASE_KEY_ID,
            common::BASE_SECRET
        ),
    )
    .unwrap();
    // No config file: the region comes from the role (the aws CLI v1 reads only
    // AWS_DEFAULT_REGION, which the session sets with AWS_REGION).
    env.write_config(&format!(
        "[defaults]\nsource_profile = \"base\"\nregion = \"us-east-1\"\n{ROLE}"
    ));
    let shell = client_shell(&env);
    env.set("SHELL", &shell);
    assert_clients_are_the_role(&env.ok(&["shell", "A"]));
    let whoami = env.ok(&[
        "exec",
        "--server",
        "A",
        "--",
        env!("CARGO_BIN_EXE_switchrole"),
        "whoami",
    ]);
    assert!(whoami.contains("assumed-role/Admin/"), "{whoami}");
    assert!(whoami.contains("renew themselves"), "{whoami}");
}

#[test]
fn an_ended_mfa_session_is_explained_once_and_mfa_brings_it_back() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    // Inside a session only files can give the base user.
    env.use_credentials_file(common::BASE_KEY_ID, common::BASE_SECRET);
    env.write_config(common::MFA_FROM_DEFAULTS);
    env.set("SWITCHROLE_TEST_SERVER_MARGIN_SECS", "100000");
    let served = Served::start(&env, &["M", "--mfa-code", "123456"]);
    served.credentials();
    // The MFA session ends.
    for entry in std::fs::read_dir(env.cache_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("mfa-")
        {
            std::fs::remove_file(path).unwrap();
        }
    }
    for _ in 0..2 {
        let (status, body) = served.get("/", Some(&served.token));
        assert_eq!(status, 500);
        assert!(body.contains("switchrole mfa"), "{body}");
        assert!(!body.contains("ASIA"), "{body}");
    }
    // `switchrole mfa` from inside such a session finds the base user again.
    let inside = env
        .command_for(env!("CARGO_BIN_EXE_switchrole"))
        .args(["mfa", "--mfa-code", "654321"])
        .env("SWITCHROLE", "M")
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", &served.uri)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", &served.token)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/empty")
        .env(
            "SWITCHROLE_BASE_CREDENTIALS_FILE",
            env.home().join(".aws/credentials"),
        )
        .output()
        .unwrap();
    assert!(inside.status.success(), "{inside:?}");
    let creds = served.credentials();
    assert!(creds["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));
    let (_, stderr) = served.finish();
    assert_eq!(
        stderr.matches("run `switchrole mfa`").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn static_mode_from_the_config_or_the_flag_exports_the_classic_variables() {
    let env = TestEnv::with_moto(Moto::shared());
    let script = "echo \"${AWS_ACCESS_KEY_ID:-none} ${AWS_CONTAINER_CREDENTIALS_FULL_URI:-none}\"";
    let run = |env: &TestEnv, args: &[&str]| {
        let mut cmd = env.switchrole(args);
        cmd.env("SHELL", "/bin/sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    env.write_config(ROLE);
    let served = run(&env, &["shell", "A"]);
    assert!(served.starts_with("none http://127.0.0.1:"), "{served}");
    let flagged = run(&env, &["shell", "--static", "A"]);
    assert!(
        flagged.starts_with("ASIA") && flagged.ends_with(" none"),
        "{flagged}"
    );
    env.write_config(&format!("[defaults]\ncredentials = \"static\"\n{ROLE}"));
    let configured = run(&env, &["shell", "A"]);
    assert!(
        configured.starts_with("ASIA") && configured.ends_with(" none"),
        "{configured}"
    );
    env.write_config(&format!("[defaults]\ncredentials = \"sometimes\"\n{ROLE}"));
    let err = env.fails(&["shell", "A"]);
    assert!(
        err.contains("credentials") && err.contains("\"static\""),
        "{err}"
    );
}
