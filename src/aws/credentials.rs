//! Temporary credentials and the secret wrapper that keeps them out of `Debug` and logs.

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;

/// A secret string: `Debug` and `Display` print `<redacted>`; read it with [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the few places that must hand it on (env, cache, STS).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A set of temporary AWS credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Secret,
    pub session_token: Secret,
    pub expiration: SystemTime,
}

impl Credentials {
    /// Time left before they expire (zero when expired).
    pub fn remaining(&self) -> Duration {
        self.expiration
            .duration_since(SystemTime::now())
            .unwrap_or_default()
    }

    /// The expiry as RFC 3339 in UTC, e.g. `2026-11-28T17:00:00Z`.
    pub fn expiration_rfc3339(&self) -> String {
        rfc3339(self.expiration)
    }
}

/// Time left, as every screen shows it: `1h05m`, `12h`, `42m` or `<1m`.
pub fn remaining_text(seconds: u64) -> String {
    match (seconds / 3600, seconds % 3600 / 60) {
        (0, 0) => "<1m".to_string(),
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

/// `42m left`, or `expired` once `expiry` has passed.
pub fn left_text(expiry: SystemTime) -> String {
    match expiry.duration_since(SystemTime::now()) {
        Ok(left) => format!("{} left", remaining_text(left.as_secs())),
        Err(_) => "expired".to_string(),
    }
}

/// Formats a time as RFC 3339 in UTC, whole seconds.
pub fn rfc3339(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_secs(i64::try_from(secs).unwrap_or(i64::MAX))
        .fmt(Format::DateTime)
        .unwrap_or_default()
}

/// Parses an RFC 3339 time as written by [`rfc3339`] or by AWS.
pub fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    DateTime::from_str(text, Format::DateTime)
        .ok()
        .and_then(|t| SystemTime::try_from(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let creds = Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: Secret::new("very-secret-key"),
            session_token: Secret::new("very-secret-token"),
            expiration: SystemTime::UNIX_EPOCH,
        };
        let debug = format!("{creds:?} {:#?}", creds);
        assert!(debug.contains("ASIAEXAMPLE"));
        assert!(!debug.contains("very-secret"), "{debug}");
    }

    #[test]
    fn time_left_is_short() {
        assert_eq!(remaining_text(3900), "1h05m");
        assert_eq!(remaining_text(59), "<1m");
        assert_eq!(remaining_text(43_200), "12h");
        assert_eq!(remaining_text(2_520), "42m");
        assert_eq!(left_text(SystemTime::UNIX_EPOCH), "expired");
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let text = rfc3339(t);
        assert_eq!(text, "2027-01-15T08:00:00Z");
        assert_eq!(parse_rfc3339(&text), Some(t));
    }
}
