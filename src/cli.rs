//! Command-line definitions (clap); `add`'s flags come from the role schema. No behaviour here.

use std::path::PathBuf;

use clap::{ArgAction, ArgMatches, Args, FromArgMatches, Parser, Subcommand};

use crate::config::schema::{self, Slot};
use crate::session::EnvFormat;

/// Switch between remembered AWS roles: a terminal "Switch Role" menu without its limits.
#[derive(Debug, Parser)]
#[command(
    name = "switchrole",
    bin_name = "switchrole",
    version,
    about,
    propagate_version = true
)]
pub struct Cli {
    /// Config file (default: $SWITCHROLE_CONFIG, else the platform config dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of every command that obtains credentials.
#[derive(Debug, Args, Clone)]
pub struct SwitchArgs {
    /// The role: its display name, or ACCOUNT_ID/ROLE_NAME.
    #[arg(add = clap_complete::ArgValueCandidates::new(crate::complete::role_names))]
    pub name: String,
    /// Ignore cached credentials and assume the role again.
    #[arg(long)]
    pub refresh: bool,
    /// MFA code (6 digits), when the role or defaults set mfa_serial.
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the remembered roles.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remember a new role.
    Add(AddArgs),
    /// Forget a role.
    Remove {
        /// The role: its display name, or ACCOUNT_ID/ROLE_NAME.
        name: String,
    },
    /// Start $SHELL as the role, its credentials renewed for as long as it runs.
    Shell {
        #[command(flatten)]
        switch: SwitchArgs,
        /// Export static credentials (they expire) instead of serving renewing ones.
        #[arg(long = "static")]
        static_credentials: bool,
    },
    /// Run a command with the role's credentials; exits with its code.
    Exec {
        #[command(flatten)]
        switch: SwitchArgs,
        /// Serve renewing credentials to the command (as `shell` does) instead of static ones.
        #[arg(long)]
        server: bool,
        /// The command and its arguments, after `--`.
        #[arg(required = true, last = true, value_name = "CMD")]
        command: Vec<std::ffi::OsString>,
    },
    /// Pick a role in the list drawn on the terminal; print its session for this shell
    /// (what `sr` of `switchrole init` runs). Esc prints nothing and exits 1.
    Pick {
        /// The shell the printed change is for.
        #[arg(long, value_enum, default_value = "sh")]
        format: EnvFormat,
    },
    /// Print the role's session as shell code (eval it) or another format.
    Env {
        #[command(flatten)]
        switch: SwitchArgs,
        #[arg(long, value_enum, default_value = "sh")]
        format: EnvFormat,
    },
    /// Print the role's credentials for `credential_process` in ~/.aws/config.
    CredentialProcess(SwitchArgs),
    /// Show who the credentials in this environment belong to.
    Whoami {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Print the shell integration for your rc file: `eval "$(switchrole init bash)"`
    /// defines `sr` (switch this shell: `sr NAME`, `sr -`, `sr --off`) and the prompt marker.
    Init {
        shell: crate::shell_init::Shell,
        /// The function's name.
        #[arg(long = "cmd", value_name = "NAME", default_value = "sr")]
        command: String,
        /// Leave the prompt and the title alone (for starship or your own prompt).
        #[arg(long)]
        no_prompt: bool,
    },
    /// Print the prompt segment of this session (name, time left) from the environment.
    Prompt {
        #[arg(long, value_enum, default_value = "plain")]
        format: crate::shell_init::segment::PromptFormat,
    },
    /// Print the two IAM policies the role's setup needs (trust policy, permission policy).
    Policy(PolicyArgs),
    /// Open the AWS console signed in as the role (federation sign-in).
    Console(ConsoleArgs),
    /// Onboard a client: the role's CloudFormation template, a new role, the grant to
    /// assume roles on your IAM user.
    #[command(subcommand)]
    Setup(SetupCommand),
    /// Check config, base credentials, MFA and cache state, and one AssumeRole.
    Doctor {
        /// The role to check (display name or ACCOUNT_ID/ROLE_NAME); none checks the base.
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::complete::role_names))]
        name: Option<String>,
        /// MFA code (6 digits), when the role or defaults set mfa_serial.
        #[arg(long, value_name = "CODE")]
        mfa_code: Option<String>,
    },
    /// Bring roles in: from an AWS config file, the AWS Extend Switch Roles browser
    /// extension, or an AWS Organization. Roles already remembered are not added again.
    #[command(subcommand)]
    Import(ImportSource),
    /// Hand the roles out: a profile per role for every AWS tool, or the browser
    /// extension's list.
    #[command(subcommand)]
    Export(ExportTarget),
    /// Print the man page (roff), e.g. `switchrole man | man -l -`.
    Man,
    /// Open the once-a-day MFA session now (GetSessionToken), for scripts and
    /// credential_process to use without a terminal.
    Mfa {
        /// Base profile (default: [defaults] source_profile, else the default chain).
        #[arg(long, value_name = "PROFILE")]
        source_profile: Option<String>,
        /// MFA device (default: [defaults] mfa_serial).
        #[arg(long, value_name = "ARN_OR_SERIAL")]
        mfa_serial: Option<String>,
        /// MFA code (6 digits); asked on the terminal when left out.
        #[arg(long, value_name = "CODE")]
        mfa_code: Option<String>,
        /// Open a new session even if a valid one is cached.
        #[arg(long)]
        refresh: bool,
    },
    /// Team sources: the `[[sources]]` roles files merged read-only into the list.
    Sources {
        #[command(subcommand)]
        command: SourcesCommand,
    },
}

