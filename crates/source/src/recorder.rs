//! The bookkeeping every reader shares: limits, skipped entries, duplicates, excludes,
//! and handing entries to the consumer.

use std::collections::HashSet;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::mpsc::Sender;

use assay_core::{LimitHit, LimitKind, SkipReason, SkippedEntry};
use sha2::{Digest, Sha256};

use crate::path::{Rejection, depth, leading_components, shown};
use crate::read_ahead::ReadAhead;
use crate::stream::Inflation;
use crate::{Entry, Limits};

/// The exclusion predicate the engine passes in: true for relative paths not to read.
pub(crate) type Exclude = Arc<dyn Fn(&str) -> bool + Send + Sync>;

/// Path recorded when a stream breaks between entries.
pub(crate) const REST_OF_TARGET: &str = "<rest of target>";

/// Records what a reader did and sends the entries it yields to the consumer.
pub(crate) struct Recorder {
    limits: Limits,
    exclude: Exclude,
    /// The only directory read (`--base-path`); entries elsewhere are silently dropped.
    scope: Option<String>,
    out: Sender<Handed>,
    /// Bounds the entries sent but not yet taken.
    ahead: Arc<ReadAhead>,
    /// Inflation state of the compressed stream being read, when reading one: a read
    /// error then ends the stream, and is a decompression bomb when the guard tripped.
    stream: Option<Arc<Inflation>>,
    stream_mode: bool,
    reported: u64,
    bytes_read: u64,
    tally: Tally,
    claimed: HashSet<String>,
    /// Paths excluded or too deep, already recorded.
    pruned: HashSet<String>,
    /// Directories of archive members known not to be excluded.
    kept_dirs: HashSet<String>,
    stopped: bool,
}

/// An entry on its way to the consumer, with the SHA-256 of its content, computed on the
/// reader thread so that the consumer only has to note it.
pub(crate) struct Handed {
    pub entry: Entry,
    pub hash: [u8; 32],
}

/// What a reader skipped, once it is done. What it yielded is counted by the consumer
/// ([`crate::SnapshotReader`]), which alone knows which entries were taken.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Limits hit, in order.
    pub limits_hit: Vec<LimitHit>,
    /// Entries skipped, in order.
    pub skipped: Vec<SkippedEntry>,
}

impl Recorder {
    /// A recorder enforcing `limits`, sending entries to `out` as `ahead` lets it.
    pub(crate) fn new(
        limits: Limits,
        exclude: Exclude,
        scope: Option<String>,
        out: Sender<Handed>,
        ahead: Arc<ReadAhead>,
    ) -> Self {
        Recorder {
            scope,
            limits,
            exclude,
            out,
            ahead,
            stream: None,
            stream_mode: false,
            reported: 0,
            bytes_read: 0,
            tally: Tally::default(),
            claimed: HashSet::new(),
            pruned: HashSet::new(),
            kept_dirs: HashSet::new(),
            stopped: false,
        }
    }

    /// The limits in force.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Declares that entries come from one sequential stream, which cannot be resumed
    /// after a read error; `inflation` is its decompression-bomb state when compressed.
    pub(crate) fn read_stream(&mut self, inflation: Option<Arc<Inflation>>) {
        self.stream_mode = true;
        self.stream = inflation;
    }

    /// Whether reading must stop (a global limit was hit, the stream broke, or the
    /// consumer went away).
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Hands back the tally, releasing the consumer's end of the channel.
    pub(crate) fn finish(self) -> Tally {
        self.tally
    }

    /// Counts one more reported entry against `max_files`; past it, records the limit,
    /// stops reading and returns false.
    fn admit(&mut self, path: &str) -> bool {
        if self.stopped {
            return false;
        }
        if self.reported >= self.limits.max_files {
            let limit = self.limits.max_files;
            self.limit(
                LimitKind::FileCount,
                limit,
                path,
                format!(
                    "more than {limit} entries (files read plus entries skipped); the rest of the target was not read"
                ),
            );
            self.stopped = true;
            return false;
        }
        self.reported += 1;
        true
    }

