//! `setup template` and `setup new` (SPEC 7): the CloudFormation template deployed for real
//! in moto's CloudFormation (the stack completes, the role exists with that trust policy),
//! the remembered role's random ExternalId and its name from `role_name_pattern`, and the
//! template's ExternalId equal to the remembered one.

mod common;

use std::collections::HashSet;

use common::{Moto, TestEnv};
use serde_json::Value;

/// moto's own account: CloudFormation creates the role there.
const ACCOUNT: &str = "123456789012";
const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

/// Runs a Python snippet with `cfn` and `iam` clients of `moto` in scope.
fn python(moto: &Moto, script: &str) -> String {
    moto.boto3_script((common::BASE_KEY_ID, common::BASE_SECRET), script)
}

/// The role remembered as `name` in the config file, as TOML.
fn remembered(env: &TestEnv, name: &str) -> toml::Value {
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    config["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("{name} not in {text}"))
        .clone()
}

fn properties(template: &Value) -> &Value {
    &template["Resources"]["SwitchRole"]["Properties"]
}

#[test]
fn the_template_deploys_in_cloudformation() {
    let moto = Moto::shared();
    let env = TestEnv::with_moto(moto);
    env.write_config(
        "[defaults]\nmfa_serial = \"arn:aws:iam::111122223333:mfa/alice\"\n\n\
         [[roles]]\nname = \"Acme prod\"\naccount_id = \"123456789012\"\n\
         role_name = \"clients/Acme-access-alice\"\nexternal_id = \"acme-7f3c\"\nduration = \"2h\"\n",
    );
    let out = env.run(&[
        "setup",
        "template",
        "Acme prod",
        "--principal",
        ALICE,
        "--managed-policy",
        "arn:aws:iam::aws:policy/PowerUserAccess",
    ]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let hint = String::from_utf8(out.stderr).unwrap();
    assert!(
        hint.contains(
            "aws cloudformation deploy --template-file acme-prod-role-template.json \
             --stack-name switchrole-acme-prod --capabilities CAPABILITY_NAMED_IAM"
        ),
        "{hint}"
    );
    let template: Value = serde_json::from_str(&text).unwrap();
    let trust = &properties(&template)["AssumeRolePolicyDocument"];
    assert_eq!(trust["Statement"][0]["Principal"]["AWS"], ALICE);
    assert_eq!(
        trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
        "acme-7f3c"
    );
    assert_eq!(
        trust["Statement"][0]["Condition"]["Bool"]["aws:MultiFactorAuthPresent"],
        "true"
    );
    assert_eq!(
        properties(&template)["ManagedPolicyArns"][0],
        "arn:aws:iam::aws:policy/PowerUserAccess"
    );
    // The trust policy is the one `policy` prints, key for key.
    let policy: Value =
        serde_json::from_str(&env.ok(&["policy", "Acme prod", "--principal", ALICE, "--json"]))
            .unwrap();
    assert_eq!(&policy["TrustPolicy"], trust);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme-prod-role-template.json");
    std::fs::write(&file, &text).unwrap();
    let deployed: Value = serde_json::from_str(&python(
        moto,
        &format!(
            "cfn.create_stack(StackName='switchrole-acme-prod', TemplateBody=open({:?}).read(), Capabilities=['CAPABILITY_NAMED_IAM'])\n\
             stack = cfn.describe_stacks(StackName='switchrole-acme-prod')['Stacks'][0]\n\
             role = iam.get_role(RoleName='Acme-access-alice')['Role']\n\
             print(json.dumps({{'status': stack['StackStatus'], 'outputs': {{o['OutputKey']: o['OutputValue'] for o in stack['Outputs']}},\n\
                 'path': role['Path'], 'trust': role['AssumeRolePolicyDocument'], 'max': role['MaxSessionDuration'],\n\
                 'description': role['Description']}}))\n",
            file.to_str().unwrap()
        ),
    ))
    .unwrap();
    assert_eq!(deployed["status"], "CREATE_COMPLETE");
    assert_eq!(&deployed["trust"], trust, "the role has that trust policy");
    assert_eq!(deployed["path"], "/clients/");
    assert_eq!(
        deployed["max"], 7200,
        "duration 2h is above IAM's default hour"
    );
    let description = deployed["description"].as_str().unwrap();
    assert!(
        description.contains("Asked for by alice on 20"),
        "{description}"
    );
    assert!(
        description.contains("with an ExternalId and MFA"),
        "{description}"
    );
    // The output is the ARN switchrole assumes.
    let list: Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(deployed["outputs"]["RoleArn"], list[0]["role_arn"]);
    assert_eq!(
        deployed["outputs"]["RoleArn"],
        format!("arn:aws:iam::{ACCOUNT}:role/clients/Acme-access-alice")
    );
}

#[test]
fn bad_managed_policies_and_unknown_roles_are_refused() {
    let env = TestEnv::with_moto(Moto::shared());
    env.add_role("A", ACCOUNT, "Admin", &[]);
    let err = env.fails(&[
        "setup",
        "template",
        "A",
        "--principal",
        ALICE,
        "--managed-policy",
        "ReadOnlyAccess",
    ]);
    assert!(err.contains("--managed-policy is invalid"), "{err}");
    assert!(
        err.contains("arn:aws:iam::aws:policy/ReadOnlyAccess"),
        "{err}"
    );
    let err = env.fails(&["setup", "template", "Nope", "--principal", ALICE]);
    assert!(err.contains("Nope"), "{err}");
}

#[test]
fn setup_new_remembers_a_fresh_external_id_the_template_asks_for() {
    let env = TestEnv::with_moto(Moto::shared());
    let mut ids = HashSet::new();
    for n in 0..8 {
        let name = format!("Client {n}");
        let template: Value = serde_json::from_str(&env.ok(&[
            "setup",
            "new",
            &name,
            "--account",
            "210987654321",
            "--color",
            "green",
        ]))
        .unwrap();
        let role = remembered(&env, &name);
        let id = role["external_id"].as_str().unwrap().to_string();
        assert!(id.len() >= 16, "{id}");
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id}");
        let trust = &properties(&template)["AssumeRolePolicyDocument"];
        assert_eq!(
            trust["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
            id.as_str(),
            "the template asks for the ExternalId remembered"
        );
        // moto's base keys are user "moto": the default pattern's {me}.
        assert_eq!(
            trust["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::123456789012:user/moto"
        );
        assert_eq!(
            role["role_name"].as_str(),
            Some(&*format!("Client-{n}-access-moto"))
        );
        assert_eq!(role["color"].as_str(), Some("green"));
        ids.insert(id);
    }
    assert_eq!(ids.len(), 8, "every ExternalId is new: {ids:?}");
    // A taken name changes nothing.
    let before = std::fs::read_to_string(env.config_path()).unwrap();
    let err = env.fails(&["setup", "new", "Client 1", "--account", "210987654321"]);
    assert!(err.contains("remembered already"), "{err}");
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), before);
}

#[test]
fn the_role_name_pattern_is_expanded_and_sanitised() {
    let env = TestEnv::with_moto(Moto::shared());
    env.write_config("[defaults]\nrole_name_pattern = \"clients/{client}.{me}-{account}\"\n");
    env.ok(&[
        "setup",
        "new",
        "Café (prod) / eu #1",
        "--account",
        "210987654321",
        "--region",
        "eu-west-1",
        "--principal",
        ALICE,
    ]);
    let role = remembered(&env, "Café (prod) / eu #1");
    assert_eq!(
        role["role_name"].as_str(),
        Some("clients/Caf-prod-eu-1.moto-123456789012")
    );
    assert_eq!(role["region"].as_str(), Some("eu-west-1"));
    // A long name is cut to IAM's 64 characters.
    let long = "x".repeat(60);
    env.ok(&["setup", "new", &long, "--account", "210987654321"]);
    let name = remembered(&env, &long)["role_name"]
        .as_str()
        .unwrap()
        .to_string();
    let leaf = name.rsplit('/').next().unwrap();
    assert_eq!(leaf.len(), 64, "{name}");
    // Nothing to name a role after: refused, nothing remembered.
    let err = env.fails(&["setup", "new", "日本", "--account", "210987654321"]);
    assert!(err.contains("no letters or digits"), "{err}");
    // A pattern the loader refuses, with the file's line and column.
    env.write_config("[defaults]\nrole_name_pattern = \"{me}-only\"\n");
    let err = env.fails(&["setup", "new", "X", "--account", "210987654321"]);
    assert!(err.contains("config.toml:2:"), "{err}");
    assert!(err.contains("must contain {client}"), "{err}");
    env.write_config("[defaults]\nrole_name_pattern = \"{client}-{boss}\"\n");
    let err = env.fails(&["list"]);
    assert!(err.contains("unknown placeholder \"{boss}\""), "{err}");
}
