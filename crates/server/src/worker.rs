//! In-process workers: each claims a job from the store under a lease, keeps the lease
//! alive with heartbeats, runs the engine on a blocking thread within the job's wall-clock
//! budget, streams its progress into the store as events, and stores the report or the
//! failure. A job whose lease is lost (cancelled, or taken over after a stall) is dropped
//! without writing. On shutdown, workers stop claiming; running jobs get the grace period
//! to finish, then are released back to the queue.
//!
//! Whenever a job stops early — a `DELETE` (signalled directly through
//! [`Running`](crate::running::Running) in this process, seen at the next heartbeat from
//! another), the budget, shutdown after the grace period — its engine's cancellation
//! token is set and the worker waits (briefly) for the engine to return, so a stopped
//! job does not keep a thread, a connection or a git process busy.
use std::sync::Arc;
use std::time::{Duration, Instant};

use assay_core::{Cancel, ProgressEvent};
use assay_engine::{Config, EngineError, FetchOptions, NetworkPolicy, ScanRequest};
use assay_source::Credentials;
use assay_store::{Scan, Visibility};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::metrics::ScanOutcome;
use crate::state::{AppState, now};

/// Code of a private job whose credentials did not survive a restart.
pub const CREDENTIALS_UNAVAILABLE: &str = "CREDENTIALS_UNAVAILABLE";
/// Code of a job that ran out of its wall-clock budget.
pub const SCAN_TIMEOUT: &str = "SCAN_TIMEOUT";
/// Least time between two `download` events of one job.
const DOWNLOAD_EVENT_EVERY: Duration = Duration::from_millis(250);
/// How long a stopped job's engine gets to return after its token is set (it checks the
/// token several times a second) before the worker moves on without it.
const ENGINE_STOP: Duration = Duration::from_secs(5);

/// Starts `state.config.workers` workers and the periodic requeue of expired leases.
pub fn spawn(state: &AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let mut handles: Vec<JoinHandle<()>> = (0..state.config.workers)
        .map(|n| {
            let worker = Worker {
                id: format!("{}-{n}", uuid::Uuid::new_v4()),
                state: state.clone(),
                shutdown: shutdown.clone(),
            };
            tokio::spawn(worker.run())
        })
        .collect();
    handles.push(tokio::spawn(requeue_loop(state.clone(), shutdown)));
    handles
}

/// Requeues jobs whose lease expired, at startup and then once per lease period.
async fn requeue_loop(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        match state.store.requeue_expired(now()).await {
            Ok(done) if done.requeued + done.abandoned > 0 => {
                eprintln!(
                    "assay serve: requeued {} job(s) with expired leases, abandoned {}",
                    done.requeued, done.abandoned
                );
                state.wake.notify_waiters();
            }
            Ok(_) => {}
            Err(e) => eprintln!("assay serve: requeue failed: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(state.config.lease) => {}
            _ = shutdown.changed() => return,
        }
    }
}

struct Worker {
    id: String,
    state: AppState,
    shutdown: watch::Receiver<bool>,
}

/// How a job's run ended.
enum Outcome {
    Report(Box<assay_core::Report>),
    Failed {
        code: String,
        message: String,
    },
    /// The scan was cancelled in this process (`DELETE`) and its engine stopped: the
    /// cancellation is already stored, write nothing.
    Cancelled,
    /// The lease was lost (cancelled from another process, or taken over): write nothing.
    LeaseLost,
    /// Shutdown outlasted the grace period: give the job back.
    Interrupted,
}

impl Worker {
    async fn run(mut self) {
        let lease = time_duration(self.state.config.lease);
        let poll = time_duration(self.state.config.poll_interval);
        while !*self.shutdown.borrow() {
            let wake = self.state.wake.clone();
            let notified = wake.notified();
            match self.state.store.claim(&self.id, lease, now()).await {
                Ok(Some(scan)) => self.job(scan).await,
                Ok(None) => {
                    // This process's submissions, or (PostgreSQL) any process's.
                    tokio::select! {
                        _ = notified => {}
                        _ = self.state.store.wait_for_work(poll) => {}
                        _ = self.shutdown.changed() => {}
                    }
                }
                Err(e) => {
                    eprintln!("assay serve: worker {}: claim failed: {e}", self.id);
                    tokio::time::sleep(self.state.config.poll_interval).await;
                }
            }
        }
    }

