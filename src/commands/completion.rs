//! Shell integration beyond `completions SHELL`: the man page (clap_mangen). Dynamic
//! completion of role names lives in [`crate::complete`], which `cli` names.

use clap::CommandFactory;

use crate::cli::Cli;

/// `switchrole man`: the man page, as roff, on stdout.
pub fn man() -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    match clap_mangen::Man::new(Cli::command()).render(&mut out) {
        // `switchrole man | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        result => result.map(|()| 0).map_err(Into::into),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
