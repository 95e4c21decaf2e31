//! The package score (0–100) and grade.
//!
//! Each unsuppressed finding `i` has a weight
//! `wᵢ = severityᵢ × (1 − AIVSS_SPAN + AIVSS_SPAN × AIVSSᵢ / 10) × confidenceᵢ`:
//! the (effective) severity sets the scale ([`SEVERITY_WEIGHTS`]), the AIVSS score moves
//! it within a band of ±[`AIVSS_SPAN`], and confidence weighs it (high 1.0, medium 0.7,
//! low 0.4). Severity leads because AIVSS halves the CVSS of problems that agents don't
//! amplify (a leaked token is serious whether or not an agent is involved). Sorted by
//! weight, worst first (`i = 0, 1, …`):
//!
//! ```text
//! score = 100 × Π (1 − MAX_SHARE × wᵢ × DECAYⁱ)
//! ```
//!
//! so the worst finding dominates, each further finding takes a smaller bite (diminishing
//! returns), and adding a finding can never raise the score. The result is rounded to
//! the nearest integer. An incomplete scan is capped at [`INCOMPLETE_CAP`]: content that
//! was not analysed cannot earn an A or B. Grades: see [`grade_for`].

use std::collections::BTreeMap;

use assay_core::{
    Confidence, Deduction, Family, FamilyScore, Finding, Grade, ScoreSummary, Severity,
};

/// Version of this formula; bumped on any change.
pub const FORMULA_VERSION: u32 = 1;
/// The largest share of the score one finding can take.
pub const MAX_SHARE: f64 = 0.8;
/// How fast further findings' bites shrink.
pub const DECAY: f64 = 0.5;
/// Scale of a finding's weight by severity: critical, high, medium, low, info.
pub const SEVERITY_WEIGHTS: [(Severity, f64); 5] = [
    (Severity::Critical, 1.0),
    (Severity::High, 0.55),
    (Severity::Medium, 0.35),
    (Severity::Low, 0.1),
    (Severity::Info, 0.0),
];
/// How much of a finding's weight its AIVSS score moves.
pub const AIVSS_SPAN: f64 = 0.25;
/// The highest score an incomplete scan can get.
pub const INCOMPLETE_CAP: u8 = 79;

/// Lowest score of each grade: A ≥ 90, B ≥ 80, C ≥ 65, D ≥ 50, F below.
pub const GRADE_BANDS: [(u8, Grade); 4] = [
    (90, Grade::A),
    (80, Grade::B),
    (65, Grade::C),
    (50, Grade::D),
];

/// The grade of a score.
pub fn grade_for(score: u8) -> Grade {
    GRADE_BANDS
        .iter()
        .find(|(min, _)| score >= *min)
        .map_or(Grade::F, |(_, grade)| *grade)
}

fn confidence_weight(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::High => 1.0,
        Confidence::Medium => 0.7,
        Confidence::Low => 0.4,
    }
}

fn severity_weight(severity: Severity) -> f64 {
    SEVERITY_WEIGHTS
        .iter()
        .find(|(s, _)| *s == severity)
        .map_or(0.0, |(_, w)| *w)
}

/// The weight of one finding.
pub fn weight(finding: &Finding) -> f64 {
    let aivss = finding.aivss.as_ref().map_or(0.0, |a| a.score);
    severity_weight(finding.severity)
        * (1.0 - AIVSS_SPAN + AIVSS_SPAN * aivss / 10.0)
        * confidence_weight(finding.confidence)
}

/// Each finding's multiplicative bite `MAX_SHARE × wᵢ × DECAYⁱ`, paired with the finding,
/// in the order applied (worst first; ties broken by rule id and location for determinism).
fn bites<'a>(findings: &[&'a Finding]) -> Vec<(&'a Finding, f64)> {
    let mut weighted: Vec<(&Finding, f64)> = findings.iter().map(|f| (*f, weight(f))).collect();
    weighted.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| a.0.rule_id.cmp(&b.0.rule_id))
            .then_with(|| a.0.location.cmp(&b.0.location))
    });
    let mut decay = 1.0;
    weighted
        .into_iter()
        .map(|(f, w)| {
            let bite = (MAX_SHARE * w * decay).clamp(0.0, MAX_SHARE);
            decay *= DECAY;
            (f, bite)
        })
        .collect()
}

