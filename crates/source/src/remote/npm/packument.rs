//! A package's packument (the registry's document listing its versions and dist-tags)
//! and the choice of one version, as `npm install name@spec` makes it:
//!
//! - no spec: the `latest` dist-tag;
//! - a dist-tag: the version it points at;
//! - an exact version: that version;
//! - a semver range: the `latest` version when it satisfies the range and is not
//!   deprecated (npm prefers it), else the highest satisfying version, non-deprecated
//!   versions first. Prereleases match only when the range names a prerelease of the
//!   same `major.minor.patch`, as in node-semver.
//!
//! Everything in the packument is attacker-controlled: unparseable versions are skipped,
//! names and tags are escaped before they reach an error message.

use std::collections::BTreeMap;

use nodejs_semver::{Range, Version};
use serde::Deserialize;
use serde_json::Value;

use crate::{Digest, SourceError};

/// The parts of a packument used here; each version's manifest is kept as JSON and
/// only the chosen one is read further.
#[derive(Debug, Deserialize)]
pub(super) struct Packument {
    #[serde(rename = "dist-tags", default)]
    dist_tags: BTreeMap<String, Value>,
    #[serde(default)]
    versions: BTreeMap<String, Value>,
}

/// The version chosen and where its tarball is.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Chosen {
    /// The version, normalised.
    pub version: String,
    /// The tarball URL (http or https).
    pub tarball: String,
    /// The digest the tarball must match.
    pub digest: Digest,
}

/// Most versions and tags named in a hint.
const HINT_ITEMS: usize = 5;

impl Packument {
    /// Chooses the version `spec` names (see the module docs) for package `name`.
    pub(super) fn choose(&self, name: &str, spec: Option<&str>) -> Result<Chosen, SourceError> {
        let spec = spec.map(str::trim).filter(|s| !s.is_empty());
        let key = self
            .version_key(spec)
            .ok_or_else(|| self.not_found(name, spec))?;
        let manifest = &self.versions[key];
        let version = Version::parse(key).map_or_else(|_| key.to_string(), |v| v.to_string());
        let (tarball, digest) = dist(manifest, &format!("npm:{name}@{version}"))?;
        Ok(Chosen {
            version,
            tarball,
            digest,
        })
    }

    /// The key in `versions` of the version `spec` names.
    fn version_key(&self, spec: Option<&str>) -> Option<&str> {
        let spec = spec.unwrap_or("latest");
        if let Some(key) = self.tagged(spec) {
            return Some(key);
        }
        let versions = self.parsed_versions();
        if let Ok(exact) = Version::parse(spec) {
            return versions
                .iter()
                .find(|(v, _)| *v == exact)
                .map(|(_, key)| *key);
        }
        let range = Range::parse(spec).ok()?;
        if let Some(latest) = self.tagged("latest")
            && Version::parse(latest).is_ok_and(|v| spec == "*" || range.satisfies(&v))
            && !self.deprecated(latest)
        {
            return Some(latest);
        }
        versions
            .iter()
            .filter(|(v, _)| range.satisfies(v))
            .max_by(|(a, a_key), (b, b_key)| {
                (!self.deprecated(a_key), a).cmp(&(!self.deprecated(b_key), b))
            })
            .map(|(_, key)| *key)
    }

    /// The version a dist-tag points at, when it is published.
    fn tagged(&self, tag: &str) -> Option<&str> {
        let target = self.dist_tags.get(tag)?.as_str()?;
        self.versions
            .get_key_value(target)
            .map(|(key, _)| key.as_str())
    }

    /// Every version whose key parses, in ascending order.
    fn parsed_versions(&self) -> Vec<(Version, &str)> {
        let mut versions: Vec<(Version, &str)> = self
            .versions
            .keys()
            .filter_map(|key| Version::parse(key).ok().map(|v| (v, key.as_str())))
            .collect();
        versions.sort();
        versions
    }

    fn deprecated(&self, key: &str) -> bool {
        self.versions
            .get(key)
            .and_then(|m| m.get("deprecated"))
            .is_some_and(|d| d.as_str().is_some_and(|s| !s.is_empty()) || d == &Value::Bool(true))
    }

