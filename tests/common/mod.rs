//! Shared test fixtures: a real local STS (moto's server on 127.0.0.1) and an isolated
//! environment (temporary HOME, config, cache and state dirs; fake base keys; endpoint
//! override) in which the real `switchrole` binary runs. Nothing here reaches real AWS.
#![allow(dead_code, unused_imports)]

mod stub;
pub use stub::{Reply, StubSts, assume_role_ok, aws_error, moto_error, session_token_ok};

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A config with one role, "M", that needs MFA through `[defaults]`.
pub const MFA_FROM_DEFAULTS: &str = r#"
[defaults]
mfa_serial = "arn:aws:iam::123456789012:mfa/moto"

[[roles]]
name = "M"
account_id = "111122223333"
role_name = "Admin"
"#;

/// Base keys that moto accepts when IAM enforcement is off.
pub const BASE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const BASE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// A moto server on a free loopback port, killed on drop.
pub struct Moto {
    child: Child,
    pub port: u16,
}

fn moto_server_path() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-venv/bin/moto_server");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("moto_server")
}

/// The Python that has boto3 (moto's venv), for IAM set-up scripts.
pub fn moto_python() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_PYTHON") {
        return PathBuf::from(path);
    }
    let server = moto_server_path();
    match server.parent() {
        Some(dir) if dir.join("python").exists() => dir.join("python"),
        _ => PathBuf::from("python3"),
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Moto {
    /// A server for this test alone (needed when the test turns IAM enforcement on).
    pub fn start() -> Moto {
        for _attempt in 0..3 {
            let port = free_port();
            // A shell keeps moto alive while our end of its stdin is open: when the test
            // process ends, however it ends, `read` returns and moto is killed.
            let child = Command::new("sh")
                .arg("-c")
                .arg(r#""$0" -H 127.0.0.1 -p "$1" </dev/null >/dev/null 2>&1 & pid=$!; read _; kill $pid; wait $pid"#)
                .arg(moto_server_path())
                .arg(port.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("sh");
            let mut moto = Moto { child, port };
            if moto.wait_ready() {
                return moto;
            }
        }
        panic!("moto_server did not start: run the tests with `python3 tests/run.py`");
    }

    /// One server shared by the tests of a test binary (IAM enforcement stays off on it).
    pub fn shared() -> &'static Moto {
        static SHARED: std::sync::OnceLock<Moto> = std::sync::OnceLock::new();
        SHARED.get_or_init(Moto::start)
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if http(self.port, "GET", "/moto-api/", None).is_some_and(|(s, _)| s == 200) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Turns moto's IAM enforcement on: real AccessDenied answers from then on.
    pub fn enforce_iam(&self) {
        let (status, body) =
            http(self.port, "POST", "/moto-api/reset-auth", Some("0")).expect("reset-auth");
        assert_eq!(status, 200, "reset-auth: {body}");
    }

    /// Runs a Python snippet with `iam` (boto3 IAM client against this server) in scope;
    /// returns what it printed.
    pub fn iam_script(&self, script: &str) -> String {
        self.boto3_script((BASE_KEY_ID, BASE_SECRET), script)
    }

    /// Runs a Python snippet signed with `keys`, with `json` and boto3 clients of this
    /// server in scope: `iam`, `sts`, `cfn` (CloudFormation) and `org` (Organizations);
    /// returns what it printed.
    pub fn boto3_script(&self, (key, secret): (&str, &str), script: &str) -> String {
        let prelude = format!(
            "import boto3, json\n\
             kw = dict(endpoint_url='{}', region_name='us-east-1',\n\
                 aws_access_key_id='{key}', aws_secret_access_key='{secret}')\n\
             iam = boto3.client('iam', **kw); sts = boto3.client('sts', **kw)\n\
             cfn = boto3.client('cloudformation', **kw); org = boto3.client('organizations', **kw)\n",
            self.endpoint()
        );
        let output = Command::new(moto_python())
            .arg("-c")
            .arg(format!("{prelude}{script}"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("python");
        assert!(
            output.status.success(),
            "script failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }
}

impl Moto {
    /// Creates an IAM user allowed every STS action, with an access key; returns the key ID
    /// and the secret.
    pub fn create_user(&self, name: &str) -> (String, String) {
        let out = self.iam_script(&format!(
            "iam.create_user(UserName='{name}')\n\
             key = iam.create_access_key(UserName='{name}')['AccessKey']\n\
             iam.put_user_policy(UserName='{name}', PolicyName='assume', PolicyDocument=json.dumps({{\n\
                 'Version': '2012-10-17',\n\
                 'Statement': [{{'Effect': 'Allow', 'Action': 'sts:*', 'Resource': '*'}}]}}))\n\
             print(key['AccessKeyId'])\n\
             print(key['SecretAccessKey'])\n"
        ));
        let mut lines = out.lines();
        let key_id = lines.next().expect("key id").to_string();
        let secret = lines.next().expect("secret").to_string();
        (key_id, secret)
    }

    /// Creates a role whose trust policy lets `principal` assume it, under `condition`
    /// (a JSON object) when given.
    pub fn create_role(&self, name: &str, principal: &str, condition: Option<&str>) {
        let condition = condition.unwrap_or("null");
        self.iam_script(&format!(
            "statement = {{'Effect': 'Allow', 'Principal': {{'AWS': '{principal}'}}, \
                           'Action': 'sts:AssumeRole'}}\n\
             condition = json.loads('{condition}')\n\
             if condition:\n    statement['Condition'] = condition\n\
             iam.create_role(RoleName='{name}', AssumeRolePolicyDocument=json.dumps(\n\
                 {{'Version': '2012-10-17', 'Statement': [statement]}}))\n"
        ));
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // Closing moto's keeper's stdin stops it (see `start`).
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.0 request to 127.0.0.1:port; returns status and body.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// An isolated user: temporary HOME with config, cache and state dirs.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub endpoint: String,
    extra: Vec<(String, String)>,
    removed: Vec<String>,
}

impl TestEnv {
    /// An environment whose STS is `endpoint`, with fake base keys in the environment.
    pub fn new(endpoint: &str) -> TestEnv {
        let dir = tempfile::tempdir().expect("tempdir");
        TestEnv {
            dir,
            endpoint: endpoint.to_string(),
            extra: vec![
                ("AWS_ACCESS_KEY_ID".into(), BASE_KEY_ID.into()),
                ("AWS_SECRET_ACCESS_KEY".into(), BASE_SECRET.into()),
            ],
            removed: Vec::new(),
        }
    }

    pub fn with_moto(moto: &Moto) -> TestEnv {
        TestEnv::new(&moto.endpoint())
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn config_path(&self) -> PathBuf {
        self.home().join("config/switchrole/config.toml")
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.home().join("cache/switchrole")
    }

    pub fn state_dir(&self) -> PathBuf {
        self.home().join("state/switchrole")
    }

    /// Sets (or replaces) a variable for every command of this environment.
    pub fn set(&mut self, name: &str, value: &str) {
        self.extra.retain(|(n, _)| n != name);
        self.removed.retain(|n| n != name);
        self.extra.push((name.into(), value.into()));
    }

    /// Leaves a variable out of every command's environment.
    pub fn unset(&mut self, name: &str) {
        self.extra.retain(|(n, _)| n != name);
        self.removed.push(name.into());
    }

    /// Base credentials in `~/.aws/credentials` instead of the environment.
    pub fn use_credentials_file(&mut self, key_id: &str, secret: &str) {
        self.unset("AWS_ACCESS_KEY_ID");
        self.unset("AWS_SECRET_ACCESS_KEY");
        let aws = self.home().join(".aws");
        std::fs::create_dir_all(&aws).unwrap();
        std::fs::write(
            aws.join("credentials"),
            format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n"),
        )
        .unwrap();
    }

    pub fn write_config(&self, text: &str) {
        let path = self.config_path();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A `Command` for `program` with a clean environment pointing at the temp dirs.
    pub fn command_for(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("USER", "tester")
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("XDG_CACHE_HOME", self.home().join("cache"))
            .env("XDG_STATE_HOME", self.home().join("state"))
            .env("XDG_DATA_HOME", self.home().join("data"))
            .env("AWS_CONFIG_FILE", self.home().join(".aws/config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.home().join(".aws/credentials"),
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL_STS", &self.endpoint)
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::null());
        for (name, value) in &self.extra {
            cmd.env(name, value);
        }
        for name in &self.removed {
            cmd.env_remove(name);
        }
        cmd
    }

    /// A `Command` for the switchrole binary with `args`.
    pub fn switchrole(&self, args: &[&str]) -> Command {
        let mut cmd = self.command_for(env!("CARGO_BIN_EXE_switchrole"));
        cmd.args(args);
        cmd
    }

    /// Runs switchrole and returns its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.switchrole(args).output().expect("run switchrole")
    }

    /// Runs switchrole, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "switchrole {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs switchrole, asserts exit code 1, returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "switchrole {args:?} should fail:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Adds a role with `add`.
    pub fn add_role(&self, name: &str, account: &str, role: &str, extra: &[&str]) {
        let mut args = vec!["add", name, "--account", account, "--role", role];
        args.extend_from_slice(extra);
        self.ok(&args);
    }
}

/// The value of `NAME=value` in `env`-style output.
pub fn env_value(output: &str, name: &str) -> Option<String> {
    output
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")).map(str::to_string))
}

#[cfg(unix)]
pub mod pty;
pub use stub::endless_server;

/// An environment whose STS is `endpoint`, with one role, "Client", whose session name is
/// set (so no GetCallerIdentity precedes the AssumeRole).
pub fn env_at(endpoint: &str) -> TestEnv {
    let env = TestEnv::new(endpoint);
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &["--session-name", "tester"],
    );
    env
}

/// The caller ARN that the aws-config crate's profile provider gets for `profile` of the
/// AWS config file `config_file` (its `credential_process` run as the real tools run it),
/// from GetCallerIdentity at `endpoint`; the error's text when the call fails.
pub fn caller_arn_through_profile(endpoint: &str, config_file: &Path, profile: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let files = aws_runtime::env_config::file::EnvConfigFiles::builder()
            .with_file(
                aws_runtime::env_config::file::EnvConfigFileKind::Config,
                config_file,
            )
            .build();
        let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_files(files)
            .profile_name(profile)
            .build();
        let config = aws_sdk_sts::Config::builder()
            .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
            .region(aws_sdk_sts::config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(provider)
            .build();
        let client = aws_sdk_sts::Client::from_conf(config);
        match client.get_caller_identity().send().await {
            Ok(identity) => identity.arn().unwrap_or_default().to_string(),
            Err(e) => format!(
                "{:?}",
                aws_smithy_types::error::display::DisplayErrorContext(e)
            ),
        }
    })
}
