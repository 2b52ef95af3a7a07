//! `switchrole policy`: the trust and permission policies of the setup, parsed as JSON and
//! compared field by field; the principal from GetCallerIdentity of the base credentials
//! (a local moto STS) or `--principal`; `--all`; the aws-cn partition.

mod common;

use common::{Moto, TestEnv};
use serde_json::{Value, json};

/// moto's base identity, as the trust policy must name it (the IAM form of its user ARN).
const MOTO_USER: &str = "arn:aws:iam::123456789012:user/moto";

/// The two documents of the text output, each after its `# ` heading.
fn text_documents(output: &str) -> Vec<(String, Value)> {
    let mut docs = Vec::new();
    let mut heading: Option<String> = None;
    let mut body = String::new();
    for line in output.lines().chain(std::iter::once("# end")) {
        if let Some(next) = line.strip_prefix("# ") {
            if let Some(h) = heading.take() {
                let value: Value = serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("not JSON after {h:?}: {e}\n{body}"));
                docs.push((h, value));
            }
            heading = Some(next.to_string());
            body.clear();
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    docs
}

fn statements(policy: &Value) -> &Vec<Value> {
    assert_eq!(policy["Version"], "2012-10-17", "{policy}");
    policy["Statement"].as_array().expect("Statement is a list")
}

#[test]
fn plain_role_trusts_the_base_user() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("Client A (prod)", "111122223333", "ops/Admin", &[]);
    let out = env.ok(&["policy", "Client A (prod)"]);
    let docs = text_documents(&out);
    assert_eq!(docs.len(), 2, "{out}");
    let (trust_heading, trust) = &docs[0];
    assert!(
        trust_heading
            .starts_with("Trust policy of the role Admin in the client account 111122223333"),
        "{trust_heading}"
    );
    let trust_statements = statements(trust);
    assert_eq!(trust_statements.len(), 1);
    let statement = &trust_statements[0];
    assert_eq!(statement["Effect"], "Allow");
    assert_eq!(statement["Principal"], json!({"AWS": MOTO_USER}));
    assert_eq!(statement["Action"], "sts:AssumeRole");
    assert!(statement.get("Condition").is_none(), "{statement}");
    assert_eq!(statement.as_object().unwrap().len(), 3, "{statement}");

    let (permission_heading, permission) = &docs[1];
    assert!(
        permission_heading.contains(&format!("the user {MOTO_USER}")),
        "{permission_heading}"
    );
    let permission_statements = statements(permission);
    assert_eq!(
        permission_statements,
        &vec![json!({
            "Sid": "ClientAprod",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::111122223333:role/ops/Admin",
        })]
    );
    // AWS's key order, for people who paste it into the console.
    let version = out.find("\"Version\"").unwrap();
    let statement_key = out.find("\"Statement\"").unwrap();
    assert!(version < statement_key, "{out}");
}

#[test]
fn external_id_and_mfa_add_conditions() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role(
        "Ext",
        "111122223333",
        "Auditor",
        &["--external-id", "client-ext-42"],
    );
    env.add_role(
        "Both",
        "111122223333",
        "Admin",
        &[
            "--external-id",
            "ext:7",
            "--mfa-serial",
            "arn:aws:iam::123456789012:mfa/moto",
        ],
    );

    let ext: Value = serde_json::from_str(&env.ok(&["policy", "Ext", "--json"])).unwrap();
    assert_eq!(ext["Principal"], MOTO_USER);
    let trust = &statements(&ext["TrustPolicy"])[0];
    assert_eq!(
        trust["Condition"],
        json!({"StringEquals": {"sts:ExternalId": "client-ext-42"}})
    );
    assert_eq!(trust["Principal"]["AWS"], MOTO_USER);
    let permission = statements(&ext["PermissionPolicy"]);
    assert_eq!(permission.len(), 1);
    assert_eq!(permission[0]["Sid"], "Ext");
    assert_eq!(
        permission[0]["Resource"],
        "arn:aws:iam::111122223333:role/Auditor"
    );
    assert!(permission[0].get("Condition").is_none());

    let both: Value = serde_json::from_str(&env.ok(&["policy", "Both", "--json"])).unwrap();
    assert_eq!(
        statements(&both["TrustPolicy"])[0]["Condition"],
        json!({
            "StringEquals": {"sts:ExternalId": "ext:7"},
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
        })
    );
}

#[test]
fn mfa_from_the_defaults_applies_too() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(common::MFA_FROM_DEFAULTS);
    let doc: Value = serde_json::from_str(&env.ok(&["policy", "M", "--json"])).unwrap();
    assert_eq!(
        statements(&doc["TrustPolicy"])[0]["Condition"],
        json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    );
}

