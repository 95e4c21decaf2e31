//! Printing an [`Evaluation`]: aligned tables for people, one JSON document for machines,
//! and the gate decision. Output depends only on the evaluation, so it is deterministic.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::EvalArgs;
use super::manifest::Manifest;
use super::metrics::{Evaluation, Tally, Where};

/// Why the gates failed; empty when they passed or none was requested. Gating is on when
/// `--min-precision` or `--min-recall` is given; it then also fails on any benign server
/// with a medium+ finding and on corpus directories no manifest lists.
pub fn gate_failures(eval: &Evaluation, manifest: &Manifest, args: &EvalArgs) -> Vec<String> {
    let mut failures = Vec::new();
    if args.min_precision.is_none() && args.min_recall.is_none() {
        return failures;
    }
    let bars = [
        ("precision", eval.overall.precision(), args.min_precision),
        ("recall", eval.overall.recall(), args.min_recall),
    ];
    for (name, value, bar) in bars {
        let Some(bar) = bar else { continue };
        match value {
            Some(v) if v >= bar => {}
            Some(v) => failures.push(format!("overall {name} {v:.3} is below {bar:.3}")),
            None => failures.push(format!("overall {name} is undefined (no data)")),
        }
    }
    for id in &eval.dirty_benign {
        failures.push(format!(
            "benign server {id} has a finding at medium or above"
        ));
    }
    for dir in &manifest.unlisted {
        failures.push(format!("{dir} is not listed in any manifest"));
    }
    failures
}

/// The manifest notes of a case (`Where::Fixed`) or benign server.
fn notes_of<'a>(manifest: &'a Manifest, id: &str, place: Where) -> Option<&'a str> {
    match place {
        Where::Fixed => manifest.cases.iter().find(|c| c.id == id)?.notes.as_deref(),
        Where::Benign => manifest
            .benign
            .iter()
            .find(|b| b.id == id)?
            .notes
            .as_deref(),
    }
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

fn row(out: &mut String, name: &str, t: Tally) {
    let _ = writeln!(
        out,
        "{name:<14} {:>5} {:>5} {:>5} {:>10} {:>8}",
        t.tp,
        t.fn_,
        t.fp,
        ratio(t.precision()),
        ratio(t.recall())
    );
}

/// The human-readable report.
pub fn text(eval: &Evaluation, manifest: &Manifest, failures: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Assay corpus eval: {} cases, {} benign servers\n",
        eval.cases, eval.benign
    );
    let _ = writeln!(
        out,
        "{:<14} {:>5} {:>5} {:>5} {:>10} {:>8}",
        "family", "TP", "FN", "FP", "precision", "recall"
    );
    for (family, tally) in &eval.families {
        row(&mut out, family.as_str(), *tally);
    }
    row(&mut out, "overall", eval.overall);

    let _ = writeln!(out, "\nFalse negatives ({}):", eval.misses.len());
    for miss in &eval.misses {
        let reported = if miss.reported.is_empty() {
            "nothing".to_string()
        } else {
            miss.reported.join(", ")
        };
        let _ = writeln!(
            out,
            "  {}  {}  not reported in cases/{}/vulnerable (reported: {reported})",
            miss.case, miss.rule_id, miss.case
        );
        if let Some(notes) = notes_of(manifest, &miss.case, Where::Fixed) {
            let _ = writeln!(out, "      case: {notes}");
        }
    }

    let _ = writeln!(out, "\nFalse positives ({}):", eval.false_alarms.len());
    for alarm in &eval.false_alarms {
        let place = match alarm.place {
            Where::Fixed => "fixed twin",
            Where::Benign => "benign",
        };
        let _ = writeln!(
            out,
            "  {} ({place})  {}  {}",
            alarm.case, alarm.rule_id, alarm.reason
        );
        if alarm.place == Where::Benign
            && let Some(notes) = notes_of(manifest, &alarm.case, alarm.place)
        {
            let _ = writeln!(out, "      server: {notes}");
        }
        for finding in &alarm.findings {
            let _ = writeln!(
                out,
                "      {} {}  {}",
                finding.severity, finding.location, finding.message
            );
        }
    }

    if !manifest.unlisted.is_empty() {
        let _ = writeln!(out, "\nNot in any manifest (not evaluated):");
        for dir in &manifest.unlisted {
            let _ = writeln!(out, "  {dir}");
        }
    }
    if !failures.is_empty() {
        let _ = writeln!(out, "\nGate failed:");
        for failure in failures {
            let _ = writeln!(out, "  {failure}");
        }
    }
    out
}

