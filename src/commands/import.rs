//! `switchrole import aws-config | aesr | organizations`: read the source, import, print the
//! report (added, already there, conflicting, bad, left out). Exit 1 when an entry was bad
//! or conflicting (the others are imported all the same).

use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::aws::SdkSts;
use crate::aws::organizations::{Organizations, SdkOrganizations};
use crate::cli::ImportSource;
use crate::config::{self, Role};
use crate::import::{self, Parsed, Report, Verdict, aesr, aws_config, organizations};
use crate::untrusted::escape_controls;

pub fn run(config_path: &Path, source: ImportSource) -> anyhow::Result<i32> {
    let (from, parsed, dry_run) = match source {
        ImportSource::AwsConfig { file, dry_run } => {
            let file = file.unwrap_or_else(aws_config::default_path);
            let parsed = aws_config::read(&file)?;
            (file.display().to_string(), parsed, dry_run)
        }
        ImportSource::Aesr { file, dry_run } => {
            let text = if file.as_os_str() == "-" {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .context("cannot read standard input")?;
                text
            } else {
                std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?
            };
            (file.display().to_string(), aesr::parse(&text), dry_run)
        }
        ImportSource::Organizations {
            profile,
            role,
            dry_run,
        } => {
            let (from, parsed) = from_organization(config_path, profile, role.as_deref())?;
            (from, parsed, dry_run)
        }
    };
    let report = import::import(config_path, parsed, dry_run)?;
    print_report(&from, &report);
    Ok(if report.is_complete() { 0 } else { 1 })
}

/// The roles of the Organization seen by `profile` (else `[defaults] source_profile`, else
/// the default chain). An explicit profile other than the default one becomes the roles'
/// `source_profile`: the account that lists them is the one that can assume them.
fn from_organization(
    config_path: &Path,
    profile: Option<String>,
    role: Option<&str>,
) -> anyhow::Result<(String, Parsed)> {
    let config = config::load(config_path)?;
    let default_profile = config.defaults.source_profile.clone();
    let signer = profile.clone().or_else(|| default_profile.clone());
    let sts = SdkSts::new();
    let listing = SdkOrganizations::new(&sts)
        .listing(signer.as_deref())
        .map_err(import::ImportError::from)?;
    let source_profile = profile.filter(|p| Some(p) != default_profile.as_ref());
    let from = match &signer {
        Some(p) => format!("the AWS Organization (profile \"{}\")", escape_controls(p)),
        None => "the AWS Organization".to_string(),
    };
    Ok((
        from,
        organizations::drafts(&listing, role, source_profile.as_deref()),
    ))
}

fn print_report(from: &str, report: &Report) {
    let would = if report.dry_run { "would be " } else { "" };
    println!(
        "Import from {} into {}{}:",
        escape_controls(from),
        report.config_path.display(),
        if report.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    for (role, origin, verdict) in &report.entries {
        let name = escape_controls(&role.name);
        match verdict {
            Verdict::Added => println!("  {would}added: \"{name}\" ({})", arn_of(report, role)),
            Verdict::AlreadyThere { as_name } if *as_name == role.name => {
                println!("  already there: \"{name}\"")
            }
            Verdict::AlreadyThere { as_name } => println!(
                "  already there: \"{name}\" (as \"{}\")",
                escape_controls(as_name)
            ),
            Verdict::Conflict { existing } => println!(
                "  conflict: \"{name}\" ({origin}) is {}, but the remembered \"{name}\" is {}: not overwritten",
                role.account_and_role(),
                escape_controls(existing)
            ),
        }
    }
    for bad in &report.bad {
        println!("  bad: {bad}");
    }
    for skipped in &report.skipped {
        println!("  left out: {skipped}");
    }
    let count = |wanted: fn(&Verdict) -> bool| report.count(wanted);
    println!(
        "{} {would}added, {} already there, {} conflicting, {} bad",
        count(|v| *v == Verdict::Added),
        count(|v| matches!(v, Verdict::AlreadyThere { .. })),
        count(|v| matches!(v, Verdict::Conflict { .. })),
        report.bad.len()
    );
}

fn arn_of(report: &Report, role: &Role) -> String {
    format!(
        "arn:{}:iam::{}:role/{}",
        report.partition, role.account_id, role.role_name
    )
}
