//! API key scopes and what the umbrella scopes expand to (MCPSafe's table: `scan:read` =
//! `scan:list` + `scan:get` + `registry:read`; `scan:write` = `scan:submit` + `scan:read`).
//! `admin` grants everything.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// One permission a key can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Submit scans (`POST /api/v1/scan`).
    #[serde(rename = "scan:submit")]
    ScanSubmit,
    /// Read one scan (`GET /api/v1/scan/{id}`).
    #[serde(rename = "scan:get")]
    ScanGet,
    /// List one's scan history (`GET /api/v1/scans`).
    #[serde(rename = "scan:list")]
    ScanList,
    /// Umbrella: `scan:list` + `scan:get` + `registry:read`.
    #[serde(rename = "scan:read")]
    ScanRead,
    /// Umbrella: `scan:submit` + everything in `scan:read`.
    #[serde(rename = "scan:write")]
    ScanWrite,
    /// Browse the public registry.
    #[serde(rename = "registry:read")]
    RegistryRead,
    /// Everything, including administration.
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    /// Every scope, in a stable order.
    pub const ALL: [Scope; 7] = [
        Scope::ScanSubmit,
        Scope::ScanGet,
        Scope::ScanList,
        Scope::ScanRead,
        Scope::ScanWrite,
        Scope::RegistryRead,
        Scope::Admin,
    ];

    /// The scope's wire name (`scan:submit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ScanSubmit => "scan:submit",
            Scope::ScanGet => "scan:get",
            Scope::ScanList => "scan:list",
            Scope::ScanRead => "scan:read",
            Scope::ScanWrite => "scan:write",
            Scope::RegistryRead => "registry:read",
            Scope::Admin => "admin",
        }
    }

    /// The scopes this one grants, itself included.
    pub fn expand(self) -> &'static [Scope] {
        match self {
            Scope::ScanRead => &[
                Scope::ScanRead,
                Scope::ScanList,
                Scope::ScanGet,
                Scope::RegistryRead,
            ],
            Scope::ScanWrite => &[
                Scope::ScanWrite,
                Scope::ScanSubmit,
                Scope::ScanRead,
                Scope::ScanList,
                Scope::ScanGet,
                Scope::RegistryRead,
            ],
            Scope::Admin => &Scope::ALL,
            Scope::ScanSubmit => &[Scope::ScanSubmit],
            Scope::ScanGet => &[Scope::ScanGet],
            Scope::ScanList => &[Scope::ScanList],
            Scope::RegistryRead => &[Scope::RegistryRead],
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Scope, StoreError> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<_> = Scope::ALL.iter().map(|s| s.as_str()).collect();
                StoreError::invalid("scope", format!("{s:?} (known: {})", known.join(", ")))
            })
    }
}

/// The scopes a key was granted, as given (umbrellas are kept, and expanded on checks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeSet(BTreeSet<Scope>);

impl ScopeSet {
    /// A set of the given scopes.
    pub fn new(scopes: impl IntoIterator<Item = Scope>) -> ScopeSet {
        ScopeSet(scopes.into_iter().collect())
    }

    /// Whether the set grants `required`, directly or through an umbrella.
    pub fn allows(&self, required: Scope) -> bool {
        self.0.iter().any(|held| held.expand().contains(&required))
    }

    /// The scopes as granted.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }

    /// Whether no scope was granted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Space-separated wire names, as stored.
    pub fn to_stored(&self) -> String {
        self.iter().map(Scope::as_str).collect::<Vec<_>>().join(" ")
    }

    /// Parses [`ScopeSet::to_stored`]'s form (or any whitespace- or comma-separated list).
    pub fn parse(text: &str) -> Result<ScopeSet, StoreError> {
        text.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(ScopeSet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umbrellas_expand_as_mcpsafe_documents() {
        let read = ScopeSet::new([Scope::ScanRead]);
        assert!(read.allows(Scope::ScanList));
        assert!(read.allows(Scope::ScanGet));
        assert!(read.allows(Scope::RegistryRead));
        assert!(!read.allows(Scope::ScanSubmit));
        assert!(!read.allows(Scope::Admin));

        let write = ScopeSet::new([Scope::ScanWrite]);
        for scope in [
            Scope::ScanSubmit,
            Scope::ScanList,
            Scope::ScanGet,
            Scope::RegistryRead,
            Scope::ScanRead,
        ] {
            assert!(write.allows(scope), "{scope}");
        }
        assert!(!write.allows(Scope::Admin));

        let admin = ScopeSet::new([Scope::Admin]);
        assert!(Scope::ALL.iter().all(|s| admin.allows(*s)));
    }

    #[test]
    fn granular_scopes_grant_only_themselves() {
        let list = ScopeSet::new([Scope::ScanList]);
        assert!(list.allows(Scope::ScanList));
        assert!(!list.allows(Scope::ScanSubmit));
        assert!(!list.allows(Scope::ScanGet));
        assert!(!ScopeSet::default().allows(Scope::ScanGet));
    }

    #[test]
    fn scopes_round_trip_through_storage_and_refuse_unknown_names() {
        let set = ScopeSet::parse("scan:submit, scan:get scan:list").unwrap();
        assert_eq!(set.to_stored(), "scan:submit scan:get scan:list");
        assert_eq!(ScopeSet::parse(&set.to_stored()).unwrap(), set);
        let err = ScopeSet::parse("scan:submit watchlist:write").unwrap_err();
        assert!(err.to_string().contains("watchlist:write"), "{err}");
        assert_eq!(
            serde_json::to_string(&Scope::RegistryRead).unwrap(),
            "\"registry:read\""
        );
    }
}
