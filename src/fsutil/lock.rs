//! Advisory locks that never wait forever: a lock file created 0600 (whatever the umask, so
//! no other user can open it to take the lock), a bounded wait, and on timeout an error that
//! says who holds the lock (from `/proc/locks`, else the pid the holder wrote into the file).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::time::Duration;

/// How long [`lock_exclusive`] waits before giving up (the config lock).
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Takes an exclusive advisory lock on `lock_path` (created 0600 if needed), waiting at most
/// [`LOCK_WAIT`]; released on drop. On timeout the error (kind `TimedOut`) names the holder.
pub fn lock_exclusive(lock_path: &Path) -> io::Result<File> {
    lock_exclusive_within(lock_path, LOCK_WAIT)
}

/// [`lock_exclusive`] waiting at most `wait`.
pub fn lock_exclusive_within(lock_path: &Path, wait: Duration) -> io::Result<File> {
    let mut file = open_private(lock_path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::Error(e)) => return Err(e),
        Err(TryLockError::WouldBlock) => wait_for_lock(&file, wait).map_err(|e| match e {
            Waited::Failed(e) => e,
            Waited::TimedOut => timed_out(lock_path, &mut file, wait),
        })?,
    }
    // Who holds the lock, for the next one who has to wait (best effort).
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(file)
}

enum Waited {
    Failed(io::Error),
    TimedOut,
}

/// Waits in the kernel (so the lock is ours the moment it is released) on a second handle
/// of the same open file, from a thread that can be left behind: the lock belongs to the
/// open file, so once it is taken `file` holds it. When the wait times out the thread
/// stays blocked; when it gets the lock later nobody listens, and dropping its handle
/// (the last one) releases the lock at once.
fn wait_for_lock(file: &File, wait: Duration) -> Result<(), Waited> {
    let handle = file.try_clone().map_err(Waited::Failed)?;
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("lock-wait".into())
        .spawn(move || {
            let result = handle.lock();
            let _ = sender.send(result);
        })
        .map_err(Waited::Failed)?;
    match receiver.recv_timeout(wait) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Waited::Failed(e)),
        Err(_) => Err(Waited::TimedOut),
    }
}

/// Opens (or creates) the lock file readable and writable by its owner alone; an existing
/// file of ours that others could open is tightened first.
fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).read(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = file.metadata()?;
        let ours = meta.uid() == rustix::process::geteuid().as_raw();
        if ours && meta.mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

fn timed_out(path: &Path, file: &mut File, waited: Duration) -> io::Error {
    let holder = holder_from_proc_locks(file).or_else(|| pid_in_file(file).map(describe_pid));
    let by = holder.map_or_else(String::new, |who| format!(", held by {who}"));
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "gave up waiting for the lock {} after {}{by}; try again when it is released",
            crate::untrusted::escape_controls(&path.display().to_string()),
            humane(waited)
        ),
    )
}

fn humane(wait: Duration) -> String {
    if wait.as_secs() >= 1 {
        format!("{} s", wait.as_secs())
    } else {
        format!("{} ms", wait.as_millis())
    }
}

/// The pid the last holder wrote into the file.
fn pid_in_file(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// The process holding a lock on `file`'s inode, from Linux's `/proc/locks`.
#[cfg(target_os = "linux")]
fn holder_from_proc_locks(file: &File) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    let id = format!(
        "{:02x}:{:02x}:{}",
        libc::major(meta.dev()),
        libc::minor(meta.dev()),
        meta.ino()
    );
    let table = std::fs::read_to_string("/proc/locks").ok()?;
    table.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        // "1: FLOCK  ADVISORY  WRITE 12897 fe:00:5808130 0 EOF"; waiters carry "->".
        if fields.get(1) == Some(&"->") || fields.get(5) != Some(&id.as_str()) {
            return None;
        }
        fields.get(4)?.parse().ok().map(describe_pid)
    })
}

#[cfg(not(target_os = "linux"))]
fn holder_from_proc_locks(_file: &File) -> Option<String> {
    None
}

/// "pid 123 (vim, user alice)", with what can be found about the process.
fn describe_pid(pid: u32) -> String {
    let proc_dir = Path::new("/proc").join(pid.to_string());
    let command = std::fs::read_to_string(proc_dir.join("comm"))
        .ok()
        .map(|c| crate::untrusted::escape_controls(c.trim()).into_owned());
    #[cfg(unix)]
    let user = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&proc_dir)
            .ok()
            .map(|m| format!("user {}", user_name(m.uid())))
    };
    #[cfg(not(unix))]
    let user: Option<String> = None;
    let details: Vec<String> = command.into_iter().chain(user).collect();
    if details.is_empty() {
        format!("pid {pid}")
    } else {
        format!("pid {pid} ({})", details.join(", "))
    }
}

/// The login name of `uid` from `/etc/passwd`, else the number.
#[cfg(unix)]
fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let id: u32 = fields.nth(1)?.parse().ok()?;
            (id == uid).then(|| crate::untrusted::escape_controls(name).into_owned())
        })
        .unwrap_or_else(|| uid.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_held_lock_times_out_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.lock");
        let _held = lock_exclusive(&path).unwrap();
        let started = Instant::now();
        let err = lock_exclusive_within(&path, Duration::from_millis(100)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        let text = err.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("x.lock"), "{text}");
    }

    #[test]
    fn a_waiter_gets_the_lock_when_it_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.lock");
        let held = lock_exclusive(&path).unwrap();
        let waiter = std::thread::spawn({
            let path = path.clone();
            move || lock_exclusive_within(&path, Duration::from_secs(10)).map(|_| ())
        });
        std::thread::sleep(Duration::from_millis(50));
        drop(held);
        waiter.join().unwrap().unwrap();
        // A wait that timed out leaves nothing held once its thread gets the lock.
        let held = lock_exclusive(&path).unwrap();
        assert!(lock_exclusive_within(&path, Duration::from_millis(20)).is_err());
        drop(held);
        std::thread::sleep(Duration::from_millis(50));
        drop(lock_exclusive_within(&path, Duration::from_millis(500)).unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn lock_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("y.lock");
        std::fs::write(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        drop(lock_exclusive(&path).unwrap());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
