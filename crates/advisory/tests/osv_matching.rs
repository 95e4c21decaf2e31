//! Matching dependencies against OSV records: the event walk on realistic records
//! (several introduced/fixed pairs, `last_affected`, unsorted events, `introduced:
//! "0"`, explicit versions, `SEMVER` against `ECOSYSTEM` ranges, `GIT` ranges,
//! `limit`), package names as each ecosystem compares them, withdrawn and malicious
//! records, and the facts a match carries.
//!
//! The records in `tests/fixtures/osv_matching/` are written for these tests in the
//! shape osv.dev serves (GitHub, PyPA, Go, RustSec and OpenSSF malicious-packages
//! exports). Those with a real advisory id follow that advisory's package and range;
//! the others have ids in years to come, and vectors and texts are illustrative.

use std::path::Path;

use assay_advisory::osv::{Affected, Record};
use assay_advisory::version::{AffectedRange, Candidate, Ecosystem, affected_by, match_record};
use assay_core::{AdvisoryMatch, Severity};

const SDK: &str = "@modelcontextprotocol/sdk";

fn record(name: &str) -> Record {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/osv_matching")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn record_json(json: serde_json::Value) -> Record {
    serde_json::from_value(json).unwrap()
}

/// The match of `version` of `name`, with the affected ranges and fixed version.
fn hit(
    eco: Ecosystem,
    name: &str,
    version: &str,
    record: &Record,
) -> Option<(Vec<String>, Option<String>)> {
    match_record(eco, name, version, record).map(|m| (m.affected, m.fixed))
}

fn ranges(texts: &[&str], fixed: Option<&str>) -> Option<(Vec<String>, Option<String>)> {
    Some((
        texts.iter().map(|t| t.to_string()).collect(),
        fixed.map(str::to_owned),
    ))
}

#[test]
fn sdk_before_the_dns_rebinding_fix_is_matched_with_every_fact() {
    let record = record("sdk-dns-rebinding.json");
    let found = match_record(Ecosystem::Npm, SDK, "1.23.0", &record).expect("1.23.0 is affected");
    assert_eq!(
        found,
        AdvisoryMatch {
            ecosystem: "npm".into(),
            package: SDK.into(),
            version: "1.23.0".into(),
            id: "GHSA-w48q-cv73-mx4w".into(),
            aliases: vec!["CVE-2025-66414".into()],
            summary: Some(
                "Model Context Protocol (MCP) TypeScript SDK does not enable DNS rebinding protection by default"
                    .into()
            ),
            severity: Some(Severity::High),
            cvss_vector: Some("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H".into()),
            affected: vec!["<1.24.0".into()],
            fixed: Some("1.24.0".into()),
            malicious: false,
            references: vec![
                "https://github.com/modelcontextprotocol/typescript-sdk/security/advisories/GHSA-w48q-cv73-mx4w".into(),
                "https://nvd.nist.gov/vuln/detail/CVE-2025-66414".into(),
                "https://github.com/modelcontextprotocol/typescript-sdk".into(),
            ],
        }
    );
}

#[test]
fn sdk_versions_around_the_fix() {
    let record = record("sdk-dns-rebinding.json");
    let affected = ranges(&["<1.24.0"], Some("1.24.0"));
    for version in [
        "0.1.0",
        "1.17.1",
        "v1.23.0",
        "=1.23.0",
        "1.24.0-beta.1",
        "1.24.0-0",
    ] {
        assert_eq!(
            hit(Ecosystem::Npm, SDK, version, &record),
            affected,
            "{version}"
        );
    }
    for version in [
        "1.24.0",
        "1.24.0+build.5",
        "1.24.1",
        "1.29.0",
        "2.0.0-alpha.1",
        "not-a-version",
    ] {
        assert_eq!(
            hit(Ecosystem::Npm, SDK, version, &record),
            None,
            "{version}"
        );
    }
    assert_eq!(
        hit(
            Ecosystem::Npm,
            "@modelcontextprotocol/SDK",
            "1.23.0",
            &record
        ),
        None,
        "npm names are exact"
    );
    assert_eq!(
        hit(Ecosystem::PyPI, SDK, "1.23.0", &record),
        None,
        "another ecosystem"
    );
}

