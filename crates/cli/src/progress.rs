//! The one-line progress display on stderr shared by the commands.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assay_core::ProgressEvent;

/// A one-line progress display on stderr, redrawn at most ten times a second.
pub struct Progress {
    enabled: bool,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    /// A display that shows nothing unless `enabled` (not quiet, stderr a terminal).
    pub fn new(enabled: bool) -> Self {
        Progress {
            enabled,
            last: Mutex::new(None),
        }
    }

    /// Shows `event`.
    pub fn show(&self, event: &ProgressEvent) {
        let line = match event {
            ProgressEvent::Started { target } => format!("scanning {target}"),
            ProgressEvent::Phase { name } => format!("{name}…"),
            ProgressEvent::Files { done, bytes } => {
                format!("analysing… {done} files, {:.1} MB", *bytes as f64 / 1e6)
            }
            ProgressEvent::Resolved {
                canonical_id,
                cached,
            } => format!(
                "resolved {canonical_id}{}",
                if *cached { " (cached)" } else { "" }
            ),
            ProgressEvent::Download { what, done, total } => download_bar(what, *done, *total),
            ProgressEvent::Finished { .. } => return,
        };
        let frequent = matches!(
            event,
            ProgressEvent::Files { .. } | ProgressEvent::Download { .. }
        );
        self.line(&line, frequent);
    }

    /// Replaces the display with `line`; a `frequent` line is dropped when the last
    /// one was drawn less than 100 ms ago.
    pub fn line(&self, line: &str, frequent: bool) {
        if !self.enabled {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if frequent && last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) {
            return;
        }
        *last = Some(Instant::now());
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[2K{line}");
        let _ = stderr.flush();
    }

    /// Erases the display.
    pub fn clear(&self) {
        if self.enabled {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}

/// `downloading name.tgz [#####.....] 1.2/2.4 MB`, or a byte count when the size is
/// unknown.
fn download_bar(what: &str, done: u64, total: Option<u64>) -> String {
    const WIDTH: usize = 24;
    let mb = |b: u64| b as f64 / 1e6;
    match total.filter(|t| *t > 0) {
        Some(total) => {
            let filled = ((done.min(total) as f64 / total as f64) * WIDTH as f64) as usize;
            format!(
                "downloading {what} [{}{}] {:.1}/{:.1} MB",
                "#".repeat(filled),
                ".".repeat(WIDTH - filled),
                mb(done),
                mb(total)
            )
        }
        None => format!("downloading {what} {:.1} MB", mb(done)),
    }
}
