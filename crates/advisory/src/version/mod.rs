//! Version ordering per ecosystem, and the OSV event walk that decides whether a
//! version is affected.
//!
//! Each ecosystem has its own module and `Version` type with the ordering the
//! ecosystem defines: [`semver`] (npm), [`pep440`] (PyPI), [`go`] (Go modules) and
//! [`cargo`] (crates.io). [`compare`] orders two version strings of one ecosystem;
//! [`affected_by`] walks one OSV `affected` entry; [`Candidate`] matches a dependency
//! against whole records, parsing its version once.

pub mod cargo;
mod cursor;
pub mod go;
mod matching;
pub mod pep440;
pub mod semver;
mod severity;
mod walk;

use std::cmp::Ordering;
use std::fmt;

pub use matching::{Candidate, match_record, normalize_name};
pub use walk::{AffectedRange, affected_by};

/// A package ecosystem whose versions Assay can order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ecosystem {
    /// npm: SemVer 2.0 as npm spells it.
    Npm,
    /// PyPI: PEP 440.
    PyPI,
    /// Go modules.
    Go,
    /// crates.io.
    CratesIo,
}

impl Ecosystem {
    /// Every ecosystem.
    pub const ALL: [Ecosystem; 4] = [
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::CratesIo,
    ];

    /// The ecosystem an OSV ecosystem name denotes (`npm`, `PyPI`, `Go`, `crates.io`,
    /// in any case); `None` for the others.
    pub fn from_osv(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|eco| eco.as_osv().eq_ignore_ascii_case(name))
    }

    /// The OSV ecosystem name.
    pub fn as_osv(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
        }
    }

    /// Parses a version of this ecosystem; `None` when it is not one.
    pub fn parse(self, text: &str) -> Option<Version> {
        Some(match self {
            Ecosystem::Npm => Version::Npm(semver::Version::parse(text)?),
            Ecosystem::PyPI => Version::PyPI(pep440::Version::parse(text)?),
            Ecosystem::Go => Version::Go(go::Version::parse(text)?),
            Ecosystem::CratesIo => Version::Cargo(cargo::Version::parse(text)?),
        })
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_osv())
    }
}

/// A parsed version of some ecosystem. Versions of one ecosystem are totally ordered;
/// versions of different ecosystems are not comparable.
#[derive(Debug, Clone)]
pub enum Version {
    /// An npm version.
    Npm(semver::Version),
    /// A PyPI version.
    PyPI(pep440::Version),
    /// A Go module version.
    Go(go::Version),
    /// A crate version.
    Cargo(cargo::Version),
}

impl Version {
    /// The version as SemVer, for OSV's `SEMVER` ranges: the version itself in the
    /// SemVer ecosystems, `None` for PyPI.
    fn as_semver(&self) -> Option<&semver::Version> {
        match self {
            Version::Npm(v) => Some(v),
            Version::Go(v) => Some(v.as_semver()),
            Version::Cargo(v) => Some(v.as_semver()),
            Version::PyPI(_) => None,
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Version::Npm(a), Version::Npm(b)) => Some(a.cmp(b)),
            (Version::PyPI(a), Version::PyPI(b)) => Some(a.cmp(b)),
            (Version::Go(a), Version::Go(b)) => Some(a.cmp(b)),
            (Version::Cargo(a), Version::Cargo(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl fmt::Display for Version {
    /// The ecosystem's canonical spelling.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Npm(v) => v.fmt(f),
            Version::PyPI(v) => v.fmt(f),
            Version::Go(v) => v.fmt(f),
            Version::Cargo(v) => v.fmt(f),
        }
    }
}

/// Orders two versions as the ecosystem does; `None` when either does not parse.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Option<Ordering> {
    ecosystem.parse(a)?.partial_cmp(&ecosystem.parse(b)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip_and_tolerate_case() {
        for eco in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(eco.as_osv()), Some(eco));
        }
        assert_eq!(Ecosystem::from_osv("pypi"), Some(Ecosystem::PyPI));
        assert_eq!(Ecosystem::from_osv("NPM"), Some(Ecosystem::Npm));
        assert_eq!(Ecosystem::from_osv("Crates.IO"), Some(Ecosystem::CratesIo));
        assert_eq!(Ecosystem::from_osv("Debian:12"), None);
        assert_eq!(Ecosystem::from_osv("crates"), None);
    }

    #[test]
    fn compare_uses_the_ecosystem_ordering() {
        assert_eq!(
            compare(Ecosystem::PyPI, "1.0", "1.0.0"),
            Some(Ordering::Equal)
        );
        assert_eq!(compare(Ecosystem::Npm, "1.0", "1.0.0"), None);
        assert_eq!(
            compare(Ecosystem::Go, "v1.0", "1.0.0"),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(Ecosystem::CratesIo, "1.0.0-rc.1", "1.0.0"),
            Some(Ordering::Less)
        );
        assert_eq!(
            Ecosystem::Npm
                .parse("1.0.0")
                .partial_cmp(&Ecosystem::CratesIo.parse("1.0.0")),
            None,
            "versions of different ecosystems do not compare"
        );
    }
}
