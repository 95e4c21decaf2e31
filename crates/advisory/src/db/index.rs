//! The package index of a generation (`index.bin`): for each package key
//! (`ecosystem NUL normalised-name`), where its records are in `records.jsonl`.
//!
//! Layout, all integers little-endian:
//!
//! | part | size | content |
//! |---|---|---|
//! | header | 24 bytes | magic `ASSAYIX1`, key count `K` (u32), posting count `P` (u32), key bytes `B` (u64) |
//! | keys | `K` × 16 bytes | per key, sorted by key bytes: key offset in the key bytes (u32), key length (u32), first posting (u32), posting count (u32) |
//! | postings | `P` × 12 bytes | record offset in `records.jsonl` (u64), record length without its newline (u32) |
//! | key bytes | `B` bytes | the keys, concatenated |
//!
//! Loading is one read of the file and a validation pass (every key and posting in
//! bounds, keys strictly increasing); a lookup is a binary search over the key table
//! and touches only the postings of that key.

use std::io::{self, Write};
use std::path::Path;

use super::DbError;

const MAGIC: &[u8; 8] = b"ASSAYIX1";
const HEADER_LEN: usize = 24;
const KEY_LEN: usize = 16;
const POSTING_LEN: usize = 12;

/// Where one record is in the records file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Posting {
    /// Byte offset of the record's line.
    pub offset: u64,
    /// Length of the line without its newline.
    pub len: u32,
}

/// Writes the index of `entries` (key, posting; in any order, duplicates allowed) to
/// `out` and returns the bytes written.
pub(crate) fn write(entries: &mut [(Vec<u8>, Posting)], out: &mut impl Write) -> io::Result<u64> {
    entries.sort_unstable();
    let mut keys: Vec<(&[u8], u32, u32)> = Vec::new();
    let mut postings: Vec<Posting> = Vec::with_capacity(entries.len());
    for (key, posting) in entries.iter() {
        if postings.last() == Some(posting) && keys.last().is_some_and(|k| k.0 == key.as_slice()) {
            continue;
        }
        match keys.last_mut() {
            Some(last) if last.0 == key.as_slice() => last.2 += 1,
            _ => keys.push((key, to_u32(postings.len())?, 1)),
        }
        postings.push(*posting);
    }
    let key_bytes: u64 = keys.iter().map(|k| k.0.len() as u64).sum();
    to_u32(usize::try_from(key_bytes).map_err(|_| too_large())?)?;
    let mut header = Vec::with_capacity(HEADER_LEN);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&to_u32(keys.len())?.to_le_bytes());
    header.extend_from_slice(&to_u32(postings.len())?.to_le_bytes());
    header.extend_from_slice(&key_bytes.to_le_bytes());
    out.write_all(&header)?;
    let mut key_offset = 0u32;
    for (key, first, count) in &keys {
        let len = to_u32(key.len())?;
        for field in [key_offset, len, *first, *count] {
            out.write_all(&field.to_le_bytes())?;
        }
        key_offset += len;
    }
    for posting in &postings {
        out.write_all(&posting.offset.to_le_bytes())?;
        out.write_all(&posting.len.to_le_bytes())?;
    }
    for (key, _, _) in &keys {
        out.write_all(key)?;
    }
    Ok(HEADER_LEN as u64
        + (keys.len() * KEY_LEN) as u64
        + (postings.len() * POSTING_LEN) as u64
        + key_bytes)
}

fn to_u32(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| too_large())
}

fn too_large() -> io::Error {
    io::Error::other("the index would exceed its 4 GiB format limits")
}

/// A loaded, validated index.
#[derive(Debug)]
pub(crate) struct Index {
    bytes: Vec<u8>,
    keys: usize,
    postings: usize,
}

