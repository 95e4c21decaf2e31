//! Reader adapters for hostile streams: counting compressed input, stopping runaway
//! decompression, and noticing truncated members.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::Limits;

/// Shared state of one compressed stream: compressed bytes consumed so far and whether the
/// decompression-bomb guard tripped.
#[derive(Debug, Default)]
pub(crate) struct Inflation {
    compressed: AtomicU64,
    tripped: AtomicBool,
}

impl Inflation {
    /// Whether the guard stopped the stream.
    pub(crate) fn tripped(&self) -> bool {
        self.tripped.load(Ordering::Relaxed)
    }
}

/// Counts the compressed bytes a decompressor pulls from its input.
pub(crate) struct CountingReader<R> {
    inner: R,
    inflation: Arc<Inflation>,
}

impl<R> CountingReader<R> {
    /// Counts reads from `inner` into `inflation`.
    pub(crate) fn new(inner: R, inflation: Arc<Inflation>) -> Self {
        CountingReader { inner, inflation }
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inflation
            .compressed
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Fails a decompressed stream once its output outgrows the allowed ratio to the
/// compressed input consumed so far, so a bomb is stopped after a bounded amount of work.
pub(crate) struct InflationGuard<R> {
    inner: R,
    inflation: Arc<Inflation>,
    limits: Limits,
    inflated: u64,
}

impl<R> InflationGuard<R> {
    /// Guards the output of `inner`, whose input is counted into `inflation`.
    pub(crate) fn new(inner: R, inflation: Arc<Inflation>, limits: &Limits) -> Self {
        InflationGuard {
            inner,
            inflation,
            limits: limits.clone(),
            inflated: 0,
        }
    }
}

impl<R: Read> Read for InflationGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.inflation.tripped() {
            return Err(bomb_error());
        }
        let n = self.inner.read(buf)?;
        self.inflated = self.inflated.saturating_add(n as u64);
        let compressed = self.inflation.compressed.load(Ordering::Relaxed);
        if self.inflated > self.limits.inflation_allowance(compressed) {
            self.inflation.tripped.store(true, Ordering::Relaxed);
            return Err(bomb_error());
        }
        Ok(n)
    }
}

fn bomb_error() -> io::Error {
    io::Error::other("decompression-bomb guard: the stream expands too much")
}

/// Turns a premature end of a member's data into an error instead of a short, silently
/// truncated file.
pub(crate) struct ExactLen<R> {
    inner: R,
    remaining: u64,
}

impl<R> ExactLen<R> {
    /// Expects exactly `len` bytes from `inner`.
    pub(crate) fn new(inner: R, len: u64) -> Self {
        ExactLen {
            inner,
            remaining: len,
        }
    }
}

impl<R: Read> Read for ExactLen<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && self.remaining > 0 && !buf.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the archive ends {} bytes before the end of this entry",
                    self.remaining
                ),
            ));
        }
        self.remaining = self.remaining.saturating_sub(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_trips_past_the_allowance() {
        let inflation = Arc::new(Inflation::default());
        let limits = Limits {
            max_compression_ratio: 2,
            ..Limits::default()
        };
        let zeros = io::repeat(0).take(u64::MAX);
        let mut guard = InflationGuard::new(zeros, Arc::clone(&inflation), &limits);
        let err = io::copy(&mut guard, &mut io::sink()).unwrap_err();
        assert!(err.to_string().contains("decompression-bomb"));
        assert!(inflation.tripped());
        // It stopped within one buffer of twice the floor.
        assert!(guard.inflated <= 2 * crate::limits::COMPRESSED_FLOOR + 64 * 1024);
    }

    #[test]
    fn exact_len_reports_truncation() {
        let mut short = ExactLen::new(&b"abc"[..], 5);
        let mut out = Vec::new();
        let err = short.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        let mut exact = ExactLen::new(&b"abc"[..], 3);
        out.clear();
        assert_eq!(exact.read_to_end(&mut out).unwrap(), 3);
    }
}
