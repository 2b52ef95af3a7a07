//! The in-place switch of SPEC 4b in real shells (bash, zsh, fish; dash for `sh`), against
//! moto: `eval "$(switchrole init SHELL)"`, `sr A`, `switchrole whoami` in the same shell,
//! `sr B`, `sr -`, `sr --off`; hostile display names never run as code; the assets source
//! cleanly; `switchrole prompt`; `shell` runs other shells (and `prompt = false`) as before.
#![cfg(unix)]

mod common;
#[path = "common/shells.rs"]
mod shells;

use std::path::Path;

use common::{Moto, TestEnv};

/// A name every shell and prompt must take as text: quotes, `$(...)`, backticks, `%`, `!`.
const HOSTILE: &str = r#"Q '$(touch pwned1)' `touch pwned2` "x" %n !! \e ${HOME}"#;

fn env_with_roles(config_extra: &str) -> TestEnv {
    let mut env = TestEnv::with_moto(Moto::shared());
    let (key, secret) = (common::BASE_KEY_ID, common::BASE_SECRET);
    env.use_credentials_file(key, secret);
    let hostile = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    env.write_config(&format!(
        "{config_extra}\n[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n\
         color = \"red\"\n\n[[roles]]\nname = \"B\"\naccount_id = \"444455556666\"\n\
         role_name = \"Ops\"\nregion = \"eu-west-1\"\n\n[[roles]]\nname = \"{hostile}\"\n\
         account_id = \"777788889999\"\nrole_name = \"Admin\"\n"
    ));
    env
}

/// Runs `script` in `shell`; asserts success; returns stdout.
fn run(env: &TestEnv, shell: &Path, script: &str) -> String {
    let out = shells::script_command(env, shell, script)
        .current_dir(env.home())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} failed ({:?}):\nstdout: {stdout}\nstderr: {}",
        shell.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The lines of `env` output after `marker` naming a session or credential variable.
fn session_vars(output: &str, marker: &str) -> Vec<String> {
    output
        .split(marker)
        .nth(1)
        .unwrap_or("")
        .lines()
        .filter(|l| l.starts_with("SWITCHROLE") || l.starts_with("AWS_ACCESS_KEY_ID="))
        .filter(|l| !l.starts_with("SWITCHROLE_SHELL_INIT="))
        .map(str::to_string)
        .collect()
}

fn init_line(shell: &str) -> String {
    if shell == "fish" {
        "switchrole init fish | source".to_string()
    } else {
        format!("eval \"$(switchrole init {shell})\"")
    }
}

fn switch_round_trip(shell_name: &str) {
    let Some(shell) = shells::installed(shell_name) else {
        return;
    };
    let env = env_with_roles("");
    let fail = if shell_name == "fish" {
        "; or exit"
    } else {
        " || exit"
    };
    let script = format!(
        "{init}\n\
         sr A{fail} 10\n\
         switchrole whoami{fail} 11\n\
         sr B{fail} 12\n\
         echo \"now=<$SWITCHROLE> region=<$AWS_REGION>\"\n\
         switchrole whoami{fail} 13\n\
         sr -{fail} 14\n\
         echo \"back=<$SWITCHROLE> region=<$AWS_REGION> color=<$SWITCHROLE_COLOR>\"\n\
         sr --off{fail} 15\n\
         echo OFFMARK\n\
         env\n",
        init = init_line(shell_name)
    );
    let out = run(&env, &shell, &script);
    assert!(
        out.contains("arn:aws:sts::111122223333:assumed-role/Admin/"),
        "{out}"
    );
    assert!(out.contains("switchrole: A (expires "), "{out}");
    assert!(
        out.contains("arn:aws:sts::444455556666:assumed-role/Ops/"),
        "{out}"
    );
    assert!(out.contains("now=<B> region=<eu-west-1>"), "{out}");
    // Back to A: B's region is gone (the test's own AWS_REGION again), A's colour is back.
    assert!(out.contains("back=<A> region=<us-east-1> color=<"), "{out}");
    assert!(!out.contains("color=<>"), "{out}");
    assert_eq!(session_vars(&out, "OFFMARK"), Vec::<String>::new(), "{out}");
    assert!(out.contains("\nAWS_REGION=us-east-1\n"), "{out}");
}

#[test]
fn bash_switches_in_place_and_back() {
    switch_round_trip("bash");
}

#[test]
fn zsh_switches_in_place_and_back() {
    switch_round_trip("zsh");
}

#[test]
fn fish_switches_in_place_and_back() {
    switch_round_trip("fish");
}

