//! Import: merge the inputs' records into the current ones and switch to the result.
//!
//! Merging is by record id: the version with the later `modified` time wins, and on a
//! tie the imported one (so re-importing refreshes a record). A withdrawn record removes
//! its id from the database when it is at least as recent as the stored version. Records
//! with no package in a supported ecosystem are skipped; malformed ones are counted and a
//! few examples kept. Nothing is ever deleted for being absent from an input: OSV
//! retires records by withdrawing them.
//!
//! The inputs' stored forms are first spilled to a file in the new generation's
//! directory (memory holds only ids, times and keys); the previous generation's records
//! are then streamed into the new records file, followed by the winning new ones, and
//! the index is built from the positions written.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::compact;
use super::index::{self, Posting};
use super::input::{self, ImportLimits, Input, Item};
use super::layout::{self, INDEX, META, RECORDS};
use super::status::{EcosystemStatus, FORMAT, MAX_SOURCES, SourceStatus, Status};
use super::{DbError, read_status};
use crate::osv::Record;
use crate::version::Ecosystem;

/// Malformed records described in an [`ImportSummary`].
const MAX_EXAMPLES: usize = 10;
/// Longest record id accepted.
const MAX_ID_LEN: usize = 256;
/// Records between two [`ImportProgress::Reading`] reports.
const PROGRESS_STEP: u64 = 10_000;
/// The spill file of the inputs' records, inside the generation being built.
const SPILL: &str = "incoming.jsonl";

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// The generation now in use.
    pub generation: String,
    /// Well-formed records read from the inputs.
    pub read: u64,
    /// Records whose id was not in the database.
    pub added: u64,
    /// Records that replaced an older version.
    pub updated: u64,
    /// Records read again with the same `modified` time.
    pub unchanged: u64,
    /// Records older than the version already stored (ignored).
    pub stale: u64,
    /// Withdrawn records read (never stored).
    pub withdrawn: u64,
    /// Records removed from the database because the input withdrew them.
    pub removed: u64,
    /// Records without a package in a supported ecosystem (skipped).
    pub unsupported: u64,
    /// Records that could not be read or parsed (skipped).
    pub malformed: u64,
    /// Up to ten malformed records: `input: entry: reason`.
    pub malformed_examples: Vec<String>,
    /// Records in the database after the import.
    pub records: u64,
}

/// How far an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportProgress<'a> {
    /// Records read so far from an input (reported every 10 000 and at its end).
    Reading {
        /// The input's origin.
        origin: &'a str,
        /// Records read from it so far.
        records: u64,
    },
    /// The inputs are read; the new generation is being written.
    Writing,
}

/// Imports `inputs` into the database in `dir` (created if needed) under `limits`.
///
/// Fails, changing nothing, when another import holds the database, when an input is
/// missing, damaged or over a limit, or on an I/O error; readers keep using the previous
/// generation throughout.
pub fn import(
    dir: &Path,
    inputs: &[Input],
    limits: &ImportLimits,
    progress: &mut dyn FnMut(ImportProgress<'_>),
) -> Result<ImportSummary, DbError> {
    let _lock = layout::lock(dir)?;
    let previous = layout::current(dir)?;
    layout::remove_stale(dir, previous.as_deref());
    let building = layout::building(dir)?;
    let mut incoming = Incoming::new(building.path())?;
    let mut sources = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut usable = 0u64;
        let mut seen = 0u64;
        input::read(input, limits, &mut |location, item| {
            usable += u64::from(incoming.add(&input.origin, location, item)?);
            seen += 1;
            if seen.is_multiple_of(PROGRESS_STEP) {
                progress(ImportProgress::Reading {
                    origin: &input.origin,
                    records: seen,
                });
            }
            Ok(())
        })?;
        progress(ImportProgress::Reading {
            origin: &input.origin,
            records: seen,
        });
        sources.push((input.origin.clone(), usable));
    }
    progress(ImportProgress::Writing);

    let previous_dir = previous.map(|name| layout::generation_dir(dir, &name));
    let mut writer = GenerationWriter::new(building.path())?;
    if let Some(previous_dir) = &previous_dir {
        incoming.merge_previous(&previous_dir.join(RECORDS), &mut writer)?;
    }
    incoming.write_winners(&mut writer)?;
    let name = layout::new_generation_name();
    let previous_sources = previous_dir
        .and_then(|dir| read_status(&dir).ok().flatten())
        .map(|status| status.sources)
        .unwrap_or_default();
    let status = writer.finish(&name, previous_sources, sources)?;
    incoming.discard()?;
    layout::publish(dir, building, &name)?;
    layout::remove_stale(dir, Some(&name));
    let mut summary = incoming.summary;
    summary.generation = name;
    summary.records = status.records;
    Ok(summary)
}