impl Index {
    /// Validates `bytes` (the content of `path`) as an index whose postings lie within a
    /// records file of `records_len` bytes.
    pub fn parse(bytes: Vec<u8>, records_len: u64, path: &Path) -> Result<Index, DbError> {
        let corrupt = |reason: &str| DbError::corrupt(path, reason);
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(corrupt("not an Assay index (bad magic)"));
        }
        let keys = read_u32(&bytes, 8) as usize;
        let postings = read_u32(&bytes, 12) as usize;
        let key_bytes = read_u64(&bytes, 16);
        let expected = (HEADER_LEN as u64)
            .checked_add(keys as u64 * KEY_LEN as u64)
            .and_then(|n| n.checked_add(postings as u64 * POSTING_LEN as u64))
            .and_then(|n| n.checked_add(key_bytes));
        if expected != Some(bytes.len() as u64) {
            return Err(corrupt("its size does not match its header"));
        }
        let index = Index {
            bytes,
            keys,
            postings,
        };
        index.validate(records_len).map_err(corrupt)?;
        Ok(index)
    }

    fn validate(&self, records_len: u64) -> Result<(), &'static str> {
        let mut previous: Option<&[u8]> = None;
        let mut next_posting = 0usize;
        for i in 0..self.keys {
            let (key, first, count) = self.entry(i).ok_or("a key lies outside the file")?;
            if first != next_posting || count == 0 {
                return Err("the postings are not contiguous");
            }
            next_posting = first + count;
            if next_posting > self.postings {
                return Err("a posting lies outside the file");
            }
            if previous.is_some_and(|p| p >= key) {
                return Err("the keys are not sorted");
            }
            previous = Some(key);
        }
        if next_posting != self.postings {
            return Err("some postings belong to no key");
        }
        for i in 0..self.postings {
            let posting = self.posting(i);
            if posting.offset.saturating_add(u64::from(posting.len)) > records_len {
                return Err("a posting points past the end of the records");
            }
        }
        Ok(())
    }

    /// Key `i`'s bytes, first posting and posting count (`None` when out of bounds).
    fn entry(&self, i: usize) -> Option<(&[u8], usize, usize)> {
        let at = HEADER_LEN + i * KEY_LEN;
        let offset = read_u32(&self.bytes, at) as usize;
        let len = read_u32(&self.bytes, at + 4) as usize;
        let first = read_u32(&self.bytes, at + 8) as usize;
        let count = read_u32(&self.bytes, at + 12) as usize;
        let blob = HEADER_LEN + self.keys * KEY_LEN + self.postings * POSTING_LEN;
        let start = blob.checked_add(offset)?;
        let key = self.bytes.get(start..start.checked_add(len)?)?;
        Some((key, first, count))
    }

    fn posting(&self, i: usize) -> Posting {
        let at = HEADER_LEN + self.keys * KEY_LEN + i * POSTING_LEN;
        Posting {
            offset: read_u64(&self.bytes, at),
            len: read_u32(&self.bytes, at + 8),
        }
    }

    /// The postings of `key`, in records-file order (empty when the key is absent).
    pub fn lookup(&self, key: &[u8]) -> Vec<Posting> {
        let (mut low, mut high) = (0usize, self.keys);
        while low < high {
            let mid = low + (high - low) / 2;
            // Validated at load: every entry is in bounds.
            let Some((candidate, first, count)) = self.entry(mid) else {
                return Vec::new();
            };
            match candidate.cmp(key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => {
                    return (first..first + count).map(|i| self.posting(i)).collect();
                }
            }
        }
        Vec::new()
    }
}

/// The little-endian u32 at `at` (0 when out of bounds: callers check sizes first).
fn read_u32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_le_bytes)
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..at + 8)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(entries: &[(&str, u64, u32)]) -> Vec<u8> {
        let mut entries: Vec<(Vec<u8>, Posting)> = entries
            .iter()
            .map(|(k, offset, len)| {
                (
                    k.as_bytes().to_vec(),
                    Posting {
                        offset: *offset,
                        len: *len,
                    },
                )
            })
            .collect();
        let mut out = Vec::new();
        let written = write(&mut entries, &mut out).unwrap();
        assert_eq!(written, out.len() as u64);
        out
    }

    #[test]
    fn lookups_find_exactly_their_key() {
        let bytes = build(&[
            ("npm\0b", 10, 5),
            ("npm\0a", 0, 9),
            ("npm\0b", 20, 5),
            ("PyPI\0a", 30, 1),
            ("npm\0b", 10, 5),
        ]);
        let index = Index::parse(bytes, 31, Path::new("index.bin")).unwrap();
        assert_eq!(index.keys, 3);
        let offsets = |k: &str| -> Vec<u64> {
            index
                .lookup(k.as_bytes())
                .iter()
                .map(|p| p.offset)
                .collect()
        };
        assert_eq!(offsets("npm\0b"), [10, 20]);
        assert_eq!(offsets("npm\0a"), [0]);
        assert_eq!(offsets("PyPI\0a"), [30]);
        assert!(offsets("npm\0c").is_empty());
        assert!(offsets("").is_empty());
    }

    #[test]
    fn damaged_indexes_are_refused_not_trusted() {
        let good = build(&[("npm\0a", 0, 4), ("npm\0b", 5, 4)]);
        let path = Path::new("index.bin");
        assert!(Index::parse(good.clone(), 9, path).is_ok());
        // A posting past the end of the records file.
        assert!(Index::parse(good.clone(), 8, path).is_err());
        let mut truncated = good.clone();
        truncated.pop();
        assert!(Index::parse(truncated, 9, path).is_err());
        let mut magic = good.clone();
        magic[0] = b'X';
        assert!(Index::parse(magic, 9, path).is_err());
        // Keys out of order: swap where the two keys' bytes are.
        let mut unsorted = good.clone();
        let (a, b) = (HEADER_LEN, HEADER_LEN + KEY_LEN);
        let first: Vec<u8> = unsorted[a..a + 8].to_vec();
        unsorted.copy_within(b..b + 8, a);
        unsorted[b..b + 8].copy_from_slice(&first);
        let error = Index::parse(unsorted, 9, path).unwrap_err().to_string();
        assert!(error.contains("not sorted"), "{error}");
        // A key length pointing outside the key bytes.
        let mut wild = good;
        wild[HEADER_LEN + 4..HEADER_LEN + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Index::parse(wild, 9, path).is_err());
        assert!(Index::parse(Vec::new(), 0, path).is_err());
    }
}
