//! Targets that cannot be opened fail with one-line messages, never a panic.

use std::path::Path;
use std::sync::Arc;

use assay_source::{Limits, SourceError, open};

use crate::common::{gzip, noise, write};

fn open_error(path: &Path) -> SourceError {
    match open(path, &Limits::default(), Arc::new(|_: &str| false)) {
        Ok(_) => panic!("`{}` opened", path.display()),
        Err(e) => e,
    }
}

fn assert_one_line(error: &SourceError) {
    let message = error.to_string();
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn nonexistent_target() {
    let dir = tempfile::tempdir().unwrap();
    let error = open_error(&dir.path().join("nope"));
    assert!(matches!(error, SourceError::NotFound { .. }), "{error:?}");
    assert!(error.to_string().contains("does not exist"));
    assert_one_line(&error);
}

#[test]
fn unsupported_file_names_the_supported_archives() {
    let dir = tempfile::tempdir().unwrap();
    let error = open_error(&write(dir.path(), "notes.txt", b"just text"));
    assert!(
        matches!(error, SourceError::Unsupported { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    for ext in [".tar", ".tar.gz", ".tgz", ".zip", ".whl"] {
        assert!(message.contains(ext), "{message}");
    }
    assert_one_line(&error);
    let empty = open_error(&write(dir.path(), "empty", b""));
    assert!(empty.to_string().contains("empty file"), "{empty}");
}

#[test]
fn archives_are_recognised_by_magic_without_an_extension() {
    let dir = tempfile::tempdir().unwrap();
    let tarball = crate::common::tar_bytes(&[crate::common::file("package/a.js", b"a")]);
    let gz = write(dir.path(), "download", &gzip(&tarball));
    let (entries, _) = crate::common::read(&gz);
    assert_eq!(crate::common::paths(&entries), ["a.js"]);
    let plain = write(dir.path(), "download2", &tarball);
    let (entries, _) = crate::common::read(&plain);
    assert_eq!(crate::common::paths(&entries), ["a.js"]);
}

#[test]
fn corrupt_archive_headers() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = noise(4096, 11);
    let mut bad_gzip = b"\x1f\x8b".to_vec();
    bad_gzip.extend_from_slice(&garbage);
    for (name, bytes, format) in [
        ("pkg.tgz", bad_gzip.as_slice(), "gzip-compressed tar"),
        (
            "pkg.tar.gz",
            gzip(&garbage).as_slice(),
            "gzip-compressed tar",
        ),
        ("pkg.tar", garbage.as_slice(), "tar"),
        ("empty.tar", b"".as_slice(), "tar"),
        ("pkg.zip", garbage.as_slice(), "zip"),
        ("pkg.whl", b"PK\x03\x04 truncated".as_slice(), "zip"),
    ] {
        let error = open_error(&write(dir.path(), name, bytes));
        match &error {
            SourceError::CorruptArchive { format: f, .. } => assert_eq!(*f, format, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
        assert_one_line(&error);
    }
}

#[test]
fn an_empty_tar_archive_is_empty_not_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "empty.tar", &[0; 1024]);
    let (entries, summary) = crate::common::read(&path);
    assert!(entries.is_empty());
    assert!(summary.skipped.is_empty() && summary.limits_hit.is_empty());
}