    async fn event(&self, scan_id: &str, kind: &str, payload: Value) {
        if let Err(e) = self
            .state
            .store
            .append_event(scan_id, kind, &payload, now())
            .await
        {
            eprintln!("assay serve: event {kind} of {scan_id}: {e}");
        }
    }

    async fn job(&mut self, scan: Scan) {
        let credentials = self.state.vault.take(&scan.id).await;
        if scan.visibility == Visibility::Private
            && credentials.is_none()
            && self.had_credentials(&scan.id).await
        {
            let message = "the scan's one-shot credentials are held only in the memory of the \
                process that accepted it, which restarted or is not this worker's; submit it again";
            self.finish(
                &scan.id,
                Outcome::Failed {
                    code: CREDENTIALS_UNAVAILABLE.into(),
                    message: message.into(),
                },
            )
            .await;
            return;
        }
        self.event(&scan.id, "running", json!({ "attempt": scan.attempts }))
            .await;
        let token = credentials.as_ref().map(|c| c.token.expose().to_string());
        let started = Instant::now();
        let outcome = self.execute(&scan, credentials).await;
        self.state
            .metrics
            .finished(outcome.metric(), started.elapsed());
        let outcome = match (outcome, token) {
            (Outcome::Failed { code, message }, Some(token)) => Outcome::Failed {
                code,
                message: message.replace(&token, "***"),
            },
            (outcome, _) => outcome,
        };
        self.finish(&scan.id, outcome).await;
    }

    /// Whether the job was submitted with credentials (its `queued` event says).
    async fn had_credentials(&self, scan_id: &str) -> bool {
        match self.state.store.events_after(scan_id, 0, 1).await {
            Ok(events) => events
                .first()
                .is_some_and(|e| e.payload["credentials"] == json!(true)),
            // Fail closed: never scan a private target without knowing.
            Err(_) => true,
        }
    }

    /// Runs the engine with heartbeats, the budget and shutdown, stopping it (through its
    /// token) when the job ends early.
    async fn execute(&mut self, scan: &Scan, credentials: Option<Credentials>) -> Outcome {
        let job = self.state.running.start(&scan.id);
        let config = &self.state.config;
        let fetch = FetchOptions {
            policy: NetworkPolicy {
                allow_private_network: config.allow_private_network,
                ..NetworkPolicy::default()
            },
            cache: config.cache.clone(),
            credentials,
            endpoints: config.endpoints.clone(),
            reference: scan.git_ref.clone(),
            base_path: scan.base_path.clone(),
            cancel: job.cancel.clone(),
        };
        let (events_tx, mut events_rx) = mpsc::unbounded_channel::<ProgressEvent>();
        let input = scan.input.clone();
        let advisories = config.advisories.clone();
        let engine = tokio::task::spawn_blocking(move || {
            let last_download = std::sync::Mutex::new(None::<Instant>);
            let progress = |event: &ProgressEvent| {
                if let ProgressEvent::Download { .. } = event {
                    let mut last = last_download.lock().unwrap_or_else(|e| e.into_inner());
                    if last.is_some_and(|t| t.elapsed() < DOWNLOAD_EVENT_EVERY) {
                        return;
                    }
                    *last = Some(Instant::now());
                }
                let _ = events_tx.send(event.clone());
            };
            let request = ScanRequest {
                target: &input,
                fetch: &fetch,
                config: &Config::default(),
                baseline: None,
                // Third-party code must not silence findings about itself.
                inline_ignores: false,
                progress: &progress,
                generated_at: None,
                advisories: &advisories,
            };
            assay_engine::scan(&request)
        });
        let store = Arc::clone(&self.state.store);
        let scan_id = scan.id.clone();
        let forward = tokio::spawn(async move {
            while let Some(event) = events_rx.recv().await {
                if let ProgressEvent::Finished { .. } = event {
                    continue; // the worker writes `finished` once the report is stored
                }
                let payload = serde_json::to_value(&event).unwrap_or(Value::Null);
                let kind = payload["event"].as_str().unwrap_or("progress").to_string();
                if let Err(e) = store.append_event(&scan_id, &kind, &payload, now()).await {
                    eprintln!("assay serve: event {kind} of {scan_id}: {e}");
                }
            }
        });

        let lease = time_duration(config.lease);
        let mut heartbeat = tokio::time::interval(config.lease / 3);
        heartbeat.tick().await;
        let budget = tokio::time::sleep(config.job_budget);
        tokio::pin!(budget, engine);
        let grace = config.shutdown_grace;
        let mut deadline: Option<std::pin::Pin<Box<tokio::time::Sleep>>> = None;
        let outcome = loop {
            tokio::select! {
                result = &mut engine => break match result {
                    Ok(Ok(report)) => Outcome::Report(Box::new(report)),
                    Ok(Err(EngineError::Cancelled)) => Outcome::Cancelled,
                    Ok(Err(e)) => Outcome::Failed { code: e.code().into(), message: one_line(&e.to_string()) },
                    Err(e) => Outcome::Failed { code: "INTERNAL_ERROR".into(), message: format!("the scan crashed: {e}") },
                },
                _ = heartbeat.tick() => {
                    match self.state.store.heartbeat(&scan.id, &self.id, lease, now()).await {
                        Ok(true) => {}
                        Ok(false) => break Outcome::LeaseLost,
                        Err(e) => eprintln!("assay serve: heartbeat of {}: {e}", scan.id),
                    }
                }
                _ = &mut budget => break Outcome::Failed {
                    code: SCAN_TIMEOUT.into(),
                    message: format!("the scan took longer than its budget of {} s", config.job_budget.as_secs()),
                },
                _ = self.shutdown.changed(), if deadline.is_none() => {
                    deadline = Some(Box::pin(tokio::time::sleep(grace)));
                }
                _ = async { deadline.as_mut().expect("guarded").await }, if deadline.is_some() => {
                    break Outcome::Interrupted;
                }
            }
        };
        if !engine.is_finished() {
            stop_engine(&job.cancel, &mut engine, &scan.id).await;
        }
        // Stored events must precede the terminal one.
        if matches!(outcome, Outcome::Report(_) | Outcome::Failed { .. }) {
            let _ = tokio::time::timeout(Duration::from_secs(5), forward).await;
        } else {
            forward.abort();
        }
        outcome
    }

