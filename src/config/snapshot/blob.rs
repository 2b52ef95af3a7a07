//! Byte runs in a snapshot file: postcard writes and reads each as its length and then its
//! bytes, in one piece (serde writes a plain `&[u8]` byte by byte; the encoding is the
//! same), and the roles, each encoded on its own, written straight into the file's buffer.

use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::model::Role;

/// Bytes borrowed from the file they are read from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blob<'a>(pub &'a [u8]);

impl Serialize for Blob<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Blob<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'a [u8]>::deserialize(deserializer).map(Blob)
    }
}

/// Roles written as blobs (each role's postcard encoding), read back as `Vec<Blob>`.
pub struct EncodedRoles<'a>(pub &'a [Role]);

impl Serialize for EncodedRoles<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        let mut scratch = Vec::with_capacity(256);
        for role in self.0 {
            scratch.clear();
            postcard::to_io(role, &mut scratch).map_err(S::Error::custom)?;
            seq.serialize_element(&Blob(&scratch))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is written as blobs reads back as the roles, and as `&[u8]` would have.
    #[test]
    fn roles_round_trip_and_blobs_encode_as_byte_slices() {
        let roles = vec![Role::sample("A"), Role::sample("Bé")];
        let written = postcard::to_stdvec(&EncodedRoles(&roles)).unwrap();
        let read: Vec<Blob> = postcard::from_bytes(&written).unwrap();
        let decoded: Vec<Role> = read
            .iter()
            .map(|blob| postcard::from_bytes(blob.0).unwrap())
            .collect();
        assert_eq!(decoded, roles);
        let plain: Vec<&[u8]> = read.iter().map(|blob| blob.0).collect();
        assert_eq!(postcard::to_stdvec(&plain).unwrap(), written);
    }
}
