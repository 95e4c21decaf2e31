//! Downloading OSV's per-ecosystem `all.zip` archives for the advisory database
//! (`assay db update`): `<base>/<Ecosystem>/all.zip`, through the guarded HTTP client,
//! size-capped, into temporary files that are kept only when complete.
//!
//! The base URL is configuration (`ASSAY_OSV_URL`), so air-gapped users can point it at
//! a mirror and tests at a loopback server. A download is complete when it received as
//! many bytes as its `Content-Length` announced and the file is a readable zip archive
//! (its central directory, written last, is intact); anything else is an error and
//! leaves nothing behind.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use assay_core::ProgressEvent;

use crate::SourceError;
use crate::net::{Auth, HttpClient, NetworkPolicy, http::read_error};

/// OSV's public bucket.
pub const DEFAULT_OSV_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Bytes between two `Download` progress events.
const PROGRESS_STEP: u64 = 1024 * 1024;

/// One downloaded archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsvArchive {
    /// The OSV ecosystem.
    pub ecosystem: String,
    /// Where it came from.
    pub url: String,
    /// Where it is (inside the destination directory).
    pub path: PathBuf,
}

/// The URL of `ecosystem`'s archive under `base_url`. Ecosystem names are OSV's
/// (`npm`, `PyPI`, `Go`, `crates.io`, `Debian:12`…): letters, digits, `.`, `-`, `_`
/// and `:` only.
pub fn archive_url(base_url: &str, ecosystem: &str) -> Result<String, SourceError> {
    let valid = !ecosystem.is_empty()
        && ecosystem.len() <= 64
        && !ecosystem.starts_with('.')
        && ecosystem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:".contains(&b));
    if !valid {
        return Err(SourceError::Unusable {
            what: format!("OSV ecosystem `{}`", ecosystem.escape_debug()),
            reason: "not an ecosystem name".into(),
        });
    }
    Ok(format!(
        "{}/{ecosystem}/all.zip",
        base_url.trim_end_matches('/')
    ))
}

/// Downloads the `all.zip` of each of `ecosystems` from `base_url` into `dest_dir`
/// (as `<Ecosystem>-all.zip`), under `policy` (its `max_download_bytes` caps each
/// archive and all of them together). Stops at the first failure; the archives already
/// downloaded stay in `dest_dir`, for the caller to discard.
pub fn download_osv(
    ecosystems: &[&str],
    base_url: &str,
    policy: &NetworkPolicy,
    dest_dir: &Path,
    progress: &dyn Fn(&ProgressEvent),
) -> Result<Vec<OsvArchive>, SourceError> {
    let urls = ecosystems
        .iter()
        .map(|ecosystem| archive_url(base_url, ecosystem))
        .collect::<Result<Vec<_>, _>>()?;
    let client = HttpClient::new(policy.clone());
    ecosystems
        .iter()
        .zip(urls)
        .map(|(ecosystem, url)| {
            let file_name = format!("{}-all.zip", ecosystem.replace(':', "_"));
            let path = dest_dir.join(&file_name);
            download_one(
                &client,
                &url,
                &format!("{ecosystem}/all.zip"),
                &path,
                progress,
            )?;
            Ok(OsvArchive {
                ecosystem: (*ecosystem).to_string(),
                url,
                path,
            })
        })
        .collect()
}

fn download_one(
    client: &HttpClient,
    url: &str,
    what: &str,
    path: &Path,
    progress: &dyn Fn(&ProgressEvent),
) -> Result<(), SourceError> {
    let report = |done: u64, total: Option<u64>| {
        progress(&ProgressEvent::Download {
            what: what.to_string(),
            done,
            total,
        });
    };
    report(0, None);
    let response = client.get_ok(url, Auth::None, "application/zip, */*", what)?;
    let limit = client.policy().max_download_bytes;
    let total = response.declared_size(limit, what)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let local = |e: io::Error| SourceError::Cache {
        path: dir.display().to_string(),
        reason: e.to_string(),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".partial-")
        .tempfile_in(dir)
        .map_err(local)?;
    let mut body = response.into_reader(limit, what);
    let mut buf = vec![0; 64 * 1024];
    let (mut done, mut reported) = (0u64, 0u64);
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(what, e)),
        };
        temp.write_all(&buf[..n]).map_err(local)?;
        done += n as u64;
        if done - reported >= PROGRESS_STEP {
            reported = done;
            report(done, total);
        }
    }
    if let Some(total) = total.filter(|t| *t != done) {
        return Err(SourceError::Network {
            what: what.to_string(),
            reason: format!("download interrupted: received {done} of {total} bytes"),
        });
    }
    report(done, total);
    temp.as_file().sync_all().map_err(local)?;
    check_zip(temp.path(), what)?;
    temp.persist(path).map_err(|e| local(e.error))?;
    Ok(())
}

/// Fails unless `path` is a readable zip archive.
pub fn check_zip(path: &Path, what: &str) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|e| SourceError::Cache {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    zip::ZipArchive::new(BufReader::new(file))
        .map(drop)
        .map_err(|e| SourceError::Unusable {
            what: what.to_string(),
            reason: format!("not a complete zip archive ({e})"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_ecosystem_under_the_base() {
        assert_eq!(
            archive_url("https://mirror.example/osv/", "crates.io").unwrap(),
            "https://mirror.example/osv/crates.io/all.zip"
        );
        assert_eq!(
            archive_url(DEFAULT_OSV_URL, "PyPI").unwrap(),
            format!("{DEFAULT_OSV_URL}/PyPI/all.zip")
        );
        for bad in ["", "../x", "..", "npm/../../etc", "a b", "npm?x=1", "np%6d"] {
            assert!(archive_url(DEFAULT_OSV_URL, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_complete_zip_archives_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.zip");
        let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        zip.start_file("GHSA-1.json", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(br#"{"id": "GHSA-1"}"#).unwrap();
        let whole = zip.finish().unwrap().into_inner();
        std::fs::write(&path, &whole).unwrap();
        check_zip(&path, "npm/all.zip").unwrap();
        std::fs::write(&path, &whole[..whole.len() - 10]).unwrap();
        let error = check_zip(&path, "npm/all.zip").unwrap_err();
        assert_eq!(error.code(), "REMOTE_UNUSABLE");
        assert!(
            error
                .to_string()
                .starts_with("npm/all.zip: not a complete zip")
        );
        std::fs::write(&path, b"<html>Service Unavailable</html>").unwrap();
        assert!(check_zip(&path, "npm/all.zip").is_err());
    }

    #[test]
    fn loopback_mirrors_need_the_private_network_opt_in() {
        let dir = tempfile::tempdir().unwrap();
        let error = download_osv(
            &["npm"],
            "http://127.0.0.1:9",
            &NetworkPolicy::default(),
            dir.path(),
            &|_| {},
        )
        .unwrap_err();
        assert_eq!(error.code(), "PRIVATE_NETWORK_REFUSED");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
