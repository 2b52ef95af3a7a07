//! `switchrole doctor [NAME]`: the checks a user would make by hand, in order, each on a
//! line with a tick or a cross and, on a cross, what to do: the config loads; base
//! credentials are found (and where); the base identity (GetCallerIdentity); the MFA
//! session; the role's cached session; one AssumeRole; the clock against STS's. Exit 1 when
//! any check fails. A note says whether the shell integration is loaded.

use std::path::Path;
use std::time::SystemTime;

use std::sync::Arc;

use super::TerminalMfa;
use crate::aws::base::{self, MAX_SKEW};
use crate::aws::cache::MIN_REMAINING;
use crate::aws::credentials::left_text;
use crate::aws::switch::{CHAINED_MAX_SECS, Warning};
use crate::aws::{CredentialCache, Credentials, SdkSts, Sts, Switcher, Target};
use crate::config::{self, Config, duration};
use crate::untrusted::escape_controls;

const OK: &str = "✓";
const FAIL: &str = "✗";
const SKIP: &str = "-";

/// Skew shown as worth mentioning even though AWS still accepts it.
const NOTABLE_SKEW_SECS: u64 = 60;

/// Prints check lines and counts the failures.
#[derive(Default)]
struct Report {
    failures: usize,
}

impl Report {
    /// Every line passes through [`escape_controls`]: it quotes paths, profiles, key IDs
    /// and STS answers that nothing validated.
    fn line(text: String) {
        println!("{}", escape_controls(&text));
    }

    fn ok(&mut self, what: &str, detail: impl AsRef<str>) {
        Self::line(format!("{OK} {what}: {}", detail.as_ref()));
    }

    fn fail(&mut self, what: &str, detail: impl AsRef<str>, fix: Option<&str>) {
        self.failures += 1;
        Self::line(format!("{FAIL} {what}: {}", detail.as_ref()));
        if let Some(fix) = fix {
            Self::line(format!("  fix: {fix}"));
        }
    }

    fn skip(&mut self, what: &str, why: &str) {
        Self::line(format!("{SKIP} {what}: skipped ({why})"));
    }
}

