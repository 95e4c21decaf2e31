//! OCI images (`docker:`, `ghcr:`, `oci://`), fetched over the Distribution API v2 and
//! flattened into one tarball of the image's application.
//!
//! 1. **Where.** `docker:` uses [`Endpoints::docker_base`](super::Endpoints::docker_base),
//!    `ghcr:` [`Endpoints::ghcr_base`](super::Endpoints::ghcr_base) (an override may name
//!    `http://` explicitly), `oci://host[:port]/…` uses `https://host[:port]` — or plain
//!    `http://` when the host is loopback and the private network is allowed (a local test
//!    registry); nothing else is ever fetched over plain HTTP ([`location`]).
//! 2. **Auth.** Anonymous first; on a 401 the `WWW-Authenticate` challenge is answered:
//!    `Bearer` by getting a token from the realm (Basic auth with the scan's credential
//!    when given), `Basic` with the credential ([`client`], [`auth`]).
//! 3. **Manifests.** Every manifest is capped at the metadata limit and its sha256 checked
//!    against the digest asked for or the `Docker-Content-Digest` header; an index (or
//!    Docker manifest list) resolves to its `linux/amd64` image ([`manifest`]).
//! 4. **Blobs.** The config and every layer are downloaded digest-verified into the cache
//!    (a second scan downloads none of them), gzip or uncompressed tar ([`blobs`],
//!    [`layers`]).
//! 5. **Filesystem.** A first pass indexes every layer's entries, honouring whiteouts
//!    (`.wh.<name>`), opaque directories (`.wh..wh..opq`) and later layers replacing
//!    earlier ones ([`filesystem`]); the application's directories are chosen from the
//!    config and that index ([`app_roots`]); a second pass streams the surviving entries
//!    under those roots into one tar, never extracting anything to disk ([`flatten`]).
//!    Links stay link entries, which the reader records and never follows. Paths are the
//!    image's, without the leading slash (`app/dist/index.js`).
//! 6. **Config as a Dockerfile.** The config and history are written into the tar as a
//!    reconstructed Dockerfile at [`DOCKERFILE_PATH`] ([`dockerfile`]), so the container
//!    and secret rules judge the image as they judge a repository's Dockerfile.
//!
//! The canonical id is pinned to the digest the reference resolved to
//! (`docker:library/node@sha256:…`, `oci://host/repo@sha256:…`): an index's digest for a
//! multi-platform image, from which the same platform is always chosen. The resolution's
//! `artifact_digest` is the digest of the platform's own manifest, `artifact` the
//! platform (`linux/amd64`), and `image` the run configuration with the application
//! roots (image paths, `/app`).

mod app_roots;
mod auth;
mod blobs;
mod client;
mod config;
mod dockerfile;
mod filesystem;
mod flatten;
mod layers;
mod location;
mod manifest;

use assay_core::{ImageInfo, Resolution};

use super::{FetchContext, Fetched};
use crate::{SourceError, Target};
use blobs::Blobs;
use client::RegistryClient;
use config::ImageConfig;
use filesystem::FileSystem;
use layers::Layers;
use location::ImageLocation;

/// The path of the reconstructed Dockerfile in the image's tarball.
///
/// A top-level file: the tar reader strips a single wrapping directory decided from the
/// first entry, so the first entry must not sit in a directory (`.image/Dockerfile`
/// would be read as `Dockerfile`). The leading dot keeps it apart from the image's own
/// paths, which are all under application directories (`app/…`, `usr/src/app/…`).
pub const DOCKERFILE_PATH: &str = ".image.Dockerfile";

/// Fetches an OCI image: resolves its manifest, downloads its config and layers (or takes
/// them from the cache) and writes the application's files, plus [`DOCKERFILE_PATH`],
/// into one tarball in a work directory.
pub fn fetch(target: &Target, ctx: &FetchContext<'_>) -> Result<Fetched, SourceError> {
    let location = ImageLocation::of(target, ctx)?;
    let client = RegistryClient::new(ctx, &location);
    let mut blobs = Blobs::new(&client, ctx);
    let image = manifest::resolve(&client, &mut blobs, &location.reference)?;
    let config_what = format!("image {}: config", location.display);
    let config = ImageConfig::read(&blobs.fetch_config(&image.manifest.config)?, &config_what)?;
    let layers = Layers::new(
        blobs.fetch_layers(&image.manifest.layers)?,
        ctx.cancel.clone(),
    );

    let scripts = app_roots::wanted_scripts(&config.run);
    let filesystem = FileSystem::index(&layers, &scripts)?;
    let roots = app_roots::find(&config.run, &filesystem, ctx.base_path);
    let dockerfile = dockerfile::reconstruct(&config, &location.pinned_reference(&image.digest));

    let work = ctx.cache.work_dir("oci-")?;
    let path = work.path().join("image.tar");
    flatten::write(&layers, &filesystem, &roots, &dockerfile, &path)?;

    Ok(Fetched {
        canonical_id: location.canonical_id(&image.digest),
        resolution: Resolution {
            artifact_digest: Some(image.manifest_digest),
            artifact: Some(config.platform()),
            image: Some(ImageInfo {
                app_roots: roots.iter().map(|r| format!("/{r}")).collect(),
                ..config.info()
            }),
            ..Resolution::default()
        },
        path,
        from_cache: !blobs.downloaded_any(),
        work: Some(work),
    })
}
