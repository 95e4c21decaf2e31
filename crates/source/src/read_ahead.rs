//! How far the reader thread may run ahead of the analysis: entries read but not yet
//! taken are bounded by their total size ([`MAX_AHEAD_BYTES`]), so a busy consumer never
//! waits for the next file to be read while memory stays bounded.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Most bytes of content read ahead of the consumer. One entry larger than this is still
/// handed over, alone.
pub(crate) const MAX_AHEAD_BYTES: u64 = 8 * 1024 * 1024;

/// What an entry counts for at least, so that a run of empty files stays bounded too.
const MIN_ENTRY_BYTES: u64 = 4096;

/// The bytes in flight between the reader and the consumer.
#[derive(Default)]
pub(crate) struct ReadAhead {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    queued: u64,
    closed: bool,
}

impl ReadAhead {
    /// Waits until an entry of `len` bytes fits ahead of the consumer, then counts it.
    /// Returns at once when the consumer has gone ([`ReadAhead::close`]).
    pub(crate) fn reserve(&self, len: u64) {
        let charge = len.max(MIN_ENTRY_BYTES);
        let mut state = self.lock();
        while !state.closed && state.queued > 0 && state.queued + charge > MAX_AHEAD_BYTES {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.queued += charge;
    }

    /// The consumer took an entry of `len` bytes.
    pub(crate) fn release(&self, len: u64) {
        let charge = len.max(MIN_ENTRY_BYTES);
        let mut state = self.lock();
        state.queued = state.queued.saturating_sub(charge);
        self.changed.notify_all();
    }

    /// The consumer is gone: the reader must not wait for it any more.
    pub(crate) fn close(&self) {
        self.lock().closed = true;
        self.changed.notify_all();
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::thread;
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_reader_waits_for_room_and_stops_waiting_when_closed() {
        let ahead = Arc::new(ReadAhead::default());
        ahead.reserve(MAX_AHEAD_BYTES - MIN_ENTRY_BYTES);
        ahead.reserve(1);
        // Full: the next entry waits until the consumer takes one.
        let reader = {
            let ahead = Arc::clone(&ahead);
            thread::spawn(move || ahead.reserve(1))
        };
        thread::sleep(Duration::from_millis(50));
        assert!(
            !reader.is_finished(),
            "the reader waits while the buffer is full"
        );
        ahead.release(1);
        reader.join().expect("the reader resumes once room is made");
        // A closed read-ahead never blocks, and one oversized entry always goes through.
        ahead.close();
        ahead.reserve(MAX_AHEAD_BYTES * 2);
        let alone = ReadAhead::default();
        alone.reserve(MAX_AHEAD_BYTES * 2);
    }
}