#[test]
fn all_gives_one_statement_per_role() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("Acme Prod", "111111111111", "Admin", &[]);
    env.add_role("Acme-Prod", "222222222222", "path/ReadOnly", &[]);
    env.add_role("Globex", "333333333333", "Ops", &["--external-id", "x-1"]);

    // No name: only the permission policy, and no call to STS.
    let mut offline = TestEnv::new("http://127.0.0.1:9");
    offline.unset("AWS_ACCESS_KEY_ID");
    std::fs::create_dir_all(offline.config_path().parent().unwrap()).unwrap();
    std::fs::copy(env.config_path(), offline.config_path()).unwrap();
    let doc: Value = serde_json::from_str(&offline.ok(&["policy", "--all", "--json"])).unwrap();
    assert!(doc.get("TrustPolicy").is_none(), "{doc}");
    assert_eq!(
        statements(&doc["PermissionPolicy"]),
        &vec![
            json!({"Sid": "AcmeProd", "Effect": "Allow", "Action": "sts:AssumeRole",
                   "Resource": "arn:aws:iam::111111111111:role/Admin"}),
            json!({"Sid": "AcmeProd2", "Effect": "Allow", "Action": "sts:AssumeRole",
                   "Resource": "arn:aws:iam::222222222222:role/path/ReadOnly"}),
            json!({"Sid": "Globex", "Effect": "Allow", "Action": "sts:AssumeRole",
                   "Resource": "arn:aws:iam::333333333333:role/Ops"}),
        ]
    );

    // With a name: that role's trust policy, and every role in the permission policy.
    let out = env.ok(&["policy", "Globex", "--all"]);
    let docs = text_documents(&out);
    assert_eq!(docs.len(), 2, "{out}");
    assert_eq!(
        statements(&docs[0].1)[0]["Condition"],
        json!({"StringEquals": {"sts:ExternalId": "x-1"}})
    );
    assert!(
        docs[1].0.contains("all 3 remembered roles"),
        "{}",
        docs[1].0
    );
    assert_eq!(statements(&docs[1].1).len(), 3);
}

#[test]
fn aws_cn_partition() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config(
        r#"
[defaults]
partition = "aws-cn"
region = "cn-north-1"

[[roles]]
name = "Beijing"
account_id = "444455556666"
role_name = "Admin"
"#,
    );
    let out = env.ok(&[
        "policy",
        "Beijing",
        "--principal",
        "arn:aws-cn:iam::123456789012:user/li",
        "--json",
    ]);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        statements(&doc["TrustPolicy"])[0]["Principal"]["AWS"],
        "arn:aws-cn:iam::123456789012:user/li"
    );
    assert_eq!(
        statements(&doc["PermissionPolicy"])[0]["Resource"],
        "arn:aws-cn:iam::444455556666:role/Admin"
    );
    // An account ID as principal is that account's root, in the configured partition.
    let doc: Value = serde_json::from_str(&env.ok(&[
        "policy",
        "Beijing",
        "--principal",
        "123456789012",
        "--json",
    ]))
    .unwrap();
    assert_eq!(doc["Principal"], "arn:aws-cn:iam::123456789012:root");
    // The caller from (moto's) STS is in the aws partition: said on stderr.
    let run = env.run(&["policy", "Beijing"]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("partition aws but the role in aws-cn"),
        "{stderr}"
    );
}

#[test]
fn an_assumed_role_caller_is_named_as_its_role() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("Hub", "123456789012", "HubRole", &[]);
    env.add_role("Spoke", "999988887777", "SpokeRole", &[]);
    let bin = env!("CARGO_BIN_EXE_switchrole");
    // Inside Hub's session, but without switchrole's marker: the caller is Hub's session.
    let out = env
        .switchrole(&[
            "exec",
            "Hub",
            "--",
            "env",
            "-u",
            "SWITCHROLE",
            bin,
            "policy",
            "Spoke",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["Principal"], "arn:aws:iam::123456789012:role/HubRole");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a session of the role HubRole"), "{stderr}");
}

#[test]
fn bad_principals_and_missing_credentials_are_explained() {
    let mut env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", "111122223333", "Admin", &[]);
    let err = env.fails(&["policy", "A", "--principal", "alice"]);
    assert!(err.contains("\"alice\" is not a principal"), "{err}");
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let err = env.fails(&["policy", "A"]);
    assert!(err.contains("no base AWS credentials found"), "{err}");
    assert!(err.contains("--principal ARN"), "{err}");
    // --principal needs no credentials at all.
    let doc: Value =
        serde_json::from_str(&env.ok(&["policy", "A", "--principal", MOTO_USER, "--json"]))
            .unwrap();
    assert_eq!(doc["Principal"], MOTO_USER);
    let err = env.fails(&["policy", "Missing"]);
    assert!(err.contains("no role \"Missing\""), "{err}");
}