#[test]
fn last_affected_is_inclusive_and_the_label_gives_severity() {
    let record = record("sdk-redos.json");
    let found = match_record(Ecosystem::Npm, SDK, "1.25.1", &record).unwrap();
    assert_eq!(found.affected, ["<=1.25.1"]);
    assert_eq!(found.fixed, None, "last_affected names no fix");
    assert_eq!(found.severity, Some(Severity::High));
    assert_eq!(found.cvss_vector, None);
    assert!(found.aliases.is_empty());
    for version in ["1.25.2", "1.25.2-rc.1", "1.26.0"] {
        assert_eq!(
            hit(Ecosystem::Npm, SDK, version, &record),
            None,
            "{version}"
        );
    }
}

#[test]
fn unsorted_events_and_a_v4_vector_over_the_label() {
    let record = record("sdk-cross-client-leak.json");
    assert_eq!(hit(Ecosystem::Npm, SDK, "1.9.9", &record), None);
    assert_eq!(hit(Ecosystem::Npm, SDK, "1.10.0-rc.1", &record), None);
    for version in ["1.10.0", "1.25.3", "1.26.0-beta.0"] {
        assert_eq!(
            hit(Ecosystem::Npm, SDK, version, &record),
            ranges(&[">=1.10.0, <1.26.0"], Some("1.26.0")),
            "{version}"
        );
    }
    assert_eq!(hit(Ecosystem::Npm, SDK, "1.26.0", &record), None);
    let found = match_record(Ecosystem::Npm, SDK, "1.20.0", &record).unwrap();
    assert_eq!(
        found.severity,
        Some(Severity::High),
        "the v4 vector, not the MODERATE label"
    );
    assert!(found.cvss_vector.unwrap().starts_with("CVSS:4.0/"));
}

#[test]
fn several_pairs_and_affected_entries_for_one_package() {
    let record = record("server-filesystem-branches.json");
    let server = "@modelcontextprotocol/server-filesystem";
    let cases = [
        ("0.5.0", ranges(&["<0.6.3"], Some("0.6.3"))),
        ("0.6.3", None),
        (
            "0.6.4-beta.0",
            ranges(&[">=0.6.4-beta.0, <=0.6.4-beta.3"], None),
        ),
        (
            "0.6.4-beta.3",
            ranges(&[">=0.6.4-beta.0, <=0.6.4-beta.3"], None),
        ),
        ("0.6.4-beta.4", None),
        ("0.6.4", None),
        ("2024.12.31", None),
        (
            "2025.1.0",
            ranges(&[">=2025.1.0, <2025.7.1"], Some("2025.7.1")),
        ),
        (
            "2025.7.0",
            ranges(&[">=2025.1.0, <2025.7.1"], Some("2025.7.1")),
        ),
        ("2025.7.1", None),
    ];
    for (version, expected) in cases {
        assert_eq!(
            hit(Ecosystem::Npm, server, version, &record),
            expected,
            "{version}"
        );
    }
    assert_eq!(
        hit(
            Ecosystem::Npm,
            "@modelcontextprotocol/server-memory",
            "2025.8.4",
            &record
        ),
        ranges(&["*"], None),
        "another package of the same record, every version"
    );
}

#[test]
fn mcp_on_pypi_with_pep440_ordering_and_pep503_names() {
    let record = record("mcp-validation-dos.json");
    let affected = ranges(&["<1.9.4"], Some("1.9.4"));
    for version in [
        "1.9.3",
        "1.9.4rc1",
        "1.9.4.dev0",
        "1.9.3.post1",
        "1.9.0+local.7",
        "v1.2.0",
        "1.2.0-rc1",
        "0.9.1",
    ] {
        assert_eq!(
            hit(Ecosystem::PyPI, "mcp", version, &record),
            affected,
            "{version}"
        );
    }
    for version in ["1.9.4", "1.9.4.0", "1.9.4.post1", "1.10.0", "1!0.1"] {
        assert_eq!(
            hit(Ecosystem::PyPI, "mcp", version, &record),
            None,
            "{version}"
        );
    }
    for name in ["MCP", "Mcp"] {
        assert!(
            hit(Ecosystem::PyPI, name, "1.9.0", &record).is_some(),
            "{name}"
        );
    }
    assert_eq!(hit(Ecosystem::PyPI, "mcp-sdk", "1.9.0", &record), None);
    let found = match_record(Ecosystem::PyPI, "MCP", "1.9.0", &record).unwrap();
    assert_eq!(
        found.package, "MCP",
        "the dependency's own spelling is reported"
    );
    assert_eq!(
        found.severity,
        Some(Severity::High),
        "CVSS 4.0 base score 8.7"
    );
}

