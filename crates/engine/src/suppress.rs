//! Noise control applied after analysis: `assay.toml` rule ignores, inline
//! `assay-ignore` comments, and the baseline. Every mechanism also reports its entries
//! that matched nothing, so stale suppressions don't pile up.

use std::collections::HashSet;

use assay_core::{Finding, SuppressedFinding, SuppressionKind, UnusedSuppression};
use assay_rules::ignore::InlineIgnore;

use crate::baseline::Baseline;
use crate::config::{Config, rule_matches};

/// Findings split into kept and suppressed, plus unused suppression entries.
#[derive(Debug, Default)]
pub struct Filtered {
    /// Findings still reported.
    pub kept: Vec<Finding>,
    /// Findings silenced.
    pub suppressed: Vec<SuppressedFinding>,
    /// Entries that silenced nothing.
    pub unused: Vec<UnusedSuppression>,
}

/// Applies config ignores, then inline ignores, then the baseline.
pub fn apply(
    findings: Vec<Finding>,
    config: &Config,
    inline: &[InlineIgnore],
    baseline: Option<&Baseline>,
) -> Filtered {
    let mut out = Filtered::default();
    let mut used_config = vec![false; config.rules.ignore.len()];
    let mut used_inline = vec![false; inline.len()];
    let baseline_prints: HashSet<&str> = baseline
        .map(|b| b.findings.iter().map(|e| e.fingerprint.as_str()).collect())
        .unwrap_or_default();
    let mut used_baseline: HashSet<&str> = HashSet::new();

    for finding in findings {
        if let Some(i) = config
            .rules
            .ignore
            .iter()
            .position(|pattern| rule_matches(&finding.rule_id, &finding.rule_name, pattern))
        {
            used_config[i] = true;
            out.suppressed.push(suppressed(
                &finding,
                SuppressionKind::Config,
                Some(format!(
                    "assay.toml rules.ignore = \"{}\"",
                    config.rules.ignore[i]
                )),
            ));
            continue;
        }
        if let Some(i) = inline.iter().position(|ig| {
            ig.path == finding.location.path && ig.covers(&finding.rule_id, finding.location.line)
        }) {
            used_inline[i] = true;
            out.suppressed.push(suppressed(
                &finding,
                SuppressionKind::Inline,
                inline[i].reason.clone(),
            ));
            continue;
        }
        if let Some(print) = baseline_prints.get(finding.fingerprint.as_str()) {
            used_baseline.insert(print);
            out.suppressed
                .push(suppressed(&finding, SuppressionKind::Baseline, None));
            continue;
        }
        out.kept.push(finding);
    }

    for (pattern, used) in config.rules.ignore.iter().zip(used_config) {
        if !used {
            out.unused.push(UnusedSuppression {
                kind: SuppressionKind::Config,
                entry: format!("rules.ignore = \"{pattern}\""),
                location: None,
            });
        }
    }
    for (ignore, used) in inline.iter().zip(used_inline) {
        if !used {
            out.unused.push(UnusedSuppression {
                kind: SuppressionKind::Inline,
                entry: format!("assay-ignore: {}", ignore.rules.join(", ")),
                location: Some(assay_core::Location::point(&ignore.path, ignore.line, 1)),
            });
        }
    }
    if let Some(baseline) = baseline {
        for entry in &baseline.findings {
            if !used_baseline.contains(entry.fingerprint.as_str()) {
                out.unused.push(UnusedSuppression {
                    kind: SuppressionKind::Baseline,
                    entry: format!("{} {} ({})", entry.fingerprint, entry.rule_id, entry.path),
                    location: None,
                });
            }
        }
    }
    out
}

fn suppressed(
    finding: &Finding,
    kind: SuppressionKind,
    reason: Option<String>,
) -> SuppressedFinding {
    SuppressedFinding {
        rule_id: finding.rule_id.clone(),
        location: finding.location.clone(),
        fingerprint: finding.fingerprint.clone(),
        kind,
        reason,
    }
}