/// An input record that may enter the database.
struct Candidate {
    /// Its `modified` time.
    modified: Option<i128>,
    /// Where its stored form is in the spill file; `None` for a withdrawn record.
    stored: Option<Posting>,
    /// Its index keys.
    keys: Vec<Vec<u8>>,
    /// How it compares with the stored version of the same id, when there is one.
    previous: Option<Ordering>,
}

/// The inputs' records, read so far.
struct Incoming {
    spill_path: PathBuf,
    spill: BufWriter<File>,
    spill_len: u64,
    candidates: HashMap<String, Candidate>,
    summary: ImportSummary,
}

impl Incoming {
    fn new(building: &Path) -> Result<Incoming, DbError> {
        let spill_path = building.join(SPILL);
        let spill =
            File::create(&spill_path).map_err(|e| DbError::io("create", &spill_path, &e))?;
        Ok(Incoming {
            spill_path,
            spill: BufWriter::new(spill),
            spill_len: 0,
            candidates: HashMap::new(),
            summary: ImportSummary::default(),
        })
    }

    fn malformed(&mut self, origin: &str, location: &str, reason: &str) {
        self.summary.malformed += 1;
        if self.summary.malformed_examples.len() < MAX_EXAMPLES {
            let reason = reason.replace(['\n', '\r'], " ");
            self.summary
                .malformed_examples
                .push(format!("{origin}: {location}: {reason}"));
        }
    }

    /// Takes one item of an input; true when it is a usable record.
    fn add(&mut self, origin: &str, location: &str, item: Item<'_>) -> Result<bool, DbError> {
        let record: Record = match item.and_then(|bytes| {
            serde_json::from_slice(bytes).map_err(|e| format!("not an OSV record: {e}"))
        }) {
            Ok(record) => record,
            Err(reason) => {
                self.malformed(origin, location, &reason);
                return Ok(false);
            }
        };
        if record.id.is_empty()
            || record.id.len() > MAX_ID_LEN
            || record.id.chars().any(char::is_control)
        {
            self.malformed(origin, location, "invalid id");
            return Ok(false);
        }
        self.summary.read += 1;
        let id = record.id.clone();
        let modified = compact::modified_at(&record.modified);
        let candidate = if record.withdrawn.is_some() {
            self.summary.withdrawn += 1;
            Candidate {
                modified,
                stored: None,
                keys: Vec::new(),
                previous: None,
            }
        } else {
            let Some(stored) = compact::compact(record) else {
                self.summary.unsupported += 1;
                return Ok(false);
            };
            let line = serde_json::to_vec(&stored)
                .map_err(|e| DbError::io("write", &self.spill_path, &io::Error::other(e)))?;
            let posting = self.spill_line(&line)?;
            Candidate {
                modified,
                stored: Some(posting),
                keys: compact::keys_of(&stored),
                previous: None,
            }
        };
        let usable = candidate.stored.is_some();
        match self.candidates.entry(id) {
            Entry::Occupied(held) if held.get().modified > candidate.modified => {}
            Entry::Occupied(mut held) => {
                held.insert(candidate);
            }
            Entry::Vacant(slot) => {
                slot.insert(candidate);
            }
        }
        Ok(usable)
    }

    fn spill_line(&mut self, line: &[u8]) -> Result<Posting, DbError> {
        let posting = Posting {
            offset: self.spill_len,
            len: u32::try_from(line.len()).unwrap_or(u32::MAX),
        };
        self.spill
            .write_all(line)
            .and_then(|()| self.spill.write_all(b"\n"))
            .map_err(|e| DbError::io("write", &self.spill_path, &e))?;
        self.spill_len += line.len() as u64 + 1;
        Ok(posting)
    }

