//! The grant's decisions and calls against an in-memory IAM that counts what it is asked.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::*;

#[derive(Default)]
struct State {
    inline: BTreeMap<String, String>,
    /// (version id, document), oldest first, and the default's id.
    managed: Option<(Vec<(String, String)>, String)>,
    attached: bool,
    next_version: u32,
}

/// IAM in memory: one user, `deny` refused, inline policies over `inline_cap` refused as
/// IAM would.
#[derive(Default)]
struct FakeIam {
    state: Mutex<State>,
    calls: Mutex<Vec<&'static str>>,
    deny: Option<&'static str>,
    inline_cap: Option<usize>,
}

impl FakeIam {
    fn call(&self, action: &'static str) -> Result<std::sync::MutexGuard<'_, State>, IamError> {
        self.calls.lock().unwrap().push(action);
        if self.deny == Some(action) {
            return Err(IamError::AccessDenied {
                action,
                detail: "not authorized".into(),
            });
        }
        Ok(self.state.lock().unwrap())
    }

    fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap().clone()
    }

    fn with_other_policy(self, size: usize) -> FakeIam {
        // A document of exactly `size` characters once compact.
        let base = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"x"}]}"#;
        let pad = "x".repeat(size - base.len() + 1);
        let doc = base.replace("\"x\"", &format!("\"{pad}\""));
        assert_eq!(policy_size(&doc), size);
        self.state
            .lock()
            .unwrap()
            .inline
            .insert("other".into(), doc);
        self
    }
}

fn missing() -> IamError {
    IamError::NoSuchEntity {
        detail: "not found".into(),
    }
}

impl Iam for FakeIam {
    fn list_user_policies(&self, _: &str) -> Result<Vec<String>, IamError> {
        Ok(self
            .call("iam:ListUserPolicies")?
            .inline
            .keys()
            .cloned()
            .collect())
    }
    fn get_user_policy(&self, _: &str, name: &str) -> Result<String, IamError> {
        self.call("iam:GetUserPolicy")?
            .inline
            .get(name)
            .cloned()
            .ok_or_else(missing)
    }
    fn put_user_policy(&self, _: &str, name: &str, document: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:PutUserPolicy")?;
        let others: usize = state
            .inline
            .iter()
            .filter(|(n, _)| *n != name)
            .map(|(n, d)| n.len() + policy_size(d))
            .sum();
        if self
            .inline_cap
            .is_some_and(|cap| others + name.len() + policy_size(document) > cap)
        {
            return Err(IamError::LimitExceeded {
                action: "iam:PutUserPolicy",
                detail: "Maximum policy size exceeded".into(),
            });
        }
        state.inline.insert(name.into(), document.into());
        Ok(())
    }
    fn delete_user_policy(&self, _: &str, name: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:DeleteUserPolicy")?;
        state.inline.remove(name).map(|_| ()).ok_or_else(missing)
    }
    fn get_policy(&self, _: &str) -> Result<Option<String>, IamError> {
        let state = self.call("iam:GetPolicy")?;
        Ok(state.managed.as_ref().map(|(_, default)| default.clone()))
    }
    fn get_policy_version(&self, _: &str, version: &str) -> Result<String, IamError> {
        let state = self.call("iam:GetPolicyVersion")?;
        let (versions, _) = state.managed.as_ref().ok_or_else(missing)?;
        versions
            .iter()
            .find(|(id, _)| id == version)
            .map(|(_, doc)| doc.clone())
            .ok_or_else(missing)
    }
    fn create_policy(&self, name: &str, document: &str) -> Result<String, IamError> {
        let mut state = self.call("iam:CreatePolicy")?;
        assert!(state.managed.is_none(), "created twice");
        state.next_version = 2;
        state.managed = Some((vec![("v1".into(), document.into())], "v1".into()));
        Ok(format!("arn:aws:iam::111122223333:policy/{name}"))
    }
    fn list_policy_versions(&self, _: &str) -> Result<Vec<PolicyVersion>, IamError> {
        let state = self.call("iam:ListPolicyVersions")?;
        let (versions, default) = state.managed.as_ref().ok_or_else(missing)?;
        Ok(versions
            .iter()
            .map(|(id, _)| PolicyVersion {
                id: id.clone(),
                is_default: id == default,
            })
            .collect())
    }
    fn create_policy_version(&self, _: &str, document: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:CreatePolicyVersion")?;
        let id = format!("v{}", state.next_version);
        state.next_version += 1;
        let (versions, default) = state.managed.as_mut().ok_or_else(missing)?;
        if versions.len() >= MAX_POLICY_VERSIONS {
            return Err(IamError::LimitExceeded {
                action: "iam:CreatePolicyVersion",
                detail: "A managed policy can have up to 5 versions".into(),
            });
        }
        versions.push((id.clone(), document.into()));
        *default = id;
        Ok(())
    }
    fn delete_policy_version(&self, _: &str, version: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:DeletePolicyVersion")?;
        let (versions, default) = state.managed.as_mut().ok_or_else(missing)?;
        assert_ne!(version, default, "the default version is never deleted");
        versions.retain(|(id, _)| id != version);
        Ok(())
    }
    fn attach_user_policy(&self, _: &str, _: &str) -> Result<(), IamError> {
        self.call("iam:AttachUserPolicy")?.attached = true;
        Ok(())
    }
    fn detach_user_policy(&self, _: &str, _: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:DetachUserPolicy")?;
        if !state.attached {
            return Err(missing());
        }
        state.attached = false;
        Ok(())
    }
    fn delete_policy(&self, _: &str) -> Result<(), IamError> {
        let mut state = self.call("iam:DeletePolicy")?;
        let (versions, _) = state.managed.as_ref().ok_or_else(missing)?;
        assert_eq!(versions.len(), 1, "other versions are deleted first");
        assert!(!state.attached, "detached first");
        state.managed = None;
        Ok(())
    }
}

