//! The snapshots' per-user key (32 random bytes in `snapshot.key`, 0600, in the private
//! cache dir above the snapshots) and the keyed BLAKE3 tag (a MAC) that starts every
//! snapshot file.
//! A key that is not ours and private is never used.

use std::io::{Read, Write};
use std::path::Path;

use crate::fsutil;

const KEY_LEN: usize = 32;
pub const TAG_LEN: usize = 32;
const KEY_FILE: &str = "snapshot.key";

pub struct Key([u8; KEY_LEN]);

/// The key in `dir`, if it is there, ours and private.
pub fn read(dir: &Path) -> Option<Key> {
    let path = dir.join(KEY_FILE);
    if !fsutil::is_private_file(&path) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    Some(Key(bytes.try_into().ok()?))
}

/// The key in `dir`, made now when there is none (or only one that cannot be trusted).
pub fn read_or_create(dir: &Path) -> Option<Key> {
    if let Some(key) = read(dir) {
        return Some(key);
    }
    let path = dir.join(KEY_FILE);
    // An untrusted key is replaced; a concurrent writer's key wins the race below.
    if std::fs::symlink_metadata(&path).is_ok() {
        std::fs::remove_file(&path).ok()?;
    }
    let mut fresh = [0u8; KEY_LEN];
    std::fs::File::open("/dev/urandom")
        .ok()?
        .read_exact(&mut fresh)
        .ok()?;
    let mut temp = tempfile::Builder::new()
        .prefix(".switchrole-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .ok()?;
    temp.write_all(&fresh).ok()?;
    match temp.persist_noclobber(&path) {
        Ok(_) => Some(Key(fresh)),
        Err(_) => read(dir),
    }
}

/// A writer that passes the body of a signed file on to `out` and works out its tag on
/// the way.
pub struct Signing<W> {
    out: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Signing<W> {
    pub fn new(key: &Key, out: W) -> Signing<W> {
        Signing {
            out,
            hasher: blake3::Hasher::new_keyed(&key.0),
        }
    }

    /// The tag of everything written.
    pub fn tag(&self) -> [u8; TAG_LEN] {
        *self.hasher.finalize().as_bytes()
    }
}

impl<W: Write> Write for Signing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes)?;
        self.hasher.update(bytes.get(..written).unwrap_or_default());
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The body of a signed file, if its tag is right.
pub fn verify<'b>(key: &Key, signed: &'b [u8]) -> Option<&'b [u8]> {
    let (tag, body) = signed.split_at_checked(TAG_LEN)?;
    let tag: [u8; TAG_LEN] = tag.try_into().ok()?;
    // `Hash`'s comparison takes constant time.
    (blake3::keyed_hash(&key.0, body) == blake3::Hash::from_bytes(tag)).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_fails_verification() {
        let dir = tempfile::tempdir().unwrap();
        let key = read_or_create(dir.path()).unwrap();
        let mut signing = Signing::new(&key, Vec::new());
        signing.write_all(b"roles").unwrap();
        let mut signed = [signing.tag().as_slice(), &signing.out].concat();
        assert_eq!(verify(&key, &signed), Some(&b"roles"[..]));
        let last = signed.len() - 1;
        signed[last] ^= 1;
        assert_eq!(verify(&key, &signed), None);
        assert_eq!(read(dir.path()).unwrap().0, key.0, "the key is kept");
    }
}