    /// Copies the previous generation's records that no input replaces, and notes which
    /// inputs replace (or lose to) a stored version.
    fn merge_previous(
        &mut self,
        records: &Path,
        writer: &mut GenerationWriter,
    ) -> Result<(), DbError> {
        let file = match File::open(records) {
            Ok(file) => file,
            // The generation was removed (or never completed): start afresh.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(DbError::io("read", records, &e)),
        };
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| DbError::io("read", records, &e))?;
            if n == 0 {
                break;
            }
            number += 1;
            if line.last() == Some(&b'\n') {
                line.pop();
            }
            let record: Record = match serde_json::from_slice(&line) {
                Ok(record) => record,
                Err(e) => {
                    let location = format!("line {number}");
                    self.malformed("existing database", &location, &e.to_string());
                    continue;
                }
            };
            match self.candidates.get_mut(&record.id) {
                Some(candidate) => {
                    let order = candidate
                        .modified
                        .cmp(&compact::modified_at(&record.modified));
                    if order == Ordering::Less {
                        self.summary.stale += 1;
                        candidate.stored = None;
                        candidate.previous = None;
                        writer.push(&line, &record.id, compact::keys_of(&record))?;
                    } else {
                        candidate.previous = Some(order);
                    }
                }
                None => writer.push(&line, &record.id, compact::keys_of(&record))?,
            }
        }
        Ok(())
    }

    /// Copies the winning input records from the spill file, in input order.
    fn write_winners(&mut self, writer: &mut GenerationWriter) -> Result<(), DbError> {
        self.spill
            .flush()
            .map_err(|e| DbError::io("write", &self.spill_path, &e))?;
        let mut winners: Vec<(Posting, &str, &[Vec<u8>])> = Vec::new();
        for (id, candidate) in &self.candidates {
            match (candidate.stored, candidate.previous) {
                (None, Some(_)) => self.summary.removed += 1,
                (None, None) => {}
                (Some(posting), previous) => {
                    match previous {
                        None => self.summary.added += 1,
                        Some(Ordering::Equal) => self.summary.unchanged += 1,
                        Some(_) => self.summary.updated += 1,
                    }
                    winners.push((posting, id, &candidate.keys));
                }
            }
        }
        winners.sort_unstable_by_key(|w| w.0.offset);
        let spill_error = |e: io::Error| DbError::io("read", &self.spill_path, &e);
        let mut spill = BufReader::new(File::open(&self.spill_path).map_err(spill_error)?);
        let mut position = 0u64;
        let mut line = Vec::new();
        for (posting, id, keys) in winners {
            if position != posting.offset {
                spill
                    .seek(SeekFrom::Start(posting.offset))
                    .map_err(spill_error)?;
            }
            line.resize(posting.len as usize + 1, 0);
            spill.read_exact(&mut line).map_err(spill_error)?;
            position = posting.offset + line.len() as u64;
            writer.push(&line[..posting.len as usize], id, keys.to_vec())?;
        }
        Ok(())
    }

    /// Removes the spill file (it must not be published with the generation).
    fn discard(&mut self) -> Result<(), DbError> {
        std::fs::remove_file(&self.spill_path)
            .map_err(|e| DbError::io("remove", &self.spill_path, &e))
    }
}

/// Per-ecosystem counts, in [`Ecosystem::ALL`] order.
#[derive(Default, Clone, Copy)]
struct Counts {
    records: u64,
    packages: u64,
    malicious: u64,
}

/// Writes a generation's records and, at the end, its index and description.
struct GenerationWriter {
    dir: PathBuf,
    records: BufWriter<File>,
    offset: u64,
    entries: Vec<(Vec<u8>, Posting)>,
    count: u64,
    ecosystems: [Counts; Ecosystem::ALL.len()],
}

impl GenerationWriter {
    fn new(dir: &Path) -> Result<GenerationWriter, DbError> {
        let path = dir.join(RECORDS);
        let file = File::create(&path).map_err(|e| DbError::io("create", &path, &e))?;
        Ok(GenerationWriter {
            dir: dir.to_path_buf(),
            records: BufWriter::with_capacity(1 << 20, file),
            offset: 0,
            entries: Vec::new(),
            count: 0,
            ecosystems: [Counts::default(); Ecosystem::ALL.len()],
        })
    }

