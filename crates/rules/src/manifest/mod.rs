//! Package manifest readers: `package.json`, `pyproject.toml`, `setup.cfg`, `setup.py`
//! (literal `setup(...)` keywords only — never executed), `go.mod`.

use assay_core::PackageInfo;

/// Reads the manifest at `path` if its file name is a known manifest.
pub fn read(_path: &str, _text: &str) -> Option<PackageInfo> {
    None
}
