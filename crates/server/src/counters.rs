//! Rate counters kept in this process's memory, for the per-request minute window.
//!
//! Every keyed request is counted against its key's and its account's minute window.
//! Counting that in the database costs two write transactions per request, which on the
//! embedded SQLite store (one process by design) caps reads far below what the rest of the
//! request path can serve. [`LocalCounters`] keeps the same fixed windows with the same
//! atomic check-and-count semantics as [`assay_store::Store::increment_and_get`] in a
//! mutex-guarded map. Scan budgets (day, week, month, deep and private windows) are
//! charged only on submissions and always stay in the database.
//!
//! With several API processes on a shared PostgreSQL the operator chooses: shared minute
//! counters in the database (exact across processes, the PostgreSQL default) or local ones
//! (each process enforces the limit on its own share of the traffic).

use std::collections::HashMap;
use std::sync::Mutex;

use assay_store::{Bucket, RateDecision, Subject};
use time::OffsetDateTime;

/// Fixed-window counters in memory; windows that ended are dropped as new ones open.
#[derive(Debug, Default)]
pub struct LocalCounters {
    windows: Mutex<HashMap<(Subject, Bucket), Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: OffsetDateTime,
    count: u64,
}

/// Counters beyond this many trigger a sweep of ended windows.
const SWEEP_ABOVE: usize = 4096;

impl LocalCounters {
    /// Counts one request against `subject`'s `bucket` window starting at `window_start`,
    /// unless that would exceed `limit`: then nothing is counted and `allowed` is false.
    pub fn increment_and_get(
        &self,
        subject: &Subject,
        bucket: Bucket,
        window_start: OffsetDateTime,
        limit: u64,
    ) -> RateDecision {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|(_, b), w| *b != bucket || w.start >= window_start);
        }
        let window = windows.entry((subject.clone(), bucket)).or_insert(Window {
            start: window_start,
            count: 0,
        });
        if window.start < window_start {
            *window = Window {
                start: window_start,
                count: 0,
            };
        }
        let allowed = window.count < limit;
        if allowed {
            window.count += 1;
        }
        RateDecision {
            allowed,
            count: window.count,
            limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    impl LocalCounters {
        fn len(&self) -> usize {
            self.windows.lock().unwrap().len()
        }
    }

    #[test]
    fn counts_up_to_the_limit_then_refuses_without_counting() {
        let counters = LocalCounters::default();
        let key = Subject::Key("k1".into());
        let start = datetime!(2026-11-21 10:00 UTC);
        let decisions: Vec<_> = (0..4)
            .map(|_| counters.increment_and_get(&key, Bucket::Minute, start, 3))
            .collect();
        assert_eq!(
            decisions.iter().map(|d| d.allowed).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert_eq!(decisions[3].count, 3);
        assert_eq!(decisions[3].remaining(), 0);
        // Another subject has its own window.
        let other = Subject::Key("k2".into());
        assert!(
            counters
                .increment_and_get(&other, Bucket::Minute, start, 3)
                .allowed
        );
    }

    #[test]
    fn a_new_window_starts_from_zero() {
        let counters = LocalCounters::default();
        let key = Subject::Account("a".into());
        let first = datetime!(2026-11-21 10:00 UTC);
        for _ in 0..2 {
            counters.increment_and_get(&key, Bucket::Minute, first, 2);
        }
        assert!(
            !counters
                .increment_and_get(&key, Bucket::Minute, first, 2)
                .allowed
        );
        let next =
            counters.increment_and_get(&key, Bucket::Minute, first + time::Duration::MINUTE, 2);
        assert!(next.allowed);
        assert_eq!(next.count, 1);
    }

    #[test]
    fn ended_windows_are_swept_once_the_map_grows() {
        let counters = LocalCounters::default();
        let old = datetime!(2026-11-21 10:00 UTC);
        for i in 0..=SWEEP_ABOVE {
            counters.increment_and_get(&Subject::Key(format!("k{i}")), Bucket::Minute, old, 5);
        }
        assert_eq!(counters.len(), SWEEP_ABOVE + 1);
        counters.increment_and_get(
            &Subject::Key("late".into()),
            Bucket::Minute,
            old + time::Duration::MINUTE,
            5,
        );
        assert_eq!(counters.len(), 1);
    }

    #[test]
    fn concurrent_callers_never_exceed_the_limit() {
        let counters = std::sync::Arc::new(LocalCounters::default());
        let start = datetime!(2026-11-21 10:00 UTC);
        let allowed: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let counters = &counters;
                    s.spawn(move || {
                        (0..100)
                            .filter(|_| {
                                counters
                                    .increment_and_get(
                                        &Subject::Key("k".into()),
                                        Bucket::Minute,
                                        start,
                                        250,
                                    )
                                    .allowed
                            })
                            .count()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).sum()
        });
        assert_eq!(allowed, 250);
    }
}
