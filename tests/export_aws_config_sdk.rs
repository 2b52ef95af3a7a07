//! The Rust SDK (aws-config's ProfileFileCredentialsProvider, which runs a
//! `credential_process` through `sh -c` and parses the file with the SDKs' rules, inline
//! comments after ` #` / ` ;` included) gets the assumed identity through profiles written
//! by `export aws-config`, for plain names and for names with quotes, `#`, `;` and `$`.
//! One test alone in this binary: it puts a `switchrole` on the test process's own PATH.

mod common;

use common::{Moto, TestEnv};

const ACCOUNT: &str = "111122223333";

/// A `switchrole` on PATH that runs the binary under test in `env`'s environment (the SDK
/// starts the process with the test process's own environment).
fn switchrole_wrapper(env: &TestEnv) -> std::path::PathBuf {
    let bin = env.home().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let home = env.home().display().to_string();
    let script = format!(
        "#!/bin/sh\nexec env -i PATH=\"$PATH\" HOME={home} XDG_CONFIG_HOME={home}/config \
         XDG_CACHE_HOME={home}/cache XDG_STATE_HOME={home}/state XDG_DATA_HOME={home}/data \
         AWS_CONFIG_FILE={home}/.aws/config AWS_SHARED_CREDENTIALS_FILE={home}/.aws/credentials \
         AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ENDPOINT_URL_STS={endpoint} \
         AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret} {bin} \"$@\"\n",
        endpoint = env.endpoint,
        key = common::BASE_KEY_ID,
        secret = common::BASE_SECRET,
        bin = env!("CARGO_BIN_EXE_switchrole"),
    );
    let path = bin.join("switchrole");
    std::fs::write(&path, script).unwrap();
    std::process::Command::new("chmod")
        .arg("755")
        .arg(&path)
        .status()
        .unwrap();
    bin
}

#[test]
fn the_aws_sdk_gets_the_assumed_identity_through_exported_profiles() {
    let moto = Moto::shared();
    let mut env = TestEnv::with_moto(moto);
    let names = ["Acme prod", "it's #1 ; $HOME `x` \"q\""];
    for (i, name) in names.iter().enumerate() {
        env.add_role(name, ACCOUNT, &format!("Role{i}"), &[]);
    }
    let bin = switchrole_wrapper(&env);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    env.set("PATH", &path);
    let listed = env.ok(&["export", "aws-config"]);
    // SAFETY: the only test of this binary; no other thread reads the environment now.
    unsafe { std::env::set_var("PATH", &path) };
    let config = env.home().join(".aws/config");
    for (i, name) in names.iter().enumerate() {
        let profile = listed
            .lines()
            .find(|l| l.ends_with(&format!("-> \"{name}\"")))
            .and_then(|l| l.strip_prefix("[profile "))
            .and_then(|l| l.split(']').next())
            .unwrap_or_else(|| panic!("{name} not exported: {listed}"))
            .to_string();
        let arn = common::caller_arn_through_profile(&moto.endpoint(), &config, &profile);
        assert!(
            arn.starts_with(&format!("arn:aws:sts::{ACCOUNT}:assumed-role/Role{i}/")),
            "{name} ({profile}): {arn}\n{}",
            std::fs::read_to_string(&config).unwrap()
        );
    }
}