#[test]
fn git_ranges_are_skipped_and_details_stand_in_for_a_summary() {
    let record = record("mcp-pysec-details-only.json");
    let found = match_record(Ecosystem::PyPI, "mcp", "1.22.1", &record).unwrap();
    assert_eq!(found.affected, ["<1.23.0"]);
    assert_eq!(found.fixed.as_deref(), Some("1.23.0"));
    assert_eq!(
        found.summary.as_deref(),
        Some(
            "The MCP Python SDK before 1.23.0 does not enable DNS rebinding protection by default"
        )
    );
    assert_eq!((found.severity, found.cvss_vector), (None, None));
    assert_eq!(hit(Ecosystem::PyPI, "mcp", "1.23.0", &record), None);
}

#[test]
fn explicit_versions_match_by_ecosystem_equality() {
    let mut record = record("mcp-pysec-details-only.json");
    record.affected[0]
        .ranges
        .retain(|range| range.kind == "GIT");
    for version in ["1.22.1", "1.22.1.0", "v1.22.1", "1.22.0"] {
        let found = hit(Ecosystem::PyPI, "mcp", version, &record);
        assert!(found.is_some(), "{version}");
        assert_eq!(found.unwrap().1, None, "a listed version names no fix");
    }
    assert_eq!(
        hit(Ecosystem::PyPI, "mcp", "1.22.1", &record),
        ranges(&["=1.22.1"], None)
    );
    for version in ["1.21.0", "1.22.2", "1.23.0"] {
        assert_eq!(
            hit(Ecosystem::PyPI, "mcp", version, &record),
            None,
            "{version}: a GIT range decides nothing"
        );
    }
}

#[test]
fn malicious_package_records_cover_every_version() {
    let record = record("mal-pypi-typosquat.json");
    for name in [
        "mcp-server-fetchh",
        "mcp_server_fetchh",
        "MCP.Server.Fetchh",
    ] {
        let found = match_record(Ecosystem::PyPI, name, "0.1.1", &record).unwrap();
        assert!(found.malicious);
        assert_eq!(found.affected, ["*"]);
        assert_eq!(found.fixed, None);
        assert_eq!(
            found.summary.as_deref(),
            Some("Malicious code in mcp-server-fetchh (PyPI)")
        );
    }
    assert_eq!(
        hit(Ecosystem::PyPI, "mcp-server-fetch", "0.1.1", &record),
        None
    );
}

#[test]
fn go_module_versions_against_semver_ranges_without_v() {
    let record = record("go-mcp-module.json");
    let module = "github.com/mark3labs/mcp-go";
    let affected = ranges(&["<0.32.0"], Some("0.32.0"));
    for version in [
        "v0.31.0",
        "v0.1.0",
        "v0.31.1-0.20250601000000-abcdef123456",
        "v0.32.0-rc.1",
    ] {
        assert_eq!(
            hit(Ecosystem::Go, module, version, &record),
            affected,
            "{version}"
        );
    }
    for version in ["v0.32.0", "v0.32.1-0.20250601000000-abcdef123456", "v1.0.0"] {
        assert_eq!(
            hit(Ecosystem::Go, module, version, &record),
            None,
            "{version}"
        );
    }
    assert_eq!(
        hit(
            Ecosystem::Go,
            "github.com/Mark3labs/mcp-go",
            "v0.31.0",
            &record
        ),
        None,
        "module paths are exact"
    );
    assert_eq!(
        hit(
            Ecosystem::Go,
            "github.com/mark3labs/mcp-go/v2",
            "v2.0.0",
            &record
        ),
        None
    );
}

#[test]
fn crates_with_rustsec_style_ranges() {
    let record = record("rustsec-rmcp.json");
    let cases = [
        ("0.1.0", ranges(&[">=0.0.0-0, <0.3.1"], Some("0.3.1"))),
        ("0.3.1", None),
        ("0.3.9", None),
        ("0.4.1", ranges(&[">=0.4.0, <0.4.2"], Some("0.4.2"))),
        ("0.4.2", None),
    ];
    for (version, expected) in cases {
        assert_eq!(
            hit(Ecosystem::CratesIo, "rmcp", version, &record),
            expected,
            "{version}"
        );
    }
    assert_eq!(hit(Ecosystem::CratesIo, "RMCP", "0.1.0", &record), None);
    let found = match_record(Ecosystem::CratesIo, "rmcp", "0.1.0", &record).unwrap();
    assert_eq!(
        found.severity,
        Some(Severity::High),
        "CVSS 3.1 base score 7.5"
    );
}