fn raw_score(bites: &[(&Finding, f64)]) -> f64 {
    100.0 * bites.iter().map(|(_, b)| 1.0 - b).product::<f64>()
}

fn to_points(score: f64) -> u8 {
    score.round().clamp(0.0, 100.0) as u8
}

/// The score and grade of a part of a package's findings — one family's, one tool's: the
/// same formula applied to those findings alone, without the incomplete cap (which is
/// about the package as a whole).
pub fn sub_score(findings: &[&Finding]) -> (u8, Grade) {
    let score = to_points(raw_score(&bites(findings)));
    (score, grade_for(score))
}

/// Scores the package from its unsuppressed findings (which must carry AIVSS scores).
pub fn score_package(findings: &[Finding], complete: bool) -> ScoreSummary {
    let all: Vec<&Finding> = findings.iter().collect();
    let applied = bites(&all);
    let raw = raw_score(&applied);
    let mut score = to_points(raw);
    let deductions_total = 100.0 - raw;

    // "Why not 100": split the loss between findings in proportion to −ln(1 − biteᵢ),
    // which is exact for a product, then group by rule.
    let logs: f64 = applied.iter().map(|(_, b)| -(1.0 - b).ln()).sum();
    let mut by_rule: BTreeMap<&str, (f64, u32, &Finding)> = BTreeMap::new();
    for (finding, bite) in &applied {
        let share = if logs > 0.0 {
            -(1.0 - bite).ln() / logs * deductions_total
        } else {
            0.0
        };
        let entry = by_rule
            .entry(finding.rule_id.as_str())
            .or_insert((0.0, 0, finding));
        entry.0 += share;
        entry.1 += 1;
    }
    let mut deductions: Vec<Deduction> = by_rule
        .into_iter()
        .filter(|(_, (points, _, _))| *points >= 0.05)
        .map(|(rule_id, (points, count, first))| Deduction {
            points: (points * 10.0).round() / 10.0,
            rule_id: rule_id.to_string(),
            count,
            reason: if count == 1 {
                format!(
                    "{} ({}, {} confidence)",
                    first.title, first.severity, first.confidence
                )
            } else {
                format!("{} ×{count} (worst: {})", first.title, first.severity)
            },
        })
        .collect();
    deductions.sort_by(|a, b| {
        b.points
            .total_cmp(&a.points)
            .then(a.rule_id.cmp(&b.rule_id))
    });

    if !complete && score > INCOMPLETE_CAP {
        deductions.push(Deduction {
            points: f64::from(score - INCOMPLETE_CAP),
            rule_id: "incomplete".to_string(),
            count: 1,
            reason: "scan incomplete: part of the target was not analysed".to_string(),
        });
        score = INCOMPLETE_CAP;
    }

    let families = Family::ALL
        .iter()
        .map(|family| {
            let members: Vec<&Finding> = all
                .iter()
                .copied()
                .filter(|f| f.family == *family)
                .collect();
            let (score, grade) = sub_score(&members);
            FamilyScore {
                family: *family,
                score,
                grade,
                findings: u32::try_from(members.len()).unwrap_or(u32::MAX),
            }
        })
        .collect();

    ScoreSummary {
        score,
        grade: grade_for(score),
        formula_version: FORMULA_VERSION,
        deductions,
        families,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_core::{Aivss, Location};

    fn finding(rule: &str, aivss: f64, confidence: Confidence, line: u32) -> Finding {
        finding_of(rule, Severity::High, aivss, confidence, line)
    }

    fn finding_of(
        rule: &str,
        severity: Severity,
        aivss: f64,
        confidence: Confidence,
        line: u32,
    ) -> Finding {
        Finding {
            rule_id: rule.into(),
            rule_name: "r".into(),
            title: "t".into(),
            family: Family::Metadata,
            severity,
            confidence,
            cwe: vec![],
            owasp_mcp: "MCP03:2025".into(),
            location: Location::point("a.ts", line, 1),
            snippet: String::new(),
            tool: None,
            message: String::new(),
            remediation: String::new(),
            evidence: vec![],
            flow: vec![],
            fingerprint: format!("{rule}{line}"),
            aivss: Some(Aivss {
                score: aivss,
                cvss_vector: String::new(),
                cvss_base: 0.0,
                aars: 0.0,
                factors: vec![],
                thm: 1.0,
            }),
        }
    }

    #[test]
    fn grade_bands_are_enforced() {
        let cases = [
            (100, Grade::A),
            (90, Grade::A),
            (89, Grade::B),
            (80, Grade::B),
            (79, Grade::C),
            (65, Grade::C),
            (64, Grade::D),
            (50, Grade::D),
            (49, Grade::F),
            (0, Grade::F),
        ];
        for (score, grade) in cases {
            assert_eq!(grade_for(score), grade, "score {score}");
        }
    }

    #[test]
    fn clean_is_100_and_incomplete_is_capped() {
        let clean = score_package(&[], true);
        assert_eq!((clean.score, clean.grade), (100, Grade::A));
        assert!(clean.deductions.is_empty());
        let incomplete = score_package(&[], false);
        assert_eq!(incomplete.score, INCOMPLETE_CAP);
        assert_eq!(incomplete.deductions[0].rule_id, "incomplete");
    }

    #[test]
    fn adding_a_finding_never_raises_the_score() {
        // A deterministic pseudo-random walk over many finding sets.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let mut findings = Vec::new();
            let mut last = score_package(&findings, true).score;
            for i in 0..12 {
                let aivss = (next() % 101) as f64 / 10.0;
                let confidence =
                    [Confidence::Low, Confidence::Medium, Confidence::High][(next() % 3) as usize];
                let severity = Severity::ALL[(next() % 5) as usize];
                let rule = format!("AS1{:02}", next() % 8);
                findings.push(finding_of(&rule, severity, aivss, confidence, i));
                let now = score_package(&findings, true).score;
                assert!(
                    now <= last,
                    "score rose from {last} to {now} after adding a finding"
                );
                last = now;
            }
        }
    }

    #[test]
    fn single_findings_land_in_the_documented_grades() {
        let grade_of = |severity, aivss| {
            let one = finding_of("AS101", severity, aivss, Confidence::High, 1);
            score_package(&[one], true).grade
        };
        assert_eq!(grade_of(Severity::Critical, 6.0), Grade::F);
        assert_eq!(grade_of(Severity::High, 5.0), Grade::D);
        assert_eq!(grade_of(Severity::Medium, 4.0), Grade::C);
        assert_eq!(grade_of(Severity::Low, 2.0), Grade::A);
        assert_eq!(grade_of(Severity::Info, 0.0), Grade::A);
    }

    #[test]
    fn worst_finding_dominates_and_confidence_weighs() {
        let one_bad = score_package(
            &[finding_of(
                "AS101",
                Severity::Critical,
                9.0,
                Confidence::High,
                1,
            )],
            true,
        )
        .score;
        let many_mild: Vec<Finding> = (0..10)
            .map(|i| finding_of("AS103", Severity::Low, 4.0, Confidence::High, i))
            .collect();
        let mild = score_package(&many_mild, true).score;
        assert!(
            one_bad < mild,
            "one severe ({one_bad}) should score below ten mild ({mild})"
        );
        let low_conf = score_package(
            &[finding_of(
                "AS101",
                Severity::Critical,
                9.0,
                Confidence::Low,
                1,
            )],
            true,
        )
        .score;
        assert!(low_conf > one_bad);
    }

    #[test]
    fn deductions_add_up_to_the_loss() {
        let findings = vec![
            finding("AS101", 8.0, Confidence::High, 1),
            finding("AS101", 7.0, Confidence::Medium, 2),
            finding("AS105", 5.0, Confidence::High, 3),
        ];
        let summary = score_package(&findings, true);
        let total: f64 = summary.deductions.iter().map(|d| d.points).sum();
        assert!(
            (total - f64::from(100 - summary.score)).abs() <= 1.0,
            "{total} vs {}",
            summary.score
        );
        assert_eq!(summary.deductions[0].rule_id, "AS101");
        assert_eq!(summary.deductions[0].count, 2);
        let metadata = summary
            .families
            .iter()
            .find(|f| f.family == Family::Metadata)
            .unwrap();
        assert_eq!(metadata.score, summary.score);
        assert_eq!(metadata.findings, 3);
        let secrets = summary
            .families
            .iter()
            .find(|f| f.family == Family::Secrets)
            .unwrap();
        assert_eq!((secrets.score, secrets.findings), (100, 0));
    }
}
