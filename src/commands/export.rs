//! `switchrole export aws-config | aesr`: write the profiles (or print the extension's
//! list) and say what was left out.

use std::path::Path;

use super::load_config;
use crate::cli::ExportTarget;
use crate::export::{aesr, aws_config};
use crate::untrusted::escape_controls;

pub fn run(config_path: &Path, target: ExportTarget) -> anyhow::Result<i32> {
    let config = load_config(config_path)?;
    match target {
        ExportTarget::AwsConfig { file, prefix } => {
            let file = file.unwrap_or_else(crate::import::aws_config::default_path);
            let exported = aws_config::export(&config, &file, &prefix)?;
            for (name, profile) in &exported.profiles {
                println!("[profile {profile}] -> \"{}\"", escape_controls(name));
            }
            for (name, reason) in &exported.left_out {
                eprintln!(
                    "switchrole: warning: \"{}\" left out: {reason}",
                    escape_controls(name)
                );
            }
            println!(
                "{} profiles in {}{}",
                exported.profiles.len(),
                file.display(),
                if exported.changed { "" } else { " (unchanged)" }
            );
            if let Some(warning) = aws_config::path_warning() {
                eprintln!("switchrole: warning: {warning}");
            }
        }
        ExportTarget::Aesr => {
            let exported = aesr::export(&config);
            // Line by line: the names are validated, but escaped all the same (SPEC 10).
            for line in exported.text.lines() {
                println!("{}", escape_controls(line));
            }
            for (name, reason) in &exported.left_out {
                eprintln!(
                    "switchrole: warning: \"{}\" left out: {reason}",
                    escape_controls(name)
                );
            }
        }
    }
    Ok(0)
}
