//! `switchrole setup template|new|grant` (SPEC 7): read the arguments, call
//! [`crate::setup`], print. The template goes to stdout and the command that deploys it to
//! stderr; `grant` prints what it wrote (or, with `--dry-run`, would write and call).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, bail};

use super::load_config;
use crate::aws::Switcher;
use crate::aws::iam_sdk::SdkIam;
use crate::aws::policy::{self, Principal};
use crate::cli::{GrantArgs, SetupCommand, TemplateArgs};
use crate::config::role_name_pattern::{self, DEFAULT_PATTERN, Values};
use crate::config::schema::role_key;
use crate::config::{self, Config, Role};
use crate::setup::external_id::new_external_id;
use crate::setup::grant::{
    self, INLINE_LIMIT, MANAGED_LIMIT, Place, Plan, Request, Resources, User,
};
use crate::setup::template::{self, TemplateRequest};

pub fn run(path: &Path, command: &SetupCommand) -> anyhow::Result<i32> {
    match command {
        SetupCommand::Template { name, template } => print_template_of(path, name, template),
        SetupCommand::New {
            name,
            account,
            color,
            region,
            template,
        } => new(
            path,
            name,
            account,
            color.as_deref(),
            region.as_deref(),
            template,
        ),
        SetupCommand::Grant(args) => grant(path, args),
    }
}

fn print_template_of(path: &Path, name: &str, args: &TemplateArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = config.find(name)?;
    let principal = super::policy::principal(
        &config,
        role,
        args.principal.as_deref(),
        config.defaults.partition(),
    )?;
    print_template(&config, role, &principal, args)
}

/// Prints the template of `role` on stdout, its notes and the deploy command on stderr.
fn print_template(
    config: &Config,
    role: &Role,
    principal: &Principal,
    args: &TemplateArgs,
) -> anyhow::Result<i32> {
    let partition = config.effective(role).partition;
    let managed = args
        .managed_policies
        .iter()
        .map(|text| template::parse_managed_policy(text, &partition))
        .collect::<Result<Vec<_>, _>>()
        .context("--managed-policy is invalid")?;
    let notes = principal
        .note
        .iter()
        .cloned()
        .chain(policy::partition_note(&principal.arn, &partition));
    for note in notes {
        eprintln!("switchrole: note: {note}");
    }
    let request = TemplateRequest {
        principal: &principal.arn,
        managed_policies: &managed,
        asked_on: SystemTime::now(),
    };
    println!("{}", template::template_text(config, role, &request));
    eprintln!(
        "switchrole: save it as {}.json for the administrator of account {}, who deploys it with:\n  {}",
        template::file_stem(&role.name),
        role.account_id,
        template::deploy_command(&role.name)
    );
    Ok(0)
}

fn new(
    path: &Path,
    name: &str,
    account: &str,
    color: Option<&str>,
    region: Option<&str>,
    args: &TemplateArgs,
) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    if config.roles.iter().any(|r| r.name == name) {
        bail!(
            "a role named \"{}\" is remembered already in {}",
            crate::untrusted::escape_controls(name),
            path.display()
        );
    }
    let mut role = Role::default();
    let given = [
        ("name", "NAME", Some(name)),
        ("account_id", "--account", Some(account)),
        ("color", "--color", color),
        ("region", "--region", region),
    ];
    for (toml, shown, value) in given {
        let (Some(key), Some(value)) = (role_key(toml), value) else {
            continue;
        };
        key.set_text(&mut role, value)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("{shown} is invalid"))?;
    }
    let pattern = config
        .defaults
        .role_name_pattern
        .as_deref()
        .unwrap_or(DEFAULT_PATTERN);
    let needs_identity = args.principal.is_none()
        || role_name_pattern::uses(pattern, "me")
        || role_name_pattern::uses(pattern, "account");
    let identity = if needs_identity {
        let profile = config.defaults.source_profile.as_deref();
        let identity = Switcher::standard().base_identity(profile).map_err(|e| {
            anyhow::anyhow!("{e} (the role's name and trust policy need your identity)")
        })?;
        Some(identity)
    } else {
        None
    };
    let me = identity.as_ref().map_or("", |i| i.short_name());
    let my_account = identity.as_ref().map_or("", |i| i.account.as_str());
    role.role_name = role_name_pattern::expand(
        pattern,
        Values {
            client: name,
            me,
            account: my_account,
        },
    )
    .map_err(anyhow::Error::msg)
    .context("[defaults] role_name_pattern does not give a role name")?;
    role.external_id = Some(
        new_external_id().map_err(|e| anyhow::anyhow!("cannot draw a random ExternalId: {e}"))?,
    );
    let principal = match (&args.principal, &identity) {
        (Some(given), _) => Principal {
            arn: policy::parse_principal(given, config.defaults.partition())?,
            note: None,
        },
        (None, Some(identity)) => policy::principal_for_caller(&identity.arn),
        (None, None) => bail!("no principal for the trust policy: pass --principal ARN"),
    };
    config::add_role(path, &role)?;
    let config = load_config(path)?;
    let role = config.find(name)?;
    eprintln!(
        "switchrole: remembered \"{}\" ({}) with a new ExternalId in {}",
        crate::untrusted::escape_controls(&role.name),
        config.effective(role).role_arn,
        path.display()
    );
    print_template(&config, role, &principal, args)
}

