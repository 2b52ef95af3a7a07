//! `setup grant` (SPEC 7): lets the caller's own IAM user assume the roles, in one compact
//! `sts:AssumeRole` statement listing their ARNs. Reads what is there, decides where the
//! statement fits, and makes the calls, all through the [`Iam`] seam:
//!
//! - the inline policy [`POLICY_NAME`] (PutUserPolicy replaces it on every run) while the
//!   user's inline policies stay within IAM's 2,048 characters in all ([`INLINE_LIMIT`]);
//! - past that a customer managed policy of the user's own ([`MANAGED_LIMIT`], 6,144
//!   characters): created once, then a new default version per run with the oldest
//!   versions pruned to stay within IAM's five, attached to the user; the inline policy is
//!   deleted once it has moved (and the managed one when it moves back);
//! - past that nothing is written: the error proposes one ARN pattern (`--pattern`).
//!
//! Granting names adds them to the ARNs granted already; granting exactly a list (`--all`,
//! `--pattern`) replaces them. The number of IAM calls does not grow with the roles: at
//! most 4 + (the user's inline policies) reads and 7 writes, and none at all when the ARNs
//! cannot fit even a managed policy.

use serde_json::{Value, json};

use crate::aws::iam::{Iam, IamError, PolicyVersion};
use crate::aws::policy::POLICY_VERSION;

#[cfg(test)]
mod tests;
mod user;

pub use user::User;

/// The inline policy's name, and the start of the managed policy's.
pub const POLICY_NAME: &str = "switchrole-assume-roles";
/// IAM's cap on all of a user's inline policies together (characters, no white space).
pub const INLINE_LIMIT: usize = 2048;
/// IAM's cap on one customer managed policy.
pub const MANAGED_LIMIT: usize = 6144;
/// IAM keeps at most this many versions of a managed policy.
pub const MAX_POLICY_VERSIONS: usize = 5;
/// The statement's ID.
const SID: &str = "SwitchroleAssumeRoles";

/// The IAM actions `setup grant` calls, on the user and on its managed policy.
pub const USER_ACTIONS: [&str; 6] = [
    "iam:ListUserPolicies",
    "iam:GetUserPolicy",
    "iam:PutUserPolicy",
    "iam:DeleteUserPolicy",
    "iam:AttachUserPolicy",
    "iam:DetachUserPolicy",
];
pub const POLICY_ACTIONS: [&str; 7] = [
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListPolicyVersions",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeletePolicyVersion",
    "iam:DeletePolicy",
];

/// Why nothing (or not everything) was granted.
#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    /// The caller is not an IAM user; the text says who can grant instead.
    #[error("{0}")]
    NotAnIamUser(String),
    #[error(
        "your IAM user {} may not call {action} (AWS said: {detail}). `switchrole setup grant` needs {} on {}, and {} on {}; without them, ask an administrator of account {} to add what `switchrole policy --all` prints to your user",
        user.name,
        USER_ACTIONS.join(", "),
        user.arn,
        POLICY_ACTIONS.join(", "),
        user.managed_policy_arn(),
        user.account
    )]
    AccessDenied {
        user: Box<User>,
        action: &'static str,
        detail: String,
    },
    #[error(
        "the ARNs of {roles} roles take {chars} characters, more than the {MANAGED_LIMIT} an IAM managed policy holds: grant them by a name pattern instead, one resource for all of them: `switchrole setup grant --pattern '{pattern}'` (every role matching it that trusts you can then be assumed)"
    )]
    TooLarge {
        roles: usize,
        chars: usize,
        pattern: String,
    },
    #[error("--pattern {0}")]
    BadPattern(String),
    #[error("IAM knows no user {user} in account {account} ({detail})")]
    NoSuchUser {
        user: String,
        account: String,
        detail: String,
    },
    #[error("{0}")]
    Iam(IamError),
}

/// The role ARNs to grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resources {
    /// These, besides what switchrole granted before.
    Add(Vec<String>),
    /// Exactly these (`--all`, or the one `--pattern`).
    Exactly(Vec<String>),
}

/// A grant to make: the resources, the document, where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub resources: Resources,
    /// The `--pattern` proposed when the ARNs fit no policy.
    pub pattern_hint: String,
}

/// Where the statement goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Inline,
    Managed,
}

/// One write to IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    PutUserPolicy,
    DeleteUserPolicy,
    CreatePolicy,
    CreatePolicyVersion,
    DeletePolicyVersion(String),
    AttachUserPolicy,
    DetachUserPolicy,
    DeletePolicy,
}

/// What IAM holds now, as far as the grant is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Current {
    /// Characters of the user's other inline policies (names and documents).
    others: usize,
    /// Whether the inline policy [`POLICY_NAME`] exists.
    inline: bool,
    /// The managed policy's versions, when it exists.
    managed: Option<Vec<PolicyVersion>>,
}

