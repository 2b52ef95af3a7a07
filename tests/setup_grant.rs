//! `setup grant` against moto's IAM with enforcement on (SPEC 7): the whole onboarding of a
//! client end to end (the template deployed in moto's CloudFormation, AccessDenied before
//! the grant, the switch after it), the size rules (inline, managed with its versions, the
//! `--pattern` proposal), `--dry-run`, and the plain-words errors. Each test owns one IAM
//! user of the one enforcing server, so the tests do not see each other's policies.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Instant;

use common::{Moto, TestEnv};
use serde_json::{Value, json};

const ACCOUNT: &str = "123456789012";
const BIN: &str = env!("CARGO_BIN_EXE_switchrole");

struct Server {
    moto: Moto,
    /// user name -> (access key ID, secret)
    keys: HashMap<&'static str, (String, String)>,
}

/// The IAM users: who may call IAM on themselves, and who may call nothing.
const SELF_SERVICE: [&str; 5] = ["alice", "bob", "carol", "dan", "frank"];
const NO_IAM: &str = "erin";

/// A policy letting a user run `setup grant`: the actions its error names. On `*`: moto
/// checks IAM actions against the resource `*` only (a policy naming the user's ARN is
/// refused there), where real IAM takes the user's and its managed policy's ARNs.
fn self_service_policy() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["iam:ListUserPolicies", "iam:GetUserPolicy",
                "iam:PutUserPolicy", "iam:DeleteUserPolicy", "iam:AttachUserPolicy",
                "iam:DetachUserPolicy", "iam:GetPolicy", "iam:GetPolicyVersion",
                "iam:ListPolicyVersions", "iam:CreatePolicy", "iam:CreatePolicyVersion",
                "iam:DeletePolicyVersion", "iam:DeletePolicy"],
             "Resource": "*"},
        ]
    })
    .to_string()
}

/// One enforcing server for this file: an administrator (for the set-up scripts) and the
/// users, none allowed sts:AssumeRole yet.
fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let moto = Moto::start();
        let mut keys = HashMap::new();
        for user in SELF_SERVICE.into_iter().chain([NO_IAM, "admin"]) {
            let policy = match user {
                "admin" => r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#.to_string(),
                NO_IAM => r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}"#.to_string(),
                _ => self_service_policy(),
            };
            let out = moto.iam_script(&format!(
                "iam.create_user(UserName='{user}')\n\
                 key = iam.create_access_key(UserName='{user}')['AccessKey']\n\
                 iam.put_user_policy(UserName='{user}', PolicyName='own', PolicyDocument={policy:?})\n\
                 print(key['AccessKeyId']); print(key['SecretAccessKey'])\n"
            ));
            let mut lines = out.lines().map(str::to_string);
            keys.insert(user, (lines.next().unwrap(), lines.next().unwrap()));
        }
        moto.enforce_iam();
        Server { moto, keys }
    })
}

impl Server {
    /// Runs a Python snippet as the administrator, with `iam`, `cfn` and `sts` clients and
    /// `json` in scope; returns what it printed.
    fn admin(&self, script: &str) -> String {
        let (key, secret) = &self.keys["admin"];
        self.moto.boto3_script((key, secret), script)
    }

    /// A role trusting `user`.
    fn create_role(&self, name: &str, user: &str) {
        self.admin(&format!(
            "iam.create_role(RoleName='{name}', AssumeRolePolicyDocument=json.dumps({{'Version': '2012-10-17', \
             'Statement': [{{'Effect': 'Allow', 'Principal': {{'AWS': 'arn:aws:iam::{ACCOUNT}:user/{user}'}}, \
             'Action': 'sts:AssumeRole'}}]}}))\n"
        ));
    }

