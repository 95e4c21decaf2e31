//! The limits a snapshot is read under.

/// Compressed bytes assumed at least, when checking compression ratios: a tiny, highly
/// compressible file (a 2 KiB run of spaces) must not look like a decompression bomb.
pub const COMPRESSED_FLOOR: u64 = 1024 * 1024;

/// Limits on what a snapshot reader reads. Every limit that is hit is reported in the
/// [`SnapshotSummary`](crate::SnapshotSummary) as a [`LimitHit`](assay_core::LimitHit);
/// nothing is ever dropped silently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most entries the snapshot reports: files yielded plus entries skipped (links,
    /// special files, rejected paths, duplicates…). Reading stops past it.
    /// Default 50 000.
    pub max_files: u64,
    /// Most bytes of file content read in total, after decompression. Reading stops
    /// past it. Default 1 GiB.
    pub max_total_bytes: u64,
    /// Most bytes of one file; a larger file is skipped (at most this many bytes plus
    /// one are read to find out). Default 32 MiB.
    pub max_file_bytes: u64,
    /// Most path components of a file (`a/b/c.js` has 3); deeper entries are skipped.
    /// Default 40.
    pub max_depth: u32,
    /// Largest accepted ratio of decompressed to compressed bytes, for each zip member,
    /// a whole zip archive and a gzip stream, with the compressed side counted as at least
    /// [`COMPRESSED_FLOOR`]. Reading stops past it. Default 200.
    pub max_compression_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 50_000,
            max_total_bytes: 1024 * 1024 * 1024,
            max_file_bytes: 32 * 1024 * 1024,
            max_depth: 40,
            max_compression_ratio: 200,
        }
    }
}

impl Limits {
    /// How many decompressed bytes `compressed` bytes may expand to before they count as
    /// a decompression bomb.
    pub fn inflation_allowance(&self, compressed: u64) -> u64 {
        self.max_compression_ratio
            .saturating_mul(compressed.max(COMPRESSED_FLOOR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowance_has_a_floor_and_saturates() {
        let limits = Limits::default();
        assert_eq!(limits.inflation_allowance(10), 200 * COMPRESSED_FLOOR);
        assert_eq!(
            limits.inflation_allowance(2 * COMPRESSED_FLOOR),
            400 * COMPRESSED_FLOOR
        );
        assert_eq!(limits.inflation_allowance(u64::MAX), u64::MAX);
    }
}
