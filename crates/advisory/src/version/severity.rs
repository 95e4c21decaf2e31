//! An advisory's severity: from its CVSS vector's base score (v4 preferred to v3),
//! else from GitHub's `database_specific.severity` label.

use std::str::FromStr;

use assay_core::Severity;

use crate::osv;

/// The record's severity and the CVSS vector it came from, when it has either.
pub(super) fn of_record(record: &osv::Record) -> (Option<Severity>, Option<String>) {
    let scored = ["CVSS_V4", "CVSS_V3"].iter().find_map(|kind| {
        record
            .severity
            .iter()
            .filter(|score| score.kind.eq_ignore_ascii_case(kind))
            .find_map(|score| Some((cvss_severity(kind, score.score.trim())?, score.score.trim())))
    });
    match scored {
        Some((severity, vector)) => (Some(severity), Some(vector.to_owned())),
        None => (github_label(record), None),
    }
}

/// The qualitative rating of a vector's base score.
fn cvss_severity(kind: &str, vector: &str) -> Option<Severity> {
    let rating = if kind == "CVSS_V4" {
        cvss::v4::Vector::from_str(vector).ok()?.score().severity()
    } else {
        cvss::v3::Vector::from_str(vector).ok()?.score().severity()
    };
    Some(match rating {
        cvss::Severity::None => Severity::Info,
        cvss::Severity::Low => Severity::Low,
        cvss::Severity::Medium => Severity::Medium,
        cvss::Severity::High => Severity::High,
        cvss::Severity::Critical => Severity::Critical,
    })
}

/// GitHub's label: `LOW`, `MODERATE`, `HIGH` or `CRITICAL`.
fn github_label(record: &osv::Record) -> Option<Severity> {
    let label = record
        .database_specific
        .as_ref()?
        .get("severity")?
        .as_str()?
        .trim();
    [
        ("LOW", Severity::Low),
        ("MODERATE", Severity::Medium),
        ("MEDIUM", Severity::Medium),
        ("HIGH", Severity::High),
        ("CRITICAL", Severity::Critical),
    ]
    .into_iter()
    .find(|(name, _)| name.eq_ignore_ascii_case(label))
    .map(|(_, severity)| severity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> osv::Record {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn v4_vector_wins_over_v3_and_label() {
        let r = record(
            r#"{"id": "GHSA-1", "severity": [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                {"type": "CVSS_V4", "score": "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"}],
              "database_specific": {"severity": "CRITICAL"}}"#,
        );
        let (severity, vector) = of_record(&r);
        assert_eq!(severity, Some(Severity::Low));
        assert!(vector.unwrap().starts_with("CVSS:4.0/"));
    }

    #[test]
    fn v3_base_score_is_computed() {
        // 9.8: the classic network, no privileges, full impact vector.
        let r = record(
            r#"{"id": "GHSA-2", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#,
        );
        assert_eq!(of_record(&r).0, Some(Severity::Critical));
        // 5.3: network, low confidentiality only.
        let r = record(
            r#"{"id": "GHSA-3", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}]}"#,
        );
        assert_eq!(of_record(&r).0, Some(Severity::Medium));
    }

    #[test]
    fn falls_back_to_the_label_when_no_vector_parses() {
        let r = record(
            r#"{"id": "GHSA-4", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:Q"}],
               "database_specific": {"severity": "moderate"}}"#,
        );
        assert_eq!(of_record(&r), (Some(Severity::Medium), None));
        let r = record(r#"{"id": "PYSEC-1", "database_specific": {"severity": 3}}"#);
        assert_eq!(of_record(&r), (None, None));
    }
}
