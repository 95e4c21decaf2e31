//! Reading the package managers' own configuration files (`.npmrc`, `pip.conf`), which
//! name the registry to use: only regular files of a sane size are read.

use std::path::Path;

/// Largest configuration file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A configuration file's text, when it exists, is a regular file and is of a sane size.
pub(crate) fn read_small(path: &Path) -> Option<String> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_CONFIG_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}
