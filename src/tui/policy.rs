//! The policies screen (Ctrl-Y, SPEC 7) without I/O: its state ([`PolicyView`]: which role,
//! which document, the scroll), the two documents of the selected role as the screen shows
//! them (heading, notes, pretty JSON, or why the trust policy cannot be built yet), the
//! role's CloudFormation template it also saves, and the file names they are saved under. The principal is the base identity the status bar
//! already fetched; nothing here calls STS or touches files ([`super::app`] writes them).
//! Reads the config and the identity it is given, not the whole model.

use std::time::SystemTime;

use super::status::Identity;
use crate::aws::policy;
pub use crate::aws::policy::slug;
use crate::config::{Config, Role};
use crate::setup::template::{self, TemplateRequest};

/// Which of the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// The trust policy of the role in the client account.
    Trust,
    /// The inline permission policy of my user.
    Permission,
}

impl Document {
    pub fn other(self) -> Document {
        match self {
            Document::Trust => Document::Permission,
            Document::Permission => Document::Trust,
        }
    }

    /// "trust policy" / "permission policy".
    pub fn title(self) -> &'static str {
        match self {
            Document::Trust => "trust policy",
            Document::Permission => "permission policy",
        }
    }
}

/// The open policies screen.
#[derive(Debug, Clone)]
pub struct PolicyView {
    /// Display name of the role.
    pub role: String,
    pub document: Document,
    /// First line of the document shown (kept within the document by `update`).
    pub scroll: usize,
}

impl PolicyView {
    pub fn new(role: &str) -> PolicyView {
        PolicyView {
            role: role.to_string(),
            document: Document::Trust,
            scroll: 0,
        }
    }
}

/// One document as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub heading: String,
    /// What the user should know about the principal (not an IAM user, another partition).
    pub notes: Vec<String>,
    /// The pretty JSON, or why it cannot be shown yet.
    pub body: Result<String, String>,
}

impl Shown {
    /// Every line of the screen's scrolling part: heading, notes, blank, the document.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![self.heading.clone()];
        lines.extend(self.notes.iter().map(|n| format!("Note: {n}")));
        lines.push(String::new());
        match &self.body {
            Ok(json) => lines.extend(json.lines().map(str::to_string)),
            Err(why) => lines.push(why.clone()),
        }
        lines
    }
}

/// `document` of `role`, with `identity` as the base identity (the principal of the trust
/// policy).
pub fn shown(config: &Config, identity: &Identity, role: &Role, document: Document) -> Shown {
    match document {
        Document::Trust => trust(config, identity, role),
        Document::Permission => permission(config, identity, role),
    }
}

/// The principal for the trust policy: the caller of the base credentials, or why unknown.
fn principal(
    config: &Config,
    identity: &Identity,
    role: &Role,
) -> Result<policy::Principal, String> {
    let effective = config.effective(role);
    let fetched_for = config.defaults.source_profile.as_deref();
    if effective.source_profile.as_deref() != fetched_for {
        return Err(format!(
            "This role uses the source profile \"{}\", whose identity the list does not fetch: \
             run `switchrole policy \"{}\"` in a shell for its trust policy.",
            effective.source_profile.as_deref().unwrap_or("default"),
            role.name
        ));
    }
    match identity {
        Identity::Known(arn) => Ok(policy::principal_for_caller(arn)),
        Identity::Failed(_) => Err(format!(
            "Your base identity could not be fetched (the status bar says why), so the trust \
             policy cannot name your user yet. Fix the base credentials, or run \
             `switchrole policy \"{}\" --principal ARN` in a shell.",
            role.name
        )),
        Identity::Unknown => Err(
            "Your base identity is still being fetched: the trust policy shows once it is known."
                .to_string(),
        ),
    }
}

fn trust(config: &Config, identity: &Identity, role: &Role) -> Shown {
    let heading = format!("Trust policy of {}:", policy::trust_policy_place(role));
    match principal(config, identity, role) {
        Ok(principal) => {
            let partition = config.effective(role).partition;
            let notes = principal
                .note
                .clone()
                .into_iter()
                .chain(policy::partition_note(&principal.arn, &partition))
                .collect();
            let document = policy::trust_policy(config, role, &principal.arn);
            Shown {
                heading,
                notes,
                body: Ok(policy::to_pretty_json(&document)),
            }
        }
        Err(why) => Shown {
            heading,
            notes: Vec::new(),
            body: Err(why),
        },
    }
}