    fn push_skip(&mut self, path: &str, reason: SkipReason, detail: Option<String>) {
        self.tally.skipped.push(SkippedEntry {
            path: path.to_owned(),
            reason,
            detail,
        });
    }

    /// Records a limit hit about `path`, and `path` as skipped because of it.
    fn limit(&mut self, kind: LimitKind, limit: u64, path: &str, message: String) {
        self.tally.limits_hit.push(LimitHit {
            kind,
            limit,
            path: Some(path.to_owned()),
            message,
        });
        self.push_skip(path, SkipReason::Limit, None);
    }

    /// Records an entry that is not read.
    pub(crate) fn skip(&mut self, path: &str, reason: SkipReason, detail: Option<String>) {
        if self.admit(path) {
            self.push_skip(path, reason, detail);
        }
    }

    /// Records an entry whose name was refused.
    pub(crate) fn reject(&mut self, escaped_name: &str, rejection: Rejection) {
        self.skip(
            escaped_name,
            rejection.reason,
            Some(rejection.detail.to_owned()),
        );
    }

    /// Whether `path` (a file or directory) is excluded by configuration; records it the
    /// first time.
    pub(crate) fn excluded(&mut self, path: &str) -> bool {
        if let Some(scope) = &self.scope
            && !in_scope(path, scope)
        {
            return true;
        }
        if !(self.exclude)(path) {
            return false;
        }
        if self.pruned.insert(path.to_owned()) {
            self.skip(path, SkipReason::Excluded, None);
        }
        true
    }

    /// Records that the contents of directory `dir` are deeper than `max_depth` and are
    /// not read (once per directory).
    pub(crate) fn too_deep(&mut self, dir: &str) {
        if !self.pruned.insert(dir.to_owned()) || !self.admit(dir) {
            return;
        }
        let limit = self.limits.max_depth;
        self.limit(
            LimitKind::PathDepth,
            u64::from(limit),
            shown(dir),
            format!(
                "entries under `{}` are nested deeper than {limit} path components and were not read",
                shown(dir)
            ),
        );
    }

    /// For an archive member at normalised `path`: whether it is dropped because it or an
    /// ancestor directory is excluded, or because it is too deep. Each excluded or
    /// too-deep directory is recorded once, however many members it holds.
    pub(crate) fn pruned(&mut self, path: &str) -> bool {
        let components = depth(path);
        for n in 1..components {
            let dir = leading_components(path, n);
            if self.kept_dirs.contains(dir) {
                continue;
            }
            if self.pruned.contains(dir) || self.excluded(dir) {
                return true;
            }
            self.kept_dirs.insert(dir.to_owned());
        }
        if self.excluded(path) {
            return true;
        }
        let max_depth = self.limits.max_depth as usize;
        if components > max_depth {
            self.too_deep(leading_components(path, max_depth));
            return true;
        }
        false
    }

    /// Notes that an entry with `path` is being read. A second entry with the same path is
    /// recorded as a duplicate but still read: installers disagree on which copy wins
    /// (node-tar and Python's zipfile keep the last), so a benign first copy must not hide
    /// the one that gets installed.
    pub(crate) fn claim(&mut self, path: &str) {
        if !self.claimed.insert(path.to_owned()) {
            self.skip(
                path,
                SkipReason::Duplicate,
                Some("an earlier entry has the same path; both copies are analysed".into()),
            );
        }
    }

