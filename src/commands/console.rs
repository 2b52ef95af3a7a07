//! `switchrole console NAME [--print] [--destination URL|SERVICE] [--switch-url]`: the AWS
//! console signed in as the role (federation), or the console's plain switch-role link.

use std::path::Path;

use super::{TerminalMfa, load_config};
use crate::aws::CredentialCache;
use crate::aws::console;
use crate::aws::switch::credentials_for;
use crate::cli::ConsoleArgs;
use crate::state;

pub fn run(path: &Path, args: &ConsoleArgs) -> anyhow::Result<i32> {
    let config = load_config(path)?;
    let role = config.find(&args.switch.name)?;
    if args.switch_url {
        println!("{}", console::switch_url(&config, role)?);
        return Ok(0);
    }
    let effective = config.effective(role);
    // Refuse a bad destination or partition before any credentials are fetched.
    console::destination(
        &effective.partition,
        effective.region.as_deref(),
        args.destination.as_deref(),
    )?;
    let cache = CredentialCache::default_location();
    let mfa = TerminalMfa(args.switch.mfa_code.clone());
    let creds = credentials_for(&config, role, &cache, args.switch.refresh, &mfa)?;
    let url = console::console_url(&config, role, &creds, args.destination.as_deref())?;
    // Usage feeds the TUI's ordering; failing to record it must not stop the sign-in.
    let _ = state::record_use(&state::default_path(), &role.name);
    if args.print {
        println!("{url}");
    } else {
        console::open_browser(&url)?;
        eprintln!(
            "switchrole: opened the console for {} in your browser",
            role.name
        );
    }
    Ok(0)
}
