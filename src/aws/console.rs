//! The AWS console from the terminal (SPEC 7): the federation sign-in (getSigninToken with
//! the assumed credentials, then a login URL with Issuer `switchrole` and a region-aware
//! Destination), per-partition hosts, the console's plain switch-role link, and opening
//! a browser. URL building is pure; [`get_signin_token`] is the one network call.
//!
//! `SWITCHROLE_FEDERATION_ENDPOINT` overrides where getSigninToken is sent (tests run a
//! local stub); the login URL always points at the partition's real sign-in host.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::credentials::{Credentials, Secret};
use super::error::error_chain;
use crate::config::{Config, Role, color};

/// Environment variable that redirects getSigninToken (for tests and private endpoints).
pub const FEDERATION_ENDPOINT_VAR: &str = "SWITCHROLE_FEDERATION_ENDPOINT";
/// The Issuer shown by the console's sign-out page.
pub const ISSUER: &str = "switchrole";
/// The most of getSigninToken's answer that is read (a sign-in token is about 1 KiB): a
/// hostile endpoint's endless body costs this much memory, not gigabytes.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Time allowed for the whole getSigninToken call.
pub const FEDERATION_TIMEOUT: Duration = Duration::from_secs(10);

/// Everything but the unreserved characters of RFC 3986 is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Why no console URL could be made or opened. Never carries credentials.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error(
        "the console sign-in is not known for the partition \"{0}\": switchrole knows aws, aws-cn and aws-us-gov"
    )]
    UnsupportedPartition(String),
    #[error(
        "\"{0}\" is not a console destination: give an https:// URL or a service name such as s3 or ec2"
    )]
    BadDestination(String),
    #[error("{FEDERATION_ENDPOINT_VAR}=\"{0}\" is not an http(s) URL")]
    BadEndpoint(String),
    #[error("cannot reach the AWS sign-in endpoint {host} ({detail}): check your network or proxy")]
    Unreachable { host: String, detail: String },
    #[error(
        "the AWS sign-in endpoint {host} did not answer within {seconds} s: check your network, then try again"
    )]
    Timeout { host: String, seconds: u64 },
    #[error(
        "the AWS sign-in endpoint refused the session (HTTP {status}): {detail}. Try `--refresh` for new credentials; a role chained from another role cannot sign in to the console for more than an hour"
    )]
    Refused { status: u16, detail: String },
    #[error("unexpected answer from the AWS sign-in endpoint: {0}")]
    BadResponse(String),
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
    #[error(
        "cannot open a browser ({0}): use `switchrole console NAME --print` and open the URL yourself"
    )]
    Browser(String),
}

/// The sign-in and console hosts of one partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionHosts {
    pub signin: &'static str,
    pub console: &'static str,
}

/// The hosts of `partition`.
pub fn hosts(partition: &str) -> Result<PartitionHosts, ConsoleError> {
    match partition {
        "aws" => Ok(PartitionHosts {
            signin: "signin.aws.amazon.com",
            console: "console.aws.amazon.com",
        }),
        "aws-cn" => Ok(PartitionHosts {
            signin: "signin.amazonaws.cn",
            console: "console.amazonaws.cn",
        }),
        "aws-us-gov" => Ok(PartitionHosts {
            signin: "signin.amazonaws-us-gov.com",
            console: "console.amazonaws-us-gov.com",
        }),
        other => Err(ConsoleError::UnsupportedPartition(other.to_string())),
    }
}

fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

/// The federation endpoint of `partition`: `https://<signin host>/federation`.
pub fn federation_endpoint(partition: &str) -> Result<String, ConsoleError> {
    Ok(format!("https://{}/federation", hosts(partition)?.signin))
}

/// Where getSigninToken goes: `$SWITCHROLE_FEDERATION_ENDPOINT`, else the partition's.
pub fn signin_token_endpoint(partition: &str) -> Result<String, ConsoleError> {
    match std::env::var(FEDERATION_ENDPOINT_VAR) {
        Ok(endpoint) if !endpoint.trim().is_empty() => {
            let endpoint = endpoint.trim().to_string();
            if endpoint.starts_with("https://") || endpoint.starts_with("http://") {
                Ok(endpoint)
            } else {
                Err(ConsoleError::BadEndpoint(endpoint))
            }
        }
        _ => federation_endpoint(partition),
    }
}

