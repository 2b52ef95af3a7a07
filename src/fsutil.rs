//! File-system primitives shared by the config, cache and state stores: atomic replacement
//! (temp file in the same directory, fsync, rename), bounded advisory locks ([`lock`]),
//! private directories and files made 0700/0600 whatever the umask, and the one check of
//! whether a file or directory is ours and private. Knows no file formats.

mod lock;

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

pub use lock::{LOCK_WAIT, lock_exclusive, lock_exclusive_within};

/// Replaces `path` with `contents` atomically: readers see the old file or the new one, never
/// a torn write. `mode` sets the Unix permissions of the new file; `None` keeps the old
/// file's permissions (or the temp file's 0600 when there is none).
pub fn write_atomic(path: &Path, contents: &[u8], mode: Option<u32>) -> io::Result<()> {
    write_atomic_with(path, mode, |file| file.write_all(contents))
}

/// [`write_atomic`] without the fsyncs, for files that can be rebuilt (snapshots, usage
/// counts): still never torn, but a crash may lose the latest version.
pub fn write_atomic_unsynced(path: &Path, contents: &[u8], mode: Option<u32>) -> io::Result<()> {
    write_atomic_unsynced_with(path, mode, |file| file.write_all(contents))
}

/// [`write_atomic_unsynced`] with the writing done by `write` (a failure leaves `path` as it
/// was, and no temp file).
pub fn write_atomic_unsynced_with(
    path: &Path,
    mode: Option<u32>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let mut temp = tempfile::Builder::new()
        .prefix(".switchrole-")
        .suffix(".tmp")
        .tempfile_in(parent_dir(path))?;
    write(temp.as_file_mut())?;
    set_mode(temp.as_file(), path, mode)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// [`write_atomic`] with the writing done by `write`: if it fails (a full disk, say), the
/// temp file is removed and `path` is left as it was.
pub fn write_atomic_with(
    path: &Path,
    mode: Option<u32>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".switchrole-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(temp.as_file_mut())?;
    set_mode(temp.as_file(), path, mode)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// `path` with symlinks followed to the real file (unchanged when it is not a link or the
/// link is dangling), so that writes replace the target, not the link.
pub fn resolve_symlinks(path: &Path) -> std::path::PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    }
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Creates `dir` (and parents) readable only by the owner, and tightens it if it exists.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    create_dirs(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Creates the missing directories of `dir` as 0700 whatever the umask; directories that
/// already exist are left as they are (the config may live in a directory of the user's).
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// True when `path` is a regular file (not a link) owned by us that no one else can read or
/// write (always true off Unix for an existing file). What switchrole reads back from its
/// cache and state dirs is trusted only then.
pub fn is_private_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && is_ours_and_private(&m))
}

/// The contents of `path` when it is a regular file owned by us that no one else can read
/// or write, checked on the opened file itself (a link is not followed, and a file swapped
/// in after a check is never read).
pub fn read_private(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = open_private(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// `path` opened for reading when it is a regular file owned by us that no one else can
/// read or write, as [`read_private`] checks it.
pub fn open_private(path: &Path) -> Option<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    (meta.is_file() && is_ours_and_private(&meta)).then_some(file)
}

/// `path` opened for appending (made 0600 when missing) when it is a regular file owned by
/// us that no one else can read or write; else an error of kind `PermissionDenied`.
pub fn open_private_append(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !(meta.is_file() && is_ours_and_private(&meta)) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} is not private to you", path.display()),
        ));
    }
    Ok(file)
}

/// True when `dir` is a directory (not a link) owned by us that no one else can enter or
/// write (always true off Unix for an existing directory).
pub fn is_private_dir(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir() && is_ours_and_private(&m))
}

#[cfg(unix)]
fn is_ours_and_private(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o077 == 0
}

#[cfg(not(unix))]
fn is_ours_and_private(_meta: &std::fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn set_mode(file: &File, target: &Path, mode: Option<u32>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = match mode {
        Some(mode) => mode,
        None => match std::fs::metadata(target) {
            Ok(meta) => meta.permissions().mode() & 0o7777,
            Err(_) => 0o600,
        },
    };
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &File, _target: &Path, _mode: Option<u32>) -> io::Result<()> {
    Ok(())
}

fn sync_dir(dir: &Path) {
    // Durability of the rename; a failure here does not make the write wrong.
    #[cfg(unix)]
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomic(&path, b"one", Some(0o640)).unwrap();
        write_atomic(&path, b"two", None).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp files left behind");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomic(&path, b"previous", None).unwrap();
        let err = write_atomic_with(&path, None, |file| {
            file.write_all(b"half of the new")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        })
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(std::fs::read(&path).unwrap(), b"previous");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "the temp file was removed");
    }
}
