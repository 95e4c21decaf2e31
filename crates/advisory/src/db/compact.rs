//! What the database keeps of an OSV record, and the keys it is found by.
//!
//! A stored record keeps only what matching and reporting use: `id`, `modified`,
//! `aliases`, `summary`, `severity`, the `affected` entries of the supported ecosystems
//! (package name and ecosystem, `ranges`, `versions`), the `references` and the
//! `database_specific.severity` label. Everything else (`details`, `published`,
//! `ecosystem_specific`, purls, other ecosystems' packages) is dropped on import.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::osv::{Affected, Package, Record};
use crate::version::{Ecosystem, normalize_name};

/// The index key of a package: `ecosystem NUL normalised-name` (names normalised as
/// the ecosystem compares them, by [`normalize_name`]).
pub fn key(ecosystem: Ecosystem, name: &str) -> Vec<u8> {
    let name = normalize_name(ecosystem, name);
    let ecosystem = ecosystem.as_osv();
    let mut key = Vec::with_capacity(ecosystem.len() + 1 + name.len());
    key.extend_from_slice(ecosystem.as_bytes());
    key.push(0);
    key.extend_from_slice(name.as_bytes());
    key
}

/// The stored form of `record`, or `None` when none of its packages is in a supported
/// ecosystem. Callers drop withdrawn records before this.
pub fn compact(record: Record) -> Option<Record> {
    let affected: Vec<Affected> = record
        .affected
        .into_iter()
        .filter_map(|affected| {
            let package = affected.package?;
            let ecosystem = Ecosystem::from_osv(&package.ecosystem)?;
            (!package.name.trim().is_empty()).then(|| Affected {
                package: Some(Package {
                    ecosystem: ecosystem.as_osv().to_string(),
                    name: package.name,
                    purl: None,
                }),
                ranges: affected.ranges,
                versions: affected.versions,
                ecosystem_specific: None,
                database_specific: None,
            })
        })
        .collect();
    if affected.is_empty() {
        return None;
    }
    let severity_label = record
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .map(|label| serde_json::json!({ "severity": label }));
    Some(Record {
        id: record.id,
        modified: record.modified,
        published: None,
        withdrawn: None,
        aliases: record.aliases,
        summary: record.summary,
        details: None,
        severity: record.severity,
        affected,
        references: record.references,
        database_specific: severity_label,
    })
}

/// The distinct index keys of a stored record, one per affected package.
pub fn keys_of(record: &Record) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = record
        .affected
        .iter()
        .filter_map(|a| a.package.as_ref())
        .filter_map(|p| Some(key(Ecosystem::from_osv(&p.ecosystem)?, &p.name)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// `modified` as nanoseconds since the epoch; `None` (older than any time) when absent
/// or not RFC 3339.
pub fn modified_at(modified: &str) -> Option<i128> {
    OffsetDateTime::parse(modified, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_ecosystem_and_the_normalised_name() {
        assert_eq!(
            key(Ecosystem::PyPI, "MCP_Server..Fetch"),
            b"PyPI\0mcp-server-fetch"
        );
        assert_eq!(
            key(Ecosystem::Go, "golang.org/x/net"),
            b"Go\0golang.org/x/net"
        );
        assert_eq!(
            key(Ecosystem::Npm, "@modelcontextprotocol/sdk"),
            b"npm\0@modelcontextprotocol/sdk"
        );
    }

    #[test]
    fn modified_times_compare_as_times_not_strings() {
        let whole = modified_at("2024-05-01T10:00:00Z").unwrap();
        let fraction = modified_at("2024-05-01T10:00:00.5Z").unwrap();
        let offset = modified_at("2024-05-01T12:00:01+02:00").unwrap();
        assert!(whole < fraction && fraction < offset);
        assert_eq!(modified_at("yesterday"), None);
    }

    #[test]
    fn compaction_keeps_supported_packages_and_used_fields() {
        let record: Record = serde_json::from_str(
            r#"{"id": "GHSA-1", "modified": "2024-01-01T00:00:00Z", "details": "long",
                "published": "2023-12-01T00:00:00Z",
                "affected": [
                  {"package": {"ecosystem": "Maven", "name": "org.x:y"}},
                  {"package": {"ecosystem": "PyPI", "name": "mcp", "purl": "pkg:pypi/mcp"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.9.4"}]}],
                   "ecosystem_specific": {"x": 1}}],
                "database_specific": {"severity": "HIGH", "cwe_ids": ["CWE-79"]}}"#,
        )
        .unwrap();
        let stored = compact(record).unwrap();
        assert_eq!(stored.details, None);
        assert_eq!(stored.published, None);
        assert_eq!(stored.affected.len(), 1);
        let package = stored.affected[0].package.as_ref().unwrap();
        assert_eq!(
            (package.ecosystem.as_str(), package.purl.as_ref()),
            ("PyPI", None)
        );
        assert_eq!(stored.affected[0].ranges[0].events.len(), 2);
        assert_eq!(
            stored.database_specific,
            Some(serde_json::json!({"severity": "HIGH"}))
        );
        assert_eq!(keys_of(&stored), [b"PyPI\0mcp".to_vec()]);

        let maven_only: Record = serde_json::from_str(
            r#"{"id": "GHSA-2", "affected": [{"package": {"ecosystem": "Maven", "name": "a:b"}}]}"#,
        )
        .unwrap();
        assert_eq!(compact(maven_only), None);
    }
}
