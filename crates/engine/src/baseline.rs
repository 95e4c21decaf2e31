//! Baselines: a file of finding fingerprints accepted as known, so CI gates only on new
//! findings. Entries that no longer match anything are reported as unused.

use std::path::Path;

use assay_core::Finding;
use serde::{Deserialize, Serialize};

use crate::EngineError;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// [`BASELINE_VERSION`].
    pub version: u32,
    /// Accepted findings.
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding. Only `fingerprint` is matched; the rest helps humans review it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Rule id.
    pub rule_id: String,
    /// Path of the finding.
    pub path: String,
}

impl Baseline {
    /// A baseline accepting exactly `findings`, sorted for stable diffs.
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .into_iter()
            .map(|f| BaselineEntry {
                fingerprint: f.fingerprint.clone(),
                rule_id: f.rule_id.clone(),
                path: f.location.path.clone(),
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.rule_id, &a.path, &a.fingerprint).cmp(&(&b.rule_id, &b.path, &b.fingerprint))
        });
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: BASELINE_VERSION,
            findings: entries,
        }
    }

    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, EngineError> {
        let err = |message: String| EngineError::Baseline {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        if baseline.version != BASELINE_VERSION {
            return Err(err(format!(
                "unsupported version {} (expected {BASELINE_VERSION})",
                baseline.version
            )));
        }
        Ok(baseline)
    }

    /// The file's text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serialises");
        text.push('\n');
        text
    }
}
