//! A binary snapshot of the validated config, so that a list of 10,000 roles loads in a few
//! milliseconds instead of being parsed again on every run. It lives in the cache dir, is
//! keyed by the config's path, and is used only while the file's size, modification time,
//! change time and inode are exactly those recorded, and those of each team source's file
//! (or its absence); anything else means "parse again".
//! The TOML file stays the only source of truth: a missing or damaged snapshot is rebuilt,
//! and a file changed within the last seconds is not snapshotted yet.
//!
//! Each role is encoded on its own, so that a reader decodes only what it needs: the heads
//! of the roles to find one or to list them ([`RoleHead`]), the whole of the role it uses.
//!
//! Beside it, [`output`] keeps what `list` printed from it, for the next `list`.
//!
//! A snapshot is trusted (SPEC 3) only when it and its directory are ours and private, and
//! when its keyed hash (keyed BLAKE3 with a per-user random key kept 0600 in the 0700 cache
//! directory) is right: so only this switchrole, after validating the TOML, can have
//! written what is read back, and a planted or edited snapshot is parsed again instead.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::list_index::ListIndex;
use super::model::{Config, Defaults, Role, RoleHead};
use super::sources::Team;
use crate::fsutil;

mod blob;
mod key;
pub mod output;

use blob::{Blob, EncodedRoles};

/// Bumped whenever the snapshot layout or the validation rules change; a snapshot written by
/// another version of switchrole is never used either.
const FORMAT: u32 = 5;
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A file changed less than this long ago is not snapshotted: a same-size rewrite within the
/// file system's timestamp granularity could otherwise leave an identical stamp ("racy
/// clean", as git calls it).
const SETTLE_TIME: std::time::Duration = std::time::Duration::from_secs(2);

/// What identifies one version of the config file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    len: u64,
    modified_ns: u128,
    changed_ns: i128,
    inode: u64,
    device: u64,
}

impl FileStamp {
    /// The stamp of the file at `path` now, if it can be read.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified_ns = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let (changed_ns, inode, device) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
                meta.dev(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode, device) = (0, 0, 0);
        Some(FileStamp {
            len: meta.len(),
            modified_ns,
            changed_ns,
            inode,
            device,
        })
    }
}

/// A team source's file as it was when its roles were read: its stamp, or `None` when it
/// could not be read (missing): part of the snapshot's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    path: PathBuf,
    stamp: Option<FileStamp>,
}

impl SourceStamp {
    pub fn of(path: &Path) -> SourceStamp {
        SourceStamp {
            path: path.to_path_buf(),
            stamp: FileStamp::of(path),
        }
    }

    fn is_current(&self) -> bool {
        FileStamp::of(&self.path) == self.stamp
    }
}

/// What a snapshot (or an output kept beside it) was made from: this switchrole, the
/// config file and the team sources' files, each at its stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    format: u32,
    version: String,
    path: PathBuf,
    stamp: FileStamp,
    /// The team sources' files, in `[[sources]]` order.
    source_stamps: Vec<SourceStamp>,
}

impl Header {
    /// True while the files are as they were (and this is the switchrole that wrote it).
    fn is_current(&self, config_path: &Path, stamp: &FileStamp) -> bool {
        self.format == FORMAT
            && self.version == VERSION
            && self.stamp == *stamp
            && self.path == config_path
            && self.source_stamps.iter().all(SourceStamp::is_current)
    }
}

/// The file's body: `R` is how the roles are written ([`EncodedRoles`]) and read
/// (`Vec<Blob>`), each postcard-encoded on its own.
#[derive(Serialize, Deserialize)]
struct Snapshot<'a, R> {
    header: Header,
    defaults: Defaults,
    roles: R,
    team: Team,
    /// The [`ListIndex`] of the roles, postcard-encoded (decoded only by the TUI).
    #[serde(borrow)]
    index: Blob<'a>,
}

/// The validated list as a snapshot holds it: the defaults, and each role still encoded
/// (borrowed from the snapshot's bytes) until it is asked for.
pub struct Rows<'a> {
    /// What the snapshot was made from, and its tag (an output rendered from these rows is
    /// kept under them).
    pub header: Header,
    pub tag: Tag,
    pub defaults: Defaults,
    roles: Vec<Blob<'a>>,
    /// The team sources and what was wrong with them.
    pub team: Team,
    index: Blob<'a>,
}