fn grant(path: &Path, args: &GrantArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let partition = config.defaults.partition();
    let roles: Vec<&Role> = if args.all {
        config.roles.iter().collect()
    } else {
        args.names
            .iter()
            .map(|name| config.find(name))
            .collect::<Result<_, _>>()?
    };
    if args.all && roles.is_empty() {
        bail!(
            "no roles remembered in {} yet: add one with `switchrole setup new` or `switchrole add`",
            config.path.display()
        );
    }
    // Each base profile is its own IAM user: one grant per profile.
    let mut by_profile: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    match &args.pattern {
        Some(pattern) => {
            grant::check_pattern(pattern, partition)?;
            by_profile.insert(
                config.defaults.source_profile.clone(),
                vec![pattern.clone()],
            );
        }
        None => {
            for role in roles {
                let effective = config.effective(role);
                by_profile
                    .entry(effective.source_profile)
                    .or_default()
                    .push(effective.role_arn);
            }
        }
    }
    let role_pattern = config
        .defaults
        .role_name_pattern
        .as_deref()
        .unwrap_or(DEFAULT_PATTERN);
    let switcher = Switcher::standard();
    for (profile, arns) in by_profile {
        let identity = switcher.base_identity(profile.as_deref())?;
        let user = User::from_caller(&identity.arn)?;
        let values = Values {
            client: "",
            me: &user.name,
            account: &user.account,
        };
        let request = Request {
            resources: if args.all || args.pattern.is_some() {
                Resources::Exactly(arns)
            } else {
                Resources::Add(arns)
            },
            pattern_hint: role_name_pattern::arn_pattern(role_pattern, values, partition)
                .unwrap_or_else(|| format!("arn:{partition}:iam::*:role/*")),
        };
        let iam = SdkIam::new(profile.as_deref());
        let plan = grant::plan(&iam, &user, &request)?;
        if args.dry_run {
            print_dry_run(&plan);
        } else {
            print_granted(&grant::apply(&iam, plan)?);
        }
    }
    Ok(0)
}

/// Where the statement goes, in words: `the inline policy ... (412 of 2048 characters ...)`.
fn place_text(plan: &Plan) -> String {
    match plan.place {
        Place::Inline => format!(
            "the inline policy {} ({} of {INLINE_LIMIT} characters with the user's other inline policies)",
            grant::POLICY_NAME,
            plan.inline_total
        ),
        Place::Managed => format!(
            "the customer managed policy {} ({} of {MANAGED_LIMIT} characters), attached to the user",
            plan.user.managed_policy_arn(),
            plan.size()
        ),
    }
}

fn roles_text(plan: &Plan) -> String {
    match plan.resources.as_slice() {
        [one] if one.contains(['*', '?']) => format!("the roles matching {one}"),
        [_] => "1 role".to_string(),
        list => format!("{} roles", list.len()),
    }
}

fn print_dry_run(plan: &Plan) {
    let document: serde_json::Value = serde_json::from_str(&plan.document).unwrap_or_default();
    println!(
        "# Would let {} assume {} with {}:",
        plan.user.arn,
        roles_text(plan),
        place_text(plan)
    );
    println!("{}", policy::to_pretty_json(&document));
    println!("# IAM calls it would make (nothing was changed):");
    for step in &plan.steps {
        println!("{}", plan.describe(step));
    }
}

fn print_granted(plan: &Plan) {
    println!(
        "Granted {} sts:AssumeRole on {} in {}",
        plan.user.arn,
        roles_text(plan),
        place_text(plan)
    );
    if plan.place == Place::Managed && plan.steps.contains(&grant::Step::DeleteUserPolicy) {
        println!(
            "The inline policy {} moved there (IAM caps a user's inline policies at {INLINE_LIMIT} characters)",
            grant::POLICY_NAME
        );
    }
}
