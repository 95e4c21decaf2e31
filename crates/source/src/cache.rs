//! The download cache: artifacts stored by content digest.
//!
//! Layout under the cache root (`ASSAY_CACHE_DIR`, else `$XDG_CACHE_HOME/assay`, else
//! `~/.cache/assay`): `blobs/<algorithm>/<hex>`. An artifact is written to a temporary
//! file in the same directory while its digest is computed, checked against the digest
//! the registry published, and only then renamed into place — atomically, so concurrent
//! scans of the same artifact each write their own temporary file and the last rename
//! wins with identical content; a reader never sees a partial file. A cached file is
//! re-hashed before use and dropped if it no longer matches. With caching off
//! (`--no-cache`), the same code writes into a private temporary directory that is
//! removed after the scan.
//!
//! Artifacts that no registry publishes a digest for (a tarball built from a git tree)
//! are stored the same way under their own SHA-256, and found again by a key (a
//! repository, commit and subdirectory): `keys/<namespace>/<sha256 of the key>` holds the
//! blob's digest, written to a temporary file and renamed into place like the blob.

use std::fs::{self, File};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::{Digest as _, Sha256, Sha512};

use crate::SourceError;

/// A content digest an artifact must match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Digest {
    /// SHA-256 (PyPI, OCI), lowercase hex.
    Sha256(String),
    /// SHA-512 (npm's `dist.integrity`), lowercase hex.
    Sha512(String),
    /// SHA-1 (npm's legacy `dist.shasum`, git object ids), lowercase hex.
    Sha1(String),
}

impl Digest {
    /// Parses `sha256:<hex>` (OCI), `sha512:<hex>` or `sha1:<hex>`.
    pub fn parse_prefixed(text: &str) -> Option<Digest> {
        let (algorithm, hex) = text.split_once(':')?;
        Digest::from_hex(algorithm, hex)
    }

    /// A digest from an algorithm name and hex.
    pub fn from_hex(algorithm: &str, hex: &str) -> Option<Digest> {
        let hex = hex.trim().to_ascii_lowercase();
        let (digest, len) = match algorithm.to_ascii_lowercase().as_str() {
            "sha256" => (Digest::Sha256(hex.clone()), 64),
            "sha512" => (Digest::Sha512(hex.clone()), 128),
            "sha1" => (Digest::Sha1(hex.clone()), 40),
            _ => return None,
        };
        (hex.len() == len && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(digest)
    }

    /// The strongest digest of a Subresource Integrity string (`sha512-<base64>`,
    /// possibly several, space-separated).
    pub fn from_sri(sri: &str) -> Option<Digest> {
        let mut best: Option<Digest> = None;
        for item in sri.split_whitespace() {
            let Some((algorithm, b64)) = item.split_once('-') else {
                continue;
            };
            let b64 = b64.split('?').next().unwrap_or_default();
            let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(b64) else {
                continue;
            };
            let Some(digest) = Digest::from_hex(algorithm, &hex::encode(raw)) else {
                continue;
            };
            if best
                .as_ref()
                .is_none_or(|b| digest.strength() > b.strength())
            {
                best = Some(digest);
            }
        }
        best
    }

    fn strength(&self) -> u8 {
        match self {
            Digest::Sha1(_) => 1,
            Digest::Sha256(_) => 2,
            Digest::Sha512(_) => 3,
        }
    }

    /// The algorithm name.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Digest::Sha256(_) => "sha256",
            Digest::Sha512(_) => "sha512",
            Digest::Sha1(_) => "sha1",
        }
    }

    /// The hex value.
    pub fn hex(&self) -> &str {
        match self {
            Digest::Sha256(h) | Digest::Sha512(h) | Digest::Sha1(h) => h,
        }
    }

    fn hasher(&self) -> Hasher {
        match self {
            Digest::Sha256(_) => Hasher::Sha256(Sha256::new()),
            Digest::Sha512(_) => Hasher::Sha512(Sha512::new()),
            Digest::Sha1(_) => Hasher::Sha1(sha1::Sha1::new()),
        }
    }
}

impl std::fmt::Display for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.algorithm(), self.hex())
    }
}

enum Hasher {
    Sha256(Sha256),
    Sha512(Sha512),
    Sha1(sha1::Sha1),
}

impl Hasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
            Hasher::Sha1(h) => h.update(bytes),
        }
    }

    fn finish(self) -> String {
        match self {
            Hasher::Sha256(h) => hex::encode(h.finalize()),
            Hasher::Sha512(h) => hex::encode(h.finalize()),
            Hasher::Sha1(h) => hex::encode(h.finalize()),
        }
    }
}

/// The cache of one scan: the user's persistent cache, or a private temporary one.
#[derive(Debug)]
pub struct Cache {
    root: PathBuf,
    /// Keeps a `--no-cache` scan's directory alive until the scan ends.
    _temporary: Option<tempfile::TempDir>,
    persistent: bool,
}