/// The grant decided on: what it writes and the calls it makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub user: User,
    pub resources: Vec<String>,
    /// The document as written (compact JSON).
    pub document: String,
    pub place: Place,
    pub steps: Vec<Step>,
    /// Characters of all the user's inline policies with this one inline.
    pub inline_total: usize,
    current: Current,
}

impl Plan {
    /// The document's size as IAM counts it.
    pub fn size(&self) -> usize {
        self.document.chars().count()
    }

    /// `step` as a call: `iam:PutUserPolicy UserName=alice PolicyName=...`.
    pub fn describe(&self, step: &Step) -> String {
        let user = &self.user.name;
        let arn = self.user.managed_policy_arn();
        match step {
            Step::PutUserPolicy => {
                format!("iam:PutUserPolicy UserName={user} PolicyName={POLICY_NAME}")
            }
            Step::DeleteUserPolicy => {
                format!("iam:DeleteUserPolicy UserName={user} PolicyName={POLICY_NAME}")
            }
            Step::CreatePolicy => format!(
                "iam:CreatePolicy PolicyName={}",
                self.user.managed_policy_name()
            ),
            Step::CreatePolicyVersion => {
                format!("iam:CreatePolicyVersion PolicyArn={arn} SetAsDefault=true")
            }
            Step::DeletePolicyVersion(id) => {
                format!("iam:DeletePolicyVersion PolicyArn={arn} VersionId={id}")
            }
            Step::AttachUserPolicy => {
                format!("iam:AttachUserPolicy UserName={user} PolicyArn={arn}")
            }
            Step::DetachUserPolicy => {
                format!("iam:DetachUserPolicy UserName={user} PolicyArn={arn}")
            }
            Step::DeletePolicy => format!("iam:DeletePolicy PolicyArn={arn}"),
        }
    }
}

/// The one compact statement: `sts:AssumeRole` on `resources`.
pub fn document(resources: &[String]) -> String {
    json!({
        "Version": POLICY_VERSION,
        "Statement": [{
            "Sid": SID,
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": resources,
        }],
    })
    .to_string()
}

/// A policy's size as IAM counts it: characters without the white space between tokens.
pub fn policy_size(document: &str) -> usize {
    match serde_json::from_str::<Value>(document) {
        Ok(value) => value.to_string().chars().count(),
        Err(_) => document.chars().filter(|c| !c.is_whitespace()).count(),
    }
}

/// The resources of every statement of a policy document (read back from IAM, so only
/// what an ARN can hold is kept: printable ASCII without spaces).
fn resources_of(document: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<Value>(document) else {
        return Vec::new();
    };
    let statements = match &value["Statement"] {
        Value::Array(list) => list.clone(),
        Value::Null => Vec::new(),
        one => vec![one.clone()],
    };
    statements
        .iter()
        .flat_map(|s| match &s["Resource"] {
            Value::String(one) => vec![one.clone()],
            Value::Array(list) => list
                .iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        })
        .filter(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_graphic()))
        .collect()
}

fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(item.clone()))
        .collect()
}

