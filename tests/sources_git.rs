//! `switchrole sources pull` with the real git CLI (SPEC 8: the team's distribution engine is
//! git): a bare repository as the team's remote, a clone of it as the user's source, a new
//! commit pushed from another clone; `sources pull` brings the new role into `list`. A source
//! that cannot be pulled is reported and the others are pulled all the same. Without git the
//! tests print SKIPPED.

mod common;
mod sources_support;

use std::path::{Path, PathBuf};

use common::TestEnv;
use sources_support::{git, have_git, listed, role, run, source, write};

/// The team's remote (bare), a lead's clone that pushes, and the user's clone as the source.
struct Team {
    lead: PathBuf,
    user: PathBuf,
}

fn team_repository(root: &Path) -> Team {
    let bare = root.join("remote/team-roles.git");
    std::fs::create_dir_all(&bare).unwrap();
    git(
        &bare,
        &["init", "--quiet", "--bare", "--initial-branch=main"],
    );
    let lead = root.join("lead");
    git(
        root,
        &[
            "clone",
            "--quiet",
            bare.to_str().unwrap(),
            lead.to_str().unwrap(),
        ],
    );
    git(&lead, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    write(&lead.join("roles.toml"), &role("Team prod", "222222222222"));
    git(&lead, &["add", "roles.toml"]);
    git(&lead, &["commit", "--quiet", "-m", "First team role"]);
    git(&lead, &["push", "--quiet", "origin", "main"]);
    let user = root.join("checkouts/team-roles");
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    git(
        root,
        &[
            "clone",
            "--quiet",
            bare.to_str().unwrap(),
            user.to_str().unwrap(),
        ],
    );
    Team { lead, user }
}

fn push_new_role(team: &Team) {
    let file = team.lead.join("roles.toml");
    let text = std::fs::read_to_string(&file).unwrap() + &role("Team new", "333333333333");
    write(&file, &text);
    git(
        &team.lead,
        &["commit", "--quiet", "-am", "Another team role"],
    );
    git(&team.lead, &["push", "--quiet", "origin", "main"]);
}

fn names(env: &TestEnv) -> Vec<String> {
    listed(env).into_iter().map(|(name, _)| name).collect()
}

#[test]
fn sources_pull_brings_a_pushed_role_into_the_list() {
    if !have_git("sources_pull_brings_a_pushed_role_into_the_list") {
        return;
    }
    let env = TestEnv::new("http://127.0.0.1:9");
    let team = team_repository(env.home());
    env.write_config(&format!(
        "{}{}",
        role("Mine", "111111111111"),
        source("team", "~/checkouts/team-roles/roles.toml")
    ));
    assert_eq!(names(&env), ["Mine", "Team prod"]);

    push_new_role(&team);
    assert_eq!(names(&env), ["Mine", "Team prod"], "not pulled yet");
    let (ok, out, err) = run(&env, &["sources", "pull"]);
    assert!(ok, "{out}{err}");
    let shown_dir = team.user.display().to_string();
    assert!(
        out.contains(&format!("team: pulled in {shown_dir}")),
        "{out}"
    );
    assert!(
        out.contains("Fast-forward"),
        "git's own report is shown: {out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("team") && l.contains("  2  ")),
        "the source's roles after the pull: {out}"
    );
    assert_eq!(names(&env), ["Mine", "Team prod", "Team new"]);

    let (ok, out, _) = run(&env, &["sources", "pull"]);
    assert!(ok && out.contains("Already up to date"), "{out}");
}

#[test]
fn a_source_that_cannot_be_pulled_does_not_stop_the_others() {
    if !have_git("a_source_that_cannot_be_pulled_does_not_stop_the_others") {
        return;
    }
    let env = TestEnv::new("http://127.0.0.1:9");
    let team = team_repository(env.home());
    // First a source outside any repository, then one whose directory is missing, then the
    // real one.
    let loose = env.home().join("loose/roles.toml");
    write(&loose, &role("Loose", "444444444444"));
    env.write_config(&format!(
        "{}{}{}",
        source("loose", "~/loose/roles.toml"),
        source("gone", "~/gone/roles.toml"),
        source("team", "~/checkouts/team-roles/roles.toml")
    ));
    push_new_role(&team);
    let out = env.run(&["sources", "pull"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("loose: git pull failed"), "{stdout}");
    assert!(
        stdout.contains("not a git repository"),
        "git's reason: {stdout}"
    );
    assert!(
        stdout.contains("gone: ") && stdout.contains("nothing to pull"),
        "{stdout}"
    );
    assert!(stdout.contains("team: pulled"), "{stdout}");
    assert!(
        stderr.contains("2 of 3 sources could not be pulled"),
        "{stderr}"
    );
    assert_eq!(names(&env), ["Loose", "Team prod", "Team new"]);
}
