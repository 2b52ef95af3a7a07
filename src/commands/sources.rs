//! `switchrole sources list` (each team source: its name, its file, how many roles it gives,
//! its problems) and `sources pull` (`git pull --ff-only` in each source's checkout through
//! the git CLI: the team's distribution engine is git). Git's output and the team's text are
//! other people's: shown escaped (SPEC 10).

use std::path::Path;
use std::process::Command;

use crate::cli::SourcesCommand;
use crate::config::{self, Config, SourceEntry, sources};
use crate::untrusted::escape_controls;

pub fn run(path: &Path, command: SourcesCommand) -> anyhow::Result<i32> {
    // Loaded without `load_config`: the problems are this command's output, not warnings.
    let config = config::load(path)?;
    if config.team.sources.is_empty() {
        print_no_sources(&config);
        return Ok(0);
    }
    match command {
        SourcesCommand::List => {
            print_list(&config);
            Ok(0)
        }
        SourcesCommand::Pull => pull_all(path, &config),
    }
}

fn print_no_sources(config: &Config) {
    println!(
        "No team sources in {}. A team's roles file (in the [[roles]] format, typically in \
         a git checkout) is added to the config like this:",
        escape_controls(&config.path.display().to_string())
    );
    println!();
    println!("[[sources]]");
    println!("name = \"platform-team\"");
    println!("path = \"~/src/team-roles/roles.toml\"");
}

/// How many roles of the source named `name` are in the list.
fn role_count(config: &Config, name: &str) -> usize {
    config
        .roles
        .iter()
        .filter(|r| r.source.as_deref() == Some(name))
        .count()
}

fn print_list(config: &Config) {
    let name_width = config
        .team
        .sources
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    println!("{:name_width$}  {:>5}  FILE", "SOURCE", "ROLES");
    for entry in &config.team.sources {
        print_source(config, entry, name_width);
    }
}

fn print_source(config: &Config, entry: &SourceEntry, name_width: usize) {
    let file = sources::resolve(&entry.path, &config.path);
    let padding = name_width.saturating_sub(entry.name.chars().count());
    println!(
        "{}{:padding$}  {:>5}  {}",
        escape_controls(&entry.name),
        "",
        role_count(config, &entry.name),
        escape_controls(&file.display().to_string())
    );
    for warning in config.team.warnings_of(&entry.name) {
        println!("  problem: {warning}");
    }
}

/// Pulls every source in turn; a failure is reported and the next source pulled all the same.
/// Exit code 1 when any failed.
fn pull_all(path: &Path, config: &Config) -> anyhow::Result<i32> {
    let mut failed = 0;
    for entry in &config.team.sources {
        if !pull(config, entry) {
            failed += 1;
        }
    }
    // What the sources hold now.
    let after = config::load(path)?;
    println!();
    print_list(&after);
    if failed > 0 {
        eprintln!(
            "switchrole: {failed} of {} sources could not be pulled",
            config.team.sources.len()
        );
        return Ok(1);
    }
    Ok(0)
}

/// `git -C <directory of the source's file> pull --ff-only`, its output shown indented and
/// escaped; true when git succeeded.
fn pull(config: &Config, entry: &SourceEntry) -> bool {
    let name = escape_controls(&entry.name);
    let file = sources::resolve(&entry.path, &config.path);
    let dir = crate::fsutil::parent_dir(&file);
    let shown_dir = escape_controls(&dir.display().to_string()).into_owned();
    if !dir.is_dir() {
        println!("{name}: {shown_dir} is not a directory: nothing to pull");
        return false;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["pull", "--ff-only"])
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            println!("{name}: cannot run git in {shown_dir}: {e}");
            return false;
        }
    };
    let verdict = if output.status.success() {
        "pulled".to_string()
    } else {
        match output.status.code() {
            Some(code) => format!("git pull failed (exit code {code})"),
            None => "git pull was killed by a signal".to_string(),
        }
    };
    println!("{name}: {verdict} in {shown_dir}");
    for bytes in [&output.stdout, &output.stderr] {
        for line in String::from_utf8_lossy(bytes).lines() {
            if !line.trim().is_empty() {
                println!("  {}", escape_controls(line));
            }
        }
    }
    output.status.success()
}