/// `--pattern`'s value, checked: one role ARN that may hold `*` and `?`
/// (`arn:aws:iam::*:role/*-access-alice`).
pub fn check_pattern(pattern: &str, partition: &str) -> Result<(), GrantError> {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let account_ok = |a: &str| {
        !a.is_empty() && a.len() <= 12 && a.chars().all(|c| c.is_ascii_digit() || "*?".contains(c))
    };
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[1] == partition
        && parts[2] == "iam"
        && parts[3].is_empty()
        && account_ok(parts[4])
        && parts[5].strip_prefix("role/").is_some_and(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/*?".contains(c))
        });
    if valid {
        Ok(())
    } else {
        Err(GrantError::BadPattern(format!(
            "{} is not a role ARN pattern: give one like arn:{partition}:iam::*:role/*-access-me",
            crate::config::validate::quoted(pattern)
        )))
    }
}

/// The error for a denied or failed call, in the grant's words.
fn failed(user: &User, err: IamError) -> GrantError {
    match err {
        IamError::AccessDenied { action, detail } => GrantError::AccessDenied {
            user: Box::new(user.clone()),
            action,
            detail,
        },
        other => GrantError::Iam(other),
    }
}

fn too_large(roles: usize, document: &str, request: &Request) -> GrantError {
    GrantError::TooLarge {
        roles,
        chars: policy_size(document),
        pattern: request.pattern_hint.clone(),
    }
}

/// Reads what IAM holds for `user` and decides the grant; writes nothing.
pub fn plan(iam: &dyn Iam, user: &User, request: &Request) -> Result<Plan, GrantError> {
    let (asked, adding) = match &request.resources {
        Resources::Add(list) => (dedup(list.iter().cloned()), true),
        Resources::Exactly(list) => (dedup(list.iter().cloned()), false),
    };
    // Resources only grow from here: what does not fit now never will.
    let too_big = |resources: &[String]| policy_size(&document(resources)) > MANAGED_LIMIT;
    if too_big(&asked) {
        return Err(too_large(asked.len(), &document(&asked), request));
    }
    let fail = |e| failed(user, e);
    let mut current = Current::default();
    let mut granted = Vec::new();
    let names = iam.list_user_policies(&user.name).map_err(|e| match e {
        IamError::NoSuchEntity { detail } => GrantError::NoSuchUser {
            user: user.name.clone(),
            account: user.account.clone(),
            detail,
        },
        other => failed(user, other),
    })?;
    for name in names {
        if name == POLICY_NAME {
            current.inline = true;
            if adding {
                let text = iam.get_user_policy(&user.name, &name).map_err(fail)?;
                granted.extend(resources_of(&text));
            }
        } else {
            let text = iam.get_user_policy(&user.name, &name).map_err(fail)?;
            current.others += name.chars().count() + policy_size(&text);
        }
    }
    let managed_arn = user.managed_policy_arn();
    if let Some(default_version) = iam.get_policy(&managed_arn).map_err(fail)? {
        if adding {
            let text = iam
                .get_policy_version(&managed_arn, &default_version)
                .map_err(fail)?;
            granted.extend(resources_of(&text));
        }
        current.managed = Some(iam.list_policy_versions(&managed_arn).map_err(fail)?);
    }
    let resources = dedup(granted.into_iter().chain(asked));
    if too_big(&resources) {
        return Err(too_large(resources.len(), &document(&resources), request));
    }
    let document = document(&resources);
    let inline_total = current.others + POLICY_NAME.len() + policy_size(&document);
    let place = if inline_total <= INLINE_LIMIT {
        Place::Inline
    } else {
        Place::Managed
    };
    Ok(Plan {
        user: user.clone(),
        resources,
        steps: steps(place, &current),
        document,
        place,
        inline_total,
        current,
    })
}

/// The writes that put the statement in `place`, given what IAM holds now.
fn steps(place: Place, current: &Current) -> Vec<Step> {
    let mut steps = Vec::new();
    let others = |versions: &[PolicyVersion]| {
        versions
            .iter()
            .filter(|v| !v.is_default)
            .map(|v| Step::DeletePolicyVersion(v.id.clone()))
            .collect::<Vec<_>>()
    };
    match place {
        Place::Inline => {
            steps.push(Step::PutUserPolicy);
            if let Some(versions) = &current.managed {
                steps.push(Step::DetachUserPolicy);
                steps.extend(others(versions));
                steps.push(Step::DeletePolicy);
            }
        }
        Place::Managed => {
            match &current.managed {
                Some(versions) => {
                    // Room for the new version: the oldest non-default ones go first.
                    let excess = (versions.len() + 1).saturating_sub(MAX_POLICY_VERSIONS);
                    steps.extend(others(versions).into_iter().take(excess));
                    steps.push(Step::CreatePolicyVersion);
                }
                None => steps.push(Step::CreatePolicy),
            }
            steps.push(Step::AttachUserPolicy);
            if current.inline {
                steps.push(Step::DeleteUserPolicy);
            }
        }
    }
    steps
}

/// Makes the plan's calls in order. When IAM itself refuses the inline policy as too
/// large (its count can differ from ours), the statement moves to the managed policy.
/// Returns the plan as carried out.
pub fn apply(iam: &dyn Iam, mut plan: Plan) -> Result<Plan, GrantError> {
    let mut index = 0;
    while let Some(step) = plan.steps.get(index).cloned() {
        match run(iam, &plan, &step) {
            Ok(()) => index += 1,
            Err(IamError::LimitExceeded { .. })
                if step == Step::PutUserPolicy && plan.size() <= MANAGED_LIMIT =>
            {
                plan.place = Place::Managed;
                plan.steps = steps(Place::Managed, &plan.current);
                index = 0;
            }
            Err(e) => return Err(failed(&plan.user, e)),
        }
    }
    Ok(plan)
}

fn run(iam: &dyn Iam, plan: &Plan, step: &Step) -> Result<(), IamError> {
    let user = &plan.user.name;
    let arn = plan.user.managed_policy_arn();
    let gone_already = |result: Result<(), IamError>| match result {
        Err(IamError::NoSuchEntity { .. }) => Ok(()),
        other => other,
    };
    match step {
        Step::PutUserPolicy => iam.put_user_policy(user, POLICY_NAME, &plan.document),
        Step::DeleteUserPolicy => gone_already(iam.delete_user_policy(user, POLICY_NAME)),
        Step::CreatePolicy => iam
            .create_policy(&plan.user.managed_policy_name(), &plan.document)
            .map(|_| ()),
        Step::CreatePolicyVersion => iam.create_policy_version(&arn, &plan.document),
        Step::DeletePolicyVersion(id) => gone_already(iam.delete_policy_version(&arn, id)),
        Step::AttachUserPolicy => iam.attach_user_policy(user, &arn),
        Step::DetachUserPolicy => gone_already(iam.detach_user_policy(user, &arn)),
        Step::DeletePolicy => gone_already(iam.delete_policy(&arn)),
    }
}