fn alice() -> User {
    User::from_caller("arn:aws:iam::111122223333:user/alice").unwrap()
}

fn arns(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                "arn:aws:iam::{:012}:role/client{i}-access-alice",
                100_000 + i
            )
        })
        .collect()
}

fn exactly(list: Vec<String>) -> Request {
    Request {
        resources: Resources::Exactly(list),
        pattern_hint: "arn:aws:iam::*:role/*-access-alice".into(),
    }
}

fn add(list: Vec<String>) -> Request {
    Request {
        resources: Resources::Add(list),
        ..exactly(Vec::new())
    }
}

fn grant(iam: &FakeIam, request: &Request) -> Plan {
    let plan = plan(iam, &alice(), request).unwrap();
    apply(iam, plan).unwrap()
}

#[test]
fn callers_that_are_not_iam_users_are_told_who_can_grant() {
    let user = alice();
    assert_eq!(user.name, "alice");
    assert_eq!(
        user.managed_policy_arn(),
        "arn:aws:iam::111122223333:policy/switchrole-assume-roles-alice"
    );
    let pathed = User::from_caller("arn:aws:iam::111122223333:user/team/bob").unwrap();
    assert_eq!(pathed.name, "bob");
    let text = |arn: &str| User::from_caller(arn).unwrap_err().to_string();
    let sso = text(
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developers_0123abcd/alice@example.com",
    );
    assert!(sso.contains("Identity Center"), "{sso}");
    assert!(sso.contains("permission set Developers"), "{sso}");
    let role = text("arn:aws:sts::111122223333:assumed-role/Ops/alice");
    assert!(role.contains("session of the role Ops"), "{role}");
    assert!(
        role.contains("administrator of account 111122223333"),
        "{role}"
    );
    assert!(text("arn:aws:iam::111122223333:root").contains("root user"));
    assert!(text("arn:aws:sts::111122223333:federated-user/bob").contains("federated"));
}

#[test]
fn a_few_roles_go_inline_and_a_second_run_replaces_the_policy() {
    let iam = FakeIam::default();
    let first = grant(&iam, &add(arns(2)));
    assert_eq!(first.place, Place::Inline);
    assert_eq!(
        iam.calls(),
        ["iam:ListUserPolicies", "iam:GetPolicy", "iam:PutUserPolicy"]
    );
    let second = grant(&iam, &add(vec![arns(3)[2].clone(), arns(1)[0].clone()]));
    assert_eq!(second.resources, arns(3), "added once each, in order");
    let state = iam.state.lock().unwrap();
    assert_eq!(state.inline.len(), 1);
    let doc: Value = serde_json::from_str(&state.inline[POLICY_NAME]).unwrap();
    assert_eq!(doc["Statement"].as_array().unwrap().len(), 1);
    assert_eq!(doc["Statement"][0]["Resource"], json!(arns(3)));
    assert_eq!(doc["Statement"][0]["Action"], "sts:AssumeRole");
}

#[test]
fn exactly_replaces_and_other_inline_policies_count() {
    let iam = FakeIam::default().with_other_policy(1500);
    grant(&iam, &add(arns(5)));
    assert!(iam.state.lock().unwrap().managed.is_none());
    // 1500 + 5 + 23 + 14 ARNs no longer fit 2,048 beside "other": the managed policy.
    let plan = grant(&iam, &exactly(arns(14)));
    assert_eq!(plan.place, Place::Managed);
    assert!(plan.inline_total > INLINE_LIMIT);
    let state = iam.state.lock().unwrap();
    assert_eq!(state.inline.keys().collect::<Vec<_>>(), ["other"], "moved");
    assert!(state.attached);
    let (versions, _) = state.managed.as_ref().unwrap();
    assert_eq!(resources_of(&versions[0].1), arns(14));
}

