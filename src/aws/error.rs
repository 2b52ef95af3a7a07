//! STS failures in plain words, each with the next step (SPEC 3). Translates SDK errors,
//! including error bodies the SDK cannot parse (moto's `<Errors><Error>` shape), into
//! [`AwsError`]. Messages never carry secrets: every body, code and message quoted from an
//! answer has its credential values cut out ([`redact`]) and its control characters
//! escaped ([`crate::untrusted`]) before it becomes part of an error.

mod redact;

pub use redact::redact_credentials;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::untrusted::escape_controls;

/// A failed call to STS, in the user's terms.
#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error(
        "no base AWS credentials found{}: run `aws configure`{}, {} ({detail})",
        profile_text(profile),
        profile_flag(profile),
        base_keys_hint()
    )]
    NoBaseCredentials {
        profile: Option<String>,
        detail: String,
    },
    #[error(
        "your base credentials have expired{}: refresh them (`aws sso login`, or new keys with `aws configure`) and try again",
        profile_text(profile)
    )]
    BaseCredentialsExpired { profile: Option<String> },
    #[error(
        "AWS does not recognise your base access key{}: it may have been deleted or deactivated; create a new one and run `aws configure`",
        profile_text(profile)
    )]
    InvalidAccessKey { profile: Option<String> },
    #[error(
        "AWS rejected the signature of your base credentials{}: the secret access key is wrong; run `aws configure` again",
        profile_text(profile)
    )]
    SignatureMismatch { profile: Option<String> },
    #[error(
        "access denied assuming {role_arn}: the role's trust policy may not name your user, your user may lack sts:AssumeRole on it, or the role requires MFA or an ExternalId. Run `switchrole policy {name}` for the two policies the setup needs (AWS said: {detail})"
    )]
    AccessDenied {
        role_arn: String,
        name: String,
        detail: String,
    },
    #[error(
        "the duration of {seconds} s is above the maximum session duration of {role_arn}: lower `duration` for this role (or raise the role's maximum in IAM)"
    )]
    DurationTooLong { role_arn: String, seconds: u32 },
    #[error("the MFA code was not accepted: wait for the next code and try again")]
    InvalidMfaCode,
    #[error(
        "cannot open an MFA session with these base credentials ({detail}): they are temporary themselves"
    )]
    MfaSessionUnavailable { detail: String },
    #[error("an MFA code must be 6 digits")]
    MalformedMfaCode,
    #[error(
        "an MFA code is needed for {serial} and there is no terminal to ask on: pass --mfa-code CODE, or open the MFA session first with `switchrole mfa` in a terminal"
    )]
    MfaCodeRequired { serial: String },
    #[error("cannot reach STS ({detail}): check your network, proxy or AWS_ENDPOINT_URL_STS")]
    Unreachable { detail: String },
    #[error(
        "STS did not answer within {seconds} s: check your network, proxy or AWS_ENDPOINT_URL_STS, then try again"
    )]
    Timeout { seconds: u64 },
    #[error(
        "your base credentials{} did not arrive within {seconds} s: a credential_process or an SSO login may be stuck; run it by hand to see why (switchrole ended what it had started)",
        profile_text(profile)
    )]
    BaseTimeout {
        profile: Option<String>,
        seconds: u64,
    },
    #[error(
        "STS answered with credentials that had already expired (at {expired}): check this computer's clock (`switchrole doctor` compares it with STS's)"
    )]
    ExpiredAnswer { expired: String },
    #[error("STS refused the request: {code}: {message} (HTTP {status})")]
    Service {
        status: u16,
        code: String,
        message: String,
    },
    #[error("unexpected answer from STS (HTTP {status}): {detail}")]
    BadResponse { status: u16, detail: String },
    #[error("calling STS failed: {0}")]
    Other(String),
}

fn profile_text(profile: &Option<String>) -> String {
    profile
        .as_ref()
        .map(|p| format!(" (profile \"{}\")", escape_controls(p)))
        .unwrap_or_default()
}

fn profile_flag(profile: &Option<String>) -> String {
    profile
        .as_ref()
        .map(|p| format!(" --profile {}", escape_controls(p)))
        .unwrap_or_default()
}

/// The other way to give base credentials. Inside a switchrole session (`SWITCHROLE` set)
/// the credential variables are the session's own and ignored, so a profile is the way.
fn base_keys_hint() -> &'static str {
    if std::env::var_os("SWITCHROLE").is_some() {
        "or name a base profile with source_profile in the config (or AWS_PROFILE): inside a switchrole session AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are the session's and are ignored"
    } else {
        "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    }
}

/// What was being attempted, so that errors can name it.
#[derive(Debug, Clone, Default)]
pub struct ErrorContext {
    pub profile: Option<String>,
    /// Display name of the role being assumed, for `switchrole policy NAME`.
    pub role: Option<String>,
    pub role_arn: Option<String>,
    pub duration: Option<u32>,
    /// The overall timeout, for the timeout message.
    pub timeout_secs: u64,
}

