//! The switch flow against a fake STS that records every call.

use std::sync::Mutex;

use super::*;
use crate::aws::Secret;
use crate::config::Defaults;

/// A call the flow made, as the fake saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Call {
    Base(Option<String>),
    Identity,
    Assume {
        signed_by: String,
        request: AssumeRoleRequest,
    },
    SessionToken(SessionTokenRequest),
}

struct FakeSts {
    calls: Mutex<Vec<Call>>,
    /// The base credentials carry a session token (SSO, a role, a session).
    temporary_base: bool,
    /// GetSessionToken refuses temporary base credentials, as real STS does.
    refuse_session_token: bool,
    /// Lifetime of what STS hands out, from now (negative: already expired).
    lifetime_secs: i64,
}

impl FakeSts {
    fn new() -> FakeSts {
        FakeSts {
            calls: Mutex::new(Vec::new()),
            temporary_base: false,
            refuse_session_token: false,
            lifetime_secs: 3600,
        }
    }

    fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The calls that reach STS over the network (resolving the base is local).
    fn requests(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| !matches!(c, Call::Base(_)))
            .collect()
    }

    fn issue(&self, key: &str) -> Credentials {
        let now = SystemTime::now();
        let lifetime = Duration::from_secs(self.lifetime_secs.unsigned_abs());
        Credentials {
            access_key_id: key.to_string(),
            secret_access_key: Secret::new("secret"),
            session_token: Secret::new("token"),
            expiration: if self.lifetime_secs >= 0 {
                now + lifetime
            } else {
                now - lifetime
            },
        }
    }
}

impl Sts for FakeSts {
    fn base(&self, profile: Option<&str>) -> Result<BaseCredentials, AwsError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Base(profile.map(str::to_string)));
        Ok(BaseCredentials {
            source: "test".into(),
            access_key_id: format!("AKIA-{}", profile.unwrap_or("default")),
            temporary: self.temporary_base,
            expiration: None,
        })
    }

    fn caller_identity(&self, _signer: &Signer) -> Result<Identity, AwsError> {
        self.calls.lock().unwrap().push(Call::Identity);
        Ok(Identity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            user_id: "AIDAALICE".into(),
        })
    }

    fn assume_role(
        &self,
        signer: &Signer,
        request: &AssumeRoleRequest,
    ) -> Result<Credentials, AwsError> {
        let signed_by = match signer {
            Signer::Base(_) => "base".to_string(),
            Signer::Session { credentials, .. } => credentials.access_key_id.clone(),
        };
        self.calls.lock().unwrap().push(Call::Assume {
            signed_by,
            request: request.clone(),
        });
        Ok(self.issue(&format!("ASIA-{}", request.role_arn.len())))
    }

    fn session_token(
        &self,
        _profile: Option<&str>,
        request: &SessionTokenRequest,
    ) -> Result<Credentials, AwsError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::SessionToken(request.clone()));
        if self.refuse_session_token {
            return Err(AwsError::MfaSessionUnavailable {
                detail: "cannot call GetSessionToken with session credentials".into(),
            });
        }
        Ok(self.issue("ASIA-MFA"))
    }
}

const SERIAL: &str = "arn:aws:iam::123456789012:mfa/alice";

struct Setup {
    fake: Arc<FakeSts>,
    switcher: Switcher,
    config: Config,
    _dir: tempfile::TempDir,
}

fn setup_with(fake: FakeSts, defaults: Defaults) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let fake = Arc::new(fake);
    let switcher = Switcher::new(
        fake.clone(),
        CredentialCache::new(dir.path().join("cache")),
        dir.path().join("state/usage.json"),
    );
    let role = |name: &str, account: &str| Role {
        name: name.into(),
        account_id: account.into(),
        role_name: "Admin".into(),
        ..Role::default()
    };
    let config = Config {
        defaults,
        roles: vec![role("A", "111111111111"), role("B", "222222222222")],
        ..Config::default()
    };
    Setup {
        fake,
        switcher,
        config,
        _dir: dir,
    }
}

fn setup() -> Setup {
    setup_with(FakeSts::new(), Defaults::default())
}

fn mfa_defaults() -> Defaults {
    Defaults {
        mfa_serial: Some(SERIAL.into()),
        ..Defaults::default()
    }
}

impl Setup {
    fn target(&self, name: &str) -> Target {
        Target::new(&self.config, self.config.find(name).unwrap())
    }
}

fn code(c: &str) -> GivenMfaCode {
    GivenMfaCode(Some(c.to_string()))
}

