//! Image manifests and indexes: fetched with every accepted media type, capped, checked
//! against their digest, and resolved to one `linux/amd64` image.

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::blobs::Blobs;
use super::client::RegistryClient;
use crate::path::escape_name;
use crate::target::OciReference;
use crate::{Digest, SourceError};

/// The manifest media types asked for: OCI index and manifest, Docker manifest list and
/// manifest (schema 2).
const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
    application/vnd.oci.image.manifest.v1+json, \
    application/vnd.docker.distribution.manifest.list.v2+json, \
    application/vnd.docker.distribution.manifest.v2+json";

/// The image config media types: anything else is an artifact, not a container image.
const CONFIG_TYPES: [&str; 2] = [
    "application/vnd.oci.image.config.v1+json",
    "application/vnd.docker.container.image.v1+json",
];

/// The platform whose image is scanned.
const PLATFORM: (&str, &str) = ("linux", "amd64");

/// Most entries of an index, and most layers of an image (Docker stops at 127).
const MAX_MANIFESTS: usize = 4096;
const MAX_LAYERS: usize = 256;

/// A content descriptor.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Descriptor {
    /// The media type (may be empty in hand-made manifests).
    #[serde(default)]
    pub media_type: String,
    /// `sha256:<hex>`.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
    /// The platform of an index entry.
    #[serde(default)]
    pub platform: Option<Platform>,
}

/// An index entry's platform.
#[derive(Debug, Clone, Deserialize, Default)]
pub(super) struct Platform {
    /// `amd64`, `arm64`…
    #[serde(default)]
    pub architecture: String,
    /// `linux`, `windows`…
    #[serde(default)]
    pub os: String,
    /// `v8`…
    #[serde(default)]
    pub variant: Option<String>,
}

impl Platform {
    /// `os/architecture[/variant]`.
    fn label(&self) -> String {
        match &self.variant {
            Some(v) if !v.is_empty() => format!("{}/{}/{v}", self.os, self.architecture),
            _ => format!("{}/{}", self.os, self.architecture),
        }
    }
}

/// Any manifest document, before knowing which kind it is.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawManifest {
    schema_version: Option<u64>,
    manifests: Option<Vec<Descriptor>>,
    config: Option<Descriptor>,
    layers: Option<Vec<Descriptor>>,
    fs_layers: Option<serde::de::IgnoredAny>,
}

/// An image manifest: its config and layers, bottom layer first.
#[derive(Debug)]
pub(super) struct ImageManifest {
    /// The config blob.
    pub config: Descriptor,
    /// The layer blobs.
    pub layers: Vec<Descriptor>,
}

/// What a manifest document is.
enum Document {
    Image(ImageManifest),
    Index(Vec<Descriptor>),
}

/// The image a reference resolved to.
#[derive(Debug)]
pub(super) struct ResolvedImage {
    /// The digest the reference resolved to (an index's, for a multi-platform image).
    pub digest: String,
    /// The digest of the chosen platform's manifest.
    pub manifest_digest: String,
    /// That manifest.
    pub manifest: ImageManifest,
}

/// Resolves `reference` to one image manifest, choosing `linux/amd64` from an index.
pub(super) fn resolve(
    client: &RegistryClient<'_>,
    blobs: &mut Blobs<'_>,
    reference: &OciReference,
) -> Result<ResolvedImage, SourceError> {
    let what = format!("image {}", client.location().display);
    let (digest, document) = fetch(client, blobs, reference, &what)?;
    let entries = match document {
        Document::Image(manifest) => {
            return Ok(ResolvedImage {
                manifest_digest: digest.clone(),
                digest,
                manifest,
            });
        }
        Document::Index(entries) => entries,
    };
    let chosen = choose_platform(&entries, &what)?;
    let child = OciReference::Digest(chosen.digest.clone());
    match fetch(client, blobs, &child, &what)? {
        (manifest_digest, Document::Image(manifest)) => Ok(ResolvedImage {
            digest,
            manifest_digest,
            manifest,
        }),
        (_, Document::Index(_)) => Err(SourceError::Unusable {
            what,
            reason: "nested image indexes are not supported".into(),
        }),
    }
}

