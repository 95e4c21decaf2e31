//! Blobs (configs and layers) and manifests, kept in the cache by digest: downloaded
//! digest-verified when missing, re-hashed when taken from the cache.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use assay_core::ProgressEvent;

use super::client::RegistryClient;
use super::manifest::{Descriptor, parse_digest, shorten};
use crate::remote::FetchContext;
use crate::{Cache, Digest, SourceError};

/// How often (in bytes) download progress is reported.
const PROGRESS_STEP: u64 = 256 * 1024;

/// Layer media types Assay reads: gzip-compressed or plain tar (the content is sniffed
/// again when read). An empty media type is accepted and sniffed.
const LAYER_TYPES: [&str; 7] = [
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.docker.image.rootfs.diff.tar",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
];

/// A downloaded (or cached) layer.
#[derive(Debug, Clone)]
pub(super) struct LayerFile {
    /// The blob in the cache.
    pub path: PathBuf,
    /// `layer i/n`, for messages.
    pub label: String,
}

/// The blob store of one fetch: the cache, and whether anything had to be downloaded.
pub(super) struct Blobs<'a> {
    client: &'a RegistryClient<'a>,
    cache: &'a Cache,
    progress: &'a (dyn Fn(&ProgressEvent) + Sync),
    downloaded: bool,
}

impl<'a> Blobs<'a> {
    /// The blob store of a fetch from `client`'s repository.
    pub fn new(client: &'a RegistryClient<'a>, ctx: &FetchContext<'a>) -> Blobs<'a> {
        Blobs {
            client,
            cache: ctx.cache,
            progress: ctx.progress,
            downloaded: false,
        }
    }

    /// Whether any blob had to be downloaded (manifests resolved by tag do not count).
    pub fn downloaded_any(&self) -> bool {
        self.downloaded
    }

    /// A cached document of at most `limit` bytes, if present and intact.
    pub fn cached(&self, digest: &Digest, limit: u64) -> Option<Vec<u8>> {
        let path = self.cache.get(digest)?;
        read_capped(&path, limit).ok()
    }

    /// Stores a verified document (a manifest) under its digest.
    pub fn remember(&self, digest: &Digest, bytes: &[u8]) -> Result<(), SourceError> {
        if self.cache.get(digest).is_none() {
            self.cache
                .put(digest, &mut &bytes[..], "image manifest", &mut |_| {})?;
        }
        Ok(())
    }

    /// The image config, at most the metadata limit.
    pub fn fetch_config(&mut self, descriptor: &Descriptor) -> Result<Vec<u8>, SourceError> {
        let limit = self.client.policy().max_metadata_bytes;
        let what = format!("image {}: config", self.client.location().display);
        if descriptor.size > limit {
            return Err(SourceError::TooLarge { what, limit });
        }
        let path = self.fetch(descriptor, &what, "image config")?;
        read_capped(&path, limit).map_err(|reason| SourceError::Cache {
            path: path.display().to_string(),
            reason,
        })
    }

    /// Every layer, bottom first. Layers of a type Assay cannot read are refused before
    /// anything is downloaded.
    pub fn fetch_layers(&mut self, layers: &[Descriptor]) -> Result<Vec<LayerFile>, SourceError> {
        let image = self.client.location().display.clone();
        let count = layers.len();
        for (i, layer) in layers.iter().enumerate() {
            check_layer_type(layer, &format!("image {image}: layer {}/{count}", i + 1))?;
        }
        layers
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                let label = format!("layer {}/{count}", i + 1);
                let what = format!("image {image}: {label}");
                let path = self.fetch(layer, &what, &label)?;
                Ok(LayerFile { path, label: what })
            })
            .collect()
    }

    /// The blob `descriptor` names, from the cache or downloaded into it.
    fn fetch(
        &mut self,
        descriptor: &Descriptor,
        what: &str,
        label: &str,
    ) -> Result<PathBuf, SourceError> {
        let digest = parse_digest(&descriptor.digest, what)?;
        if let Some(path) = self.cache.get(&digest) {
            return Ok(path);
        }
        let max = self.client.policy().max_download_bytes;
        if descriptor.size > max {
            return Err(SourceError::TooLarge {
                what: what.to_string(),
                limit: max,
            });
        }
        let response = self.client.get(&format!("blobs/{digest}"), "*/*", what)?;
        self.downloaded = true;
        let mut reader = response.into_reader(descriptor.size, what);
        let progress = self.progress;
        let size = descriptor.size;
        let mut reported = 0u64;
        let mut on_bytes = |done: u64| {
            if done - reported >= PROGRESS_STEP || done == size {
                reported = done;
                progress(&ProgressEvent::Download {
                    what: label.to_string(),
                    done,
                    total: Some(size),
                });
            }
        };
        self.cache.put(&digest, &mut reader, what, &mut on_bytes)
    }
}

/// Refuses layer media types that are not gzip or plain tar (zstd, encrypted, unknown).
fn check_layer_type(layer: &Descriptor, what: &str) -> Result<(), SourceError> {
    let media_type = layer.media_type.as_str();
    if media_type.is_empty() || LAYER_TYPES.contains(&media_type) {
        return Ok(());
    }
    let shown = shorten(media_type, 100);
    let reason = if media_type.contains("zstd") {
        format!(
            "`{shown}`: zstd-compressed layers are not supported (gzip and uncompressed tar are)"
        )
    } else {
        format!("unsupported layer type `{shown}` (gzip and uncompressed tar are supported)")
    };
    Err(SourceError::Unusable {
        what: what.to_string(),
        reason,
    })
}

/// A file's content, failing past `limit` bytes.
fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("more than {limit} bytes"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(media_type: &str) -> Descriptor {
        Descriptor {
            media_type: media_type.into(),
            digest: format!("sha256:{}", "a".repeat(64)),
            size: 1,
            platform: None,
        }
    }

    #[test]
    fn only_gzip_and_plain_tar_layers_are_accepted() {
        assert!(check_layer_type(&layer(LAYER_TYPES[1]), "l").is_ok());
        assert!(check_layer_type(&layer(""), "l").is_ok());
        let zstd = check_layer_type(&layer("application/vnd.oci.image.layer.v1.tar+zstd"), "l");
        assert!(zstd.unwrap_err().to_string().contains("zstd-compressed"));
        let other = check_layer_type(&layer("application/x-evil\nline"), "l").unwrap_err();
        assert_eq!(other.to_string().lines().count(), 1);
    }
}
