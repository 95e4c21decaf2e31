//! The process's metrics in Prometheus text exposition format 0.0.4: a small hand-written
//! registry (counters and histograms behind one lock each), the middleware that counts
//! and times HTTP requests by matched route, and the rendering of `GET /metrics`.
//!
//! Counters and histograms cover this process only (its requests, its workers' jobs);
//! the queue gauges come from the database and so cover every process sharing it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use assay_store::StatusCounts;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Upper bounds (seconds) of the scan-duration buckets.
const SCAN_BUCKETS: [f64; 12] = [
    0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
];
/// Upper bounds (seconds) of the request-latency buckets.
const HTTP_BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];
/// The route label of requests that matched no route.
const UNMATCHED: &str = "unmatched";

/// Observations bucketed by upper bound, Prometheus-style.
#[derive(Debug, Clone)]
struct Histogram {
    bounds: &'static [f64],
    /// Observations per bucket (not cumulative; the last is `+Inf`).
    counts: Vec<u64>,
    sum: f64,
}

impl Histogram {
    fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            counts: vec![0; bounds.len() + 1],
            sum: 0.0,
        }
    }

    fn observe(&mut self, value: f64) {
        let bucket = self
            .bounds
            .iter()
            .position(|bound| value <= *bound)
            .unwrap_or(self.bounds.len());
        self.counts[bucket] += 1;
        self.sum += value;
    }

    /// `name_bucket`, `name_sum` and `name_count` lines, with `labels` (already
    /// rendered, `a="b",` or empty) before `le`.
    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (bound, count) in self.bounds.iter().zip(&self.counts) {
            cumulative += count;
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
        }
        let total: u64 = self.counts.iter().sum();
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {total}");
        let braces = |labels: &str| {
            let labels = labels.trim_end_matches(',');
            if labels.is_empty() {
                String::new()
            } else {
                format!("{{{labels}}}")
            }
        };
        let _ = writeln!(out, "{name}_sum{} {}", braces(labels), self.sum);
        let _ = writeln!(out, "{name}_count{} {total}", braces(labels));
    }
}

/// How one job ended, as the `outcome` label of `assay_scans_finished_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScanOutcome {
    /// A report was stored.
    Succeeded,
    /// A failure was stored (the budget included).
    Failed,
    /// The scan was cancelled while it ran here; its engine was stopped.
    Cancelled,
    /// The lease was lost to another worker (or the job vanished); nothing was written.
    LeaseLost,
    /// Shutdown outlasted the grace period; the job went back to the queue.
    Released,
}

impl ScanOutcome {
    fn label(self) -> &'static str {
        match self {
            ScanOutcome::Succeeded => "succeeded",
            ScanOutcome::Failed => "failed",
            ScanOutcome::Cancelled => "cancelled",
            ScanOutcome::LeaseLost => "lease_lost",
            ScanOutcome::Released => "released",
        }
    }
}

/// The registry.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    finished: Mutex<BTreeMap<ScanOutcome, u64>>,
    durations: Mutex<Option<Histogram>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Metrics {
    /// Counts one HTTP request to `route` (the matched pattern, e.g. `/api/v1/scan/{id}`)
    /// answered with `status` after `took`.
    pub fn request(&self, method: &str, route: &str, status: u16, took: Duration) {
        *lock(&self.requests)
            .entry((route.to_string(), method.to_string(), status))
            .or_default() += 1;
        lock(&self.latency)
            .entry((route.to_string(), method.to_string()))
            .or_insert_with(|| Histogram::new(&HTTP_BUCKETS))
            .observe(took.as_secs_f64());
    }

    /// Counts one job that ended with `outcome` after running `took` here.
    pub fn finished(&self, outcome: ScanOutcome, took: Duration) {
        *lock(&self.finished).entry(outcome).or_default() += 1;
        lock(&self.durations)
            .get_or_insert_with(|| Histogram::new(&SCAN_BUCKETS))
            .observe(took.as_secs_f64());
    }

    /// Every metric, with the queue as `queue` says and `busy` of `workers` in-process
    /// workers running a job.
    pub fn render(&self, queue: &StatusCounts, workers: usize, busy: usize) -> String {
        let mut out = String::new();
        header(
            &mut out,
            "assay_build_info",
            "gauge",
            "The running build (always 1).",
        );
        let _ = writeln!(
            out,
            "assay_build_info{{version=\"{}\"}} 1",
            escape(assay_engine::VERSION)
        );

        header(
            &mut out,
            "assay_queue_jobs",
            "gauge",
            "Jobs in the shared queue by status (every process on the database).",
        );
        for (status, count) in [
            ("queued", queue.queued),
            ("running", queue.running),
            ("succeeded", queue.succeeded),
            ("failed", queue.failed),
            ("cancelled", queue.cancelled),
        ] {
            let _ = writeln!(out, "assay_queue_jobs{{status=\"{status}\"}} {count}");
        }

        header(
            &mut out,
            "assay_workers",
            "gauge",
            "This process's in-process workers by state.",
        );
        let busy = busy.min(workers);
        let _ = writeln!(out, "assay_workers{{state=\"busy\"}} {busy}");
        let _ = writeln!(out, "assay_workers{{state=\"idle\"}} {}", workers - busy);

        header(
            &mut out,
            "assay_scans_finished_total",
            "counter",
            "Jobs this process's workers finished, by outcome.",
        );
        let finished = lock(&self.finished).clone();
        for outcome in [
            ScanOutcome::Succeeded,
            ScanOutcome::Failed,
            ScanOutcome::Cancelled,
            ScanOutcome::LeaseLost,
            ScanOutcome::Released,
        ] {
            let count = finished.get(&outcome).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "assay_scans_finished_total{{outcome=\"{}\"}} {count}",
                outcome.label()
            );
        }

        header(
            &mut out,
            "assay_scan_duration_seconds",
            "histogram",
            "Wall-clock time of the jobs this process's workers ran.",
        );
        lock(&self.durations)
            .clone()
            .unwrap_or_else(|| Histogram::new(&SCAN_BUCKETS))
            .render(&mut out, "assay_scan_duration_seconds", "");

        header(
            &mut out,
            "assay_http_requests_total",
            "counter",
            "HTTP requests answered, by matched route, method and status.",
        );
        for ((route, method, status), count) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "assay_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                escape(route),
                escape(method)
            );
        }

        header(
            &mut out,
            "assay_http_request_duration_seconds",
            "histogram",
            "Time to the response head, by matched route and method.",
        );
        for ((route, method), histogram) in lock(&self.latency).iter() {
            let labels = format!("route=\"{}\",method=\"{}\",", escape(route), escape(method));
            histogram.render(&mut out, "assay_http_request_duration_seconds", &labels);
        }
        out
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value escaped for the text format.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: counts and times every request by its matched route (`unmatched` for the
/// fallback, so probing random paths cannot grow the label set).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_string();
    let method = request.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counted() {
        let mut histogram = Histogram::new(&[1.0, 5.0]);
        for value in [0.5, 1.0, 3.0, 9.0] {
            histogram.observe(value);
        }
        let mut out = String::new();
        histogram.render(&mut out, "h", "a=\"b\",");
        assert_eq!(
            out,
            "h_bucket{a=\"b\",le=\"1\"} 2\nh_bucket{a=\"b\",le=\"5\"} 3\n\
             h_bucket{a=\"b\",le=\"+Inf\"} 4\nh_sum{a=\"b\"} 13.5\nh_count{a=\"b\"} 4\n"
        );
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
