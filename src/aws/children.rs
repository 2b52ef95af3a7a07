//! Ending what a stuck step started: the base credentials' resolution may run a
//! `credential_process` (through `sh -c`), which the SDK does not kill when switchrole gives
//! up on it. [`current`] notes our children before the step; [`end_new`] ends the ones
//! started since, with their descendants. Linux reads `/proc`; elsewhere it does nothing.

use std::collections::{HashMap, HashSet};

/// The process IDs of our children now.
pub fn current() -> HashSet<u32> {
    let me = std::process::id();
    parents()
        .into_iter()
        .filter(|&(_, parent)| parent == me)
        .map(|(pid, _)| pid)
        .collect()
}

/// Sends SIGTERM to every child not in `before`, and to all their descendants.
pub fn end_new(before: &HashSet<u32>) {
    let parents = parents();
    let me = std::process::id();
    let mut doomed: Vec<u32> = parents
        .iter()
        .filter(|&(pid, parent)| *parent == me && !before.contains(pid))
        .map(|(pid, _)| *pid)
        .collect();
    let mut index = 0;
    while index < doomed.len() {
        let parent = doomed[index];
        doomed.extend(
            parents
                .iter()
                .filter(|&(_, p)| *p == parent)
                .map(|(pid, _)| *pid),
        );
        index += 1;
    }
    for pid in doomed {
        terminate(pid);
    }
}

#[cfg(target_os = "linux")]
fn parents() -> HashMap<u32, u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return HashMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
            let after = stat.get(stat.rfind(')')? + 1..)?;
            let parent = after.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, parent))
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn parents() -> HashMap<u32, u32> {
    HashMap::new()
}

#[cfg(unix)]
fn terminate(pid: u32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) with a pid we just read as our descendant; no memory is touched.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
}

#[cfg(not(unix))]
fn terminate(_pid: u32) {}
