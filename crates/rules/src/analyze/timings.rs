//! Opt-in cumulative per-phase timings of the analysis, for benchmarking
//! (`ASSAY_TIMINGS=1` makes the engine enable them and print them to stderr).
//!
//! Off by default: every measuring point is then one relaxed atomic load. When on, each
//! phase adds the time it took on its thread, so the sums are CPU time across threads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The measured phases, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the next snapshot entry: the reader lists, reads, bounds and hashes
    /// entries on its own thread, so this is the time analysis threads were starved of
    /// input, not CPU time.
    Read,
    /// Deciding whether to parse, and tree-sitter parsing.
    Parse,
    /// File rules (content and tree rules) and the merged-surface rules.
    Rules,
    /// Surface extraction (tools, prompts, resources) from parsed files.
    Surface,
    /// Taint summaries per file and their linking across the package, with the package rules.
    Taint,
}

impl Phase {
    /// Every phase, in pipeline order.
    pub const ALL: [Phase; 5] = [
        Phase::Read,
        Phase::Parse,
        Phase::Rules,
        Phase::Surface,
        Phase::Taint,
    ];

    /// Lower-case name for output.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Read => "read",
            Phase::Parse => "parse",
            Phase::Rules => "rules",
            Phase::Surface => "surface",
            Phase::Taint => "taint",
        }
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

/// Turns measuring on for the rest of the process.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether measuring is on.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// A running stopwatch: `None` when measuring is off.
pub fn start() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// Adds the time since `clock` to `phase` and restarts `clock`.
pub fn lap(clock: &mut Option<Instant>, phase: Phase) {
    if let Some(since) = clock {
        let now = Instant::now();
        let nanos = u64::try_from((now - *since).as_nanos()).unwrap_or(u64::MAX);
        NANOS[phase as usize].fetch_add(nanos, Ordering::Relaxed);
        *since = now;
    }
}

/// The cumulative time of every phase so far.
pub fn totals() -> Vec<(Phase, Duration)> {
    Phase::ALL
        .iter()
        .map(|&p| {
            (
                p,
                Duration::from_nanos(NANOS[p as usize].load(Ordering::Relaxed)),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_add_up_and_a_stopped_clock_measures_nothing() {
        // `Read` is only measured by the engine, so concurrent tests cannot move it.
        enable();
        let mut clock = start();
        assert!(clock.is_some());
        let before = totals()[Phase::Read as usize].1;
        std::thread::sleep(Duration::from_millis(5));
        lap(&mut clock, Phase::Read);
        let after = totals()[Phase::Read as usize].1;
        assert!(after - before >= Duration::from_millis(5));
        let mut stopped = None;
        lap(&mut stopped, Phase::Read);
        assert_eq!(totals()[Phase::Read as usize].1, after);
    }
}
