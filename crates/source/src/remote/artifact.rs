//! A package registry's artifact (an npm tarball, an sdist or a wheel), verified against
//! the digest the registry published and kept in the cache by that digest.

use std::path::PathBuf;

use assay_core::{ProgressEvent, Resolution};
use ureq::http::Uri;

use super::{FetchContext, Fetched};
use crate::net::Auth;
use crate::{Digest, SourceError};

/// Bytes between two `Download` progress events.
const PROGRESS_STEP: u64 = 256 * 1024;

/// What to download and what it must hash to.
pub(crate) struct Artifact<'a> {
    /// Where it is (http or https).
    pub url: &'a str,
    /// The digest the registry published for it.
    pub digest: &'a Digest,
    /// Its file name, for progress events and errors.
    pub file_name: &'a str,
    /// The credentials to send: pass them through [`auth_for`] first.
    pub auth: Auth<'a>,
}

/// Fetches a package archive (from the cache when it is there) and describes it as the
/// fetched artifact of `canonical_id`, pinned to `version`.
pub(crate) fn fetch_package(
    ctx: &FetchContext<'_>,
    artifact: &Artifact<'_>,
    canonical_id: String,
    version: String,
) -> Result<Fetched, SourceError> {
    let (path, from_cache) = cached_or_download(ctx, artifact)?;
    Ok(Fetched {
        canonical_id,
        resolution: Resolution {
            version: Some(version),
            artifact_digest: Some(artifact.digest.to_string()),
            artifact: Some(artifact.file_name.to_string()),
            ..Resolution::default()
        },
        path,
        from_cache,
        work: None,
    })
}

/// The artifact from the cache when an intact copy is there (`true`: nothing was
/// downloaded), else downloaded into the cache, verified on the way; nothing is kept when
/// the content does not match. A download reports `Download` progress when it starts
/// (`done: 0`, before the request), every 256 KiB, and when it ends.
pub(crate) fn cached_or_download(
    ctx: &FetchContext<'_>,
    artifact: &Artifact<'_>,
) -> Result<(PathBuf, bool), SourceError> {
    if let Some(path) = ctx.cache.get(artifact.digest) {
        return Ok((path, true));
    }
    let what = artifact.file_name;
    let progress = |done: u64, total: Option<u64>| {
        (ctx.progress)(&ProgressEvent::Download {
            what: what.to_string(),
            done,
            total,
        });
    };
    progress(0, None);
    let response = ctx.http.get_ok(artifact.url, artifact.auth, "*/*", what)?;
    let limit = ctx.http.policy().max_download_bytes;
    let total = response.declared_size(limit, what)?;
    let mut reader = response.into_reader(limit, what);
    let mut reported = 0u64;
    let mut on_bytes = |done: u64| {
        if done - reported >= PROGRESS_STEP {
            reported = done;
            progress(done, total);
        }
    };
    let path = ctx
        .cache
        .put(artifact.digest, &mut reader, what, &mut on_bytes)?;
    let size = std::fs::metadata(&path).map_or(reported, |m| m.len());
    if size != reported {
        progress(size, total);
    }
    Ok((path, false))
}

/// `auth` when `url` is on the same scheme, host and port as `registry`, else none: a
/// registry (or whoever controls its metadata) cannot send the user's token to another
/// host by pointing an artifact URL there.
pub(crate) fn auth_for<'a>(url: &str, registry: &str, auth: Auth<'a>) -> Auth<'a> {
    match (origin(url), origin(registry)) {
        (Some(a), Some(b)) if a == b => auth,
        _ => Auth::None,
    }
}

/// `(scheme, host, port)` of an http or https URL.
fn origin(url: &str) -> Option<(String, String, u16)> {
    let uri: Uri = url.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let host = uri.host()?.to_ascii_lowercase();
    Some((scheme, host, uri.port_u16().unwrap_or(default_port)))
}

/// The last path segment of `url` when it is a plain file name (letters, digits,
/// `-._+~`), else `None`.
pub(crate) fn file_name_of(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let plain = !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._+~".contains(&b));
    plain.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    #[test]
    fn credentials_stay_on_the_registry_origin() {
        let secret = Secret::new("s3cret");
        let auth = Auth::Bearer(&secret);
        let registry = "https://registry.example/npm/";
        assert!(auth_for("https://registry.example/npm/a/-/a-1.tgz", registry, auth).is_some());
        assert!(auth_for("https://REGISTRY.example:443/x.tgz", registry, auth).is_some());
        for elsewhere in [
            "https://cdn.example/a.tgz",
            "http://registry.example/a.tgz",
            "https://registry.example:8443/a.tgz",
            "https://registry.example.evil/a.tgz",
            "not a url",
        ] {
            assert!(
                !auth_for(elsewhere, registry, auth).is_some(),
                "{elsewhere}"
            );
        }
    }

    #[test]
    fn file_names_are_plain() {
        assert_eq!(
            file_name_of("http://h/a/-/a-1.0.0.tgz?x=1#f").as_deref(),
            Some("a-1.0.0.tgz")
        );
        assert_eq!(file_name_of("http://h/a/"), None);
        assert_eq!(file_name_of("http://h/a/%2e%2e"), None);
        assert_eq!(file_name_of("http://h/.hidden"), None);
    }
}
