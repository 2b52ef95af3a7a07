//! The credentials the server hands out, renewed through the switch flow ahead of expiry so
//! that every answer has at least [`MARGIN`] left. One renewal at a time: requests that
//! arrive while it runs wait for it and share its outcome.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use crate::aws::switch::GivenMfaCode;
use crate::aws::{AwsError, Credentials, Switcher, Target};

/// What every answer has left at least.
pub const MARGIN: Duration = Duration::from_secs(10 * 60);

/// The outcome of the last renewal, shared by the requests that waited for it.
type Outcome = Result<Credentials, String>;

struct State {
    current: Credentials,
    renewing: bool,
    /// Counts finished renewals, so a waiter can tell that one ended while it slept.
    generation: u64,
    last: Outcome,
    /// The "run `switchrole mfa`" line was printed for the current outage.
    told: bool,
}

pub struct Renewer {
    switcher: Switcher,
    target: Target,
    margin: Duration,
    state: Mutex<State>,
    finished: Condvar,
}

impl Renewer {
    pub fn new(switcher: Switcher, target: Target, initial: Credentials) -> Renewer {
        Renewer {
            switcher,
            target,
            margin: margin(),
            state: Mutex::new(State {
                current: initial.clone(),
                renewing: false,
                generation: 0,
                last: Ok(initial),
                told: false,
            }),
            finished: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh(&self, credentials: &Credentials) -> bool {
        credentials
            .expiration
            .duration_since(SystemTime::now())
            .is_ok_and(|left| left > self.margin)
    }

    /// Credentials with at least the margin left, renewed first when needed; or why none
    /// can be had, in words for the SDK to show.
    pub fn credentials(&self) -> Outcome {
        let mut state = self.lock();
        loop {
            if self.fresh(&state.current) {
                return Ok(state.current.clone());
            }
            if !state.renewing {
                break;
            }
            let seen = state.generation;
            while state.renewing {
                state = self.finished.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.generation != seen {
                return state.last.clone();
            }
        }
        state.renewing = true;
        drop(state);
        // A renewal that panics must not leave every later request waiting.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.renew()))
            .unwrap_or_else(|_| Err(AwsError::Other("the renewal failed unexpectedly".into())));
        let mut state = self.lock();
        state.renewing = false;
        state.generation += 1;
        state.last = match result {
            Ok(credentials) => {
                state.current = credentials.clone();
                state.told = false;
                Ok(credentials)
            }
            Err(AwsError::MfaCodeRequired { serial }) => {
                if !state.told {
                    state.told = true;
                    eprintln!(
                        "\r\nswitchrole: the MFA session for {serial} has ended, so the \
                         credentials of \"{}\" cannot renew: run `switchrole mfa` to go on\r",
                        crate::untrusted::escape_controls(&self.target.name)
                    );
                }
                Err(format!(
                    "the MFA session has ended: run `switchrole mfa` (MFA device {serial})"
                ))
            }
            Err(e) => Err(e.to_string()),
        };
        self.finished.notify_all();
        state.last.clone()
    }

    /// The role's cached session when it has the margin left (another shell may have
    /// renewed it), else a new one from STS; no MFA code can be asked for here.
    fn renew(&self) -> Result<Credentials, AwsError> {
        if let Some(cached) = self.switcher.cached(&self.target)
            && self.fresh(&cached)
        {
            return Ok(cached);
        }
        let assumed = self.switcher.assume(&self.target, &GivenMfaCode(None))?;
        Ok(assumed.credentials)
    }
}

/// [`MARGIN`]; debug builds let tests set it (`SWITCHROLE_TEST_SERVER_MARGIN_SECS`) to make
/// every request renew without waiting an hour.
fn margin() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(secs) = std::env::var("SWITCHROLE_TEST_SERVER_MARGIN_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return Duration::from_secs(secs);
    }
    MARGIN
}
