//! Matching dependencies against the database.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use assay_core::{AdvisoryMatch, ResolvedDependency};

use super::{Database, DbError, compact};
use crate::version::{Candidate, Ecosystem};

impl Database {
    /// The advisories affecting `dependencies`: each dependency with a known version in
    /// a supported ecosystem is matched ([`Candidate::match_record`]) against the records
    /// of its package, each package being read once and each (package, version) matched
    /// once. Sorted by ecosystem, package, version and id. Fails only when the database
    /// cannot be read.
    pub fn matches(
        &self,
        dependencies: &[ResolvedDependency],
    ) -> Result<Vec<AdvisoryMatch>, DbError> {
        let mut records = HashMap::new();
        let mut seen = HashSet::new();
        let mut matches = Vec::new();
        for dependency in dependencies {
            let (Some(version), Some(ecosystem)) = (
                dependency.version.as_deref(),
                Ecosystem::from_osv(&dependency.ecosystem),
            ) else {
                continue;
            };
            if !seen.insert((ecosystem, dependency.name.as_str(), version)) {
                continue;
            }
            let package = match records.entry(compact::key(ecosystem, &dependency.name)) {
                Entry::Occupied(held) => held.into_mut(),
                Entry::Vacant(slot) => {
                    let read = self.records_at(slot.key())?;
                    slot.insert(read)
                }
            };
            if package.is_empty() {
                continue;
            }
            let candidate = Candidate::new(ecosystem, &dependency.name, version);
            matches.extend(package.iter().filter_map(|r| candidate.match_record(r)));
        }
        matches.sort_by(|a, b| {
            (&a.ecosystem, &a.package, &a.version, &a.id).cmp(&(
                &b.ecosystem,
                &b.package,
                &b.version,
                &b.id,
            ))
        });
        Ok(matches)
    }
}