/// What `switchrole sources` does.
#[derive(Debug, Subcommand, Clone, Copy, PartialEq, Eq)]
pub enum SourcesCommand {
    /// Each source: its name, its file, how many roles it gives, and its problems.
    List,
    /// Update each source's git checkout (`git pull --ff-only`), one after the other.
    Pull,
}

/// Where `import` reads roles from.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Every profile with a role_arn in an AWS config file; the profile name becomes the
    /// display name.
    AwsConfig {
        /// The file (default: $AWS_CONFIG_FILE, else ~/.aws/config).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Say what would be imported; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The AWS Extend Switch Roles extension's configuration text (`-`: standard input).
    Aesr {
        file: PathBuf,
        /// Say what would be imported; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// One role per ACTIVE account of the AWS Organization (ListAccounts), named after the
    /// account.
    Organizations {
        /// Base profile that lists the accounts, and that the roles are assumed from
        /// (default: [defaults] source_profile, else the default chain).
        #[arg(long, value_name = "PROFILE")]
        profile: Option<String>,
        /// The role in each account (default: OrganizationAccountAccessRole, which member
        /// accounts have; the management account is then left out).
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// Say what would be imported; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What `export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportTarget {
    /// A `credential_process` profile per role in an AWS config file, between
    /// `# BEGIN switchrole` and `# END switchrole` lines that the next export replaces.
    AwsConfig {
        /// The file (default: $AWS_CONFIG_FILE, else ~/.aws/config).
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Put this before every profile name.
        #[arg(long, value_name = "P", default_value = "")]
        prefix: String,
    },
    /// The roles in the AWS Extend Switch Roles extension's format, on standard output.
    Aesr,
}

#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    /// The role (display name or ACCOUNT_ID/ROLE_NAME); optional with --all.
    #[arg(
        required_unless_present = "all",
        add = clap_complete::ArgValueCandidates::new(crate::complete::role_names)
    )]
    pub name: Option<String>,
    /// The principal the trust policy names (an ARN, or an account ID for its root),
    /// instead of the caller of the base credentials.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
    /// One permission statement per remembered role.
    #[arg(long)]
    pub all: bool,
    /// Print both documents as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `setup`'s steps (SPEC 7).
#[derive(Debug, Subcommand)]
pub enum SetupCommand {
    /// Print a CloudFormation template (JSON) of the role, for the client's administrator
    /// to deploy; the command that deploys it goes to stderr.
    Template {
        /// The role (display name or ACCOUNT_ID/ROLE_NAME).
        #[arg(add = clap_complete::ArgValueCandidates::new(crate::complete::role_names))]
        name: String,
        #[command(flatten)]
        template: TemplateArgs,
    },
    /// Remember a new client's role, with a random ExternalId and the role name from
    /// [defaults] role_name_pattern, and print its template.
    New {
        /// Display name of the client's role (unique); {client} in role_name_pattern.
        name: String,
        /// The client's 12-digit account ID.
        #[arg(long, value_name = "ID")]
        account: String,
        /// Colour: #rrggbb or red, orange, yellow, green, blue.
        #[arg(long, value_name = "COLOR")]
        color: Option<String>,
        /// Region exported in the role's shell.
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        #[command(flatten)]
        template: TemplateArgs,
    },
    /// Let your IAM user assume the roles: sts:AssumeRole on their ARNs in the policy
    /// switchrole-assume-roles (inline, or managed past IAM's 2,048 characters).
    Grant(GrantArgs),
}

