//! End-to-end tests of the TUI on the real binary in a pseudo-terminal (expectrl), against
//! the local STS (moto): add a role through the form, filter to it, Enter runs `$SHELL` (a
//! script recording its environment and `stty -a`) with the assumed role's credentials in
//! cooked mode, the list comes back, Esc exits 0 and the terminal is as it was. Also: SIGTERM
//! and panics restore the terminal; Ctrl-Y saves a policy file; against a stub STS (issue 4),
//! a silent STS keeps the spinner turning until Esc cancels, and a rejected MFA code asks
//! again; Ctrl-O passes the role's name after `--`; a locked usage file never holds up a
//! switch. The harness is in `tui_harness/`; signals and closed terminals in `tui_signals.rs`.
#![cfg(unix)]

mod common;
mod tui_harness;

use std::time::{Duration, Instant};

use common::{Moto, Reply, StubSts, TestEnv};
use tui_harness::{Tui, assert_cooked, env_file, get, recording_shell};

#[test]
fn add_filter_switch_come_back_and_quit() {
    let moto = Moto::start();
    let mut env = TestEnv::with_moto(&moto);
    let shell = recording_shell(env.home());
    env.set("SHELL", shell.to_str().unwrap());
    env.set("AWS_PROFILE", "must-be-unset");

    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("No roles remembered yet");
    tui.wait_for("as arn:aws:sts::123456789012:user/moto");

    // Ctrl-A: the form; a pasted role ARN fills account and role name.
    tui.send("\x01");
    tui.wait_for("Add a role");
    tui.send("Test Client");
    tui.send("\t");
    tui.send("\x1b[200~arn:aws:iam::210987654321:role/team/Deployer\x1b[201~");
    tui.wait_for("team/Deployer");
    tui.send("\r");
    tui.wait_for("Added \"Test Client\"");
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(config.contains("account_id = \"210987654321\""), "{config}");
    assert!(config.contains("role_name = \"team/Deployer\""), "{config}");

    // A second role, so that the filter has something to do.
    tui.send("\x01");
    tui.wait_for("Add a role");
    tui.send("Other\t111111111111\tAdmin\r");
    tui.wait_for("Added \"Other\"");

    tui.send("deploy");
    tui.wait_for("1/2");
    tui.send("\r");
    tui.wait_for("Back from the shell of \"Test Client\" (exit code 0)");

    let vars = env_file(&env.home().join("shell-env.txt"));
    // Enter serves renewing credentials: no static keys in the shell, the server's instead.
    assert_eq!(get(&vars, "AWS_ACCESS_KEY_ID"), None);
    assert!(get(&vars, "AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some());
    let served = |name: &str| get(&vars, &format!("SERVED_{name}")).map(str::to_string);
    let key_id = served("AWS_ACCESS_KEY_ID").expect("the server's AWS_ACCESS_KEY_ID");
    assert!(key_id.starts_with("ASIA"), "assumed-role key, got {key_id}");
    assert_ne!(key_id, common::BASE_KEY_ID);
    assert_eq!(get(&vars, "SWITCHROLE"), Some("Test Client"));
    assert_eq!(get(&vars, "SWITCHROLE_ACCOUNT_ID"), Some("210987654321"));
    assert_eq!(
        get(&vars, "SWITCHROLE_ROLE_ARN"),
        Some("arn:aws:iam::210987654321:role/team/Deployer")
    );
    assert!(served("AWS_SESSION_TOKEN").is_some_and(|t| !t.is_empty()));
    assert!(served("AWS_CREDENTIAL_EXPIRATION").is_some());
    assert_eq!(get(&vars, "AWS_PROFILE"), None, "AWS_PROFILE is unset");
    assert_cooked(&std::fs::read_to_string(env.home().join("shell-stty.txt")).unwrap());

    // The recorded credentials are the assumed role's, as STS itself says.
    let mut whoami = env.switchrole(&["whoami"]);
    for name in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ] {
        whoami.env(name, served(name).unwrap());
    }
    let out = whoami.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("assumed-role/Deployer/"),
        "whoami: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The list is back where it was: the filter kept, the role selected and cached.
    tui.wait_for("> deploy");
    tui.wait_for("session cached");
    tui.send("\x1b");
    tui.wait_for("2 roles");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
}

/// Linux only: finds switchrole's pid through `/proc`.
#[cfg(target_os = "linux")]
#[test]
fn sigterm_restores_the_terminal() {
    let env = TestEnv::new("http://127.0.0.1:9");
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("No roles remembered yet");
    let pid = tui.pid_of_switchrole();
    // SAFETY: sending a signal to our own grandchild.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    assert_eq!(tui.exit_code(), 143);
    tui.assert_terminal_restored();
}

#[test]
fn a_panic_in_the_loop_restores_the_terminal_and_is_printed() {
    let env = TestEnv::new("http://127.0.0.1:9");
    let mut tui = Tui::start(&env, &[("SWITCHROLE_TUI_TEST_PANIC", "loop")]);
    assert_eq!(tui.exit_code(), 101);
    tui.assert_terminal_restored();
    let raw = String::from_utf8_lossy(&tui.raw);
    let message = raw
        .find("test panic in the TUI loop")
        .expect("panic printed");
    assert!(
        raw.rfind("\x1b[?1049l")
            .is_some_and(|restore| restore < message),
        "restored before the message"
    );
}

#[test]
fn a_panic_in_a_background_thread_restores_the_terminal() {
    let env = TestEnv::new("http://127.0.0.1:9");
    let mut tui = Tui::start(&env, &[("SWITCHROLE_TUI_TEST_PANIC", "thread")]);
    assert_eq!(tui.exit_code(), 101);
    tui.assert_terminal_restored();
    assert!(String::from_utf8_lossy(&tui.raw).contains("test panic in a background thread"));
}

#[test]
fn ctrl_y_shows_the_policies_and_t_saves_the_trust_policy() {
    let moto = Moto::shared();
    let env = TestEnv::with_moto(moto);
    env.add_role("Acme Prod", "111122223333", "ops/Admin", &[]);
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("as arn:aws:sts::123456789012:user/moto");
    tui.send("\x19");
    tui.wait_for("Trust policy of the role Admin");
    tui.wait_for("\"AWS\": \"arn:aws:iam::123456789012:user/moto\"");
    tui.send("t");
    tui.wait_for("Saved the trust policy");
    let path = env.home().join("acme-prod-trust-policy.json");
    let text = std::fs::read_to_string(&path).expect("the trust policy file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        json["Statement"][0]["Principal"]["AWS"],
        "arn:aws:iam::123456789012:user/moto"
    );
    assert_eq!(json["Statement"][0]["Action"], "sts:AssumeRole");
    // The status bar names the file; saving again never overwrites it.
    tui.wait_for("acme-prod-trust-policy.json");
    tui.send("t");
    tui.wait_for("acme-prod-trust-policy-2.json");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    tui.send("p");
    tui.wait_for("acme-prod-permission-policy.json");
    let permission: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.home().join("acme-prod-permission-policy.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        permission["Statement"][0]["Resource"],
        "arn:aws:iam::111122223333:role/ops/Admin"
    );
    // Esc closes the screen, a second Esc quits.
    tui.send("\x1b");
    tui.wait_for("1 role ");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
}

#[test]
fn ctrl_c_quits_with_zero() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config("[[roles]]\nname = \"A\"\naccount_id = \"123456789012\"\nrole_name = \"R\"\n");
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("1 role ");
    tui.send("\x03");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
}