impl Cache {
    /// The persistent cache at `root`.
    pub fn at(root: impl Into<PathBuf>) -> Cache {
        Cache {
            root: root.into(),
            _temporary: None,
            persistent: true,
        }
    }

    /// The user's cache: `ASSAY_CACHE_DIR`, else `$XDG_CACHE_HOME/assay`, else
    /// `~/.cache/assay`; a temporary cache when none can be found.
    pub fn user() -> Result<Cache, SourceError> {
        match default_root() {
            Some(root) => Ok(Cache::at(root)),
            None => Cache::temporary(),
        }
    }

    /// A cache that lives only as long as this value (`--no-cache`).
    pub fn temporary() -> Result<Cache, SourceError> {
        let dir = tempfile::Builder::new()
            .prefix("assay-fetch-")
            .tempdir()
            .map_err(|e| SourceError::Cache {
                path: std::env::temp_dir().display().to_string(),
                reason: e.to_string(),
            })?;
        Ok(Cache {
            root: dir.path().to_path_buf(),
            _temporary: Some(dir),
            persistent: false,
        })
    }

    /// The cache directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether artifacts outlive the scan.
    pub fn is_persistent(&self) -> bool {
        self.persistent
    }

    fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.root
            .join("blobs")
            .join(digest.algorithm())
            .join(digest.hex())
    }

    /// The cached artifact with this digest, if present and intact.
    pub fn get(&self, digest: &Digest) -> Option<PathBuf> {
        let path = self.blob_path(digest);
        let file = File::open(&path).ok()?;
        let mut hasher = digest.hasher();
        let mut reader = BufReader::new(file);
        let mut buf = vec![0; 64 * 1024];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => hasher.update(&buf[..n]),
                Err(_) => return None,
            }
        }
        if hasher.finish() == digest.hex() {
            Some(path)
        } else {
            let _ = fs::remove_file(&path);
            None
        }
    }

    /// Stores what `reader` yields under `expected`, failing (and keeping nothing) when
    /// the content does not match. `what` names the artifact in errors; `on_bytes` is
    /// told how many bytes have arrived so far.
    pub fn put(
        &self,
        expected: &Digest,
        reader: &mut dyn Read,
        what: &str,
        on_bytes: &mut dyn FnMut(u64),
    ) -> Result<PathBuf, SourceError> {
        let dir = self.root.join("blobs").join(expected.algorithm());
        let cache_error = |e: io::Error| SourceError::Cache {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        fs::create_dir_all(&dir).map_err(cache_error)?;
        let (temp, actual) = spool(&dir, expected.hasher(), reader, what, on_bytes)?;
        if actual != expected.hex() {
            return Err(SourceError::Integrity {
                what: what.to_string(),
                expected: expected.to_string(),
                actual: format!("{}:{actual}", expected.algorithm()),
            });
        }
        temp.as_file().sync_all().map_err(cache_error)?;
        let path = self.blob_path(expected);
        temp.persist(&path).map_err(|e| cache_error(e.error))?;
        Ok(path)
    }

    /// The artifact stored under `key` in `namespace` by [`Cache::put_keyed`], if
    /// present and intact (its blob is re-hashed like [`Cache::get`]'s).
    pub fn get_keyed(&self, namespace: &str, key: &str) -> Option<PathBuf> {
        let mut text = String::new();
        File::open(self.key_path(namespace, key))
            .ok()?
            .take(128)
            .read_to_string(&mut text)
            .ok()?;
        self.get(&Digest::parse_prefixed(text.trim())?)
    }

    /// Stores what `reader` yields as a blob named by its SHA-256 and records it under
    /// `key` in `namespace` (a fixed name such as `git`). For artifacts built locally,
    /// which have no published digest to check; `what` names the artifact in errors.
    pub fn put_keyed(
        &self,
        namespace: &str,
        key: &str,
        reader: &mut dyn Read,
        what: &str,
    ) -> Result<PathBuf, SourceError> {
        let blobs = self.root.join("blobs").join("sha256");
        let cache_error = |dir: &Path, e: io::Error| SourceError::Cache {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        fs::create_dir_all(&blobs).map_err(|e| cache_error(&blobs, e))?;
        let hasher = Hasher::Sha256(Sha256::new());
        let (temp, hex) = spool(&blobs, hasher, reader, what, &mut |_| {})?;
        temp.as_file()
            .sync_all()
            .map_err(|e| cache_error(&blobs, e))?;
        let digest = Digest::Sha256(hex);
        let path = self.blob_path(&digest);
        temp.persist(&path)
            .map_err(|e| cache_error(&blobs, e.error))?;

        let key_path = self.key_path(namespace, key);
        let keys = key_path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&keys).map_err(|e| cache_error(&keys, e))?;
        let mut pointer = tempfile::Builder::new()
            .prefix(".partial-")
            .tempfile_in(&keys)
            .map_err(|e| cache_error(&keys, e))?;
        writeln!(pointer, "{digest}").map_err(|e| cache_error(&keys, e))?;
        pointer
            .persist(&key_path)
            .map_err(|e| cache_error(&keys, e.error))?;
        Ok(path)
    }

    fn key_path(&self, namespace: &str, key: &str) -> PathBuf {
        self.root
            .join("keys")
            .join(namespace)
            .join(hex::encode(Sha256::digest(key.as_bytes())))
    }

    /// A fresh private directory for work files of this scan (e.g. a git object store),
    /// removed when the returned value is dropped.
    pub fn work_dir(&self, prefix: &str) -> Result<tempfile::TempDir, SourceError> {
        let parent = self.root.join("work");
        fs::create_dir_all(&parent).map_err(|e| SourceError::Cache {
            path: parent.display().to_string(),
            reason: e.to_string(),
        })?;
        tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(&parent)
            .map_err(|e| SourceError::Cache {
                path: parent.display().to_string(),
                reason: e.to_string(),
            })
    }
}