    /// The error for a spec that names nothing published, with the nearest versions.
    fn not_found(&self, name: &str, spec: Option<&str>) -> SourceError {
        let what = match spec {
            Some(spec) => format!("version `{}` of npm package {name}", shown(spec)),
            None => format!("the `latest` version of npm package {name}"),
        };
        let versions = self.parsed_versions();
        if versions.is_empty() {
            return SourceError::RemoteNotFound {
                what,
                hint: Some("it has no published versions".into()),
            };
        }
        let mut parts = Vec::new();
        if let Some(latest) = self.tagged("latest").and_then(|k| Version::parse(k).ok()) {
            parts.push(format!("latest is {latest}"));
        }
        let nearest = nearest(&versions, spec.and_then(|s| Version::parse(s).ok()));
        parts.push(format!("versions include {}", nearest.join(", ")));
        let mut tags: Vec<String> = self.dist_tags.keys().map(|t| shown(t)).collect();
        if !tags.is_empty() {
            tags.truncate(HINT_ITEMS);
            parts.push(format!("dist-tags: {}", tags.join(", ")));
        }
        SourceError::RemoteNotFound {
            what,
            hint: Some(parts.join("; ")),
        }
    }
}

/// Up to [`HINT_ITEMS`] versions around `wanted` (the highest ones without it), ascending.
fn nearest(versions: &[(Version, &str)], wanted: Option<Version>) -> Vec<String> {
    let center = match wanted {
        Some(wanted) => versions.partition_point(|(v, _)| *v < wanted),
        None => versions.len(),
    };
    let start = center
        .saturating_sub(HINT_ITEMS / 2 + 1)
        .min(versions.len().saturating_sub(HINT_ITEMS));
    versions
        .iter()
        .skip(start)
        .take(HINT_ITEMS)
        .map(|(v, _)| v.to_string())
        .collect()
}

/// A string from the registry or the user, made safe for a one-line message.
fn shown(text: &str) -> String {
    const MAX: usize = 64;
    let escaped: String = text
        .chars()
        .take(MAX)
        .flat_map(char::escape_default)
        .collect();
    if text.chars().count() > MAX {
        format!("{escaped}…")
    } else {
        escaped
    }
}