fn assumes(calls: &[Call]) -> Vec<(String, AssumeRoleRequest)> {
    calls
        .iter()
        .filter_map(|c| match c {
            Call::Assume { signed_by, request } => Some((signed_by.clone(), request.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_cache_hit_makes_no_call() {
    let s = setup();
    let a = s.target("A");
    let first = s
        .switcher
        .credentials(&a, false, &GivenMfaCode(None))
        .unwrap();
    let calls_after_miss = s.fake.calls().len();
    assert!(matches!(s.switcher.plan(&a, false), Plan::Cached(_)));
    let second = s
        .switcher
        .credentials(&a, false, &GivenMfaCode(None))
        .unwrap();
    assert_eq!(
        second.credentials.access_key_id,
        first.credentials.access_key_id
    );
    assert_eq!(
        s.fake.calls().len(),
        calls_after_miss,
        "{:?}",
        s.fake.calls()
    );
    // --refresh goes to STS again.
    s.switcher
        .credentials(&a, true, &GivenMfaCode(None))
        .unwrap();
    assert_eq!(assumes(&s.fake.calls()).len(), 2);
}

#[test]
fn a_miss_costs_one_request_once_the_base_identity_is_known() {
    let s = setup();
    s.switcher
        .assume(&s.target("A"), &GivenMfaCode(None))
        .unwrap();
    assert_eq!(
        s.fake.requests().len(),
        2,
        "identity + assume the first time"
    );
    s.switcher
        .assume(&s.target("B"), &GivenMfaCode(None))
        .unwrap();
    let requests = s.fake.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert!(matches!(requests[2], Call::Assume { .. }));
    let (_, request) = &assumes(&requests)[1];
    assert_eq!(request.session_name, "alice");
    assert_eq!(request.role_arn, "arn:aws:iam::222222222222:role/Admin");
}

#[test]
fn credentials_with_five_minutes_or_less_left_are_not_reused() {
    let mut fake = FakeSts::new();
    fake.lifetime_secs = 4 * 60;
    let s = setup_with(fake, Defaults::default());
    let a = s.target("A");
    s.switcher.assume(&a, &GivenMfaCode(None)).unwrap();
    assert!(s.switcher.cached_any(&a).is_some());
    assert!(matches!(s.switcher.plan(&a, false), Plan::Assume));
}

#[test]
fn one_mfa_session_serves_every_role() {
    let s = setup_with(FakeSts::new(), mfa_defaults());
    let (a, b) = (s.target("A"), s.target("B"));
    assert!(matches!(s.switcher.plan(&a, false), Plan::NeedsMfa { serial } if serial == SERIAL));
    s.switcher.assume(&a, &code("123456")).unwrap();
    // The second role needs no code: the session is cached.
    assert!(matches!(s.switcher.plan(&b, false), Plan::Assume));
    s.switcher.assume(&b, &GivenMfaCode(None)).unwrap();
    let calls = s.fake.calls();
    let sessions: Vec<_> = calls
        .iter()
        .filter(|c| matches!(c, Call::SessionToken(_)))
        .collect();
    assert_eq!(sessions.len(), 1, "{calls:?}");
    assert!(
        matches!(sessions[0], Call::SessionToken(r) if r.code == "123456" && r.serial == SERIAL)
    );
    for (signed_by, request) in assumes(&calls) {
        assert_eq!(
            signed_by, "ASIA-MFA",
            "AssumeRole is signed by the MFA session"
        );
        assert_eq!(request.mfa, None, "no TokenCode with the session");
    }
}

#[test]
fn an_expired_mfa_session_asks_for_a_code() {
    let mut fake = FakeSts::new();
    fake.lifetime_secs = 60;
    let s = setup_with(fake, mfa_defaults());
    let a = s.target("A");
    // The session opens but lives one minute: too little to be reused.
    s.switcher.assume(&a, &code("123456")).unwrap();
    assert!(matches!(s.switcher.plan(&a, true), Plan::NeedsMfa { .. }));
    let err = s.switcher.assume(&a, &GivenMfaCode(None)).unwrap_err();
    assert!(
        matches!(err, AwsError::MfaCodeRequired { ref serial } if serial == SERIAL),
        "{err}"
    );
    let err = s.switcher.assume(&a, &code("12345")).unwrap_err();
    assert!(matches!(err, AwsError::MalformedMfaCode));
}

#[test]
fn temporary_base_credentials_send_the_code_with_assume_role() {
    let mut fake = FakeSts::new();
    fake.temporary_base = true;
    fake.refuse_session_token = true;
    let s = setup_with(fake, mfa_defaults());
    s.switcher.assume(&s.target("A"), &code("654321")).unwrap();
    let assumed = assumes(&s.fake.calls());
    assert_eq!(assumed.len(), 1);
    let (signed_by, request) = &assumed[0];
    assert_eq!(signed_by, "base");
    assert_eq!(
        request.mfa,
        Some((SERIAL.to_string(), "654321".to_string()))
    );
}

#[test]
fn a_chained_session_asks_for_one_hour_and_says_so() {
    let defaults = Defaults {
        duration: Some(8 * 3600),
        ..mfa_defaults()
    };
    let s = setup_with(FakeSts::new(), defaults.clone());
    let assumed = s.switcher.assume(&s.target("A"), &code("123456")).unwrap();
    assert_eq!(assumes(&s.fake.calls())[0].1.duration, CHAINED_MAX_SECS);
    assert_eq!(
        assumed.warnings,
        vec![Warning::ChainingCap {
            requested: 8 * 3600
        }]
    );
    assert!(assumed.warnings[0].to_string().contains("role chaining"));
    // Long-term base keys without MFA: the duration asked for goes as it is.
    let s = setup_with(
        FakeSts::new(),
        Defaults {
            mfa_serial: None,
            ..defaults
        },
    );
    let assumed = s
        .switcher
        .assume(&s.target("A"), &GivenMfaCode(None))
        .unwrap();
    assert_eq!(assumes(&s.fake.calls())[0].1.duration, 8 * 3600);
    assert!(assumed.warnings.is_empty());
}

#[test]
fn expired_answers_are_refused_and_absurd_ones_flagged() {
    let mut fake = FakeSts::new();
    fake.lifetime_secs = -10;
    let s = setup_with(fake, Defaults::default());
    let a = s.target("A");
    let err = s.switcher.assume(&a, &GivenMfaCode(None)).unwrap_err();
    assert!(matches!(err, AwsError::ExpiredAnswer { .. }), "{err}");
    assert!(
        s.switcher.cached_any(&a).is_none(),
        "nothing expired is cached"
    );
    let mut fake = FakeSts::new();
    fake.lifetime_secs = 400 * 24 * 3600;
    let s = setup_with(fake, Defaults::default());
    let assumed = s
        .switcher
        .assume(&s.target("A"), &GivenMfaCode(None))
        .unwrap();
    assert!(matches!(
        assumed.warnings.as_slice(),
        [Warning::SuspiciousExpiry { .. }]
    ));
}

#[test]
fn the_cache_key_names_the_base_user_in_effect() {
    let s = setup();
    let profile_a = Target {
        effective: Effective {
            source_profile: Some("alice".into()),
            ..s.target("A").effective
        },
        ..s.target("A")
    };
    let profile_b = Target {
        effective: Effective {
            source_profile: Some("bob".into()),
            ..profile_a.effective.clone()
        },
        ..profile_a.clone()
    };
    s.switcher.assume(&profile_a, &GivenMfaCode(None)).unwrap();
    assert!(s.switcher.cached(&profile_a).is_some());
    assert!(
        s.switcher.cached(&profile_b).is_none(),
        "bob never gets alice's session"
    );
    assert!(s.fake.calls().contains(&Call::Base(Some("alice".into()))));
}

#[test]
fn base_labels_follow_keys_profiles_and_the_files_behind_them() {
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("credentials");
    std::fs::write(&credentials, "[p1]\naws_access_key_id = AKIA1\n").unwrap();
    let path = credentials.to_string_lossy().into_owned();
    let env = |keys: Option<&str>| {
        let path = path.clone();
        let keys = keys.map(str::to_string);
        move |name: &str| match name {
            "AWS_SHARED_CREDENTIALS_FILE" => Some(path.clone()),
            "AWS_ACCESS_KEY_ID" => keys.clone(),
            _ => None,
        }
    };
    let p1 = label_with(Some("p1"), &env(None));
    // An explicit profile wins over keys in the environment.
    assert_eq!(label_with(Some("p1"), &env(Some("AKIAOTHER"))), p1);
    assert_eq!(label_with(None, &env(Some("AKIAOTHER"))), "keys:AKIAOTHER");
    assert_ne!(label_with(Some("p2"), &env(None)), p1);
    // Another user's file swapped in under the same name: another label.
    let other = dir.path().join("credentials.bob");
    std::fs::write(&other, "[p1]\naws_access_key_id = AKIA2\n").unwrap();
    std::fs::rename(&other, &credentials).unwrap();
    assert_ne!(label_with(Some("p1"), &env(None)), p1);
}

#[test]
fn uses_are_recorded_by_the_flow() {
    let s = setup();
    s.switcher.record_use("A");
    s.switcher.record_use("A");
    let usage = crate::state::UsageState::load(&s.switcher.usage);
    assert_eq!(usage.usage("A").count, 2);
}

#[test]
fn session_names_are_made_valid() {
    assert_eq!(sanitize_session_name("alice"), "alice");
    assert_eq!(sanitize_session_name("al ice/x"), "al-ice-x");
    assert_eq!(sanitize_session_name(&"a".repeat(80)).len(), 64);
    assert!(sanitize_session_name("").len() >= 2);
}

#[test]
fn mfa_codes_must_be_six_digits() {
    assert_eq!(check_mfa_code(" 123456\n").unwrap(), "123456");
    assert!(check_mfa_code("12345").is_err());
    assert!(check_mfa_code("12345a").is_err());
}
