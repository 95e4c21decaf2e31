//! Scoring a corpus run: true positives, false negatives and false positives per rule
//! family, precision and recall. Pure: it sees findings already reduced to [`Observed`],
//! so it is tested on synthetic results without touching the disk or the engine.

use std::collections::{BTreeMap, BTreeSet};

use assay_core::{Family, Severity};
use serde::Serialize;

/// One finding as the eval sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Observed {
    /// Rule id, e.g. `AS201`.
    pub rule_id: String,
    /// The rule's family.
    pub family: Family,
    /// Effective severity.
    pub severity: Severity,
    /// `path:line:column`, relative to the corpus root.
    pub location: String,
    /// The finding's message.
    pub message: String,
}

/// The scan results of one labelled case.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// Case id (directory name under `cases/`).
    pub id: String,
    /// Rule ids the vulnerable version must produce.
    pub expect: Vec<String>,
    /// Findings in `vulnerable/`.
    pub vulnerable: Vec<Observed>,
    /// Findings in `fixed/`.
    pub fixed: Vec<Observed>,
}

/// The scan results of one benign server.
#[derive(Debug, Clone)]
pub struct BenignRun {
    /// Benign id (directory name under `benign/`).
    pub id: String,
    /// Its findings.
    pub findings: Vec<Observed>,
}

/// Which twin or server a false positive was reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Where {
    /// The fixed twin of a case.
    Fixed,
    /// A benign server.
    Benign,
}

/// An expected rule id the vulnerable version did not produce.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Miss {
    /// Case id.
    pub case: String,
    /// The missing rule id.
    pub rule_id: String,
    /// What the vulnerable version reported instead (distinct rule ids).
    pub reported: Vec<String>,
}

/// One rule that fired where it should not have: counted once per (server, rule id),
/// with every offending finding attached.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FalseAlarm {
    /// Case or benign id.
    pub case: String,
    /// Fixed twin or benign server.
    pub place: Where,
    /// The rule id.
    pub rule_id: String,
    /// Why it counts: the id is expected in the vulnerable twin, or it is medium or above.
    pub reason: &'static str,
    /// The offending findings.
    pub findings: Vec<Observed>,
}

/// Counts for one family (or overall).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Expected ids found in a vulnerable version.
    pub tp: u32,
    /// Expected ids missing from a vulnerable version.
    pub fn_: u32,
    /// Wrong (server, rule id) pairs in fixed twins and benign servers.
    pub fp: u32,
}

impl Tally {
    /// TP / (TP + FP); `None` when nothing was reported at all.
    pub fn precision(self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }

    /// TP / (TP + FN); `None` when nothing was expected.
    pub fn recall(self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fn_)
    }

    fn add(&mut self, other: Tally) {
        self.tp += other.tp;
        self.fn_ += other.fn_;
        self.fp += other.fp;
    }
}

fn ratio(num: u32, den: u32) -> Option<f64> {
    (den > 0).then(|| f64::from(num) / f64::from(den))
}

/// The result of scoring a corpus run.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Counts per family, in family order; every family is present.
    pub families: Vec<(Family, Tally)>,
    /// Sum over families.
    pub overall: Tally,
    /// Every false negative, sorted.
    pub misses: Vec<Miss>,
    /// Every false positive, sorted.
    pub false_alarms: Vec<FalseAlarm>,
    /// Benign servers with a finding at medium or above, sorted.
    pub dirty_benign: Vec<String>,
    /// Number of cases scored.
    pub cases: usize,
    /// Number of benign servers scored.
    pub benign: usize,
}

/// The family a rule id belongs to, from its hundreds digit (`AS2xx` → code). Used for
/// expected ids, which may name a rule the engine does not (yet) report.
pub fn family_of_id(rule_id: &str) -> Option<Family> {
    let digits = rule_id.strip_prefix("AS")?;
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let index = usize::from(digits.as_bytes()[0] - b'0');
    index
        .checked_sub(1)
        .and_then(|i| Family::ALL.get(i).copied())
}

