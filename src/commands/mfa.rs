//! `switchrole mfa`: open the once-a-day MFA session now, so that later switches, scripts and
//! `credential_process` need no code and no terminal.

use std::path::Path;

use anyhow::bail;

use super::{TerminalMfa, load_config, print_warnings};
use crate::aws::Switcher;
use crate::aws::credentials::left_text;
use crate::aws::credentials::rfc3339;
use crate::aws::switch::MfaSessionError;
use crate::config::{DEFAULT_MFA_SESSION_SECS, validate};

pub fn run(
    config_path: &Path,
    source_profile: Option<String>,
    mfa_serial: Option<String>,
    mfa_code: Option<String>,
    refresh: bool,
) -> anyhow::Result<i32> {
    let config = load_config(config_path)?;
    let defaults = &config.defaults;
    let source_profile = source_profile.or_else(|| defaults.source_profile.clone());
    let Some(serial) = mfa_serial.or_else(|| defaults.mfa_serial.clone()) else {
        bail!("no MFA device: set mfa_serial in [defaults] or pass --mfa-serial");
    };
    validate::mfa_serial(&serial).map_err(|m| anyhow::anyhow!("--mfa-serial: {m}"))?;
    let duration = defaults
        .mfa_session_duration
        .unwrap_or(DEFAULT_MFA_SESSION_SECS);
    let session = Switcher::standard().mfa_session(
        source_profile.as_deref(),
        &serial,
        duration,
        refresh,
        &TerminalMfa(mfa_code),
    );
    match session {
        Ok(session) => {
            print_warnings(session.warning.as_slice());
            let credentials = session.credentials;
            println!(
                "MFA session for {serial} open until {} ({})",
                rfc3339(credentials.expiration),
                left_text(credentials.expiration)
            );
            Ok(0)
        }
        Err(MfaSessionError::Unavailable { .. }) => bail!(
            "these base credentials are temporary and cannot open an MFA session; switchrole \
             will send the MFA code with each AssumeRole instead"
        ),
        Err(MfaSessionError::Aws(e)) => Err(e.into()),
    }
}