/// The tarball URL and digest of a version's manifest: `dist.integrity` (its strongest
/// hash), else the legacy `dist.shasum`; a tarball with neither is refused.
fn dist(manifest: &Value, what: &str) -> Result<(String, Digest), SourceError> {
    let unusable = |reason: &str| SourceError::Unusable {
        what: what.to_string(),
        reason: reason.to_string(),
    };
    let dist = manifest
        .get("dist")
        .ok_or_else(|| unusable("the registry lists no tarball"))?;
    let tarball = dist
        .get("tarball")
        .and_then(Value::as_str)
        .ok_or_else(|| unusable("the registry lists no tarball"))?;
    if !(tarball.starts_with("https://") || tarball.starts_with("http://")) {
        return Err(unusable("the tarball URL is not http or https"));
    }
    let integrity = dist
        .get("integrity")
        .and_then(Value::as_str)
        .and_then(Digest::from_sri);
    let shasum = || {
        dist.get("shasum")
            .and_then(Value::as_str)
            .and_then(|hex| Digest::from_hex("sha1", hex))
    };
    let digest = integrity.or_else(shasum).ok_or_else(|| {
        unusable(
            "unverifiable: the registry publishes no usable dist.integrity or dist.shasum for it",
        )
    })?;
    Ok((tarball.to_string(), digest))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SRI: &str = "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";

    fn manifest(version: &str) -> Value {
        json!({
            "name": "demo",
            "version": version,
            "dist": {
                "tarball": format!("https://registry.example/demo/-/demo-{version}.tgz"),
                "integrity": SRI,
                "shasum": "a9d5e27b3e7d3c0fb1f4b14c3ed1d4c07f6c1d09"
            }
        })
    }

    fn packument(versions: &[&str], tags: Value) -> Packument {
        let versions: serde_json::Map<String, Value> = versions
            .iter()
            .map(|v| ((*v).to_string(), manifest(v)))
            .collect();
        serde_json::from_value(json!({ "dist-tags": tags, "versions": versions })).unwrap()
    }

    fn chosen(p: &Packument, spec: Option<&str>) -> String {
        p.choose("demo", spec).unwrap().version
    }

    #[test]
    fn resolves_tags_versions_and_ranges() {
        let p = packument(
            &["1.0.0", "1.1.0", "1.2.0", "2.0.0-beta.1", "not-semver"],
            json!({ "latest": "1.1.0", "next": "2.0.0-beta.1" }),
        );
        assert_eq!(chosen(&p, None), "1.1.0");
        assert_eq!(chosen(&p, Some("next")), "2.0.0-beta.1");
        assert_eq!(chosen(&p, Some("1.0.0")), "1.0.0");
        assert_eq!(chosen(&p, Some("v1.2.0")), "1.2.0");
        // npm prefers `latest` when it satisfies the range...
        assert_eq!(chosen(&p, Some("^1.0.0")), "1.1.0");
        // ...else the highest satisfying version.
        assert_eq!(chosen(&p, Some(">=1.2.0 <2")), "1.2.0");
        assert_eq!(chosen(&p, Some("~1.0")), "1.0.0");
        // Prereleases only when the range asks for them.
        assert_eq!(chosen(&p, Some(">=1.2.0")), "1.2.0");
        assert_eq!(chosen(&p, Some(">=2.0.0-beta.0")), "2.0.0-beta.1");
        let error = p.choose("demo", Some("^2")).unwrap_err();
        assert_eq!(error.code(), "REMOTE_NOT_FOUND");
    }

    #[test]
    fn deprecated_versions_come_last_in_ranges() {
        let mut p = packument(&["1.0.0", "1.1.0", "1.2.0"], json!({ "latest": "1.2.0" }));
        p.versions.get_mut("1.2.0").unwrap()["deprecated"] = json!("do not use");
        assert_eq!(chosen(&p, Some("^1")), "1.1.0");
        // An exact version or tag is taken as asked.
        assert_eq!(chosen(&p, Some("1.2.0")), "1.2.0");
        assert_eq!(chosen(&p, None), "1.2.0");
    }

    #[test]
    fn digest_from_integrity_else_shasum_else_refused() {
        let p = packument(&["1.0.0"], json!({ "latest": "1.0.0" }));
        let c = p.choose("demo", None).unwrap();
        assert_eq!(c.digest.algorithm(), "sha512");
        assert_eq!(c.tarball, "https://registry.example/demo/-/demo-1.0.0.tgz");

        let mut p = packument(&["1.0.0"], json!({ "latest": "1.0.0" }));
        let dist = &mut p.versions.get_mut("1.0.0").unwrap()["dist"];
        dist["integrity"] = json!("md5-AAAA");
        assert_eq!(p.choose("demo", None).unwrap().digest.algorithm(), "sha1");
        let dist = &mut p.versions.get_mut("1.0.0").unwrap()["dist"];
        dist.as_object_mut().unwrap().remove("shasum");
        let error = p.choose("demo", None).unwrap_err();
        assert_eq!(error.code(), "REMOTE_UNUSABLE");
        assert!(error.to_string().contains("unverifiable"), "{error}");

        let mut p = packument(&["1.0.0"], json!({ "latest": "1.0.0" }));
        p.versions.get_mut("1.0.0").unwrap()["dist"]["tarball"] = json!("file:///etc/passwd");
        assert_eq!(
            p.choose("demo", None).unwrap_err().code(),
            "REMOTE_UNUSABLE"
        );
    }

    #[test]
    fn not_found_names_the_nearest_versions() {
        let versions: Vec<String> = (0..20).map(|i| format!("1.{i}.0")).collect();
        let refs: Vec<&str> = versions.iter().map(String::as_str).collect();
        let p = packument(&refs, json!({ "latest": "1.19.0", "evil\ntag": "1.0.0" }));
        let error = p.choose("demo", Some("1.7.5")).unwrap_err().to_string();
        assert_eq!(error.lines().count(), 1, "{error}");
        assert!(error.contains("latest is 1.19.0"), "{error}");
        assert!(error.contains("1.6.0, 1.7.0, 1.8.0"), "{error}");
        assert!(!error.contains("1.12.0"), "{error}");
        assert!(error.contains("evil\\ntag"), "{error}");
        let error = p
            .choose("demo", Some("no-such-tag"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("1.19.0"), "{error}");

        let empty: Packument = serde_json::from_value(json!({ "name": "demo" })).unwrap();
        let error = empty.choose("demo", None).unwrap_err().to_string();
        assert!(error.contains("no published versions"), "{error}");
        // A `latest` tag pointing at nothing published is not found either.
        let p = packument(&["1.0.0"], json!({ "latest": "9.9.9" }));
        assert_eq!(
            p.choose("demo", None).unwrap_err().code(),
            "REMOTE_NOT_FOUND"
        );
    }
}
