//! `switchrole console NAME [--print] [--destination URL|SERVICE] [--switch-url]`: the AWS
//! console signed in as the role (federation), or the console's plain switch-role link.

use std::path::Path;

use super::{TerminalMfa, load_config, print_warnings};
use crate::aws::console;
use crate::aws::{Switcher, Target};
use crate::cli::ConsoleArgs;

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
    let target = Target::new(&config, role);
    let switcher = Switcher::standard();
    let mfa = TerminalMfa(args.switch.mfa_code.clone());
    let assumed = switcher.credentials(&target, args.switch.refresh, &mfa)?;
    print_warnings(&assumed.warnings);
    let url = console::console_url(
        &config,
        role,
        &assumed.credentials,
        switcher.base_is_temporary(&target),
        args.destination.as_deref(),
    )?;
    switcher.record_use(&role.name);
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