#[test]
fn withdrawn_records_never_match() {
    let mut record = record("sdk-dns-rebinding.json");
    record.withdrawn = Some("2025-12-05T00:00:00Z".into());
    assert_eq!(match_record(Ecosystem::Npm, SDK, "1.0.0", &record), None);
}

#[test]
fn semver_ranges_use_semver_order_whatever_the_ecosystem() {
    let with_range = |kind: &str| {
        record_json(serde_json::json!({
            "id": "PYSEC-2099-2",
            "affected": [{
                "package": {"ecosystem": "PyPI", "name": "mcp"},
                "ranges": [{"type": kind, "events": [{"introduced": "0"}, {"fixed": "1.0.0"}]}]
            }]
        }))
    };
    // SemVer reads `1.0.0-1` as a prerelease of 1.0.0, PEP 440 as its first post-release.
    assert_eq!(
        hit(Ecosystem::PyPI, "mcp", "1.0.0-1", &with_range("SEMVER")),
        ranges(&["<1.0.0"], Some("1.0.0"))
    );
    assert_eq!(
        hit(Ecosystem::PyPI, "mcp", "1.0.0-1", &with_range("ECOSYSTEM")),
        None
    );
    // And `1.0rc1` is a PEP 440 prerelease but no SemVer version at all.
    assert_eq!(
        hit(Ecosystem::PyPI, "mcp", "1.0rc1", &with_range("SEMVER")),
        None
    );
    assert!(hit(Ecosystem::PyPI, "mcp", "1.0rc1", &with_range("ECOSYSTEM")).is_some());
}

#[test]
fn a_range_with_an_unreadable_event_is_skipped_not_guessed() {
    let record = record_json(serde_json::json!({
        "id": "GHSA-test-0000-0004",
        "affected": [{
            "package": {"ecosystem": "npm", "name": "left-pad"},
            "ranges": [
                {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.x"}]},
                {"type": "SEMVER", "events": [{"introduced": "2.0.0"}]}
            ]
        }]
    }));
    assert_eq!(hit(Ecosystem::Npm, "left-pad", "1.5.0", &record), None);
    assert_eq!(
        hit(Ecosystem::Npm, "left-pad", "2.1.0", &record),
        ranges(&[">=2.0.0"], None)
    );
}

#[test]
fn limits_bound_a_range_from_above() {
    let affected: Affected = serde_json::from_value(serde_json::json!({
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "1.5.0"}, {"limit": "3.0.0"}, {"fixed": "1.2.0"}, {"introduced": "2.0.0"}]}]
    }))
    .unwrap();
    let at = |v: &str| affected_by(Ecosystem::Npm, &affected, v);
    assert_eq!(
        at("1.1.0"),
        Some(AffectedRange {
            text: ">=1.0.0, <1.2.0".into(),
            fixed: Some("1.2.0".into())
        })
    );
    assert_eq!(at("1.3.0"), None);
    assert_eq!(
        at("2.5.0"),
        Some(AffectedRange {
            text: ">=2.0.0, <3.0.0".into(),
            fixed: None
        })
    );
    assert_eq!(at("3.0.0"), None);
}

#[test]
fn events_with_several_fields_count_once_per_field() {
    let affected: Affected = serde_json::from_value(serde_json::json!({
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0", "fixed": "2.0"}]}]
    }))
    .unwrap();
    assert!(affected_by(Ecosystem::PyPI, &affected, "1.5").is_some());
    assert!(affected_by(Ecosystem::PyPI, &affected, "2.0").is_none());
}

#[test]
fn one_candidate_against_every_record_agrees_with_one_off_matches() {
    let records: Vec<Record> = std::fs::read_dir(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv_matching"),
    )
    .unwrap()
    .map(|entry| record(entry.unwrap().file_name().to_str().unwrap()))
    .collect();
    assert_eq!(records.len(), 9);
    let candidate = Candidate::new(Ecosystem::Npm, SDK, "1.20.0");
    let mut ids: Vec<String> = records
        .iter()
        .filter_map(|r| candidate.match_record(r))
        .map(|m| m.id)
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "GHSA-345p-7cg4-v4c7",
            "GHSA-8r9q-7v3j-jr4g",
            "GHSA-w48q-cv73-mx4w"
        ]
    );
    for record in &records {
        assert_eq!(
            candidate.match_record(record),
            match_record(Ecosystem::Npm, SDK, "1.20.0", record)
        );
    }
}