/// Copies `reader` into a new temporary file in `dir`, hashing it; returns the file and
/// the hex digest. `on_bytes` is told how many bytes have arrived so far.
fn spool(
    dir: &Path,
    mut hasher: Hasher,
    reader: &mut dyn Read,
    what: &str,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<(tempfile::NamedTempFile, String), SourceError> {
    let cache_error = |e: io::Error| SourceError::Cache {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(cache_error)?;
    let mut buf = vec![0; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(crate::net::http::read_error(what, e)),
        };
        hasher.update(&buf[..n]);
        temp.write_all(&buf[..n]).map_err(cache_error)?;
        total += n as u64;
        on_bytes(total);
    }
    Ok((temp, hasher.finish()))
}

fn default_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ASSAY_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("assay"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha256(bytes: &[u8]) -> Digest {
        Digest::Sha256(hex::encode(Sha256::digest(bytes)))
    }

    #[test]
    fn stores_verified_content_and_refuses_mismatches() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        let digest = sha256(b"hello");
        assert!(cache.get(&digest).is_none());
        let path = cache
            .put(&digest, &mut &b"hello"[..], "greeting", &mut |_| {})
            .unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(cache.get(&digest), Some(path.clone()));

        let error = cache
            .put(
                &sha256(b"other"),
                &mut &b"hello"[..],
                "greeting",
                &mut |_| {},
            )
            .unwrap_err();
        assert_eq!(error.code(), "INTEGRITY_MISMATCH");
        // Nothing but the one good blob is left behind.
        let left: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1);

        // A corrupted cache entry is dropped, not used.
        fs::write(&path, b"tampered").unwrap();
        assert!(cache.get(&digest).is_none());
        assert!(!path.exists());
    }

    #[test]
    fn concurrent_writers_of_one_artifact_agree() {
        let dir = tempfile::tempdir().unwrap();
        let content = vec![7u8; 300_000];
        let digest = sha256(&content);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let cache = Cache::at(dir.path());
                    cache
                        .put(&digest, &mut &content[..], "blob", &mut |_| {})
                        .unwrap();
                    assert!(cache.get(&digest).is_some());
                });
            }
        });
        let cache = Cache::at(dir.path());
        assert_eq!(fs::read(cache.get(&digest).unwrap()).unwrap(), content);
    }

    #[test]
    fn keyed_artifacts_are_found_by_key_and_verified() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        assert!(cache.get_keyed("git", "repo@abc").is_none());
        let path = cache
            .put_keyed("git", "repo@abc", &mut &b"tree"[..], "tree")
            .unwrap();
        assert_eq!(path, cache.blob_path(&sha256(b"tree")));
        assert_eq!(cache.get_keyed("git", "repo@abc"), Some(path.clone()));
        assert!(cache.get_keyed("git", "repo@abd").is_none());
        assert!(cache.get_keyed("npm", "repo@abc").is_none());

        // A tampered blob is dropped, so the key no longer finds anything.
        fs::write(&path, b"tampered").unwrap();
        assert!(cache.get_keyed("git", "repo@abc").is_none());
        // Nothing but the pointer is left in the key directory.
        let keys: Vec<_> = fs::read_dir(dir.path().join("keys").join("git"))
            .unwrap()
            .collect();
        assert_eq!(keys.len(), 1);
    }

    #[test]
    fn sri_picks_the_strongest_digest() {
        let sri = "sha1-qUqP5cyxm6YcTAhz05Hph5gvu9M= sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==";
        let digest = Digest::from_sri(sri).unwrap();
        assert_eq!(digest.algorithm(), "sha512");
        assert_eq!(digest.hex().len(), 128);
        assert!(Digest::from_sri("md5-abc").is_none());
        assert!(Digest::parse_prefixed("sha256:abc").is_none());
    }
}