/// The console page to land on: `destination` as an https URL, or a service name (`s3`)
/// opened in the role's region, or the console home in that region.
pub fn destination(
    partition: &str,
    region: Option<&str>,
    destination: Option<&str>,
) -> Result<String, ConsoleError> {
    let console = hosts(partition)?.console;
    let region_query = region
        .map(|r| format!("?region={}", encode(r)))
        .unwrap_or_default();
    match destination.map(str::trim) {
        None | Some("") => Ok(format!("https://{console}/console/home{region_query}")),
        Some(url) if url.starts_with("https://") => Ok(url.to_string()),
        Some(service)
            if service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
        {
            Ok(format!("https://{console}/{service}/home{region_query}"))
        }
        Some(other) => Err(ConsoleError::BadDestination(other.to_string())),
    }
}

/// The Session parameter of getSigninToken: exactly the three assumed keys.
pub fn session_json(creds: &Credentials) -> Secret {
    let doc = serde_json::json!({
        "sessionId": creds.access_key_id,
        "sessionKey": creds.secret_access_key.expose(),
        "sessionToken": creds.session_token.expose(),
    });
    Secret::new(doc.to_string())
}

/// The getSigninToken request URL (it carries the credentials: a [`Secret`]).
/// `session_duration` is left out when `None` (base credentials that are themselves
/// temporary: AWS refuses a SessionDuration for those).
pub fn signin_token_url(
    endpoint: &str,
    creds: &Credentials,
    session_duration: Option<u32>,
) -> Secret {
    let mut url = format!("{endpoint}?Action=getSigninToken");
    if let Some(seconds) = session_duration {
        url.push_str(&format!("&SessionDuration={seconds}"));
    }
    url.push_str("&Session=");
    url.push_str(&encode(session_json(creds).expose()));
    Secret::new(url)
}

/// The login URL: opens `destination` signed in with `signin_token`.
pub fn login_url(
    partition: &str,
    destination: &str,
    signin_token: &Secret,
) -> Result<String, ConsoleError> {
    Ok(format!(
        "{}?Action=login&Issuer={}&Destination={}&SigninToken={}",
        federation_endpoint(partition)?,
        encode(ISSUER),
        encode(destination),
        encode(signin_token.expose()),
    ))
}

/// The console's plain "Switch Role" link for `role` (no credentials involved): the
/// console pre-fills its form with the account, role name, display name and colour.
pub fn switch_url(config: &Config, role: &Role) -> Result<String, ConsoleError> {
    let partition = config.defaults.partition();
    let mut url = format!(
        "https://{}/switchrole?account={}&roleName={}&displayName={}",
        hosts(partition)?.signin,
        encode(&role.account_id),
        encode(&role.role_name),
        encode(&role.name),
    );
    if let Some(rgb) = role.color.as_deref().and_then(|c| color::parse(c).ok()) {
        url.push_str(&format!("&color={}", rgb.hex()));
    }
    Ok(url)
}

/// Parses getSigninToken's answer `{"SigninToken": "..."}`.
pub fn parse_signin_token(body: &[u8]) -> Result<Secret, ConsoleError> {
    let doc: serde_json::Value =
        serde_json::from_slice(body).map_err(|_| ConsoleError::BadResponse(snippet(body)))?;
    doc.get("SigninToken")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .ok_or_else(|| ConsoleError::BadResponse("no SigninToken in the answer".into()))
}

fn snippet(body: &[u8]) -> String {
    super::error::snippet(&String::from_utf8_lossy(body))
}