fn permission(config: &Config, identity: &Identity, role: &Role) -> Shown {
    let principal = principal(config, identity, role).ok().map(|p| p.arn);
    let document = policy::permission_policy(config, std::iter::once(role));
    Shown {
        heading: format!(
            "Permission policy, inline on {}:",
            policy::permission_policy_place(principal.as_deref())
        ),
        notes: Vec::new(),
        body: Ok(policy::to_pretty_json(&document)),
    }
}

/// The CloudFormation template of `role` as `setup template` prints it, or why it cannot
/// be made yet (its trust policy needs the identity).
pub fn template_text(
    config: &Config,
    identity: &Identity,
    role: &Role,
    asked_on: SystemTime,
) -> Result<String, String> {
    principal(config, identity, role).map(|principal| {
        let request = TemplateRequest {
            principal: &principal.arn,
            managed_policies: &[],
            asked_on,
        };
        template::template_text(config, role, &request)
    })
}

/// The file name, without `.json`, a document is saved under: `acme-prod-trust-policy`.
pub fn file_stem(role: &str, document: Document) -> String {
    let kind = match document {
        Document::Trust => "trust",
        Document::Permission => "permission",
    };
    format!("{}-{kind}-policy", slug(role))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Defaults;

    fn config(defaults: Defaults) -> Config {
        let role = Role {
            name: "Acme (prod)".into(),
            account_id: "111111111111".into(),
            role_name: "ops/Admin".into(),
            external_id: Some("ext-1".into()),
            ..Role::default()
        };
        Config {
            defaults,
            roles: vec![role],
            ..Config::default()
        }
    }

    #[test]
    fn slugs_and_file_names() {
        assert_eq!(slug("Acme (prod) #1"), "acme-prod-1");
        assert_eq!(slug("--日本--"), "role");
        assert_eq!(
            file_stem("Acme prod", Document::Trust),
            "acme-prod-trust-policy"
        );
        assert_eq!(file_stem("x", Document::Permission), "x-permission-policy");
    }

    #[test]
    fn trust_needs_the_identity_and_permission_does_not() {
        let c = config(Defaults::default());
        let unknown = Identity::Unknown;
        let trust = shown(&c, &unknown, &c.roles[0], Document::Trust);
        assert!(trust.body.unwrap_err().contains("still being fetched"));
        let permission = shown(&c, &unknown, &c.roles[0], Document::Permission);
        assert!(permission.body.unwrap().contains("sts:AssumeRole"));
        let failed = Identity::Failed("no credentials".into());
        let trust = shown(&c, &failed, &c.roles[0], Document::Trust);
        assert!(trust.body.unwrap_err().contains("could not be fetched"));

        let known = Identity::Known("arn:aws:sts::123456789012:user/moto".into());
        let trust = shown(&c, &known, &c.roles[0], Document::Trust);
        let json: serde_json::Value = serde_json::from_str(trust.body.as_ref().unwrap()).unwrap();
        assert_eq!(
            json["Statement"][0]["Principal"]["AWS"],
            "arn:aws:iam::123456789012:user/moto"
        );
        assert_eq!(
            json["Statement"][0]["Condition"]["StringEquals"]["sts:ExternalId"],
            "ext-1"
        );
        assert_eq!(trust.notes.len(), 1, "the sts user ARN note");
        assert!(trust.heading.contains("IAM > Roles > Admin"));
        let permission = shown(&c, &known, &c.roles[0], Document::Permission);
        assert!(permission.heading.contains("user/moto"));
    }

    #[test]
    fn another_source_profile_is_not_guessed() {
        let mut c = config(Defaults::default());
        let known = Identity::Known("arn:aws:iam::123456789012:user/alice".into());
        c.roles[0].source_profile = Some("client".into());
        let trust = shown(&c, &known, &c.roles[0], Document::Trust);
        assert!(trust.body.unwrap_err().contains("\"client\""));
    }
}
