//! `import aesr` on the AWS Extend Switch Roles configurations its README documents (the
//! simple one and the complex one with base accounts), and `export aesr` read back by
//! `import aesr` to the same roles.

mod common;

use common::TestEnv;

fn env() -> TestEnv {
    TestEnv::new("http://127.0.0.1:9")
}

/// The README's "Simple Configuration".
const SIMPLE: &str = "\
[profile marketingadmin]
role_arn = arn:aws:iam::123456789012:role/marketingadmin
color = ffaaee

[anotheraccount]
aws_account_id = 987654321987
role_name = anotherrole
region=ap-northeast-1

[athirdaccount]
aws_account_id = 987654321988
role_name = athirdrole
image = \"https://aesr.dev/img/150\"
";

/// The README's "Complex Configuration".
const COMPLEX: &str = "\
[organization1]
aws_account_id = 000011112222
aws_account_alias = your-account-alias ; If your account is aliased

[Org1-Account1-Role1]
role_arn = arn:aws:iam::123456789012:role/Role1
source_profile = organization1

[Org1-Account1-Role2]
aws_account_id = 123456789012
role_name = Role2
source_profile = organization1

[Org1-Account2-Role1]
aws_account_id = 210987654321
role_name = Role1
source_profile = organization1

[baseaccount2]
aws_account_id = 000000000000

[Base2-Role1]
role_arn = arn:aws:iam::234567890123:role/Role1
source_profile = baseaccount2

[AnotherRole]
role_name = SomeOtherRole
aws_account_id = account-3-alias

;
; target_role_name example
;
[Org2-BaseAccount]
aws_account_id = 222200000000
target_role_name = Developer

[Org2-Account1-Developer]
aws_account_id = 222200001111
source_profile = Org2-BaseAccount

[Org2-Account2-Manager]
aws_account_id = 222200002222
role_name = Manager ; overrides target role name
source_profile = Org2-BaseAccount

;
; base account with role_name example
;
[Org3-BaseAccount1]
aws_account_id = 333300000000
role_name = Entry-Role-1 ; Role for Federated Login, or User to login

[Org3-BaseAccount2]
aws_account_id = 333300000000
aws_account_alias = mycompany
role_name = custom_permission-set ; DO NOT set AWSReservedSSO_custom_permission-set_0123456890abcdef

[Org3-Account1-Role1]
aws_account_id = 333300001111
role_name = Role1
source_profile = Org3-BaseAccount1

[Org2-Account2-Role2]
aws_account_id = 222200002222
role_name = Role2
source_profile = Org3-BaseAccount2
";

/// `(name, account, role, colour, region)` of every remembered role.
fn roles(env: &TestEnv) -> Vec<(String, String, String, String, String)> {
    let list: Vec<serde_json::Value> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    list.iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().unwrap_or_default().to_string();
            (
                text("name"),
                text("account_id"),
                text("role_name"),
                text("color"),
                text("region"),
            )
        })
        .collect()
}

fn row(
    name: &str,
    account: &str,
    role: &str,
    color: &str,
    region: &str,
) -> (String, String, String, String, String) {
    (
        name.into(),
        account.into(),
        role.into(),
        color.into(),
        region.into(),
    )
}

