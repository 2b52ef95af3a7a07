//! `export aesr` read by the extension's own parser: aesr-config (the npm package AWS Extend
//! Switch Roles parses its configuration with, run with node) gets every exported role with
//! its account, role name, colour (hex without `#`) and region. Skipped where node or npm
//! is missing, or the package cannot be installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::TestEnv;

/// The pinned parser's command, installed under `target/` on first use.
fn aesr_parser() -> Option<PathBuf> {
    let prefix = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-node");
    let bin = prefix.join("node_modules/.bin/parse-aesr-config");
    if bin.exists() {
        return Some(bin);
    }
    let installed = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .arg("aesr-config@0.6.0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed && bin.exists() {
        Some(bin)
    } else {
        eprintln!("SKIPPED: npm could not install aesr-config (node/npm missing or offline)");
        None
    }
}

#[test]
fn the_extensions_own_parser_reads_the_export() {
    let env = TestEnv::new("http://127.0.0.1:9");
    env.write_config("[defaults]\nregion = \"eu-west-1\"\n");
    env.add_role(
        "Acme prod",
        "012345678901",
        "ops/Admin",
        &["--color", "red", "--region", "us-east-2"],
    );
    env.add_role(
        "profile tricky",
        "111122223333",
        "Admin",
        &["--color", "#00FF7F"],
    );
    env.add_role("東京 dev", "222233334444", "Dev+RW@x", &[]);
    let exported = env.ok(&["export", "aesr"]);
    let Some(parser) = aesr_parser() else { return };
    let mut child = Command::new(parser)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(exported.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!({
            "singles": [
                {"name": "Acme prod", "aws_account_id": "012345678901", "role_name": "ops/Admin",
                 "color": "f2b0a9", "region": "us-east-2"},
                {"name": "profile tricky", "aws_account_id": "111122223333", "role_name": "Admin",
                 "color": "00ff7f", "region": "eu-west-1"},
                {"name": "東京 dev", "aws_account_id": "222233334444", "role_name": "Dev+RW@x",
                 "region": "eu-west-1"},
            ],
            "complexes": []
        })
    );
}