    /// Everything IAM holds on `user`'s permissions: inline policies (name -> document),
    /// attached policy ARNs, and each attached policy's versions (id, default, document).
    fn state_of(&self, user: &str) -> Value {
        let out = self.admin(&format!(
            "inline = {{n: iam.get_user_policy(UserName='{user}', PolicyName=n)['PolicyDocument'] \
                       for n in iam.list_user_policies(UserName='{user}')['PolicyNames']}}\n\
             attached = [p['PolicyArn'] for p in iam.list_attached_user_policies(UserName='{user}')['AttachedPolicies']]\n\
             versions = {{}}\n\
             for arn in attached:\n\
             \x20   versions[arn] = [[v['VersionId'], v['IsDefaultVersion'], iam.get_policy_version(PolicyArn=arn, VersionId=v['VersionId'])['PolicyVersion']['Document']] \
                                  for v in iam.list_policy_versions(PolicyArn=arn)['Versions']]\n\
             print(json.dumps({{'inline': inline, 'attached': attached, 'versions': versions}}, sort_keys=True))\n"
        ));
        serde_json::from_str(&out).unwrap()
    }

    /// An environment whose base credentials are `user`'s, IAM and STS on the server.
    fn env_of(&self, user: &str) -> TestEnv {
        let mut env = TestEnv::with_moto(&self.moto);
        let (key, secret) = &self.keys[user];
        env.use_credentials_file(key, secret);
        env.set("AWS_ENDPOINT_URL_IAM", &self.moto.endpoint());
        env
    }
}

/// A config of `n` roles named `client{i}-access-{user}` in the server's account.
fn many_roles(env: &TestEnv, user: &str, n: usize) {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "[[roles]]\nname = \"Client {i}\"\naccount_id = \"{ACCOUNT}\"\nrole_name = \"client{i}-access-{user}\"\n\n"
        ));
    }
    env.write_config(&text);
}