#[test]
fn the_readme_examples_are_imported() {
    let env = env();
    let file = env.home().join("aesr.ini");
    std::fs::write(&file, format!("{SIMPLE}\n{COMPLEX}")).unwrap();
    let out = env.run(&["import", "aesr", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "one bad entry: exit 1\n{stdout}"
    );
    assert_eq!(
        roles(&env),
        [
            row(
                "marketingadmin",
                "123456789012",
                "marketingadmin",
                "#ffaaee",
                ""
            ),
            row(
                "anotheraccount",
                "987654321987",
                "anotherrole",
                "",
                "ap-northeast-1"
            ),
            row("athirdaccount", "987654321988", "athirdrole", "", ""),
            row("Org1-Account1-Role1", "123456789012", "Role1", "", ""),
            row("Org1-Account1-Role2", "123456789012", "Role2", "", ""),
            row("Org1-Account2-Role1", "210987654321", "Role1", "", ""),
            row("Base2-Role1", "234567890123", "Role1", "", ""),
            row(
                "Org2-Account1-Developer",
                "222200001111",
                "Developer",
                "",
                ""
            ),
            row("Org2-Account2-Manager", "222200002222", "Manager", "", ""),
            row("Org3-Account1-Role1", "333300001111", "Role1", "", ""),
            row("Org2-Account2-Role2", "222200002222", "Role2", "", ""),
        ],
        "{stdout}"
    );
    // An account alias is not an account ID: reported with the section's line.
    assert!(
        stdout.contains("bad: line 40, \"AnotherRole\": `aws_account_id` \"account-3-alias\" is not a 12-digit account ID"),
        "{stdout}"
    );
    for base in [
        "organization1",
        "baseaccount2",
        "Org2-BaseAccount",
        "Org3-BaseAccount1",
        "Org3-BaseAccount2",
    ] {
        assert!(
            stdout.contains(&format!("\"{base}\": a base account")),
            "{base}: {stdout}"
        );
    }
    assert!(
        stdout.contains("11 added, 0 already there, 0 conflicting, 1 bad"),
        "{stdout}"
    );
    let again = env.run(&["import", "aesr", file.to_str().unwrap(), "--dry-run"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 would be added, 11 already there"));
}

#[test]
fn a_broken_section_spoils_only_itself() {
    let env = env();
    let file = env.home().join("aesr.ini");
    std::fs::write(
        &file,
        "[good]\naws_account_id = 111122223333\nrole_name = Admin\n\
         [both]\nrole_arn = arn:aws:iam::111122223333:role/A\nrole_name = B\n\
         [twice]\naws_account_id = 111122223333\naws_account_id = 444455556666\n\
         [orphan]\naws_account_id = 111122223333\nrole_name = C\nsource_profile = nowhere\n\
         [no-role]\naws_account_id = 111122223333\n",
    )
    .unwrap();
    let out = env.run(&["import", "aesr", file.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("bad: line 4, \"both\": has both `role_arn` and"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad: line 9, \"twice\": sets `aws_account_id` twice"),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad: line 10, \"orphan\": `source_profile` names \"nowhere\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("bad: line 14, \"no-role\": names no role"),
        "{stdout}"
    );
    assert_eq!(roles(&env), [row("good", "111122223333", "Admin", "", "")]);
}

#[test]
fn export_aesr_is_read_back_by_import_aesr_to_the_same_roles() {
    let env = env();
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
    env.add_role("No #1", "333344445555", "Admin", &[]);
    let out = env.run(&["export", "aesr"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[profile Acme prod]\naws_account_id = 012345678901\nrole_name = ops/Admin\ncolor = f2b0a9\nregion = us-east-2\n"), "{text}");
    assert!(
        text.contains("color = 00ff7f\n"),
        "hex without #, lower case: {text}"
    );
    assert!(
        !text.contains('#') || text.lines().all(|l| !l.contains('#') || l.starts_with(';')),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"No #1\" left out"), "{stderr}");
    let file = env.home().join("exported.ini");
    std::fs::write(&file, &text).unwrap();
    let fresh = TestEnv::new("http://127.0.0.1:9");
    fresh.ok(&["import", "aesr", file.to_str().unwrap()]);
    assert_eq!(
        roles(&fresh),
        [
            row(
                "Acme prod",
                "012345678901",
                "ops/Admin",
                "#f2b0a9",
                "us-east-2"
            ),
            row(
                "profile tricky",
                "111122223333",
                "Admin",
                "#00ff7f",
                "eu-west-1"
            ),
            row("東京 dev", "222233334444", "Dev+RW@x", "", "eu-west-1"),
        ]
    );
    // Read back into the config it came from: every role is there already.
    let back = env.ok(&["import", "aesr", file.to_str().unwrap()]);
    assert!(back.contains("0 added, 3 already there"), "{back}");
}

#[test]
fn two_imports_at_once_lose_nothing() {
    let env = env();
    env.write_config("# shared by two importers\n");
    let files: Vec<std::path::PathBuf> = (0..2)
        .map(|n| {
            let text: String = (0..40)
                .map(|i| {
                    format!(
                        "[Team {n} role {i}]\naws_account_id = {:012}\nrole_name = Admin\n",
                        n * 100 + i
                    )
                })
                .collect();
            let file = env.home().join(format!("team{n}.ini"));
            std::fs::write(&file, text).unwrap();
            file
        })
        .collect();
    let children: Vec<_> = files
        .iter()
        .map(|file| {
            env.switchrole(&["import", "aesr", file.to_str().unwrap()])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("40 added"));
    }
    assert_eq!(
        roles(&env).len(),
        80,
        "each import re-read the file under the lock"
    );
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(text.starts_with("# shared by two importers\n"), "{text}");
}