#[derive(Debug, Args, Clone)]
pub struct TemplateArgs {
    /// A managed policy for the role (repeatable; default ReadOnlyAccess).
    #[arg(long = "managed-policy", value_name = "ARN")]
    pub managed_policies: Vec<String>,
    /// The principal the trust policy names (an ARN, or an account ID for its root),
    /// instead of the caller of the base credentials.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct GrantArgs {
    /// The roles (display names or ACCOUNT_ID/ROLE_NAME), added to those granted before.
    #[arg(
        required_unless_present_any = ["all", "pattern"],
        conflicts_with_all = ["all", "pattern"],
        add = clap_complete::ArgValueCandidates::new(crate::complete::role_names)
    )]
    pub names: Vec<String>,
    /// Exactly the remembered roles (ARNs granted before for others are dropped).
    #[arg(long, conflicts_with = "pattern")]
    pub all: bool,
    /// One role ARN pattern instead of the ARNs, e.g. 'arn:aws:iam::*:role/*-access-me'.
    #[arg(long, value_name = "ARN_PATTERN")]
    pub pattern: Option<String>,
    /// Print the document and the IAM calls it would make; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args, Clone)]
pub struct ConsoleArgs {
    #[command(flatten)]
    pub switch: SwitchArgs,
    /// Print the sign-in URL instead of opening a browser.
    #[arg(long)]
    pub print: bool,
    /// The console page to open: an https:// URL or a service name (s3, ec2, ...).
    #[arg(long, value_name = "URL|SERVICE")]
    pub destination: Option<String>,
    /// Print the console's plain Switch Role link instead (no credentials needed).
    #[arg(long, conflicts_with_all = ["print", "destination", "refresh", "mfa_code"])]
    pub switch_url: bool,
}

/// `add`'s arguments, one per role key that has an [`schema::Arg`] in the schema: built
/// from [`schema::ROLE_KEYS`], so a new key gets its flag without an edit here.
#[derive(Debug, Clone, Default)]
pub struct AddArgs {
    /// The values given, as typed, by TOML key (a flag set with no value: `["true"]`).
    pub values: Vec<(&'static str, Vec<String>)>,
}

impl AddArgs {
    /// The values given for the key `toml`.
    pub fn get(&self, toml: &str) -> Option<&[String]> {
        self.values
            .iter()
            .find(|(key, _)| *key == toml)
            .map(|(_, values)| values.as_slice())
    }
}

impl Args for AddArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        schema::ROLE_KEYS.iter().fold(command, |command, key| {
            let Some(arg) = &key.arg else { return command };
            let mut clap_arg = clap::Arg::new(key.toml)
                .help(arg.help)
                .required(arg.required)
                .action(match key.slot {
                    Slot::Bool(_) => ArgAction::SetTrue,
                    Slot::List(..) => ArgAction::Append,
                    _ => ArgAction::Set,
                });
            if let Some(long) = arg.long {
                clap_arg = clap_arg.long(long);
            }
            if !matches!(key.slot, Slot::Bool(_)) {
                clap_arg = clap_arg.value_name(arg.value_name);
            }
            command.arg(clap_arg)
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

impl FromArgMatches for AddArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let values = schema::ROLE_KEYS
            .iter()
            .filter(|key| key.arg.is_some())
            .filter_map(|key| {
                let values: Vec<String> = match key.slot {
                    Slot::Bool(_) => matches
                        .get_flag(key.toml)
                        .then(|| vec!["true".to_string()])?,
                    _ => matches.get_many::<String>(key.toml)?.cloned().collect(),
                };
                Some((key.toml, values))
            })
            .collect();
        Ok(AddArgs { values })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}