/// With base keys in the environment (not a file), `sr B` after `sr A` still starts from
/// them, and `--off` gives them back.
#[test]
fn base_keys_in_the_environment_come_back() {
    let Some(bash) = shells::installed("bash") else {
        return;
    };
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(
        "[[roles]]\nname = \"A\"\naccount_id = \"111122223333\"\nrole_name = \"Admin\"\n\n\
         [[roles]]\nname = \"B\"\naccount_id = \"444455556666\"\nrole_name = \"Ops\"\n",
    );
    let out = run(
        &env,
        &bash,
        "eval \"$(switchrole init bash)\"\nsr A || exit 10\nsr B || exit 11\n\
         switchrole whoami || exit 12\nsr --off\necho \"key=<$AWS_ACCESS_KEY_ID>\"\n\
         switchrole whoami\n",
    );
    assert!(
        out.contains("arn:aws:sts::444455556666:assumed-role/Ops/"),
        "{out}"
    );
    assert!(
        out.contains(&format!("key=<{}>", common::BASE_KEY_ID)),
        "{out}"
    );
    assert!(out.contains("arn:aws:sts::123456789012:user/moto"), "{out}");
}

fn hostile_name_is_text(shell_name: &str) {
    let Some(shell) = shells::installed(shell_name) else {
        return;
    };
    let env = env_with_roles("");
    let quoted = if shell_name == "fish" {
        format!("'{}'", HOSTILE.replace('\\', "\\\\").replace('\'', "\\'"))
    } else {
        format!("'{}'", HOSTILE.replace('\'', r"'\''"))
    };
    let script = format!(
        "{init}\nsr {quoted} || exit 10\nprintf 'name=<%s>\\n' \"$SWITCHROLE\"\nsr A\nsr -\n\
         printf 'again=<%s>\\n' \"$SWITCHROLE\"\nsr --off\n",
        init = init_line(shell_name)
    );
    let out = run(&env, &shell, &script);
    assert!(out.contains(&format!("name=<{HOSTILE}>")), "{out}");
    assert!(out.contains(&format!("again=<{HOSTILE}>")), "{out}");
    for file in ["pwned1", "pwned2"] {
        assert!(!env.home().join(file).exists(), "{file} was created");
    }
}

#[test]
fn hostile_names_are_text_in_bash() {
    hostile_name_is_text("bash");
}

#[test]
fn hostile_names_are_text_in_zsh() {
    hostile_name_is_text("zsh");
}

#[test]
fn hostile_names_are_text_in_fish() {
    hostile_name_is_text("fish");
}

/// `sr -` with no previous role, an unknown role, and `--cmd`.
#[test]
fn errors_change_nothing_and_cmd_names_the_function() {
    let Some(bash) = shells::installed("bash") else {
        return;
    };
    let env = env_with_roles("");
    let out = run(
        &env,
        &bash,
        "eval \"$(switchrole init bash --cmd assume)\"\n\
         if type sr >/dev/null 2>&1; then echo has-sr; fi\n\
         assume - 2>/dev/null && echo bad-dash\n\
         assume A || exit 10\n\
         assume Nope 2>/dev/null && echo bad-unknown\n\
         echo \"still=<$SWITCHROLE>\"\n",
    );
    assert!(!out.contains("has-sr"), "{out}");
    assert!(!out.contains("bad-"), "{out}");
    assert!(out.contains("still=<A>"), "{out}");
    let err = env.run(&["init", "bash", "--cmd", "x;rm -rf /"]);
    assert_eq!(err.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&err.stderr).contains("cannot name a shell function"),
        "{err:?}"
    );
}

/// dash as `sh`: the `env --format sh` change evaluates there too (what `sr` evaluates),
/// hostile name included.
#[test]
fn dash_evaluates_the_sh_change() {
    let Some(dash) = shells::installed("dash") else {
        return;
    };
    let env = env_with_roles("");
    let quoted = format!("'{}'", HOSTILE.replace('\'', r"'\''"));
    let out = run(
        &env,
        &dash,
        &format!(
            "eval \"$(switchrole env {quoted})\" || exit 10\nprintf 'name=<%s>\\n' \"$SWITCHROLE\"\n\
             switchrole whoami\n"
        ),
    );
    assert!(out.contains(&format!("name=<{HOSTILE}>")), "{out}");
    assert!(
        out.contains("arn:aws:sts::777788889999:assumed-role/Admin/"),
        "{out}"
    );
}

