//! `switchrole prompt [--format plain|ansi]`: the prompt segment from the environment
//! alone, for prompts that call a command. The `switchrole` front answers it ([`fast`])
//! without the command-line parser, so that it costs little more than starting a process.

use std::io::Write;
use std::time::SystemTime;

use crate::shell_init::segment::{Env, PromptFormat, segment};

/// Prints the segment (nothing outside a switchrole session).
pub fn run(format: PromptFormat) -> anyhow::Result<i32> {
    if let Some(segment) = segment(&Env::current(), SystemTime::now()) {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", segment.render(format))?;
    }
    Ok(0)
}

/// `prompt`, `prompt --format F` or `prompt --format=F` as the whole command line (after
/// the program name): answered at once, with its exit code. Anything else (`--help`, a
/// bad format, other options) is left to the full parser.
pub fn fast(args: &[std::ffi::OsString]) -> Option<i32> {
    let args: Vec<&str> = args.iter().map(|a| a.to_str()).collect::<Option<_>>()?;
    let format = match args.as_slice() {
        ["prompt"] => PromptFormat::Plain,
        ["prompt", "--format", format] => PromptFormat::parse(format)?,
        ["prompt", option] => PromptFormat::parse(option.strip_prefix("--format=")?)?,
        _ => return None,
    };
    Some(run(format).map_or(1, |code| code))
}