/// The `linux/amd64` entry of an index; the error lists the platforms there are.
fn choose_platform<'d>(
    entries: &'d [Descriptor],
    what: &str,
) -> Result<&'d Descriptor, SourceError> {
    let (os, architecture) = PLATFORM;
    entries
        .iter()
        .find(|d| {
            d.platform
                .as_ref()
                .is_some_and(|p| p.os == os && p.architecture == architecture)
        })
        .ok_or_else(|| {
            let mut available: Vec<String> = entries
                .iter()
                .filter_map(|d| d.platform.as_ref())
                .filter(|p| p.os != "unknown" && !p.os.is_empty())
                .map(|p| shorten(&p.label(), 64))
                .collect();
            available.sort();
            available.dedup();
            available.truncate(20);
            let available = if available.is_empty() {
                "none".to_string()
            } else {
                available.join(", ")
            };
            SourceError::Unusable {
                what: what.to_string(),
                reason: format!("no {os}/{architecture} image; available platforms: {available}"),
            }
        })
}

/// Fetches (or takes from the cache) the manifest `reference` names, checks its digest
/// and parses it. Returns its digest and content.
fn fetch(
    client: &RegistryClient<'_>,
    blobs: &mut Blobs<'_>,
    reference: &OciReference,
    what: &str,
) -> Result<(String, Document), SourceError> {
    let limit = client.policy().max_metadata_bytes;
    let asked = match reference {
        OciReference::Digest(d) => Some(parse_digest(d, what)?),
        OciReference::Tag(_) => None,
    };
    if let Some(digest) = &asked
        && let Some(bytes) = blobs.cached(digest, limit)
    {
        return Ok((digest.to_string(), parse(&bytes, what)?));
    }
    let path = match reference {
        OciReference::Tag(tag) => format!("manifests/{tag}"),
        OciReference::Digest(digest) => format!("manifests/{digest}"),
    };
    let response = client.get(&path, ACCEPT, what).map_err(|e| match e {
        SourceError::RemoteNotFound { what, .. } => SourceError::RemoteNotFound {
            hint: match reference {
                OciReference::Tag(_) => tags_hint(client),
                OciReference::Digest(_) => None,
            },
            what,
        },
        other => other,
    })?;
    let published = response.header("docker-content-digest").map(str::to_string);
    let manifest_what = format!("{what}: manifest");
    let bytes = response.bytes(limit, &manifest_what)?;
    let actual = Digest::Sha256(hex::encode(Sha256::digest(&bytes)));
    let expected = match (asked, published) {
        (Some(digest), _) => Some(digest.to_string()),
        (None, Some(header)) => Some(header.trim().to_ascii_lowercase()),
        (None, None) => None,
    };
    if let Some(expected) = expected
        && expected != actual.to_string()
    {
        return Err(SourceError::Integrity {
            what: manifest_what,
            expected: shorten(&expected, 80),
            actual: actual.to_string(),
        });
    }
    let document = parse(&bytes, what)?;
    blobs.remember(&actual, &bytes)?;
    Ok((actual.to_string(), document))
}

/// A descriptor's or reference's digest; only SHA-256 and SHA-512 are accepted.
pub(super) fn parse_digest(text: &str, what: &str) -> Result<Digest, SourceError> {
    match Digest::parse_prefixed(text) {
        Some(d @ (Digest::Sha256(_) | Digest::Sha512(_))) => Ok(d),
        _ => Err(SourceError::Unusable {
            what: what.to_string(),
            reason: format!("`{}` is not a sha256 or sha512 digest", shorten(text, 80)),
        }),
    }
}

/// Registry-supplied text made printable and cut to `max` characters.
pub(super) fn shorten(text: &str, max: usize) -> String {
    escape_name(text.as_bytes()).chars().take(max).collect()
}

