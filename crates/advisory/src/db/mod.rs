//! The local advisory database: OSV records of the npm, PyPI, Go and crates.io
//! ecosystems, compact and indexed by package, in the user's data directory
//! ([`default_dir`]).
//!
//! Each import builds a complete new *generation* — `records.jsonl` (one compact record
//! per line, see [`compact`] for what is kept), `index.bin` (package → record positions,
//! see [`index`]'s layout) and `meta.json` ([`Status`]) — and switches to it atomically
//! ([`layout`]). [`Database::open`] loads a generation's index (one read and a
//! validation pass); [`Database::records_for`] then reads and parses only the records of
//! the package asked for, and [`Database::matches`] matches dependencies against them. Readers never lock: one that opened a generation keeps reading
//! it after an import replaced it.

mod compact;
mod error;
mod import;
mod index;
mod input;
mod layout;
mod matching;
mod status;

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use error::DbError;
pub use import::{ImportProgress, ImportSummary, import};
pub use input::{ImportLimits, Input};
pub use status::{EcosystemStatus, FORMAT, SourceStatus, Status};

use crate::osv::Record;
use crate::version::Ecosystem;
use index::Index;
use layout::{INDEX, META, RECORDS};

/// How often [`Database::open`] re-reads `CURRENT` when the generation it named was
/// removed by a concurrent import before it could be opened.
const OPEN_ATTEMPTS: usize = 5;

/// The database directory: `ASSAY_DATA_DIR/advisory`, else
/// `$XDG_DATA_HOME/assay/advisory`, else `~/.local/share/assay/advisory`; `None` when
/// none of these variables is set.
pub fn default_dir() -> Option<PathBuf> {
    dir_from(|name| std::env::var_os(name))
}

/// [`default_dir`] with the environment read through `var`.
fn dir_from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    Some(assay_core::data_dir_from(var)?.join("advisory"))
}

/// An opened generation of the database.
#[derive(Debug)]
pub struct Database {
    generation: PathBuf,
    status: Status,
    index: Index,
    records: Mutex<File>,
}

impl Database {
    /// Opens the database in `dir`; `None` when none is installed there.
    pub fn open(dir: &Path) -> Result<Option<Database>, DbError> {
        for _ in 0..OPEN_ATTEMPTS {
            let Some(name) = layout::current(dir)? else {
                return Ok(None);
            };
            if let Some(database) = Database::open_generation(&layout::generation_dir(dir, &name))?
            {
                return Ok(Some(database));
            }
        }
        Err(DbError::corrupt(
            &dir.join("CURRENT"),
            "it names a generation that does not exist",
        ))
    }

    /// Opens the generation in `generation`; `None` when it does not exist (any more).
    fn open_generation(generation: &Path) -> Result<Option<Database>, DbError> {
        let records_path = generation.join(RECORDS);
        let records = match File::open(&records_path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DbError::io("open", &records_path, &e)),
        };
        let Some(status) = read_status(generation)? else {
            return Ok(None);
        };
        let records_len = records
            .metadata()
            .map_err(|e| DbError::io("read", &records_path, &e))?
            .len();
        let index_path = generation.join(INDEX);
        let bytes = match fs::read(&index_path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DbError::io("read", &index_path, &e)),
        };
        let index = Index::parse(bytes, records_len, &index_path)?;
        Ok(Some(Database {
            generation: generation.to_path_buf(),
            status,
            index,
            records: Mutex::new(records),
        }))
    }

    /// What the database holds and where it came from.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// The generation's directory.
    pub fn path(&self) -> &Path {
        &self.generation
    }

    /// The records affecting `package` of `ecosystem` (an OSV ecosystem name), in the
    /// order they were stored. Only that package's records are read.
    pub fn records_for(&self, ecosystem: &str, package: &str) -> Result<Vec<Record>, DbError> {
        match Ecosystem::from_osv(ecosystem) {
            Some(ecosystem) => self.records_at(&compact::key(ecosystem, package)),
            None => Ok(Vec::new()),
        }
    }

    /// The records indexed under `key`.
    fn records_at(&self, key: &[u8]) -> Result<Vec<Record>, DbError> {
        let postings = self.index.lookup(key);
        if postings.is_empty() {
            return Ok(Vec::new());
        }
        let path = self.generation.join(RECORDS);
        let mut file = self.records.lock().unwrap_or_else(|e| e.into_inner());
        let mut records = Vec::with_capacity(postings.len());
        let mut buf = Vec::new();
        for posting in postings {
            buf.resize(posting.len as usize, 0);
            file.seek(SeekFrom::Start(posting.offset))
                .and_then(|_| file.read_exact(&mut buf))
                .map_err(|e| DbError::io("read", &path, &e))?;
            let record = serde_json::from_slice(&buf).map_err(|e| {
                DbError::corrupt(&path, format!("record at byte {}: {e}", posting.offset))
            })?;
            records.push(record);
        }
        Ok(records)
    }
}

/// The `meta.json` of `generation`; `None` when it does not exist.
fn read_status(generation: &Path) -> Result<Option<Status>, DbError> {
    let path = generation.join(META);
    let bytes = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(DbError::io("read", &path, &e)),
    };
    #[derive(serde::Deserialize)]
    struct Format {
        format: u32,
    }
    let corrupt = |e: serde_json::Error| DbError::corrupt(&path, e.to_string());
    let format = serde_json::from_slice::<Format>(&bytes)
        .map_err(corrupt)?
        .format;
    if format != FORMAT {
        return Err(DbError::corrupt(
            &path,
            format!("format {format} (this version of Assay reads format {FORMAT})"),
        ));
    }
    serde_json::from_slice(&bytes).map(Some).map_err(corrupt)
}

#[cfg(test)]
mod tests;
