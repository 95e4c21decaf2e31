//! The database directory: generations, the `CURRENT` pointer, the import lock.
//!
//! ```text
//! <data dir>/advisory/
//!   CURRENT                 name of the generation in use (one line)
//!   lock                    held (advisory file lock) by the import in progress
//!   gen-<time>-<pid>/       a complete generation: records.jsonl, index.bin, meta.json
//!   .building-<random>/     a generation being built (removed when the import fails)
//! ```
//!
//! An import builds its generation in a `.building-` directory, fsyncs its files,
//! renames it to `gen-…`, fsyncs the database directory, then replaces `CURRENT` by an
//! atomic rename: until that rename, readers see the old generation; after it, the new
//! one. Old generations and leftovers of interrupted imports are removed afterwards.

use std::fs::{self, File, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::DbError;

/// The pointer file.
const CURRENT: &str = "CURRENT";
/// The import lock file.
const LOCK: &str = "lock";
const GENERATION_PREFIX: &str = "gen-";
const BUILDING_PREFIX: &str = ".building-";
const POINTER_PREFIX: &str = ".CURRENT-";
/// A generation's records, one compact JSON record per line.
pub(crate) const RECORDS: &str = "records.jsonl";
/// A generation's package index (see [`super::index`]).
pub(crate) const INDEX: &str = "index.bin";
/// A generation's description ([`super::Status`]).
pub(crate) const META: &str = "meta.json";

/// The generation `CURRENT` names, if any. A `CURRENT` naming anything but a generation
/// directory is damage, not a path to follow.
pub(crate) fn current(dir: &Path) -> Result<Option<String>, DbError> {
    let path = dir.join(CURRENT);
    let text = match fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DbError::io("read", &path, &e)),
    };
    let name = std::str::from_utf8(&text)
        .ok()
        .map(str::trim)
        .filter(|name| is_generation_name(name))
        .ok_or_else(|| DbError::corrupt(&path, "it does not name a generation"))?;
    Ok(Some(name.to_string()))
}

fn is_generation_name(name: &str) -> bool {
    name.len() <= 64
        && name.strip_prefix(GENERATION_PREFIX).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Creates the database directory if needed and takes the import lock (released when
/// the returned file is dropped, or when the process dies).
pub(crate) fn lock(dir: &Path) -> Result<File, DbError> {
    fs::create_dir_all(dir).map_err(|e| DbError::io("create", dir, &e))?;
    let path = dir.join(LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| DbError::io("open", &path, &e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(DbError::Busy {
            path: dir.display().to_string(),
        }),
        Err(TryLockError::Error(e)) => Err(DbError::io("lock", &path, &e)),
    }
}

/// A fresh directory to build a generation in; removed when dropped.
pub(crate) fn building(dir: &Path) -> Result<tempfile::TempDir, DbError> {
    tempfile::Builder::new()
        .prefix(BUILDING_PREFIX)
        .tempdir_in(dir)
        .map_err(|e| DbError::io("create a directory in", dir, &e))
}

/// A name for a new generation: unique per process and time, and sorting by time.
pub(crate) fn new_generation_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{GENERATION_PREFIX}{nanos:x}-{:x}", std::process::id())
}

/// Makes the generation built in `building` the current one, under `name`. The caller
/// has written and fsynced its files.
pub(crate) fn publish(dir: &Path, building: tempfile::TempDir, name: &str) -> Result<(), DbError> {
    let generation = dir.join(name);
    sync_dir(building.path()).map_err(|e| DbError::io("sync", building.path(), &e))?;
    fs::rename(building.path(), &generation).map_err(|e| DbError::io("rename", &generation, &e))?;
    // The directory now lives under its final name; the guard must not remove it.
    let _ = building.keep();
    let sync = |e: io::Error| DbError::io("sync", dir, &e);
    sync_dir(dir).map_err(sync)?;
    let mut pointer = tempfile::Builder::new()
        .prefix(POINTER_PREFIX)
        .tempfile_in(dir)
        .map_err(|e| DbError::io("create a file in", dir, &e))?;
    pointer
        .write_all(format!("{name}\n").as_bytes())
        .and_then(|()| pointer.as_file().sync_all())
        .map_err(|e| DbError::io("write", pointer.path(), &e))?;
    let current = dir.join(CURRENT);
    pointer
        .persist(&current)
        .map_err(|e| DbError::io("replace", &current, &e.error))?;
    sync_dir(dir).map_err(sync)
}

/// Removes every generation but `keep`, and what interrupted imports left behind.
/// Best effort: a directory that cannot be removed now is removed by a later import.
/// Only called under the import lock.
pub(crate) fn remove_stale(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let path = entry.path();
        if (is_generation_name(name) && Some(name) != keep) || name.starts_with(BUILDING_PREFIX) {
            let _ = fs::remove_dir_all(&path);
        } else if name.starts_with(POINTER_PREFIX) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// The directory of generation `name`.
pub(crate) fn generation_dir(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Writes `bytes` to `path` and fsyncs it.
pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), DbError> {
    let mut file = File::create(path).map_err(|e| DbError::io("create", path, &e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| DbError::io("write", path, &e))
}

#[cfg(unix)]
fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> io::Result<()> {
    // Directory handles cannot be fsynced here; the renames are still atomic.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_must_name_a_generation() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(current(dir.path()).unwrap(), None);
        for bad in ["../../etc", "gen-", "gen-A/B", "records.jsonl", ""] {
            fs::write(dir.path().join(CURRENT), bad).unwrap();
            assert!(current(dir.path()).is_err(), "{bad:?} accepted");
        }
        fs::write(dir.path().join(CURRENT), "gen-18f3a-2a\n").unwrap();
        assert_eq!(
            current(dir.path()).unwrap().as_deref(),
            Some("gen-18f3a-2a")
        );
    }

    #[test]
    fn one_import_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path()).unwrap();
        assert!(matches!(lock(dir.path()), Err(DbError::Busy { .. })));
        drop(held);
        assert!(lock(dir.path()).is_ok());
    }
}