impl<'a> Rows<'a> {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// The heads of the roles, in order (a role that does not decode has an empty head,
    /// which no query names; it cannot happen to a signed snapshot).
    pub fn heads(&self) -> impl Iterator<Item = RoleHead<'a>> + Clone + '_ {
        self.roles.iter().map(|bytes| {
            postcard::take_from_bytes(bytes.0).map_or(RoleHead::default(), |(head, _)| head)
        })
    }

    /// The role at `index`, decoded.
    pub fn role(&self, index: usize) -> Option<Role> {
        postcard::from_bytes(self.roles.get(index)?.0).ok()
    }

    /// Every role, decoded.
    pub fn decode_all(&self) -> Option<Vec<Role>> {
        self.roles
            .iter()
            .map(|bytes| postcard::from_bytes(bytes.0).ok())
            .collect()
    }
}

/// The roles of a snapshot, still encoded, with the snapshot's bytes they are in (for a
/// reader that keeps them: the TUI decodes a role when it shows or uses it).
pub struct Encoded {
    map: memmap2::Mmap,
    /// Where each role's encoding is in `map`: start and length.
    spans: Vec<(usize, usize)>,
    pub index: ListIndex,
}

impl Encoded {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn bytes(&self, index: usize) -> Option<&[u8]> {
        let &(start, len) = self.spans.get(index)?;
        self.map.get(start..start.checked_add(len)?)
    }

    /// The head of the role at `index` (see [`Rows::heads`]).
    pub fn head(&self, index: usize) -> Option<RoleHead<'_>> {
        postcard::take_from_bytes(self.bytes(index)?)
            .ok()
            .map(|(head, _)| head)
    }

    /// The display name of the role at `index` (the first field of a role).
    pub fn name(&self, index: usize) -> Option<&str> {
        postcard::take_from_bytes(self.bytes(index)?)
            .ok()
            .map(|(name, _)| name)
    }

    /// The role at `index`, decoded.
    pub fn role(&self, index: usize) -> Option<Role> {
        postcard::from_bytes(self.bytes(index)?).ok()
    }
}

/// Like [`read`], but the roles keep the mapped bytes they are in.
pub fn read_encoded(config_path: &Path, stamp: &FileStamp) -> Option<(Defaults, Team, Encoded)> {
    let mut mapped = Mapped::new();
    let rows = read(config_path, stamp, &mut mapped)?;
    // Addresses for now: the borrow of the map ends with `rows`, and moving the map does
    // not move the mapped bytes.
    let addresses: Vec<(usize, usize)> = rows
        .roles
        .iter()
        .map(|bytes| (bytes.0.as_ptr() as usize, bytes.0.len()))
        .collect();
    let index: ListIndex = postcard::from_bytes(rows.index.0).ok()?;
    let Rows { defaults, team, .. } = rows;
    let map = mapped.0.take()?;
    let base = map.as_ptr() as usize;
    let spans: Vec<(usize, usize)> = addresses
        .into_iter()
        .map(|(address, len)| Some((address.checked_sub(base)?, len)))
        .collect::<Option<_>>()?;
    let complete = [index.by_name.len(), index.favorite.len(), index.team.len()]
        .iter()
        .all(|&len| len == spans.len());
    complete.then_some((defaults, team, Encoded { map, spans, index }))
}

/// The cache directory (which holds the key) and the snapshots' directory in it.
fn dirs() -> Option<(PathBuf, PathBuf)> {
    let cache = crate::dirs::try_cache_dir().ok()?;
    let snapshots = cache.join("snapshots");
    Some((cache, snapshots))
}

/// The name of the snapshot file for the config at `config_path`, or of a file kept beside
/// it (`suffix`).
fn snapshot_name(config_path: &Path, suffix: &str) -> String {
    let absolute = std::path::absolute(config_path).unwrap_or_else(|_| config_path.to_path_buf());
    let digest = Sha256::digest(absolute.as_os_str().as_encoded_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("config-{hex}{suffix}.bin")
}

/// A snapshot file's bytes, mapped into memory (not copied: a 10,000-role snapshot is
/// about 900 KB, and a copy costs a page fault per 4 KB).
pub struct Mapped(Option<memmap2::Mmap>);

impl Mapped {
    pub fn new() -> Mapped {
        Mapped(None)
    }
}

impl Default for Mapped {
    fn default() -> Mapped {
        Mapped::new()
    }
}

/// The defaults, roles (team roles merged) and sources recorded for `config_path` at
/// `stamp`, if the snapshot matches and is trusted (see the module's comment), mapped into
/// `mapped`.
pub fn read<'a>(config_path: &Path, stamp: &FileStamp, mapped: &'a mut Mapped) -> Option<Rows<'a>> {
    let (tag, body) = read_signed(&snapshot_name(config_path, ""), mapped)?;
    let snapshot: Snapshot<Vec<Blob>> = postcard::from_bytes(body).ok()?;
    snapshot
        .header
        .is_current(config_path, stamp)
        .then_some(Rows {
            header: snapshot.header,
            tag,
            defaults: snapshot.defaults,
            roles: snapshot.roles,
            team: snapshot.team,
            index: snapshot.index,
        })
}