fn tally_json(t: Tally) -> Value {
    json!({
        "tp": t.tp,
        "fn": t.fn_,
        "fp": t.fp,
        "precision": t.precision(),
        "recall": t.recall(),
    })
}

/// The machine-readable report: one JSON document.
pub fn json(eval: &Evaluation, manifest: &Manifest, failures: &[String]) -> String {
    let families: serde_json::Map<String, Value> = eval
        .families
        .iter()
        .map(|(family, tally)| (family.as_str().to_string(), tally_json(*tally)))
        .collect();
    let document = json!({
        "cases": eval.cases,
        "benign": eval.benign,
        "families": families,
        "overall": tally_json(eval.overall),
        "false_negatives": eval.misses,
        "false_positives": eval.false_alarms,
        "dirty_benign": eval.dirty_benign,
        "unlisted": manifest.unlisted,
        "gate_failures": failures,
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialise");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use assay_core::Severity;

    use super::*;
    use crate::eval::metrics::{BenignRun, CaseRun, Observed, evaluate, family_of_id};

    fn args(min_precision: Option<f64>, min_recall: Option<f64>) -> EvalArgs {
        EvalArgs {
            corpus: PathBuf::from("corpus"),
            json: false,
            min_precision,
            min_recall,
        }
    }

    fn sample() -> Evaluation {
        let high = |rule_id: &str| Observed {
            rule_id: rule_id.to_string(),
            family: family_of_id(rule_id).unwrap(),
            severity: Severity::High,
            location: "benign/ts-fs/src/index.ts:1:1".into(),
            message: "m".into(),
        };
        let cases = [
            CaseRun {
                id: "ts-a".into(),
                expect: vec!["AS201".into()],
                vulnerable: vec![high("AS201")],
                fixed: vec![],
            },
            CaseRun {
                id: "ts-b".into(),
                expect: vec!["AS202".into()],
                vulnerable: vec![],
                fixed: vec![],
            },
        ];
        let benign = [BenignRun {
            id: "ts-fs".into(),
            findings: vec![high("AS204")],
        }];
        evaluate(&cases, &benign)
    }

    #[test]
    fn without_bars_nothing_gates() {
        let failures = gate_failures(&sample(), &Manifest::default(), &args(None, None));
        assert!(failures.is_empty());
    }

    #[test]
    fn bars_also_gate_dirty_benign_servers_and_unlisted_directories() {
        let manifest = Manifest {
            unlisted: vec!["cases/ts-new".into()],
            ..Manifest::default()
        };
        // TP 1, FN 1, FP 1: precision 0.5, recall 0.5.
        let failures = gate_failures(&sample(), &manifest, &args(Some(0.5), Some(0.9)));
        assert_eq!(
            failures,
            vec![
                "overall recall 0.500 is below 0.900".to_string(),
                "benign server ts-fs has a finding at medium or above".to_string(),
                "cases/ts-new is not listed in any manifest".to_string(),
            ]
        );
    }

    #[test]
    fn an_undefined_ratio_fails_its_bar() {
        let empty = evaluate(&[], &[]);
        let failures = gate_failures(&empty, &Manifest::default(), &args(Some(0.9), None));
        assert_eq!(failures, vec!["overall precision is undefined (no data)"]);
    }

    #[test]
    fn text_lists_every_miss_and_false_alarm_with_its_location() {
        let eval = sample();
        let text = text(&eval, &Manifest::default(), &[]);
        assert!(
            text.contains("ts-b  AS202  not reported in cases/ts-b/vulnerable (reported: nothing)")
        );
        assert!(text.contains("ts-fs (benign)  AS204"));
        assert!(text.contains("high benign/ts-fs/src/index.ts:1:1  m"));
        assert!(text.contains("overall            1     1     1      0.500    0.500"));
        let json: serde_json::Value =
            serde_json::from_str(&json(&eval, &Manifest::default(), &[])).unwrap();
        assert_eq!(json["overall"]["fn"], 1);
        assert_eq!(json["families"]["code"]["tp"], 1);
        assert_eq!(json["false_positives"][0]["place"], "benign");
    }
}