/// The role ARNs a policy document allows.
fn resources(document: &Value) -> Vec<String> {
    let statements = document["Statement"].as_array().expect("statements");
    assert_eq!(statements.len(), 1, "one compact statement: {document}");
    match &statements[0]["Resource"] {
        Value::String(one) => vec![one.clone()],
        Value::Array(list) => list
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect(),
        other => panic!("no resource: {other}"),
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_client_is_onboarded_end_to_end() {
    let server = server();
    let env = server.env_of("alice");
    // Step 1: the role, remembered, and its template deployed in the client account.
    let template = env.ok(&["setup", "new", "Client", "--account", ACCOUNT]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("client-role-template.json");
    std::fs::write(&file, &template).unwrap();
    let status = server.admin(&format!(
        "cfn.create_stack(StackName='switchrole-client', TemplateBody=open({:?}).read(), Capabilities=['CAPABILITY_NAMED_IAM'])\n\
         print(cfn.describe_stacks(StackName='switchrole-client')['Stacks'][0]['StackStatus'])\n",
        file.to_str().unwrap()
    ));
    assert_eq!(status.trim(), "CREATE_COMPLETE");
    // Before the grant alice may not assume it.
    let err = env.fails(&["exec", "Client", "--", "true"]);
    assert!(err.contains("access denied"), "{err}");
    assert!(
        err.contains("not authorized to perform: sts:AssumeRole"),
        "{err}"
    );
    // Step 2: the grant; then the switch works.
    let out = env.ok(&["setup", "grant", "Client"]);
    assert!(
        out.contains("in the inline policy switchrole-assume-roles"),
        "{out}"
    );
    let whoami = env.ok(&["exec", "Client", "--", BIN, "whoami"]);
    assert!(
        whoami.starts_with(&format!(
            "arn:aws:sts::{ACCOUNT}:assumed-role/Client-access-alice/alice\n"
        )),
        "{whoami}"
    );
    // Granting again replaces the policy: still one, with the ARN once.
    env.ok(&["setup", "grant", "Client"]);
    env.ok(&["setup", "grant", "--all"]);
    let state = server.state_of("alice");
    let inline = state["inline"].as_object().unwrap();
    assert_eq!(
        inline.keys().collect::<Vec<_>>(),
        ["own", "switchrole-assume-roles"]
    );
    assert_eq!(
        resources(&inline["switchrole-assume-roles"]),
        [format!("arn:aws:iam::{ACCOUNT}:role/Client-access-alice")]
    );
    assert_eq!(state["attached"], json!([]));
}

#[test]
fn sixty_roles_move_to_a_managed_policy_with_versions_pruned() {
    let server = server();
    let env = server.env_of("bob");
    many_roles(&env, "bob", 60);
    server.create_role("client7-access-bob", "bob");
    // A first grant of a few roles goes inline, then all sixty do not fit beside "own".
    env.ok(&["setup", "grant", "Client 1", "Client 2"]);
    assert!(server.state_of("bob")["inline"]["switchrole-assume-roles"].is_object());
    let out = env.ok(&["setup", "grant", "--all"]);
    assert!(out.contains("customer managed policy"), "{out}");
    assert!(out.contains("moved there"), "{out}");
    let state = server.state_of("bob");
    let policy_arn = format!("arn:aws:iam::{ACCOUNT}:policy/switchrole-assume-roles-bob");
    assert_eq!(state["attached"], json!([policy_arn]));
    assert_eq!(
        state["inline"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["own"],
        "the inline policy moved"
    );
    let versions = state["versions"][&policy_arn].as_array().unwrap();
    assert_eq!(resources(&versions[0][2]).len(), 60);
    // moto evaluates the attached policy: bob may assume the one real role now.
    let whoami = env.ok(&["exec", "Client 7", "--", BIN, "whoami"]);
    assert!(
        whoami.contains(":assumed-role/client7-access-bob/"),
        "{whoami}"
    );
    // A new default version each run, never more than IAM's five.
    for _ in 0..6 {
        env.ok(&["setup", "grant", "--all"]);
    }
    let state = server.state_of("bob");
    let versions = state["versions"][&policy_arn].as_array().unwrap();
    assert_eq!(versions.len(), 5, "{versions:?}");
    let defaults: Vec<&Value> = versions.iter().filter(|v| v[1] == json!(true)).collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(resources(&defaults[0][2]).len(), 60);
}

#[test]
fn past_the_managed_limit_a_pattern_is_proposed_and_dry_run_changes_nothing() {
    let server = server();
    let env = server.env_of("carol");
    many_roles(&env, "carol", 500);
    env.ok(&["setup", "grant", "Client 1"]);
    let before = server.state_of("carol");
    let started = Instant::now();
    let err = env.fails(&["setup", "grant", "--all"]);
    let refused_in = started.elapsed();
    assert!(err.contains("the ARNs of 500 roles take"), "{err}");
    assert!(
        err.contains("`switchrole setup grant --pattern 'arn:aws:iam::*:role/*-access-carol'`"),
        "{err}"
    );
    assert_eq!(server.state_of("carol"), before, "nothing written");
    // --dry-run prints the document and the calls, and changes nothing.
    let out = env.ok(&["setup", "grant", "--dry-run", "Client 2", "Client 3"]);
    assert!(out.contains("\"sts:AssumeRole\""), "{out}");
    assert!(
        out.contains(&format!(
            "\"arn:aws:iam::{ACCOUNT}:role/client3-access-carol\""
        )),
        "{out}"
    );
    assert!(
        out.contains("iam:PutUserPolicy UserName=carol PolicyName=switchrole-assume-roles"),
        "{out}"
    );
    let err = env.fails(&["setup", "grant", "--dry-run", "--all"]);
    assert!(
        err.contains("--pattern"),
        "too large even for a dry run: {err}"
    );
    let started = Instant::now();
    let out = env.ok(&[
        "setup",
        "grant",
        "--dry-run",
        "--pattern",
        "arn:aws:iam::*:role/*-access-carol",
    ]);
    let dry_pattern_in = started.elapsed();
    assert!(
        out.contains("the roles matching arn:aws:iam::*:role/*-access-carol"),
        "{out}"
    );
    assert_eq!(server.state_of("carol"), before, "a dry run writes nothing");
    eprintln!(
        "500 roles against moto: `grant --all` refused in {refused_in:?}; `grant --pattern --dry-run` in {dry_pattern_in:?}"
    );
}

#[test]
fn a_pattern_is_one_resource_and_lets_the_matching_roles_be_assumed() {
    let server = server();
    let env = server.env_of("dan");
    many_roles(&env, "dan", 500);
    server.create_role("client3-access-dan", "dan");
    env.ok(&["setup", "grant", "Client 1"]);
    let pattern = "arn:aws:iam::*:role/*-access-dan";
    let started = Instant::now();
    let out = env.ok(&["setup", "grant", "--pattern", pattern]);
    let took = started.elapsed();
    assert!(
        out.contains("in the inline policy switchrole-assume-roles"),
        "{out}"
    );
    let state = server.state_of("dan");
    assert_eq!(
        resources(&state["inline"]["switchrole-assume-roles"]),
        [pattern]
    );
    assert_eq!(state["attached"], json!([]));
    let whoami = env.ok(&["exec", "Client 3", "--", BIN, "whoami"]);
    assert!(
        whoami.contains(":assumed-role/client3-access-dan/"),
        "{whoami}"
    );
    let err = env.fails(&["setup", "grant", "--pattern", "arn:aws:iam::*:user/*"]);
    assert!(err.contains("is not a role ARN pattern"), "{err}");
    eprintln!("500 roles against moto: `grant --pattern` in {took:?}");
}

#[test]
fn a_user_without_iam_permissions_is_told_the_actions_needed() {
    let server = server();
    let env = server.env_of(NO_IAM);
    env.add_role("X", ACCOUNT, "x-access-erin", &[]);
    let out = env.run(&["setup", "grant", "X"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("your IAM user erin may not call iam:ListUserPolicies"),
        "{err}"
    );
    for action in [
        "iam:PutUserPolicy",
        "iam:CreatePolicyVersion",
        "iam:AttachUserPolicy",
    ] {
        assert!(err.contains(action), "{action}: {err}");
    }
    assert!(err.contains("switchrole policy --all"), "{err}");
}

#[test]
fn an_assumed_role_is_told_who_should_grant() {
    let server = server();
    server.create_role("Ops", "frank");
    // frank's session of the role Ops, as the base credentials.
    server.admin(&format!(
        "iam.put_user_policy(UserName='frank', PolicyName='ops', PolicyDocument=json.dumps({{'Version': '2012-10-17', \
         'Statement': [{{'Effect': 'Allow', 'Action': 'sts:AssumeRole', 'Resource': 'arn:aws:iam::{ACCOUNT}:role/Ops'}}]}}))\n"
    ));
    let (key, secret) = &server.keys["frank"];
    let creds = server.admin(&format!(
        "s = boto3.client('sts', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='{key}', aws_secret_access_key='{secret}')\n\
         c = s.assume_role(RoleArn='arn:aws:iam::{ACCOUNT}:role/Ops', RoleSessionName='frank')['Credentials']\n\
         print(c['AccessKeyId']); print(c['SecretAccessKey']); print(c['SessionToken'])\n",
        server.moto.endpoint()
    ));
    let creds: Vec<&str> = creds.lines().collect();
    let mut env = server.env_of("frank");
    env.set("AWS_ACCESS_KEY_ID", creds[0]);
    env.set("AWS_SECRET_ACCESS_KEY", creds[1]);
    env.set("AWS_SESSION_TOKEN", creds[2]);
    std::fs::remove_file(env.home().join(".aws/credentials")).unwrap();
    env.add_role("X", ACCOUNT, "x-access-frank", &[]);
    let err = env.fails(&["setup", "grant", "X"]);
    assert!(err.contains("a session of the role Ops"), "{err}");
    assert!(err.contains("not an IAM user"), "{err}");
    assert!(
        err.contains("ask an administrator of account 123456789012"),
        "{err}"
    );
}