    /// Appends one stored record (a JSON line without its newline) found under `keys`.
    fn push(&mut self, line: &[u8], id: &str, keys: Vec<Vec<u8>>) -> Result<(), DbError> {
        let len = u32::try_from(line.len()).map_err(|_| {
            DbError::corrupt(&self.dir.join(RECORDS), format!("record {id} is too large"))
        })?;
        self.records
            .write_all(line)
            .and_then(|()| self.records.write_all(b"\n"))
            .map_err(|e| DbError::io("write", &self.dir.join(RECORDS), &e))?;
        let posting = Posting {
            offset: self.offset,
            len,
        };
        self.offset += u64::from(len) + 1;
        self.count += 1;
        let malicious = id.starts_with("MAL-");
        let mut counted = [false; Ecosystem::ALL.len()];
        for key in keys {
            if let Some(e) = ecosystem_of(&key)
                && !counted[e]
            {
                counted[e] = true;
                self.ecosystems[e].records += 1;
                self.ecosystems[e].malicious += u64::from(malicious);
            }
            self.entries.push((key, posting));
        }
        Ok(())
    }

    /// Writes the index and `meta.json`, fsyncs everything, and returns the description.
    fn finish(
        mut self,
        name: &str,
        mut sources: Vec<SourceStatus>,
        imported: Vec<(String, u64)>,
    ) -> Result<Status, DbError> {
        let records_path = self.dir.join(RECORDS);
        self.records
            .flush()
            .and_then(|()| self.records.get_ref().sync_all())
            .map_err(|e| DbError::io("write", &records_path, &e))?;
        let index_path = self.dir.join(INDEX);
        let index_error = |e: io::Error| DbError::io("write", &index_path, &e);
        let mut index_out = BufWriter::new(File::create(&index_path).map_err(index_error)?);
        let index_len = index::write(&mut self.entries, &mut index_out).map_err(index_error)?;
        index_out
            .into_inner()
            .map_err(|e| index_error(e.into_error()))?
            .sync_all()
            .map_err(index_error)?;

        // `index::write` sorted the entries: count distinct keys per ecosystem.
        let mut packages = 0u64;
        let mut last: Option<&[u8]> = None;
        for (key, _) in &self.entries {
            if last != Some(key.as_slice()) {
                packages += 1;
                if let Some(e) = ecosystem_of(key) {
                    self.ecosystems[e].packages += 1;
                }
                last = Some(key);
            }
        }
        let now = OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc())
            .format(&Rfc3339)
            .unwrap_or_default();
        for (origin, records) in imported {
            sources.retain(|s| s.origin != origin);
            sources.push(SourceStatus {
                origin,
                imported_at: now.clone(),
                records,
            });
        }
        let excess = sources.len().saturating_sub(MAX_SOURCES);
        sources.drain(..excess);
        let status = Status {
            format: FORMAT,
            generation: name.to_string(),
            built_at: now,
            records: self.count,
            packages,
            size_bytes: self.offset + index_len,
            ecosystems: Ecosystem::ALL
                .iter()
                .zip(self.ecosystems)
                .filter(|(_, counts)| counts.records > 0)
                .map(|(ecosystem, counts)| EcosystemStatus {
                    name: ecosystem.as_osv().to_string(),
                    records: counts.records,
                    packages: counts.packages,
                    malicious: counts.malicious,
                })
                .collect(),
            sources,
        };
        let meta = serde_json::to_vec_pretty(&status)
            .map_err(|e| DbError::io("write", &self.dir.join(META), &io::Error::other(e)))?;
        layout::write_synced(&self.dir.join(META), &meta)?;
        Ok(status)
    }
}

/// The position in [`Ecosystem::ALL`] of a key's ecosystem.
fn ecosystem_of(key: &[u8]) -> Option<usize> {
    let ecosystem = key.split(|b| *b == 0).next()?;
    Ecosystem::ALL
        .iter()
        .position(|e| e.as_osv().as_bytes() == ecosystem)
}
