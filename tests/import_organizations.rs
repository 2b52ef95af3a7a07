//! `import organizations` against moto's Organizations API: an Organization with more
//! accounts than one ListAccounts page (20), one of them closed; every page is read, only
//! ACTIVE member accounts become roles, named after the account. Idempotence, dry runs,
//! `--role`, `--profile`, and an account that is in no Organization.

mod common;

use common::{Moto, TestEnv};

/// Member accounts created (plus the management account moto lists too).
const MEMBERS: usize = 25;

/// Runs `script` with `org` (a boto3 Organizations client against `moto`) in scope.
fn organizations_script(moto: &Moto, script: &str) -> String {
    moto.boto3_script((common::BASE_KEY_ID, common::BASE_SECRET), script)
}

/// An Organization of [`MEMBERS`] accounts ("Client 00" ...), "Client 07" closed. Returns the
/// management account's ID and the member accounts `(id, name)`.
fn organization(moto: &Moto) -> (String, Vec<(String, String)>) {
    let out = organizations_script(
        moto,
        &format!(
            "o = org.create_organization(FeatureSet='ALL')['Organization']\n\
             print(o['MasterAccountId'])\n\
             for i in range({MEMBERS}):\n\
             \x20   s = org.create_account(Email=f'c{{i}}@example.com', AccountName=f'Client {{i:02}}')['CreateAccountStatus']\n\
             \x20   print(s['AccountId'], s['AccountName'], sep='\\t')\n\
             \x20   if i == 7:\n\
             \x20       org.close_account(AccountId=s['AccountId'])\n"
        ),
    );
    let mut lines = out.lines();
    let management = lines.next().unwrap().to_string();
    let members = lines
        .map(|l| {
            let (id, name) = l.split_once('\t').unwrap();
            (id.to_string(), name.to_string())
        })
        .collect();
    (management, members)
}

fn env_for(moto: &Moto) -> TestEnv {
    let mut env = TestEnv::with_moto(moto);
    env.set("AWS_ENDPOINT_URL", &moto.endpoint());
    env
}

fn roles(env: &TestEnv) -> Vec<serde_json::Value> {
    serde_json::from_str(&env.ok(&["list", "--json"])).unwrap()
}

#[test]
fn every_active_member_account_on_every_page_becomes_a_role() {
    let moto = Moto::start();
    let (management, members) = organization(&moto);
    let env = env_for(&moto);
    env.write_config("# my roles\n");
    let dry = env.ok(&["import", "organizations", "--dry-run"]);
    assert!(
        dry.contains(&format!("{} would be added", MEMBERS - 1)),
        "{dry}"
    );
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        "# my roles\n"
    );

    let out = env.ok(&["import", "organizations"]);
    assert!(
        out.contains(&format!(
            "{} added, 0 already there, 0 conflicting, 0 bad",
            MEMBERS - 1
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("left out: account {management}")),
        "{out}"
    );
    assert!(
        out.contains("\"Client 07\": not active (SUSPENDED)"),
        "{out}"
    );
    let roles = roles(&env);
    let mut expected: Vec<(String, String)> = members
        .iter()
        .filter(|(_, name)| name != "Client 07")
        .cloned()
        .collect();
    let mut got: Vec<(String, String)> = roles
        .iter()
        .map(|r| {
            (
                r["account_id"].as_str().unwrap().to_string(),
                r["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "every page was read, each account once");
    assert!(
        roles
            .iter()
            .all(|r| r["role_name"] == "OrganizationAccountAccessRole")
    );
    assert!(
        std::fs::read_to_string(env.config_path())
            .unwrap()
            .starts_with("# my roles\n")
    );

    let before = std::fs::read(env.config_path()).unwrap();
    let again = env.ok(&["import", "organizations"]);
    assert!(
        again.contains(&format!("0 added, {} already there", MEMBERS - 1)),
        "{again}"
    );
    assert_eq!(
        std::fs::read(env.config_path()).unwrap(),
        before,
        "idempotent: not rewritten"
    );

    // Another role is another role: in the management account too (it is added); the
    // member accounts' names are taken, so each conflicts and none is overwritten.
    let other = env.run(&["import", "organizations", "--role", "ReadOnly"]);
    let stdout = String::from_utf8_lossy(&other.stdout);
    assert_eq!(other.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "1 added, 0 already there, {} conflicting",
            MEMBERS - 1
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "added: \"master\" (arn:aws:iam::{management}:role/ReadOnly)"
        )),
        "{stdout}"
    );
    let roles = self::roles(&env);
    let client = roles.iter().find(|r| r["name"] == "Client 00").unwrap();
    assert_eq!(client["role_name"], "OrganizationAccountAccessRole");
}

#[test]
fn a_named_profile_lists_and_becomes_the_source_profile() {
    let moto = Moto::start();
    organization(&moto);
    let mut env = env_for(&moto);
    env.unset("AWS_ACCESS_KEY_ID");
    env.unset("AWS_SECRET_ACCESS_KEY");
    let aws = env.home().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    std::fs::write(
        aws.join("credentials"),
        format!(
            "[mgmt]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            common::BASE_KEY_ID,
            common::BASE_SECRET
        ),
    )
    .unwrap();
    let out = env.ok(&[
        "import",
        "organizations",
        "--profile",
        "mgmt",
        "--role",
        "Ops",
    ]);
    assert!(
        out.contains(&format!("{} added", MEMBERS)),
        "with --role the management account too: {out}"
    );
    let roles = roles(&env);
    assert!(
        roles
            .iter()
            .all(|r| r["source_profile"] == "mgmt" && r["role_name"] == "Ops"),
        "{roles:?}"
    );
}

#[test]
fn an_account_in_no_organization_is_told_so() {
    let moto = Moto::start();
    let env = env_for(&moto);
    let err = env.fails(&["import", "organizations"]);
    assert!(err.contains("is not in an AWS Organization"), "{err}");
    assert!(!err.contains("STS"), "{err}");
    assert!(!env.config_path().exists());
}