/// Scores a corpus run.
pub fn evaluate(cases: &[CaseRun], benign: &[BenignRun]) -> Evaluation {
    let mut per_family: BTreeMap<Family, Tally> = Family::ALL
        .iter()
        .map(|family| (*family, Tally::default()))
        .collect();
    let mut misses = Vec::new();
    let mut false_alarms = Vec::new();

    for case in cases {
        let expect: BTreeSet<&str> = case.expect.iter().map(String::as_str).collect();
        for id in &expect {
            let family = family_of_id(id).unwrap_or(Family::Metadata);
            let tally = per_family.entry(family).or_default();
            if case.vulnerable.iter().any(|f| f.rule_id == *id) {
                tally.tp += 1;
            } else {
                tally.fn_ += 1;
                let reported: BTreeSet<&str> =
                    case.vulnerable.iter().map(|f| f.rule_id.as_str()).collect();
                misses.push(Miss {
                    case: case.id.clone(),
                    rule_id: (*id).to_string(),
                    reported: reported.into_iter().map(str::to_string).collect(),
                });
            }
        }
        false_alarms.extend(wrong_findings(&case.id, Where::Fixed, &case.fixed, &expect));
    }
    let mut dirty_benign = Vec::new();
    for server in benign {
        let alarms = wrong_findings(
            &server.id,
            Where::Benign,
            &server.findings,
            &BTreeSet::new(),
        );
        if !alarms.is_empty() {
            dirty_benign.push(server.id.clone());
        }
        false_alarms.extend(alarms);
    }
    for alarm in &false_alarms {
        let family = alarm.findings[0].family;
        per_family.entry(family).or_default().fp += 1;
    }

    misses.sort();
    false_alarms.sort();
    dirty_benign.sort();
    let mut overall = Tally::default();
    for tally in per_family.values() {
        overall.add(*tally);
    }
    Evaluation {
        families: per_family.into_iter().collect(),
        overall,
        misses,
        false_alarms,
        dirty_benign,
        cases: cases.len(),
        benign: benign.len(),
    }
}