/// Calls getSigninToken at `endpoint` with `creds`; returns the sign-in token.
pub async fn get_signin_token(
    endpoint: &str,
    creds: &Credentials,
    session_duration: Option<u32>,
) -> Result<Secret, ConsoleError> {
    let url = signin_token_url(endpoint, creds, session_duration);
    let uri: http::Uri = url
        .expose()
        .parse()
        .map_err(|_| ConsoleError::BadEndpoint(endpoint.to_string()))?;
    let host = uri.host().unwrap_or_default().to_string();
    let unreachable = |detail: String| ConsoleError::Unreachable {
        host: host.clone(),
        detail,
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(provider)
        .map_err(|e| unreachable(format!("no TLS root certificates: {e}")))?
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let request = http::Request::get(uri)
        .header(
            "user-agent",
            concat!("switchrole/", env!("CARGO_PKG_VERSION")),
        )
        .header("accept", "application/json")
        .body(Empty::new())
        .map_err(|_| ConsoleError::BadEndpoint(endpoint.to_string()))?;
    let call = async {
        let response = client
            .request(request)
            .await
            .map_err(|e| unreachable(error_chain(&e)))?;
        let status = response.status().as_u16();
        let body = http_body_util::Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map_err(
                |e| match e.downcast_ref::<http_body_util::LengthLimitError>() {
                    Some(_) => ConsoleError::BadResponse(format!(
                        "an answer longer than {} KiB",
                        MAX_ANSWER_BYTES / 1024
                    )),
                    None => unreachable(error_chain(e.as_ref())),
                },
            )?
            .to_bytes();
        Ok::<_, ConsoleError>((status, body))
    };
    let (status, body) = tokio::time::timeout(FEDERATION_TIMEOUT, call)
        .await
        .map_err(|_| ConsoleError::Timeout {
            host: host.clone(),
            seconds: FEDERATION_TIMEOUT.as_secs(),
        })??;
    if status != 200 {
        return Err(ConsoleError::Refused {
            status,
            detail: snippet(&body),
        });
    }
    parse_signin_token(&body)
}

/// What the console sign-in needs to know about a role besides its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninOptions {
    pub partition: String,
    pub region: Option<String>,
    /// `--destination`: an https URL or a service name.
    pub destination: Option<String>,
    /// The console session's length, or `None` to leave SessionDuration out.
    pub session_duration: Option<u32>,
}

impl SigninOptions {
    /// The options in effect for `role`; `base_temporary` says whether the credentials the
    /// role was assumed with are themselves temporary (then no SessionDuration is sent).
    pub fn for_role(config: &Config, role: &Role, base_temporary: bool) -> SigninOptions {
        let effective = config.effective(role);
        let temporary = base_temporary || effective.mfa_serial.is_some();
        SigninOptions {
            partition: effective.partition,
            region: effective.region,
            destination: None,
            session_duration: (!temporary).then_some(effective.duration),
        }
    }
}

/// The whole federation flow: getSigninToken with `creds`, then the login URL.
pub async fn signin_url(
    creds: &Credentials,
    options: &SigninOptions,
) -> Result<String, ConsoleError> {
    let destination = destination(
        &options.partition,
        options.region.as_deref(),
        options.destination.as_deref(),
    )?;
    let endpoint = signin_token_endpoint(&options.partition)?;
    let token = get_signin_token(&endpoint, creds, options.session_duration).await?;
    login_url(&options.partition, &destination, &token)
}

/// The sign-in URL for `role` with its assumed `creds` (from the switch flow); without
/// SessionDuration when `base_temporary` (AWS refuses it then). Blocking, for the CLI and
/// the TUI.
pub fn console_url(
    config: &Config,
    role: &Role,
    creds: &Credentials,
    base_temporary: bool,
    destination: Option<&str>,
) -> Result<String, ConsoleError> {
    let mut options = SigninOptions::for_role(config, role, base_temporary);
    options.destination = destination.map(str::to_string);
    super::block_on(signin_url(creds, &options))
        .map_err(|e| ConsoleError::Runtime(e.to_string()))?
}

/// Opens `url` in `$BROWSER` (waited for, like a terminal browser needs), else the
/// platform's opener (`xdg-open`, `open`).
pub fn open_browser(url: &str) -> Result<(), ConsoleError> {
    if let Some(browsers) = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty())
    {
        let mut failures = Vec::new();
        // $BROWSER may list alternatives separated by ':'; `%s` stands for the URL.
        for browser in browsers.split(':').filter(|b| !b.trim().is_empty()) {
            let mut words = browser.split_whitespace().map(str::to_string);
            let Some(program) = words.next() else {
                continue;
            };
            let mut args: Vec<String> = words.collect();
            if args.iter().any(|a| a.contains("%s")) {
                args = args.into_iter().map(|a| a.replace("%s", url)).collect();
            } else {
                args.push(url.to_string());
            }
            match Command::new(&program).args(&args).status() {
                Ok(status) if status.success() => return Ok(()),
                Ok(status) => failures.push(format!("{program} exited with {status}")),
                Err(e) => failures.push(format!("{program}: {e}")),
            }
        }
        return Err(ConsoleError::Browser(failures.join("; ")));
    }
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("rundll32", vec!["url.dll,FileProtocolHandler", url])
    } else {
        ("xdg-open", vec![url])
    };
    match Command::new(program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(ConsoleError::Browser(format!(
            "{program} exited with {status}"
        ))),
        Err(e) => Err(ConsoleError::Browser(format!(
            "{program}: {e}; set $BROWSER"
        ))),
    }
}

#[cfg(test)]
mod tests;