#[test]
fn sixty_roles_move_to_a_managed_policy_with_a_version_per_run() {
    let iam = FakeIam::default();
    grant(&iam, &exactly(arns(10)));
    let plan = grant(&iam, &exactly(arns(60)));
    assert_eq!(plan.place, Place::Managed);
    assert!(plan.size() <= MANAGED_LIMIT);
    for n in 61..70 {
        grant(&iam, &exactly(arns(n)));
    }
    let state = iam.state.lock().unwrap();
    let (versions, default) = state.managed.as_ref().unwrap();
    assert_eq!(versions.len(), MAX_POLICY_VERSIONS, "pruned to IAM's five");
    assert_eq!(default, "v10");
    assert_eq!(versions[0].0, "v6", "the oldest went first");
    assert_eq!(resources_of(&versions[4].1), arns(69));
    assert!(state.inline.is_empty());
    drop(state);
    // Back under 2,048: inline again, and the managed policy is cleaned away.
    let plan = grant(&iam, &exactly(arns(3)));
    assert_eq!(plan.place, Place::Inline);
    let state = iam.state.lock().unwrap();
    assert!(state.managed.is_none() && !state.attached);
    assert_eq!(state.inline.len(), 1);
}

#[test]
fn past_the_managed_limit_nothing_is_called_and_a_pattern_is_proposed() {
    let iam = FakeIam::default();
    let err = plan(&iam, &alice(), &exactly(arns(500))).unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, GrantError::TooLarge { roles: 500, .. }),
        "{text}"
    );
    assert!(
        text.contains("--pattern 'arn:aws:iam::*:role/*-access-alice'"),
        "{text}"
    );
    assert!(iam.calls().is_empty(), "{:?}", iam.calls());
    // Names added to what is granted already can pass the limit too.
    grant(&iam, &exactly(arns(100)));
    let more: Vec<String> = arns(200).split_off(100);
    assert!(matches!(
        plan(&iam, &alice(), &add(more)),
        Err(GrantError::TooLarge { roles: 200, .. })
    ));
}

#[test]
fn a_pattern_is_one_resource_and_the_calls_stay_few() {
    let iam = FakeIam::default().with_other_policy(300);
    grant(&iam, &exactly(arns(100)));
    iam.calls.lock().unwrap().clear();
    let plan = grant(
        &iam,
        &exactly(vec!["arn:aws:iam::*:role/*-access-alice".into()]),
    );
    assert_eq!(plan.place, Place::Inline);
    assert_eq!(plan.resources.len(), 1);
    assert_eq!(
        iam.calls(),
        [
            "iam:ListUserPolicies",
            "iam:GetUserPolicy",
            "iam:GetPolicy",
            "iam:ListPolicyVersions",
            "iam:PutUserPolicy",
            "iam:DetachUserPolicy",
            "iam:DeletePolicy",
        ]
    );
    assert!(check_pattern("arn:aws:iam::*:role/*-access-alice", "aws").is_ok());
    assert!(check_pattern("arn:aws:iam::12345678901?:role/team/*", "aws").is_ok());
    assert!(check_pattern("*", "aws").is_err());
    assert!(check_pattern("arn:aws:iam::*:user/*", "aws").is_err());
    assert!(check_pattern("arn:aws:iam::*:role/a b", "aws").is_err());
    assert!(check_pattern("arn:aws:iam::*:role/x", "aws-cn").is_err());
}

#[test]
fn iam_refusing_the_inline_size_moves_it_to_the_managed_policy() {
    let iam = FakeIam {
        inline_cap: Some(600),
        ..FakeIam::default()
    };
    let plan = grant(&iam, &exactly(arns(12)));
    assert_eq!(plan.place, Place::Managed);
    assert!(iam.state.lock().unwrap().inline.is_empty());
    assert!(iam.state.lock().unwrap().attached);
}

#[test]
fn denied_calls_name_the_actions_needed() {
    let iam = FakeIam {
        deny: Some("iam:PutUserPolicy"),
        ..FakeIam::default()
    };
    let plan = plan(&iam, &alice(), &exactly(arns(1))).unwrap();
    let err = apply(&iam, plan).unwrap_err().to_string();
    assert!(err.contains("may not call iam:PutUserPolicy"), "{err}");
    assert!(
        err.contains("iam:ListUserPolicies, iam:GetUserPolicy"),
        "{err}"
    );
    assert!(
        err.contains("on arn:aws:iam::111122223333:policy/switchrole-assume-roles-alice"),
        "{err}"
    );
}

#[test]
fn resources_read_back_keep_only_what_an_arn_can_hold() {
    let doc = r#"{"Statement": {"Resource": ["arn:aws:iam::1:role/a\u001b[2J", "arn:aws:iam::1:role/b", "a b", 7]}}"#;
    assert_eq!(resources_of(doc), ["arn:aws:iam::1:role/b"]);
    assert!(resources_of("not json").is_empty());
}

#[test]
fn sizes_ignore_white_space_between_tokens() {
    assert_eq!(policy_size("{ \"a\" : [ 1 , 2 ] }"), r#"{"a":[1,2]}"#.len());
    assert_eq!(policy_size(&document(&arns(1))), document(&arns(1)).len());
    let plan_text = Plan {
        user: alice(),
        resources: Vec::new(),
        document: String::new(),
        place: Place::Inline,
        steps: Vec::new(),
        inline_total: 0,
        current: Current::default(),
    }
    .describe(&Step::PutUserPolicy);
    assert_eq!(
        plan_text,
        "iam:PutUserPolicy UserName=alice PolicyName=switchrole-assume-roles"
    );
}