    async fn finish(&self, scan_id: &str, outcome: Outcome) {
        let store = &self.state.store;
        match outcome {
            Outcome::Report(report) => {
                match store.complete(scan_id, &self.id, &report, now()).await {
                    Ok(_) => {
                        let payload = json!({
                            "status": "succeeded",
                            "findings": report.findings.len(),
                            "score": report.score.score,
                            "grade": report.score.grade,
                        });
                        self.event(scan_id, "finished", payload).await;
                    }
                    Err(e) => eprintln!("assay serve: storing the report of {scan_id}: {e}"),
                }
            }
            Outcome::Failed { code, message } => {
                eprintln!("assay serve: scan {scan_id} failed [{code}]: {message}");
                match store.fail(scan_id, &self.id, &code, &message, now()).await {
                    Ok(_) => {
                        let payload =
                            json!({ "status": "failed", "code": code, "message": message });
                        self.event(scan_id, "failed", payload).await;
                    }
                    Err(e) => eprintln!("assay serve: failing {scan_id}: {e}"),
                }
            }
            Outcome::Cancelled | Outcome::LeaseLost => {}
            Outcome::Interrupted => {
                if let Err(e) = store.release(scan_id, &self.id).await {
                    eprintln!("assay serve: releasing {scan_id}: {e}");
                }
            }
        }
    }
}

impl Outcome {
    /// The outcome as the metrics count it.
    fn metric(&self) -> ScanOutcome {
        match self {
            Outcome::Report(_) => ScanOutcome::Succeeded,
            Outcome::Failed { .. } => ScanOutcome::Failed,
            Outcome::Cancelled => ScanOutcome::Cancelled,
            Outcome::LeaseLost => ScanOutcome::LeaseLost,
            Outcome::Interrupted => ScanOutcome::Released,
        }
    }
}

/// Sets the job's token and waits up to [`ENGINE_STOP`] for its engine to return.
async fn stop_engine<T>(cancel: &Cancel, engine: &mut JoinHandle<T>, scan_id: &str) {
    cancel.cancel();
    if tokio::time::timeout(ENGINE_STOP, engine).await.is_err() {
        eprintln!(
            "assay serve: the engine of {scan_id} did not stop within {} s of its cancellation; leaving it",
            ENGINE_STOP.as_secs()
        );
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn time_duration(d: Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::MINUTE)
}
