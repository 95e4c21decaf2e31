//! A cancellation token: set once by whoever wants a scan stopped (a `DELETE` of the job,
//! its budget, shutdown, Ctrl-C), checked by the scan at cheap points (between files and
//! phases, in download and copy loops, while a child process runs), which then stop with
//! [`Cancelled`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A shared flag that asks a scan to stop. Clones share the flag; the default token is
/// never cancelled unless [`Cancel::cancel`] is called on it or a clone.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A fresh token, not cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks every holder of this token to stop. Idempotent.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// `Err(Cancelled)` once cancelled: `cancel.check()?` at a checkpoint.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// The error of work stopped by a [`Cancel`] token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the scan was cancelled")
    }
}

impl std::error::Error for Cancelled {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let token = Cancel::new();
        let held = token.clone();
        assert!(held.check().is_ok());
        token.cancel();
        assert!(held.is_cancelled());
        assert_eq!(held.check(), Err(Cancelled));
        assert!(!Cancel::default().is_cancelled());
    }
}
