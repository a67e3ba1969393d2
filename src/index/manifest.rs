//! The manifest: which source files the index holds, as they were.
//!
//! For each file read: its size, modification time and a hash of its
//! content. The manifest is stored as the payload of tantivy's commit, so
//! it changes atomically with the documents: after a crash the index and
//! its manifest are always of the same commit.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// What the index knows of one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// XXH3 hash of the content, as read from disk (compressed if it is).
    pub hash: u64,
}

impl FileState {
    /// The size and modification time of a file, with the hash left at 0
    /// (see [`FileState::with_hash`]).
    pub fn stat(path: &Path) -> std::io::Result<FileState> {
        let meta = std::fs::metadata(path)?;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Ok(FileState {
            size: meta.len(),
            mtime_ns,
            hash: 0,
        })
    }

    /// The same state with the content's hash, read in a stream.
    pub fn with_hash(self, path: &Path) -> std::io::Result<FileState> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut file = std::fs::File::open(path)?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(FileState {
            hash: hasher.digest(),
            ..self
        })
    }

    /// True when size and modification time both agree (no need to hash).
    pub fn looks_unchanged(&self, other: &FileState) -> bool {
        self.size == other.size && self.mtime_ns == other.mtime_ns
    }
}

/// The files of an index, by normalised path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of the manifest itself.
    #[serde(default)]
    pub version: u32,
    /// Each file's state.
    pub files: BTreeMap<String, FileState>,
}

impl Manifest {
    /// The manifest stored in a commit payload; an empty one when there is
    /// none (an index from before manifests, or a fresh one).
    pub fn from_payload(payload: Option<&str>) -> Manifest {
        payload
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default()
    }

    /// The manifest as a commit payload.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(&Manifest {
            version: 1,
            files: self.files.clone(),
        })
        .unwrap_or_default()
    }
}

/// True when the file key `key` lies under the walked path `root` (both
/// normalised): the same file, or inside that folder.
pub fn is_under(key: &str, root: &str) -> bool {
    if root.is_empty() {
        return !key.starts_with('/') && !key.starts_with("..");
    }
    key == root || key.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trip_and_containment() {
        let mut m = Manifest::default();
        m.files.insert(
            "corpus/a.txt".into(),
            FileState {
                size: 3,
                mtime_ns: 5,
                hash: 7,
            },
        );
        let back = Manifest::from_payload(Some(&m.to_payload()));
        assert_eq!(back.files, m.files);
        assert_eq!(Manifest::from_payload(None), Manifest::default());
        assert_eq!(Manifest::from_payload(Some("not json")), Manifest::default());
        assert!(is_under("corpus/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/a.txt"));
        assert!(!is_under("corpus2/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", ""));
        assert!(!is_under("/abs/a.txt", ""));
    }

    #[test]
    fn hashes_follow_content() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "one").unwrap();
        let a = FileState::stat(&p).unwrap().with_hash(&p).unwrap();
        std::fs::write(&p, "two").unwrap();
        let b = FileState::stat(&p).unwrap().with_hash(&p).unwrap();
        assert_ne!(a.hash, b.hash);
        assert_eq!(a.size, b.size);
    }
}
