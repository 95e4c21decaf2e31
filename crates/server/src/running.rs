//! The jobs this process's workers are running, each with the token that stops its
//! engine: a `DELETE` of a running scan stops it here at once, rather than when its
//! worker next heartbeats (which remains how other processes' workers learn of it).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use assay_core::Cancel;

/// Running jobs by scan id.
#[derive(Debug, Default)]
pub struct Running {
    jobs: Mutex<HashMap<String, Cancel>>,
}

impl Running {
    /// Registers `scan_id` as running here with a fresh token; it is unregistered when
    /// the returned handle is dropped.
    pub fn start(self: &Arc<Self>, scan_id: &str) -> RunningJob {
        let cancel = Cancel::new();
        self.jobs().insert(scan_id.to_string(), cancel.clone());
        RunningJob {
            running: Arc::clone(self),
            scan_id: scan_id.to_string(),
            cancel,
        }
    }

    /// Stops `scan_id`'s engine if it runs in this process; whether it did.
    pub fn cancel(&self, scan_id: &str) -> bool {
        match self.jobs().get(scan_id) {
            Some(cancel) => {
                cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// How many jobs run here now.
    pub fn count(&self) -> usize {
        self.jobs().len()
    }

    fn jobs(&self) -> MutexGuard<'_, HashMap<String, Cancel>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One registered job; dropping it unregisters the job.
#[derive(Debug)]
pub struct RunningJob {
    running: Arc<Running>,
    scan_id: String,
    /// The token that stops the job's engine.
    pub cancel: Cancel,
}

impl Drop for RunningJob {
    fn drop(&mut self) {
        self.running.jobs().remove(&self.scan_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registered_job_is_cancelled_by_id_until_it_ends() {
        let running = Arc::new(Running::default());
        let job = running.start("s1");
        assert_eq!(running.count(), 1);
        assert!(!running.cancel("other"));
        assert!(!job.cancel.is_cancelled());
        assert!(running.cancel("s1"));
        assert!(job.cancel.is_cancelled());
        drop(job);
        assert_eq!(running.count(), 0);
        assert!(!running.cancel("s1"));
    }
}