pub fn run(path: &Path, name: Option<&str>, mfa_code: Option<String>) -> anyhow::Result<i32> {
    let mut report = Report::default();

    // 1. The config.
    let config = match config::load(path) {
        Ok(config) if !config.exists => {
            report.ok(
                "config",
                format!(
                    "no file yet at {} (an empty list; add a role with `switchrole add`)",
                    path.display()
                ),
            );
            Some(config)
        }
        Ok(config) => {
            report.ok(
                "config",
                format!(
                    "{} ({} role{})",
                    path.display(),
                    config.roles.len(),
                    if config.roles.len() == 1 { "" } else { "s" }
                ),
            );
            Some(config)
        }
        Err(err) => {
            report.fail(
                "config",
                err.to_string(),
                Some("correct the file at the place shown (switchrole never overwrites a file it cannot read)"),
            );
            None
        }
    };
    let role = match (&config, name) {
        (Some(config), Some(name)) => match config.find(name) {
            Ok(role) => {
                let effective = config.effective(role);
                report.ok("role", format!("{} = {}", role.name, effective.role_arn));
                Some(role)
            }
            Err(err) => {
                report.fail("role", err.to_string(), None);
                None
            }
        },
        (None, Some(_)) => {
            report.skip("role", "the config did not load");
            None
        }
        _ => None,
    };
    let empty = Config::default();
    let config_ref = config.as_ref().unwrap_or(&empty);
    let target = role.map(|r| Target::new(config_ref, r));
    let effective = target.as_ref().map(|t| t.effective.clone());
    let source_profile = effective
        .as_ref()
        .map_or(config_ref.defaults.source_profile.clone(), |e| {
            e.source_profile.clone()
        });
    let mfa_serial = effective
        .as_ref()
        .map_or(config_ref.defaults.mfa_serial.clone(), |e| {
            e.mfa_serial.clone()
        });

    let sdk = Arc::new(SdkSts::new());
    let switcher = Switcher::new(
        sdk.clone(),
        CredentialCache::default_location(),
        crate::state::default_path(),
    );

    // 2. Base credentials.
    let profile_text = source_profile
        .as_deref()
        .map(|p| format!(" (profile {p})"))
        .unwrap_or_default();
    let base = sdk.base(source_profile.as_deref());
    let base_ok = match &base {
        Ok(base) => {
            let mut detail = format!("from {}, key {}", base.source, base.masked_key());
            if base.temporary {
                detail.push_str(", temporary");
                if let Some(expiry) = base.expiration {
                    detail.push_str(&format!(", {}", left_text(expiry)));
                }
            }
            report.ok(&format!("base credentials{profile_text}"), detail);
            true
        }
        Err(err) => {
            report.fail(
                &format!("base credentials{profile_text}"),
                err.to_string(),
                None,
            );
            false
        }
    };

    // 3. Base identity, and the server's clock.
    let mut server_time = None;
    let identity_ok = if base_ok {
        let (identity, date) = sdk.identity_and_server_time(source_profile.as_deref());
        server_time = date.map(|d| (d, SystemTime::now()));
        match identity {
            Ok(identity) => {
                report.ok(
                    "base identity",
                    format!("{} (account {})", identity.arn, identity.account),
                );
                true
            }
            Err(err) => {
                report.fail("base identity", err.to_string(), None);
                false
            }
        }
    } else {
        report.skip("base identity", "no base credentials");
        false
    };

    // 4. The MFA session, and the one-hour cap it brings.
    match &mfa_serial {
        None => report.ok("MFA", "not required (no mfa_serial)"),
        Some(serial) => {
            let what = format!("MFA session for {serial}");
            let cached = switcher.mfa_session_any(source_profile.as_deref(), serial);
            report.ok(&what, cached_text(cached.as_ref(), "asks for a code"));
        }
    }
    let temporary_base = mfa_serial.is_some() || base.as_ref().is_ok_and(|b| b.temporary);
    if let Some(effective) = &effective
        && temporary_base
        && effective.duration > CHAINED_MAX_SECS
    {
        report.ok(
            "duration",
            format!(
                "{} asked for, 1h given: AssumeRole with temporary base credentials (an MFA \
                 session, SSO, a role) is role chaining, which AWS caps at one hour; the \
                 role's own maximum is not the limit here",
                duration::format(u64::from(effective.duration))
            ),
        );
    }

    // 5. The role's cached session, and 6. one AssumeRole.
    if let (Some(role), Some(target)) = (role, &target) {
        let effective = &target.effective;
        let cached = switcher.cached_any(target);
        report.ok(
            &format!("cached session for {}", role.name),
            cached_text(cached.as_ref(), "calls STS"),
        );
        let what = format!("assume role {}", effective.role_arn);
        if identity_ok {
            let mfa = TerminalMfa(mfa_code);
            match switcher.assume(target, &mfa) {
                Ok(assumed) => {
                    let not_cached = assumed
                        .warnings
                        .iter()
                        .find(|w| matches!(w, Warning::NotCached { .. }));
                    let cached = match not_cached {
                        None => "cached".to_string(),
                        Some(warning) => warning.to_string(),
                    };
                    report.ok(
                        &what,
                        format!(
                            "ok, new credentials {} ({cached})",
                            left_text(assumed.credentials.expiration)
                        ),
                    )
                }
                Err(err) => report.fail(&what, err.to_string(), None),
            }
        } else {
            report.skip(&what, "no base identity");
        }
    }

    // 7. The clock.
    match server_time {
        Some((server, local)) => {
            let skew = base::skew_secs(local, server);
            let size = skew.unsigned_abs();
            let direction = if skew > 0 { "ahead of" } else { "behind" };
            if size >= MAX_SKEW.as_secs() {
                report.fail(
                    "clock",
                    format!(
                        "this computer's clock is {} {direction} STS's; AWS rejects requests signed more than 5 minutes off",
                        duration::format(size)
                    ),
                    Some("set the clock right (turn on network time: `timedatectl set-ntp true`, or System Settings > Date & Time)"),
                );
            } else if size >= NOTABLE_SKEW_SECS {
                report.ok(
                    "clock",
                    format!("{} s {direction} STS's (AWS allows up to 5 minutes)", size),
                );
            } else {
                report.ok("clock", "in step with STS");
            }
        }
        None if identity_ok => report.ok("clock", "not checked (STS sent no Date header)"),
        None => report.skip("clock", "no answer from STS"),
    }
    // The shell integration of SPEC 4b, from the variable its script exports: a note, not a
    // check (switchrole works without it).
    match std::env::var(crate::shell_init::LOADED_VAR) {
        Ok(shell) if !shell.is_empty() => println!(
            "shell integration: loaded ({})",
            crate::untrusted::escape_controls(&shell)
        ),
        _ => println!(
            "shell integration: not loaded in this shell (`sr NAME` switches in place after \
             `eval \"$(switchrole init bash)\"` in ~/.bashrc: see `switchrole init --help`)"
        ),
    }
    println!();
    if report.failures == 0 {
        println!("All checks passed.");
        Ok(0)
    } else {
        let plural = if report.failures == 1 { "" } else { "s" };
        println!("{} problem{plural} found.", report.failures);
        Ok(1)
    }
}

/// The state of a cached session, and what the next switch will do without one.
fn cached_text(cached: Option<&Credentials>, next: &str) -> String {
    match cached {
        Some(creds) if creds.remaining() > MIN_REMAINING => {
            format!("valid, {}", left_text(creds.expiration))
        }
        Some(creds) if creds.remaining().is_zero() => {
            format!("expired; the next switch {next}")
        }
        Some(creds) => format!(
            "{}, too little to reuse; the next switch {next}",
            left_text(creds.expiration)
        ),
        None => format!("none; the next switch {next}"),
    }
}
