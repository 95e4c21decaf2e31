//! Matching a dependency against OSV records: the package name as the ecosystem
//! compares names, then the event walk, then the facts a finding needs.

use assay_core::AdvisoryMatch;

use crate::osv;

use super::walk::Subject;
use super::{Ecosystem, severity};

/// Summaries taken from a record's details are cut to this many characters.
const MAX_SUMMARY_CHARS: usize = 200;

/// A dependency to match against many records: its name normalised and its version
/// parsed once.
#[derive(Debug, Clone)]
pub struct Candidate {
    ecosystem: Ecosystem,
    name: String,
    key: String,
    version: String,
    subject: Subject,
}

impl Candidate {
    /// A dependency `name` at `version` in `ecosystem`.
    pub fn new(ecosystem: Ecosystem, name: &str, version: &str) -> Self {
        Self {
            ecosystem,
            name: name.to_owned(),
            key: normalize_name(ecosystem, name),
            version: version.to_owned(),
            subject: Subject::new(ecosystem, version),
        }
    }

    /// The match of `record` against this dependency: `None` when the record is
    /// withdrawn, names another package or does not cover the version.
    pub fn match_record(&self, record: &osv::Record) -> Option<AdvisoryMatch> {
        if record.withdrawn.is_some() {
            return None;
        }
        let mut affected = Vec::new();
        let mut fixed = None;
        for entry in record
            .affected
            .iter()
            .filter(|entry| self.is_package_of(entry))
        {
            if let Some(range) = self.subject.affected_by(entry) {
                fixed = fixed.or(range.fixed);
                if !affected.contains(&range.text) {
                    affected.push(range.text);
                }
            }
        }
        if affected.is_empty() {
            return None;
        }
        let (severity, cvss_vector) = severity::of_record(record);
        let mut references: Vec<String> = Vec::with_capacity(record.references.len());
        for reference in &record.references {
            if !references.contains(&reference.url) {
                references.push(reference.url.clone());
            }
        }
        Some(AdvisoryMatch {
            ecosystem: self.ecosystem.as_osv().to_owned(),
            package: self.name.clone(),
            version: self.version.clone(),
            id: record.id.clone(),
            aliases: record.aliases.clone(),
            summary: summary(record),
            severity,
            cvss_vector,
            affected,
            fixed,
            malicious: record.is_malicious(),
            references,
        })
    }

    fn is_package_of(&self, entry: &osv::Affected) -> bool {
        entry.package.as_ref().is_some_and(|package| {
            Ecosystem::from_osv(&package.ecosystem) == Some(self.ecosystem)
                && same_name(self.ecosystem, &self.key, &package.name)
        })
    }
}

/// Matches one record against a dependency; see [`Candidate::match_record`], which
/// is the faster way to match one dependency against many records.
pub fn match_record(
    ecosystem: Ecosystem,
    name: &str,
    version: &str,
    record: &osv::Record,
) -> Option<AdvisoryMatch> {
    Candidate::new(ecosystem, name, version).match_record(record)
}

/// The name under which the ecosystem treats packages as the same: PyPI's PEP 503
/// normalisation (lowercase, runs of `-`, `_` and `.` as one `-`); npm, Go module
/// paths and crates as written.
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPI => pep503(name).collect(),
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::CratesIo => name.to_owned(),
    }
}

/// Whether `name` normalises to `key` (already normalised), without allocating.
fn same_name(ecosystem: Ecosystem, key: &str, name: &str) -> bool {
    match ecosystem {
        Ecosystem::PyPI => pep503(name).eq(key.chars()),
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::CratesIo => key == name,
    }
}

/// PEP 503 normalisation, character by character.
fn pep503(name: &str) -> impl Iterator<Item = char> + '_ {
    let separator = |c: char| matches!(c, '-' | '_' | '.');
    let mut previous_separator = false;
    name.chars().filter_map(move |c| {
        let is_separator = separator(c);
        let skip = is_separator && previous_separator;
        previous_separator = is_separator;
        match (skip, is_separator) {
            (true, _) => None,
            (false, true) => Some('-'),
            (false, false) => Some(c.to_ascii_lowercase()),
        }
    })
}

/// The record's summary, else the first line of its details, cut to length.
fn summary(record: &osv::Record) -> Option<String> {
    let text = record
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            record
                .details
                .as_deref()?
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
        })?;
    Some(match text.char_indices().nth(MAX_SUMMARY_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_normalises_runs_of_separators_and_case() {
        assert_eq!(
            normalize_name(Ecosystem::PyPI, "Zope.Interface__x--Y"),
            "zope-interface-x-y"
        );
        assert!(same_name(
            Ecosystem::PyPI,
            "mcp-server-fetch",
            "MCP_Server.Fetch"
        ));
        assert!(!same_name(
            Ecosystem::PyPI,
            "mcp-server-fetch",
            "mcpserverfetch"
        ));
        assert!(!same_name(Ecosystem::Npm, "JSONStream", "jsonstream"));
        assert!(!same_name(Ecosystem::CratesIo, "serde_json", "serde-json"));
    }
}
