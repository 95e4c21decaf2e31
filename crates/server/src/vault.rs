//! One-shot credentials, held in memory from submission until a worker takes them.
//!
//! They are never stored, logged or put in events. Whether a job *had* credentials is
//! recorded (as a boolean) in its `queued` event, so a worker that finds none — the
//! process restarted in between — fails the job instead of scanning without them.

use std::collections::HashMap;

use assay_source::Credentials;
use tokio::sync::{Mutex, MutexGuard};

/// Credentials by scan id.
#[derive(Debug, Default)]
pub struct Vault(Mutex<HashMap<String, Credentials>>);

impl Vault {
    /// Locks the vault. A submission holds the lock from before the job is queued until
    /// its credentials are in, so a worker claiming the job at once still finds them.
    pub async fn lock(&self) -> MutexGuard<'_, HashMap<String, Credentials>> {
        self.0.lock().await
    }

    /// Takes (removes) a job's credentials.
    pub async fn take(&self, scan_id: &str) -> Option<Credentials> {
        self.0.lock().await.remove(scan_id)
    }
}
