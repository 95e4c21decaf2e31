//! The snapshot reader: a backend runs on its own thread and hands entries over through a
//! queue bounded by size ([`crate::read_ahead`]), so the consumer rarely waits for input
//! and memory stays bounded.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::thread::{self, JoinHandle};

use assay_core::{LimitHit, SkipReason, SkippedEntry};
use sha2::{Digest, Sha256};

use crate::read_ahead::ReadAhead;
use crate::recorder::{Exclude, Handed, REST_OF_TARGET, Recorder, Tally};
use crate::{Limits, SourceError, SourceKind};

/// One file of the snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative, `/`-separated, normalised path (invalid UTF-8 escaped as `\xNN`).
    pub path: String,
    /// The file's content, unchanged (binary and invalid UTF-8 included).
    pub bytes: Vec<u8>,
}

/// What a reader read and skipped, available once it is exhausted.
#[derive(Debug, Clone)]
pub struct SnapshotSummary {
    /// What kind of target was read.
    pub kind: SourceKind,
    /// Files yielded.
    pub files: u64,
    /// Bytes yielded.
    pub bytes: u64,
    /// Limits hit, in the order met.
    pub limits_hit: Vec<LimitHit>,
    /// Entries not yielded, in the order met.
    pub skipped: Vec<SkippedEntry>,
    /// `sha256:<hex>` content digest of the entries yielded, independent of their order:
    /// SHA-256 over, for each entry in path order, its UTF-8 path, a NUL byte and the
    /// 32-byte SHA-256 of its content. A directory and a tarball of it digest alike.
    pub digest: String,
}

/// A backend: reads one kind of target, reporting through the recorder.
pub(crate) trait Backend: Send + 'static {
    /// Reads everything, stopping early when [`Recorder::stopped`] says so.
    fn run(self: Box<Self>, recorder: &mut Recorder);
}

/// Reads a local target as a stream of [`Entry`]s, in a deterministic order.
///
/// The reading happens on a background thread that runs ahead of the consumer by at most
/// [`crate::read_ahead::MAX_AHEAD_BYTES`] of content, so memory is bounded by that and
/// the entries being analysed. The reader is `Send`: the
/// engine can analyse with `reader.by_ref().par_bridge()` and then call
/// [`summary`](SnapshotReader::summary).
pub struct SnapshotReader {
    kind: SourceKind,
    entries: Receiver<Handed>,
    ahead: Arc<ReadAhead>,
    producer: JoinHandle<Tally>,
    taken: Taken,
}

/// The entries the consumer took: what the summary counts and digests. Entries read ahead
/// but never taken (the consumer stopped early) are not part of the snapshot.
#[derive(Default)]
struct Taken {
    files: u64,
    bytes: u64,
    hashes: Vec<(String, [u8; 32])>,
}

impl Iterator for SnapshotReader {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let Handed { entry, hash } = self.entries.recv().ok()?;
        let len = entry.bytes.len() as u64;
        self.ahead.release(len);
        self.taken.files += 1;
        self.taken.bytes += len;
        self.taken.hashes.push((entry.path.clone(), hash));
        Some(entry)
    }
}

impl SnapshotReader {
    /// What kind of target this is.
    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// What was read and skipped. Called before the iterator is exhausted, it stops
    /// reading and covers the entries yielded so far.
    pub fn summary(self) -> SnapshotSummary {
        let SnapshotReader {
            kind,
            entries,
            ahead,
            producer,
            taken,
        } = self;
        drop(entries);
        ahead.close();
        let tally = producer.join().unwrap_or_else(|panic| {
            let mut tally = Tally::default();
            tally.skipped.push(SkippedEntry {
                path: REST_OF_TARGET.into(),
                reason: SkipReason::Unreadable,
                detail: Some(panic_message(panic.as_ref())),
            });
            tally
        });
        SnapshotSummary {
            kind,
            files: taken.files,
            bytes: taken.bytes,
            limits_hit: tally.limits_hit,
            skipped: tally.skipped,
            digest: digest(taken.hashes),
        }
    }
}

/// Starts `backend` on its own thread.
pub(crate) fn spawn(
    target: &Path,
    kind: SourceKind,
    limits: &Limits,
    exclude: Exclude,
    scope: Option<String>,
    backend: Box<dyn Backend>,
) -> Result<SnapshotReader, SourceError> {
    let (sender, entries) = channel();
    let ahead = Arc::new(ReadAhead::default());
    let mut recorder = Recorder::new(limits.clone(), exclude, scope, sender, Arc::clone(&ahead));
    let producer = thread::Builder::new()
        .name("assay-source".into())
        .spawn(move || {
            let run = catch_unwind(AssertUnwindSafe(|| backend.run(&mut recorder)));
            if let Err(panic) = run {
                recorder.crashed(panic_message(panic.as_ref()));
            }
            recorder.finish()
        })
        .map_err(|e| SourceError::Reader {
            path: target.display().to_string(),
            reason: e.to_string(),
        })?;
    Ok(SnapshotReader {
        kind,
        entries,
        ahead,
        producer,
        taken: Taken::default(),
    })
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown error");
    format!("the reader failed on this input: {text}")
}

/// The order-independent content digest of (path, content hash) pairs.
fn digest(mut hashes: Vec<(String, [u8; 32])>) -> String {
    hashes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, hash) in &hashes {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(hash);
    }
    format!("sha256:{}", hex::encode(hasher.finalize()))
}