/// Turns an SDK error into an [`AwsError`].
pub fn translate<E>(err: SdkError<E, HttpResponse>, ctx: &ErrorContext) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(creds_err) =
        find_source::<aws_credential_types::provider::error::CredentialsError>(&err)
    {
        return AwsError::NoBaseCredentials {
            profile: ctx.profile.clone(),
            detail: one_line(&error_chain(creds_err)),
        };
    }
    if find_source::<http_body_util::LengthLimitError>(&err).is_some() {
        return AwsError::BadResponse {
            status: err.raw_response().map_or(0, |raw| raw.status().as_u16()),
            detail: format!(
                "an answer longer than {} KiB, not read further",
                super::body_limit::MAX_STS_ANSWER_BYTES / 1024
            ),
        };
    }
    match &err {
        SdkError::TimeoutError(_) => AwsError::Timeout {
            seconds: ctx.timeout_secs,
        },
        SdkError::DispatchFailure(failure) if failure.is_timeout() => AwsError::Timeout {
            seconds: ctx.timeout_secs,
        },
        SdkError::DispatchFailure(_) => AwsError::Unreachable {
            detail: quote(&root_cause(&err)),
        },
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => {
            let (status, body) = match err.raw_response() {
                Some(raw) => (
                    raw.status().as_u16(),
                    raw.body()
                        .bytes()
                        .map(|b| String::from_utf8_lossy(b).into_owned()),
                ),
                None => (0, None),
            };
            let body = body.unwrap_or_default();
            let code = err
                .code()
                .map(str::to_string)
                .or_else(|| xml_element(&body, "Code"))
                .map(|code| quote(&code));
            let message = err
                .message()
                .map(str::to_string)
                .or_else(|| xml_element(&body, "Message"))
                .unwrap_or_default();
            match code {
                Some(code) => classify(status, &code, &message, ctx),
                None => AwsError::BadResponse {
                    status,
                    detail: if body.trim().is_empty() {
                        one_line(&error_chain(&err))
                    } else {
                        snippet(&body)
                    },
                },
            }
        }
        _ => AwsError::Other(one_line(&error_chain(&err))),
    }
}

/// Maps an STS error code and message to the plain-words error.
pub fn classify(status: u16, code: &str, message: &str, ctx: &ErrorContext) -> AwsError {
    let profile = ctx.profile.clone();
    let lower = message.to_ascii_lowercase();
    match code {
        "InvalidClientTokenId" => AwsError::InvalidAccessKey { profile },
        "SignatureDoesNotMatch" => AwsError::SignatureMismatch { profile },
        "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired" => {
            AwsError::BaseCredentialsExpired { profile }
        }
        "AccessDenied"
            if lower.contains("getsessiontoken") && lower.contains("session credentials") =>
        {
            AwsError::MfaSessionUnavailable {
                detail: quote(message),
            }
        }
        "AccessDenied" if lower.contains("multifactorauthentication") || lower.contains("mfa") => {
            AwsError::InvalidMfaCode
        }
        "AccessDenied" => AwsError::AccessDenied {
            role_arn: ctx.role_arn.clone().unwrap_or_default(),
            name: ctx.role.clone().unwrap_or_else(|| "NAME".into()),
            detail: quote(message),
        },
        "ValidationError" if lower.contains("durationseconds") => AwsError::DurationTooLong {
            role_arn: ctx.role_arn.clone().unwrap_or_default(),
            seconds: ctx.duration.unwrap_or_default(),
        },
        _ => AwsError::Service {
            status,
            code: quote(code),
            message: quote(message),
        },
    }
}

fn find_source<'e, T: std::error::Error + 'static>(
    err: &'e (dyn std::error::Error + 'static),
) -> Option<&'e T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// An error and its sources on one line, each message once, quoted as [`quote`] does (a
/// credential provider's error may quote what a `credential_process` printed).
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut current = err.source();
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    quote(&parts.join(": "))
}

/// The innermost error's message ("Connection refused (os error 111)"): the one that says
/// what happened, without the layers of the HTTP stack around it.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

/// The text of the first `<name>…</name>` element in an XML body.
fn xml_element(body: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{name}>"))? + start;
    let text = body[start..end].trim();
    (!text.is_empty()).then(|| unescape_xml(text))
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `text` on one line with its control characters escaped (SPEC 10).
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_controls(&line).into_owned()
}

/// Text from an answer, made fit to quote: credentials cut out, on one line, escaped.
fn quote(text: &str) -> String {
    one_line(&redact_credentials(text))
}

/// The start of a response body on one line, for error messages: credentials cut out,
/// control characters escaped.
pub(crate) fn snippet(body: &str) -> String {
    let line = quote(body);
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None if line.is_empty() => "(empty body)".to_string(),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_xml_error_shapes() {
        let moto = "<ErrorResponse><Errors><Error><Code>AccessDenied</Code>\
                    <Message>User: x is not authorized</Message></Error></Errors></ErrorResponse>";
        let aws = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code>\
                   <Message>The security token included in the request is invalid.</Message>\
                   </Error></ErrorResponse>";
        assert_eq!(xml_element(moto, "Code").as_deref(), Some("AccessDenied"));
        assert_eq!(
            xml_element(aws, "Code").as_deref(),
            Some("InvalidClientTokenId")
        );
        assert_eq!(
            xml_element("<Message>a &amp; b</Message>", "Message").as_deref(),
            Some("a & b")
        );
        assert_eq!(xml_element("garbage", "Code"), None);
    }

    #[test]
    fn classifies_the_common_codes() {
        let ctx = ErrorContext {
            role: Some("Acme".into()),
            role_arn: Some("arn:aws:iam::123456789012:role/R".into()),
            duration: Some(43200),
            ..ErrorContext::default()
        };
        let denied = classify(403, "AccessDenied", "not authorized", &ctx).to_string();
        assert!(denied.contains("switchrole policy Acme"), "{denied}");
        assert!(matches!(
            classify(
                400,
                "ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration",
                &ctx
            ),
            AwsError::DurationTooLong { seconds: 43200, .. }
        ));
        assert!(matches!(
            classify(
                403,
                "AccessDenied",
                "MultiFactorAuthentication failed with invalid MFA one time pass code.",
                &ctx
            ),
            AwsError::InvalidMfaCode
        ));
        assert!(matches!(
            classify(403, "ExpiredToken", "expired", &ctx),
            AwsError::BaseCredentialsExpired { .. }
        ));
    }
}