/// A signed file's tag: what identifies one snapshot.
pub type Tag = [u8; key::TAG_LEN];

/// The tag and body of the signed file `name` in the snapshots' directory, mapped into
/// `mapped`, when the file, its directory and the key are ours and private and the tag is
/// right.
fn read_signed<'a>(name: &str, mapped: &'a mut Mapped) -> Option<(Tag, &'a [u8])> {
    let (cache, dir) = dirs()?;
    if !(fsutil::is_private_dir(&cache) && fsutil::is_private_dir(&dir)) {
        return None;
    }
    let key = key::read(&cache)?;
    let file = fsutil::open_private(&dir.join(name))?;
    // SAFETY: the file is ours and private (checked above), and switchrole replaces a
    // snapshot only by renaming a new file over it, never by writing it in place, so the
    // mapped bytes do not change under us; they are verified before any is used.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let bytes = mapped.0.insert(map);
    let body = key::verify(&key, bytes)?;
    Some((bytes.get(..key::TAG_LEN)?.try_into().ok()?, body))
}

/// The tag of the signed file `name`, read alone (not checked against the body: a reader
/// uses it to tell which snapshot is there), when the file and its directory are ours and
/// private.
fn read_tag(name: &str) -> Option<Tag> {
    use std::io::Read;
    let (cache, dir) = dirs()?;
    if !(fsutil::is_private_dir(&cache) && fsutil::is_private_dir(&dir)) {
        return None;
    }
    let mut tag = [0u8; key::TAG_LEN];
    fsutil::open_private(&dir.join(name))?
        .read_exact(&mut tag)
        .ok()?;
    Some(tag)
}

/// Writes `body`, serialized and signed, as the file `name` in the snapshots' directory
/// (best effort): streamed to the file and hashed on the way, then the tag in front.
fn write_signed(name: &str, body: &impl Serialize) {
    use std::io::{Seek, Write};
    let Some((cache, dir)) = dirs() else { return };
    let private =
        |dir: &Path| fsutil::create_private_dir(dir).is_ok() && fsutil::is_private_dir(dir);
    if !private(&cache) || !private(&dir) {
        return;
    }
    let Some(key) = key::read_or_create(&cache) else {
        return;
    };
    let _ = fsutil::write_atomic_unsynced_with(&dir.join(name), Some(0o600), |file| {
        file.write_all(&[0; key::TAG_LEN])?;
        let signing = key::Signing::new(&key, &mut *file);
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, signing);
        postcard::to_io(body, &mut out).map_err(std::io::Error::other)?;
        let tag = out.into_inner().map_err(|e| e.into_error())?.tag();
        file.rewind()?;
        file.write_all(&tag)
    });
}

/// True when the file of `stamp` last changed long enough ago (see [`SETTLE_TIME`]).
fn settled(stamp: &FileStamp) -> bool {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .is_ok_and(|now| now.as_nanos().saturating_sub(stamp.modified_ns) > SETTLE_TIME.as_nanos())
}

/// Records the validated `config` of `config_path` at `stamp`, read with its sources' files
/// at `source_stamps` (best effort: a failure only means the next run parses the TOML again).
pub fn write(config_path: &Path, stamp: FileStamp, source_stamps: &[SourceStamp], config: &Config) {
    let sources_settled = source_stamps
        .iter()
        .all(|s| s.stamp.as_ref().is_none_or(settled));
    if !settled(&stamp) || !sources_settled {
        return;
    }
    let Ok(index) = postcard::to_stdvec(&ListIndex::of(&config.roles)) else {
        return;
    };
    let snapshot = Snapshot {
        header: Header {
            format: FORMAT,
            version: VERSION.to_string(),
            path: config_path.to_path_buf(),
            stamp,
            source_stamps: source_stamps.to_vec(),
        },
        defaults: config.defaults.clone(),
        roles: EncodedRoles(&config.roles),
        team: config.team.clone(),
        index: Blob(&index),
    };
    write_signed(&snapshot_name(config_path, ""), &snapshot);
}