/// `switchrole prompt`: nothing outside a session, `NAME 42m` inside, the colour in ansi.
#[test]
fn prompt_segment_from_the_environment() {
    let env = TestEnv::new("http://127.0.0.1:9");
    assert_eq!(env.ok(&["prompt"]), "");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expires = (now + 42 * 60 + 30).to_string();
    let mut cmd = env.switchrole(&["prompt"]);
    cmd.env("SWITCHROLE", "Acme\x1b]2;x\x07")
        .env("SWITCHROLE_EXPIRES", &expires);
    let out = String::from_utf8(cmd.output().unwrap().stdout).unwrap();
    assert_eq!(out, "Acme?]2;x? 42m\n");
    for (colorterm, no_color, want) in [
        ("truecolor", None, "\x1b[1;38;2;242;176;169mA\x1b[0m 42m\n"),
        ("", None, "\x1b[1;38;5;217mA\x1b[0m 42m\n"),
        ("truecolor", Some("1"), "A 42m\n"),
    ] {
        let mut cmd = env.switchrole(&["prompt", "--format", "ansi"]);
        cmd.env("SWITCHROLE", "A")
            .env("SWITCHROLE_EXPIRES", &expires)
            .env("SWITCHROLE_COLOR", "#f2b0a9")
            .env("COLORTERM", colorterm);
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = String::from_utf8(cmd.output().unwrap().stdout).unwrap();
        assert_eq!(out, want, "COLORTERM={colorterm} NO_COLOR={no_color:?}");
    }
    // Through clap too (the same answer), and a bad format is a usage error.
    let out = env.run(&["prompt", "--format", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Each asset sources cleanly in its shell and shows the name.
#[test]
fn assets_source_and_show_the_name() {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let env = TestEnv::new("http://127.0.0.1:9");
    for (shell_name, file, show) in [
        (
            "bash",
            "prompt.bash",
            "PS1='${SWITCHROLE_SEGMENT}$ '; source \"$0\"; _sr_asset_hook; printf '%s\\n' \"${PS1@P}\"",
        ),
        (
            "zsh",
            "prompt.zsh",
            "source \"$0\"; _sr_asset_precmd; print -r -- \"$SWITCHROLE_SEGMENT\"",
        ),
        (
            "fish",
            "prompt.fish",
            "source $argv[1]; switchrole_prompt; echo",
        ),
    ] {
        let Some(shell) = shells::installed(shell_name) else {
            continue;
        };
        let path = assets.join(file);
        let mut cmd = shells::script_command(&env, &shell, show);
        // The asset's path as $0 (bash, zsh) or $argv[1] (fish).
        cmd.arg(&path);
        cmd.env("SWITCHROLE", "Acme `x` $(y)").env(
            "SWITCHROLE_EXPIRES",
            (std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                + 630)
                .to_string(),
        );
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{file}: {out:?}"
        );
        assert!(
            stdout.contains("[Acme `x` $(y) 10m] "),
            "{file}: {stdout:?}"
        );
    }
    let starship = std::fs::read_to_string(assets.join("starship.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&starship).unwrap();
    let custom = &doc["custom"]["switchrole"];
    assert_eq!(
        doc["env_var"]["SWITCHROLE"]["variable"].as_str(),
        Some("SWITCHROLE")
    );
    // What starship would run: `when` in sh, then `command`.
    let sh = |script: &str, name: Option<&str>| {
        let mut cmd = env.command_for("sh");
        cmd.args(["-c", script])
            .env("PATH", shells::path_with(None));
        if let Some(name) = name {
            cmd.env("SWITCHROLE", name);
        }
        cmd.output().unwrap()
    };
    let when = custom["when"].as_str().unwrap();
    assert!(sh(when, Some("Acme")).status.success());
    assert!(!sh(when, None).status.success());
    let out = sh(custom["command"].as_str().unwrap(), Some("Acme"));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Acme\n");
}

/// `[defaults] prompt` is a flag: true or false, nothing else.
#[test]
fn defaults_prompt_is_true_or_false() {
    let env = TestEnv::new("http://127.0.0.1:9");
    for good in ["true", "false"] {
        env.write_config(&format!("[defaults]\nprompt = {good}\n"));
        env.ok(&["list"]);
    }
    env.write_config("[defaults]\nprompt = \"no\"\n");
    let err = env.fails(&["list"]);
    assert!(
        err.contains("prompt") && err.contains("must be true or false"),
        "{err}"
    );
}

/// bash's prompt as bash expands it (`${PS1@P}`), with `promptvars` on and off: the name
/// is text either way (a backslash included).
#[test]
fn bash_prompt_expansion_keeps_the_name_text() {
    let Some(bash) = shells::installed("bash") else {
        return;
    };
    let env = env_with_roles("");
    let quoted = format!("'{}'", HOSTILE.replace('\'', r"'\''"));
    for option in ["-s", "-u"] {
        let out = run(
            &env,
            &bash,
            &format!(
                "shopt {option} promptvars\nPS1='P> '\neval \"$(switchrole init bash)\"\n\
                 sr {quoted} || exit 10\n_sr_hook\nprintf 'prompt=<%s>\\n' \"${{PS1@P}}\"\n"
            ),
        );
        let shown = format!("prompt=<[{HOSTILE}] P> \u{1b}]2;{HOSTILE}\u{7}>");
        assert!(out.contains(&shown), "promptvars {option}: {out:?}");
        for file in ["pwned1", "pwned2"] {
            assert!(!env.home().join(file).exists(), "{file} was created");
        }
    }
}