/// GetCallerIdentity's answer, for the status bar's identity request (the TUI's first call).
fn caller_identity_ok() -> Reply {
    Reply::Http(
        200,
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
         <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/tester</Arn>\
         <UserId>AIDASTUB</UserId><Account>123456789012</Account></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>\
         </GetCallerIdentityResponse>"
            .into(),
    )
}

/// The STS actions the stub received, in order (`GetCallerIdentity`, `AssumeRole`, ...).
fn actions(stub: &StubSts) -> Vec<String> {
    stub.requests()
        .iter()
        .filter_map(|r| {
            let start = r.find("Action=")? + "Action=".len();
            let rest = &r[start..];
            Some(rest[..rest.find('&').unwrap_or(rest.len())].to_string())
        })
        .collect()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_silent_sts_keeps_the_spinner_turning_and_esc_cancels() {
    let stub = StubSts::start(vec![caller_identity_ok(), Reply::Hang]);
    let env = TestEnv::new(&stub.endpoint());
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &["--session-name", "tester"],
    );
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("as arn:aws:iam::123456789012:user/tester");
    tui.send("\r");
    tui.wait_for("Assuming \"Client\"… (Esc cancels)");
    wait_until("the AssumeRole request", || {
        actions(&stub) == ["GetCallerIdentity", "AssumeRole"]
    });

    // STS holds the connection; the loop still draws: the spinner turns.
    let mut frames = std::collections::BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while frames.len() < 3 && Instant::now() < deadline {
        tui.pump();
        if let Some(line) = tui.text().lines().find(|l| l.contains(" Assuming ")) {
            frames.insert(line.trim_start().chars().next().unwrap_or(' '));
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    assert!(frames.len() >= 3, "the spinner did not turn: {frames:?}");

    // Esc cancels at once (STS has not answered), and the TUI goes on.
    let pressed = Instant::now();
    tui.send("\x1b");
    tui.wait_for("Cancelled the switch to \"Client\"");
    assert!(pressed.elapsed() < Duration::from_secs(5));
    assert!(!tui.text().contains("Assuming"), "{}", tui.text());
    tui.send("cli");
    tui.wait_for("> cli");
    tui.wait_for("1/1");
    tui.send("\x1b");
    tui.wait_for("1 role ");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
    assert_eq!(actions(&stub), ["GetCallerIdentity", "AssumeRole"]);
}

#[test]
fn a_rejected_mfa_code_asks_again_and_the_next_one_switches() {
    const SERIAL: &str = "arn:aws:iam::123456789012:mfa/tester";
    let stub = StubSts::start(vec![
        caller_identity_ok(),
        common::aws_error(
            403,
            "AccessDenied",
            "MultiFactorAuthentication failed with invalid MFA one time pass code.",
        ),
        common::session_token_ok("ASIAMFASESSION"),
        common::assume_role_ok("ASIAFROMTHETUI"),
    ]);
    let mut env = TestEnv::new(&stub.endpoint());
    let shell = recording_shell(env.home());
    env.set("SHELL", shell.to_str().unwrap());
    env.add_role(
        "Client",
        "111122223333",
        "Admin",
        &["--mfa-serial", SERIAL, "--session-name", "tester"],
    );
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("as arn:aws:iam::123456789012:user/tester");
    tui.send("\r");
    tui.wait_for("\"Client\" needs a code from");
    tui.wait_for(SERIAL);

    // Not 6 digits: refused in the modal, before any request.
    tui.send("123");
    tui.wait_for("Code: •••___");
    tui.send("\r");
    tui.wait_for("an MFA code must be 6 digits");
    tui.send("x");
    tui.wait_for("an MFA code is 6 digits");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(actions(&stub), ["GetCallerIdentity"], "no STS call yet");

    // A rejected code: said so, and the modal asks again with an empty code.
    tui.send("\x7f\x7f\x7f");
    tui.wait_for("Code: ______");
    tui.send("111111");
    tui.send("\r");
    tui.wait_for("the MFA code was not accepted");
    tui.wait_for("Code: ______");
    tui.wait_for("\"Client\" needs a code from");
    assert_eq!(actions(&stub), ["GetCallerIdentity", "GetSessionToken"]);
    assert!(stub.requests()[1].contains("TokenCode=111111"));

    // The next code opens the MFA session, the role is assumed, the shell runs.
    tui.send("222222");
    tui.send("\r");
    tui.wait_for("Back from the shell of \"Client\" (exit code 0)");
    assert_eq!(
        actions(&stub),
        [
            "GetCallerIdentity",
            "GetSessionToken",
            "GetSessionToken",
            "AssumeRole"
        ]
    );
    assert!(stub.requests()[2].contains("TokenCode=222222"));
    let vars = env_file(&env.home().join("shell-env.txt"));
    assert_eq!(
        get(&vars, "SERVED_AWS_ACCESS_KEY_ID"),
        Some("ASIAFROMTHETUI")
    );
    assert_eq!(get(&vars, "SWITCHROLE"), Some("Client"));
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
}

#[test]
fn ctrl_o_passes_the_name_after_double_dash() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config(
        "[[roles]]\nname = \"-h\"\naccount_id = \"123456789012\"\nrole_name = \"R\"\n",
    );
    let mut tui = Tui::start(&env, &[]);
    // The identity's error first, so that it cannot replace the console's in the status bar.
    tui.wait_for("base identity unknown");
    tui.send("\x0f");
    tui.wait_for("Press Enter to return to switchrole");
    tui.send("\r");
    // `-h` was the role's name: the console command tried it (no STS here) and failed,
    // rather than printing its help and succeeding.
    tui.wait_for("failed (exit code");
    let raw = String::from_utf8_lossy(&tui.raw);
    assert!(!raw.contains("Usage:"), "help printed:\n{raw}");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
}

/// Someone else holds the usage file's lock: the switch does not wait for it, the shell runs
/// and the list comes back.
#[test]
fn a_locked_usage_file_never_holds_up_the_switch() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    let shell = recording_shell(env.home());
    env.set("SHELL", shell.to_str().unwrap());
    env.add_role("Client", "111122223333", "Admin", &[]);
    std::fs::create_dir_all(env.state_dir()).unwrap();
    let lock = std::fs::File::create(env.state_dir().join("usage.json.lock")).unwrap();
    lock.lock().unwrap();
    let mut tui = Tui::start(&env, &[]);
    tui.wait_for("1 role ");
    tui.send("\r");
    tui.wait_for("Back from the shell of \"Client\" (exit code 0)");
    tui.send("\x1b");
    assert_eq!(tui.exit_code(), 0);
    tui.assert_terminal_restored();
    drop(lock);
}
