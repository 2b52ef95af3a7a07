//! `switchrole doctor [NAME]` against a local moto STS: a passing run, a run without base
//! credentials, a real AccessDenied (IAM enforcement on), a broken config; each line checked.

mod common;

use std::process::Output;

use common::{Moto, TestEnv};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The line of `output` that starts with `prefix`, or a panic showing the output.
fn line<'a>(output: &'a str, prefix: &str) -> &'a str {
    output
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in:\n{output}"))
}

/// The check names, in the order printed.
fn checks(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|l| l.starts_with("✓ ") || l.starts_with("✗ ") || l.starts_with("- "))
        .map(|l| {
            l[l.find(' ').unwrap() + 1..]
                .split(':')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_healthy_setup_passes_every_check() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("Client A", "111122223333", "Admin", &[]);
    let out = env.run(&["doctor", "Client A"]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        checks(&text),
        [
            "config",
            "role",
            "base credentials",
            "base identity",
            "MFA",
            "cached session for Client A",
            "assume role arn",
            "clock",
        ]
    );
    let config_path = env.config_path();
    assert_eq!(
        line(&text, "✓ config"),
        format!("✓ config: {} (1 role)", config_path.display())
    );
    assert_eq!(
        line(&text, "✓ role"),
        "✓ role: Client A = arn:aws:iam::111122223333:role/Admin"
    );
    assert_eq!(
        line(&text, "✓ base credentials"),
        "✓ base credentials: from environment variables (AWS_ACCESS_KEY_ID), key AKIA…MPLE"
    );
    assert_eq!(
        line(&text, "✓ base identity"),
        "✓ base identity: arn:aws:sts::123456789012:user/moto (account 123456789012)"
    );
    assert_eq!(line(&text, "✓ MFA"), "✓ MFA: not required (no mfa_serial)");
    assert_eq!(
        line(&text, "✓ cached session"),
        "✓ cached session for Client A: none; the next switch calls STS"
    );
    let assume = line(&text, "✓ assume role");
    assert!(
        assume.starts_with(
            "✓ assume role arn:aws:iam::111122223333:role/Admin: ok, new credentials 59m"
        ),
        "{assume}"
    );
    let clock = line(&text, "✓ clock");
    assert!(
        clock == "✓ clock: in step with STS" || clock.contains("not checked"),
        "{clock}"
    );
    assert!(text.ends_with("\nAll checks passed.\n"), "{text}");

    // The AssumeRole attempt filled the cache: the next run sees it.
    let text = stdout(&env.run(&["doctor", "Client A"]));
    let cached = line(&text, "✓ cached session");
    assert!(
        cached.starts_with("✓ cached session for Client A: valid, 59m"),
        "{cached}"
    );
}

#[test]
fn without_a_name_only_the_base_is_checked() {
    let env = TestEnv::with_moto(Moto::shared());
    let out = env.run(&["doctor"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(
        checks(&text),
        [
            "config",
            "base credentials",
            "base identity",
            "MFA",
            "clock"
        ]
    );
    assert!(line(&text, "✓ config").contains("no file yet at"), "{text}");
}

#[test]
fn mfa_session_state_is_reported() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(common::MFA_FROM_DEFAULTS);
    // No code and no terminal: the MFA state is fine, the AssumeRole attempt says what to do.
    let out = env.run(&["doctor", "M"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        line(&text, "✓ MFA session"),
        "✓ MFA session for arn:aws:iam::123456789012:mfa/moto: none; the next switch asks for a code"
    );
    assert!(
        line(&text, "✗ assume role").contains("pass --mfa-code CODE"),
        "{text}"
    );
    // With a code: the MFA session is opened, and reported as valid next time.
    let out = env.run(&["doctor", "M", "--mfa-code", "123456"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&env.run(&["doctor", "M"]));
    assert!(
        line(&text, "✓ MFA session").contains(": valid, 11h59m"),
        "{text}"
    );
}

#[test]
fn no_base_credentials_is_a_cross_and_skips_what_needs_them() {
    let mut env = TestEnv::with_moto(Moto::shared());
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    env.add_role("A", "111122223333", "Admin", &[]);
    let out = env.run(&["doctor", "A"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let creds = line(&text, "✗ base credentials");
    assert!(creds.contains("no base AWS credentials found"), "{creds}");
    assert!(creds.contains("run `aws configure`"), "{creds}");
    assert_eq!(
        line(&text, "- base identity"),
        "- base identity: skipped (no base credentials)"
    );
    assert_eq!(
        line(&text, "- assume role"),
        "- assume role arn:aws:iam::111122223333:role/Admin: skipped (no base identity)"
    );
    assert!(text.ends_with("\n1 problem found.\n"), "{text}");
}

#[test]
fn a_broken_config_and_an_unknown_role_are_crosses() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config("[[roles]]\nname = \"A\"\naccount_id = 12\n");
    let out = env.run(&["doctor", "A"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let config = line(&text, "✗ config");
    assert!(config.contains("config.toml:"), "{config}");
    assert!(line(&text, "  fix:").contains("correct the file"), "{text}");
    assert_eq!(
        line(&text, "- role"),
        "- role: skipped (the config did not load)"
    );
    // The base is still checked.
    assert!(
        line(&text, "✓ base identity").contains("user/moto"),
        "{text}"
    );

    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("Acme Prod", "111122223333", "Admin", &[]);
    let text = stdout(&env.run(&["doctor", "Acme Prd"]));
    assert!(
        line(&text, "✗ role").contains("did you mean: Acme Prod"),
        "{text}"
    );
}

#[test]
fn access_denied_is_translated() {
    let moto = Moto::start();
    let (key_id, secret) = moto.create_user("alice");
    moto.create_role(
        "TrustsSomeoneElse",
        "arn:aws:iam::123456789012:user/mallory",
        None,
    );
    moto.enforce_iam();

    let mut env = TestEnv::with_moto(&moto);
    env.use_credentials_file(&key_id, &secret);
    env.add_role("Nope", "123456789012", "TrustsSomeoneElse", &[]);
    let out = env.run(&["doctor", "Nope"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert_eq!(
        line(&text, "✓ base credentials"),
        format!(
            "✓ base credentials: from the shared credentials/config files (~/.aws), key {}…{}",
            &key_id[..4],
            &key_id[key_id.len() - 4..]
        )
    );
    assert!(
        line(&text, "✓ base identity").contains(":user/alice"),
        "{text}"
    );
    let denied = line(
        &text,
        "✗ assume role arn:aws:iam::123456789012:role/TrustsSomeoneElse",
    );
    assert!(denied.contains("access denied"), "{denied}");
    assert!(
        denied.contains("trust policy may not name your user"),
        "{denied}"
    );
    assert!(denied.contains("switchrole policy Nope"), "{denied}");
    assert!(text.ends_with("\n1 problem found.\n"), "{text}");
    assert!(!text.contains(&secret), "secret printed: {text}");

    // A wrong secret: the identity check says so, and the AssumeRole is skipped.
    env.use_credentials_file(&key_id, "not-the-secret");
    let text = stdout(&env.run(&["doctor", "Nope"]));
    assert!(
        line(&text, "✗ base identity").contains("secret access key is wrong"),
        "{text}"
    );
    assert!(line(&text, "- assume role").contains("skipped"), "{text}");
}