/// Parses a manifest document: an index, or an image manifest whose config is an image
/// config.
fn parse(bytes: &[u8], what: &str) -> Result<Document, SourceError> {
    let unusable = |reason: String| SourceError::Unusable {
        what: what.to_string(),
        reason,
    };
    let raw: RawManifest = serde_json::from_slice(bytes)
        .map_err(|e| unusable(format!("invalid manifest JSON: {e}")))?;
    if raw.fs_layers.is_some() || raw.schema_version == Some(1) {
        return Err(unusable(
            "schema 1 image manifests are not supported; push the image with a current tool".into(),
        ));
    }
    if let Some(manifests) = raw.manifests {
        if manifests.len() > MAX_MANIFESTS {
            return Err(unusable(format!(
                "the index lists more than {MAX_MANIFESTS} manifests"
            )));
        }
        return Ok(Document::Index(manifests));
    }
    let (Some(config), Some(layers)) = (raw.config, raw.layers) else {
        return Err(unusable("not an image manifest or index".into()));
    };
    if !config.media_type.is_empty() && !CONFIG_TYPES.contains(&config.media_type.as_str()) {
        return Err(unusable(format!(
            "not a container image: its config is `{}`",
            shorten(&config.media_type, 100)
        )));
    }
    if layers.len() > MAX_LAYERS {
        return Err(unusable(format!(
            "the image has more than {MAX_LAYERS} layers"
        )));
    }
    Ok(Document::Image(ImageManifest { config, layers }))
}

#[derive(Deserialize)]
struct TagList {
    #[serde(default)]
    tags: Option<Vec<String>>,
}

/// `available tags: a, b, …` for a tag that was not found, when the registry lists them.
fn tags_hint(client: &RegistryClient<'_>) -> Option<String> {
    const SHOWN: usize = 10;
    let response = client
        .get("tags/list", "application/json", "tag list")
        .ok()?;
    let list: TagList = response.json(1024 * 1024, "tag list").ok()?;
    let mut tags = list.tags.unwrap_or_default();
    if tags.is_empty() {
        return None;
    }
    tags.sort();
    let more = tags.len().saturating_sub(SHOWN);
    let shown: Vec<String> = tags.iter().take(SHOWN).map(|t| shorten(t, 128)).collect();
    let mut hint = format!("available tags: {}", shown.join(", "));
    if more > 0 {
        hint.push_str(&format!(" (and {more} more)"));
    }
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(os: &str, arch: &str, digest: char) -> Descriptor {
        Descriptor {
            media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            digest: format!("sha256:{}", digest.to_string().repeat(64)),
            size: 1,
            platform: Some(Platform {
                architecture: arch.into(),
                os: os.into(),
                variant: None,
            }),
        }
    }

    #[test]
    fn picks_linux_amd64_or_lists_the_platforms() {
        let entries = vec![
            entry("linux", "arm64", 'a'),
            entry("unknown", "unknown", 'c'),
            entry("linux", "amd64", 'b'),
        ];
        let chosen = choose_platform(&entries, "image x").unwrap();
        assert!(chosen.digest.ends_with('b'));
        let error = choose_platform(&entries[..2], "image x")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("available platforms: linux/arm64"),
            "{error}"
        );
        assert!(!error.contains("unknown"), "{error}");
    }

    #[test]
    fn parses_only_image_manifests_and_indexes() {
        let manifest = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:00","size":2},"layers":[]}"#;
        assert!(matches!(parse(manifest, "x"), Ok(Document::Image(_))));
        let index = br#"{"schemaVersion":2,"manifests":[]}"#;
        assert!(matches!(parse(index, "x"), Ok(Document::Index(_))));
        let schema1 = br#"{"schemaVersion":1,"fsLayers":[]}"#;
        let error = parse(schema1, "x").err().unwrap().to_string();
        assert!(error.contains("schema 1"), "{error}");
        let helm = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:00","size":2},"layers":[]}"#;
        let error = parse(helm, "x").err().unwrap().to_string();
        assert!(error.contains("not a container image"), "{error}");
        assert!(parse(b"[1,2]", "x").is_err());
    }

    #[test]
    fn digests_must_be_sha256_or_sha512() {
        assert!(parse_digest(&format!("sha256:{}", "a".repeat(64)), "x").is_ok());
        assert!(parse_digest(&format!("sha1:{}", "a".repeat(40)), "x").is_err());
        assert!(parse_digest("md5:abc", "x").is_err());
    }
}