/// Groups the findings of a server that must stay clean into false alarms: a finding
/// counts when its rule id is in `expect` or it is medium or above.
fn wrong_findings(
    id: &str,
    place: Where,
    findings: &[Observed],
    expect: &BTreeSet<&str>,
) -> Vec<FalseAlarm> {
    let mut by_rule: BTreeMap<&str, (bool, Vec<Observed>)> = BTreeMap::new();
    for finding in findings {
        let expected = expect.contains(finding.rule_id.as_str());
        if !expected && finding.severity < Severity::Medium {
            continue;
        }
        let entry = by_rule.entry(finding.rule_id.as_str()).or_default();
        entry.0 |= expected;
        entry.1.push(finding.clone());
    }
    by_rule
        .into_iter()
        .map(|(rule_id, (expected, mut findings))| {
            findings.sort();
            FalseAlarm {
                case: id.to_string(),
                place,
                rule_id: rule_id.to_string(),
                reason: if expected {
                    "expected id reported in the fixed twin"
                } else {
                    "medium or above in a server that must stay clean"
                },
                findings,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(rule_id: &str, severity: Severity) -> Observed {
        Observed {
            rule_id: rule_id.to_string(),
            family: family_of_id(rule_id).unwrap(),
            severity,
            location: "src/index.ts:3:1".to_string(),
            message: format!("{rule_id} fired"),
        }
    }

    fn case(id: &str, expect: &[&str], vulnerable: Vec<Observed>, fixed: Vec<Observed>) -> CaseRun {
        CaseRun {
            id: id.to_string(),
            expect: expect.iter().map(|s| s.to_string()).collect(),
            vulnerable,
            fixed,
        }
    }

    fn tally(eval: &Evaluation, family: Family) -> Tally {
        eval.families.iter().find(|(f, _)| *f == family).unwrap().1
    }

    #[test]
    fn family_follows_the_hundreds_digit() {
        assert_eq!(family_of_id("AS101"), Some(Family::Metadata));
        assert_eq!(family_of_id("AS210"), Some(Family::Code));
        assert_eq!(family_of_id("AS403"), Some(Family::SupplyChain));
        assert_eq!(family_of_id("AS805"), Some(Family::Container));
        assert_eq!(family_of_id("AS901"), None);
        assert_eq!(family_of_id("AS001"), None);
        assert_eq!(family_of_id("AS20"), None);
        assert_eq!(family_of_id("XS201"), None);
        assert_eq!(family_of_id("AS2a1"), None);
    }

    #[test]
    fn found_expected_ids_are_true_positives_and_missing_ones_false_negatives() {
        let cases = [case(
            "ts-exec",
            &["AS201", "AS110"],
            vec![
                seen("AS201", Severity::Critical),
                seen("AS301", Severity::High),
            ],
            vec![],
        )];
        let eval = evaluate(&cases, &[]);
        assert_eq!(
            tally(&eval, Family::Code),
            Tally {
                tp: 1,
                fn_: 0,
                fp: 0
            }
        );
        assert_eq!(
            tally(&eval, Family::Metadata),
            Tally {
                tp: 0,
                fn_: 1,
                fp: 0
            }
        );
        // An unexpected extra id in the vulnerable version is neither TP nor FP.
        assert_eq!(tally(&eval, Family::Transport), Tally::default());
        assert_eq!(
            eval.overall,
            Tally {
                tp: 1,
                fn_: 1,
                fp: 0
            }
        );
        assert_eq!(
            eval.misses,
            vec![Miss {
                case: "ts-exec".into(),
                rule_id: "AS110".into(),
                reported: vec!["AS201".into(), "AS301".into()],
            }]
        );
        assert_eq!(eval.overall.recall(), Some(0.5));
        assert_eq!(eval.overall.precision(), Some(1.0));
    }

    #[test]
    fn an_expected_id_in_the_fixed_twin_is_a_false_positive_even_when_low() {
        let cases = [case(
            "ts-path",
            &["AS204"],
            vec![seen("AS204", Severity::High)],
            vec![seen("AS204", Severity::Low), seen("AS101", Severity::Low)],
        )];
        let eval = evaluate(&cases, &[]);
        assert_eq!(
            tally(&eval, Family::Code),
            Tally {
                tp: 1,
                fn_: 0,
                fp: 1
            }
        );
        // A low finding of another id in the fixed twin is tolerated.
        assert_eq!(tally(&eval, Family::Metadata), Tally::default());
        assert_eq!(eval.false_alarms.len(), 1);
        assert_eq!(
            eval.false_alarms[0].reason,
            "expected id reported in the fixed twin"
        );
        assert_eq!(eval.false_alarms[0].place, Where::Fixed);
        assert_eq!(eval.overall.precision(), Some(0.5));
    }

    #[test]
    fn medium_findings_in_clean_servers_count_once_per_rule_in_their_own_family() {
        let cases = [case(
            "js-sql",
            &["AS206"],
            vec![seen("AS206", Severity::High)],
            vec![
                seen("AS304", Severity::Medium),
                seen("AS304", Severity::High),
            ],
        )];
        let benign = [
            BenignRun {
                id: "ts-fs".into(),
                findings: vec![
                    seen("AS601", Severity::Critical),
                    seen("AS204", Severity::Info),
                ],
            },
            BenignRun {
                id: "ts-git".into(),
                findings: vec![seen("AS202", Severity::Low)],
            },
        ];
        let eval = evaluate(&cases, &benign);
        assert_eq!(tally(&eval, Family::Transport).fp, 1);
        assert_eq!(tally(&eval, Family::Secrets).fp, 1);
        assert_eq!(
            tally(&eval, Family::Code),
            Tally {
                tp: 1,
                fn_: 0,
                fp: 0
            }
        );
        assert_eq!(
            eval.overall,
            Tally {
                tp: 1,
                fn_: 0,
                fp: 2
            }
        );
        assert_eq!(eval.dirty_benign, vec!["ts-fs".to_string()]);
        let fixed = &eval.false_alarms[0];
        assert_eq!((fixed.case.as_str(), fixed.findings.len()), ("js-sql", 2));
        assert_eq!(
            fixed.reason,
            "medium or above in a server that must stay clean"
        );
        assert_eq!(eval.false_alarms[1].place, Where::Benign);
        assert_eq!((eval.cases, eval.benign), (1, 2));
    }

    #[test]
    fn duplicate_expected_ids_are_counted_once() {
        let cases = [case("ts-dup", &["AS201", "AS201"], vec![], vec![])];
        let eval = evaluate(&cases, &[]);
        assert_eq!(
            eval.overall,
            Tally {
                tp: 0,
                fn_: 1,
                fp: 0
            }
        );
    }

    #[test]
    fn ratios_are_undefined_without_data() {
        let eval = evaluate(&[], &[]);
        assert_eq!(eval.overall.precision(), None);
        assert_eq!(eval.overall.recall(), None);
        assert_eq!(eval.families.len(), Family::ALL.len());
    }

    #[test]
    fn output_order_does_not_depend_on_input_order() {
        let a = case(
            "b-case",
            &["AS201"],
            vec![],
            vec![seen("AS304", Severity::High)],
        );
        let b = case(
            "a-case",
            &["AS202"],
            vec![],
            vec![seen("AS303", Severity::High)],
        );
        let one = evaluate(&[a.clone(), b.clone()], &[]);
        let two = evaluate(&[b, a], &[]);
        assert_eq!(one, two);
        assert_eq!(one.misses[0].case, "a-case");
        assert_eq!(one.false_alarms[0].case, "a-case");
    }
}