    /// Reads one regular file under the limits and yields it; records why not otherwise.
    /// `inflation_allowance` is how many bytes the content may decompress to before it
    /// counts as a decompression bomb. Returns the number of bytes read.
    pub(crate) fn file(
        &mut self,
        path: &str,
        content: &mut dyn Read,
        inflation_allowance: Option<u64>,
    ) -> u64 {
        self.claim(path);
        if !self.admit(path) {
            return 0;
        }
        let remaining_total = self.limits.max_total_bytes.saturating_sub(self.bytes_read);
        let cap = self
            .limits
            .max_file_bytes
            .min(remaining_total)
            .min(inflation_allowance.unwrap_or(u64::MAX));
        let mut bytes = Vec::new();
        let result = content.take(cap.saturating_add(1)).read_to_end(&mut bytes);
        let n = bytes.len() as u64;
        self.bytes_read = self.bytes_read.saturating_add(n);
        if let Err(error) = result {
            self.read_failed(path, &error);
            return n;
        }
        if inflation_allowance.is_some_and(|allowed| n > allowed) {
            self.bomb(path);
        } else if n > self.limits.max_file_bytes {
            let limit = self.limits.max_file_bytes;
            self.limit(
                LimitKind::FileBytes,
                limit,
                path,
                format!("`{path}` is larger than {limit} bytes and was not read"),
            );
        } else if n > remaining_total {
            let limit = self.limits.max_total_bytes;
            self.limit(
                LimitKind::TotalBytes,
                limit,
                path,
                format!(
                    "more than {limit} bytes of content in total; `{path}` and the rest of the target were not read"
                ),
            );
            self.stopped = true;
        } else {
            self.emit(path, bytes);
        }
        n
    }

    /// Records a failed read of the entry at `path`.
    fn read_failed(&mut self, path: &str, error: &io::Error) {
        if self.stream.as_ref().is_some_and(|s| s.tripped()) {
            self.bomb(path);
            return;
        }
        self.push_skip(path, SkipReason::Unreadable, Some(error.to_string()));
        if self.stream_mode {
            self.stopped = true;
        }
    }

    /// Records that the stream broke between entries, after the entry at `last` (if
    /// any), and stops.
    pub(crate) fn stream_failed(&mut self, last: Option<&str>, error: &io::Error) {
        self.stopped = true;
        if self.stream.as_ref().is_some_and(|s| s.tripped()) {
            self.bomb(last.unwrap_or(REST_OF_TARGET));
            return;
        }
        let detail = match last {
            Some(last) => format!("{error} (after `{last}`)"),
            None => error.to_string(),
        };
        self.push_skip(REST_OF_TARGET, SkipReason::Unreadable, Some(detail));
    }

    /// Records a decompression bomb met while reading `path`, and stops.
    fn bomb(&mut self, path: &str) {
        let ratio = self.limits.max_compression_ratio;
        let floor_mib = crate::limits::COMPRESSED_FLOOR / (1024 * 1024);
        self.limit(
            LimitKind::CompressionRatio,
            ratio,
            path,
            format!(
                "decompression bomb: `{path}` expands more than {ratio} times its compressed size (counting at least {floor_mib} MiB compressed); the rest of the archive was not read"
            ),
        );
        self.stopped = true;
    }

    /// Yields an entry to the consumer once there is room ahead of it; stops when the
    /// consumer has gone away.
    fn emit(&mut self, path: &str, bytes: Vec<u8>) {
        let hash: [u8; 32] = Sha256::digest(&bytes).into();
        let len = bytes.len() as u64;
        self.ahead.reserve(len);
        let entry = Entry {
            path: path.to_owned(),
            bytes,
        };
        if self.out.send(Handed { entry, hash }).is_err() {
            self.stopped = true;
        }
    }

    /// Records that the reader itself failed (a bug or a library panic on hostile input).
    pub(crate) fn crashed(&mut self, message: String) {
        self.stopped = true;
        self.push_skip(REST_OF_TARGET, SkipReason::Unreadable, Some(message));
    }
}

/// Whether `path` is `scope`, inside it, or a directory on the way to it.
fn in_scope(path: &str, scope: &str) -> bool {
    let under = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    under(path, scope) || under(scope, path)
}
