//! The sorting of imported entries: validation, idempotence, conflicts.

use super::*;

fn draft(line: usize, name: &str, account: &str, role: &str) -> Draft {
    let mut draft = Draft::new(Origin::Line(line), name);
    draft.set("account_id", "aws_account_id", account);
    draft.set("role_name", "role_name", role);
    draft
}

fn config_with(roles: &[(&str, &str, &str)]) -> config::Config {
    config::Config {
        roles: roles
            .iter()
            .map(|(name, account, role)| Role {
                name: name.to_string(),
                account_id: account.to_string(),
                role_name: role.to_string(),
                ..Role::default()
            })
            .collect(),
        ..config::Config::default()
    }
}

#[test]
fn entries_are_added_already_there_or_conflicting() {
    let config = config_with(&[("Prod", "111111111111", "Admin")]);
    let parsed = Parsed {
        drafts: vec![
            draft(1, "Prod", "111111111111", "Admin"),
            draft(2, "Prod", "222222222222", "Admin"),
            draft(3, "Production", "111111111111", "Admin"),
            draft(4, "Dev", "333333333333", "Admin"),
            draft(5, "Dev again", "333333333333", "Admin"),
        ],
        ..Parsed::default()
    };
    let report = sort(&config, parsed, false);
    let verdicts: Vec<&Verdict> = report.entries.iter().map(|(_, _, v)| v).collect();
    assert_eq!(
        verdicts,
        [
            &Verdict::AlreadyThere {
                as_name: "Prod".into()
            },
            &Verdict::Conflict {
                existing: "111111111111/Admin".into()
            },
            &Verdict::AlreadyThere {
                as_name: "Prod".into()
            },
            &Verdict::Added,
            &Verdict::AlreadyThere {
                as_name: "Dev".into()
            },
        ]
    );
    assert!(!report.is_complete());
}

#[test]
fn another_external_id_is_another_role() {
    let config = config_with(&[("A", "111111111111", "Admin")]);
    let mut other = draft(1, "B", "111111111111", "Admin");
    other.set("external_id", "external_id", "client-7");
    let report = sort(
        &config,
        Parsed {
            drafts: vec![other],
            ..Parsed::default()
        },
        false,
    );
    assert_eq!(report.entries[0].2, Verdict::Added);
}

#[test]
fn invalid_values_are_bad_entries_with_their_line_and_escaped() {
    let mut hostile = draft(7, "Evil\u{1b}]0;owned\u{7}", "111111111111", "Admin");
    hostile.set("region", "region", "eu-west-1");
    let mut bad_region = draft(9, "Ok", "111111111111", "Admin");
    bad_region.set("region", "region", "moon\u{9b}");
    let mut other_partition = draft(11, "Cn", "111111111111", "Admin");
    other_partition.partition = Some("aws-cn".into());
    let parsed = Parsed {
        drafts: vec![hostile, bad_region, other_partition],
        ..Parsed::default()
    };
    let report = sort(&config_with(&[]), parsed, false);
    assert!(report.entries.is_empty());
    let lines: Vec<String> = report.bad.iter().map(ToString::to_string).collect();
    assert!(
        lines[0].starts_with("line 7, \"Evil\\u{1b}]0;owned\\u{7}\": the name must not contain"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("line 9, \"Ok\": `region` \"moon\\u{9b}\" is not an AWS region"),
        "{lines:?}"
    );
    assert!(lines[2].contains("partition aws-cn"), "{lines:?}");
    for line in &lines {
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
}

#[test]
fn a_draft_without_a_role_name_is_bad() {
    let mut draft = Draft::new(Origin::Account("111111111111".into()), "A");
    draft.set("account_id", "Id", "111111111111");
    let report = sort(
        &config_with(&[]),
        Parsed {
            drafts: vec![draft],
            ..Parsed::default()
        },
        false,
    );
    assert_eq!(
        report.bad[0].to_string(),
        "account 111111111111, \"A\": has no role name"
    );
}
