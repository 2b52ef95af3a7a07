//! What `list` printed from a snapshot, kept beside it (signed and private as the snapshot
//! is, under the same header and the snapshot's tag) so that the next `list` of an unchanged
//! config writes it as it is: no role decoded, no column padded. It is used only while that
//! very snapshot is there (same tag) and the files it was made from are unchanged; kept
//! only when it depends on nothing but the config and its sources (no warnings to print,
//! no favourites from the state file).

use serde::{Deserialize, Serialize};

use super::blob::Blob;
use super::{FileStamp, Header, Mapped, Tag, read_signed, read_tag, snapshot_name, write_signed};
use std::path::Path;

/// Which output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `list`'s table.
    Table,
    /// `list --json`.
    Json,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Table => ".table",
            Kind::Json => ".json",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Output<'a> {
    header: Header,
    /// The tag of the snapshot it was rendered from.
    snapshot: Tag,
    #[serde(borrow)]
    text: Blob<'a>,
}

/// The kept output of `kind` for the config at `config_path`, while its header is current.
pub fn read<'a>(config_path: &Path, kind: Kind, mapped: &'a mut Mapped) -> Option<&'a [u8]> {
    let stamp = FileStamp::of(config_path)?;
    let (_, body) = read_signed(&snapshot_name(config_path, kind.suffix()), mapped)?;
    let output: Output = postcard::from_bytes(body).ok()?;
    let current = output.header.is_current(config_path, &stamp)
        && read_tag(&snapshot_name(config_path, "")) == Some(output.snapshot);
    current.then_some(output.text.0)
}

/// Keeps `text` as the output of `kind`, rendered from the snapshot of `header` and
/// `snapshot` (its tag) (best effort: a failure only means the next `list` renders it
/// again).
pub fn write(config_path: &Path, header: &Header, snapshot: Tag, kind: Kind, text: &[u8]) {
    let output = Output {
        header: header.clone(),
        snapshot,
        text: Blob(text),
    };
    write_signed(&snapshot_name(config_path, kind.suffix()), &output);
}
