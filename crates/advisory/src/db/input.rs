//! Reading the inputs of an import: OSV `all.zip` archives, directories of OSV `.json`
//! files (recursively), and single `.json` records; each treated as hostile.
//!
//! A damaged archive, an unreadable input or a limit hit stops the import (nothing is
//! imported). A record that is too large, unreadable or not JSON is handed on as
//! malformed, to be counted. In directories, hidden entries (`.git`) and symbolic links
//! are skipped and only `*.json` files are read; in archives, only `*.json` members.

use std::fs::{self, File};
use std::io::{BufReader, Read};
use std::path::PathBuf;

use zip::ZipArchive;

use super::DbError;

/// One input of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The zip archive, directory or `.json` file.
    pub path: PathBuf,
    /// Where it came from, as `assay db status` lists it (the path, or the URL it was
    /// downloaded from).
    pub origin: String,
}

impl Input {
    /// An input known by its own path.
    pub fn path(path: impl Into<PathBuf>) -> Input {
        let path = path.into();
        let origin = fs::canonicalize(&path)
            .unwrap_or_else(|_| path.clone())
            .display()
            .to_string();
        Input { path, origin }
    }

    /// An input at `path` that came from `origin` (a download URL).
    pub fn downloaded(path: impl Into<PathBuf>, origin: impl Into<String>) -> Input {
        Input {
            path: path.into(),
            origin: origin.into(),
        }
    }
}

/// Caps on what one import reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLimits {
    /// Most members of one archive, or entries walked in one directory tree.
    pub max_entries: u64,
    /// Largest record (a bigger one is counted as malformed).
    pub max_record_bytes: u64,
    /// Most bytes an archive's members may expand to, as a multiple of the archive's
    /// size (counted as at least [`ImportLimits::expansion_floor`]).
    pub max_expansion_ratio: u64,
    /// The archive size below which the expansion ratio is taken of this size instead.
    pub expansion_floor: u64,
    /// Deepest directory level walked.
    pub max_depth: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            max_entries: 5_000_000,
            max_record_bytes: 16 * 1024 * 1024,
            max_expansion_ratio: 100,
            expansion_floor: 64 * 1024 * 1024,
            max_depth: 32,
        }
    }
}

/// What one entry of an input turned out to be.
pub(crate) type Item<'a> = Result<&'a [u8], String>;

/// Calls `on_item` with where each record is (a member name or relative path) and its
/// bytes, or why it cannot be read.
pub(crate) fn read(
    input: &Input,
    limits: &ImportLimits,
    on_item: &mut dyn FnMut(&str, Item<'_>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let fail = |reason: String| DbError::input(&input.origin, reason);
    let metadata = fs::metadata(&input.path).map_err(|e| fail(e.to_string()))?;
    if metadata.is_dir() {
        return read_dir(input, limits, on_item);
    }
    let mut file = File::open(&input.path).map_err(|e| fail(e.to_string()))?;
    let mut magic = [0u8; 4];
    let magic_len = file.read(&mut magic).map_err(|e| fail(e.to_string()))?;
    if magic_len == 4 && (&magic == b"PK\x03\x04" || &magic == b"PK\x05\x06") {
        return read_zip(
            input,
            File::open(&input.path),
            metadata.len(),
            limits,
            on_item,
        );
    }
    let name = input.path.file_name().map_or_else(
        || input.origin.clone(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut bytes = magic[..magic_len].to_vec();
    let item = read_capped(&mut file, &mut bytes, limits.max_record_bytes);
    on_item(&name, item.map(|()| bytes.as_slice()))
}

/// Appends at most `limit` bytes of `reader` to `buf`; more is a malformed record.
fn read_capped(reader: &mut impl Read, buf: &mut Vec<u8>, limit: u64) -> Result<(), String> {
    let before = buf.len() as u64;
    reader
        .take(limit.saturating_add(1).saturating_sub(before))
        .read_to_end(buf)
        .map_err(|e| format!("unreadable: {e}"))?;
    if buf.len() as u64 > limit {
        return Err(format!("larger than {limit} bytes"));
    }
    Ok(())
}

fn is_json_name(name: &str) -> bool {
    name.len() > 5 && name[name.len() - 5..].eq_ignore_ascii_case(".json")
}

fn read_zip(
    input: &Input,
    file: std::io::Result<File>,
    archive_len: u64,
    limits: &ImportLimits,
    on_item: &mut dyn FnMut(&str, Item<'_>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let fail = |reason: String| DbError::input(&input.origin, reason);
    let file = file.map_err(|e| fail(e.to_string()))?;
    let mut archive = ZipArchive::new(BufReader::new(file))
        .map_err(|e| fail(format!("not a valid zip archive: {e}")))?;
    if archive.len() as u64 > limits.max_entries {
        return Err(fail(format!(
            "more than {} archive members",
            limits.max_entries
        )));
    }
    let budget = archive_len
        .max(limits.expansion_floor)
        .saturating_mul(limits.max_expansion_ratio);
    let mut expanded = 0u64;
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut member = archive
            .by_index(i)
            .map_err(|e| fail(format!("damaged archive: {e}")))?;
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        if member.is_dir() || !is_json_name(&name) {
            continue;
        }
        buf.clear();
        let item = read_capped(&mut member, &mut buf, limits.max_record_bytes);
        if let Err(reason) = &item
            && reason.starts_with("unreadable")
        {
            // A member that does not decompress or fails its CRC: the archive is damaged.
            return Err(fail(format!("damaged archive member {name}: {reason}")));
        }
        expanded = expanded.saturating_add(buf.len() as u64);
        if expanded > budget {
            return Err(fail(format!(
                "its members expand to more than {budget} bytes"
            )));
        }
        on_item(&name, item.map(|()| buf.as_slice()))?;
    }
    Ok(())
}

fn read_dir(
    input: &Input,
    limits: &ImportLimits,
    on_item: &mut dyn FnMut(&str, Item<'_>) -> Result<(), DbError>,
) -> Result<(), DbError> {
    let fail = |reason: String| DbError::input(&input.origin, reason);
    let mut pending: Vec<(PathBuf, usize)> = vec![(input.path.clone(), 0)];
    let mut seen = 0u64;
    let mut buf = Vec::new();
    while let Some((dir, depth)) = pending.pop() {
        let listing_error = |e: std::io::Error| fail(format!("cannot list {}: {e}", dir.display()));
        let mut entries = Vec::new();
        for entry in fs::read_dir(&dir).map_err(listing_error)? {
            seen += 1;
            if seen > limits.max_entries {
                return Err(fail(format!("more than {} entries", limits.max_entries)));
            }
            entries.push(entry.map_err(listing_error)?);
        }
        entries.sort_by_key(fs::DirEntry::file_name);
        let mut subdirs = Vec::new();
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            if kind.is_dir() {
                if depth + 1 > limits.max_depth {
                    return Err(fail(format!(
                        "{} is nested more than {} levels deep",
                        path.display(),
                        limits.max_depth
                    )));
                }
                subdirs.push((path, depth + 1));
            } else if kind.is_file() && is_json_name(&name) {
                let shown = path
                    .strip_prefix(&input.path)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                buf.clear();
                let item = File::open(&path)
                    .map_err(|e| format!("unreadable: {e}"))
                    .and_then(|mut file| read_capped(&mut file, &mut buf, limits.max_record_bytes));
                on_item(&shown, item.map(|()| buf.as_slice()))?;
            }
        }
        // Reversed onto the stack, so that subdirectories are walked in name order.
        pending.extend(subdirs.into_iter().rev());
    }
    Ok(())
}
