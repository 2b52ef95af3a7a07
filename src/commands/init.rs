//! `switchrole init SHELL [--cmd NAME] [--no-prompt]`: prints the shell integration script
//! (SPEC 4b) for the user's rc file.

use crate::shell_init::{self, Mode, Shell};

pub fn run(shell: Shell, command: &str, no_prompt: bool) -> anyhow::Result<i32> {
    let text = shell_init::script(shell, command, Mode::Full { prompt: !no_prompt })?;
    print!("{text}");
    Ok(0)
}
