//! Zip archives and wheels: hostile names, links, bombs, duplicates, corrupt members.

use std::io::{Cursor, Write};
use std::path::PathBuf;

use assay_core::{LimitKind, SkipReason};
use assay_source::{Limits, SourceKind};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::common::{content, limit_kinds, noise, paths, read, read_limited, skipped, write};

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

/// The bytes of a zip archive of (name, content, options) files.
fn zip_bytes(files: &[(&str, &[u8], SimpleFileOptions)]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, options) in files {
        writer.start_file(*name, *options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn zip_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), name, bytes);
    (dir, path)
}

#[test]
fn wheel_is_read_with_its_paths_unchanged() {
    let bytes = zip_bytes(&[
        ("mcp_thing/__init__.py", b"", deflated()),
        (
            "mcp_thing/server.py",
            b"from mcp import FastMCP\n",
            deflated(),
        ),
        (
            "mcp_thing-1.0.dist-info/METADATA",
            b"Name: mcp-thing\n",
            deflated(),
        ),
        ("mcp_thing-1.0.dist-info/RECORD", b"", stored()),
    ]);
    let (_dir, path) = zip_file("mcp_thing-1.0-py3-none-any.whl", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(summary.kind, SourceKind::Zip);
    assert_eq!(summary.kind.as_str(), "archive");
    assert_eq!(
        paths(&entries),
        [
            "mcp_thing/__init__.py",
            "mcp_thing/server.py",
            "mcp_thing-1.0.dist-info/METADATA",
            "mcp_thing-1.0.dist-info/RECORD"
        ]
    );
    assert_eq!(
        content(&entries, "mcp_thing/server.py"),
        b"from mcp import FastMCP\n"
    );
    assert!(summary.skipped.is_empty() && summary.limits_hit.is_empty());
}

#[test]
fn zip_sdist_top_directory_is_stripped() {
    let bytes = zip_bytes(&[
        ("thing-1.0/setup.py", b"setup()", deflated()),
        ("thing-1.0/thing/__init__.py", b"", deflated()),
    ]);
    let (_dir, path) = zip_file("thing-1.0.zip", &bytes);
    let (entries, _) = read(&path);
    assert_eq!(paths(&entries), ["setup.py", "thing/__init__.py"]);
}

#[test]
fn zip_slip_and_absolute_names_are_refused() {
    let bytes = zip_bytes(&[
        ("index.js", b"ok", deflated()),
        ("../../evil.js", b"evil", deflated()),
        ("..\\..\\evil.bat", b"evil", deflated()),
        ("/tmp/evil.sh", b"evil", deflated()),
        ("C:/Users/evil.lnk", b"evil", deflated()),
    ]);
    let (_dir, path) = zip_file("slip.zip", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js"]);
    let refused = |reason| {
        skipped(&summary, reason)
            .into_iter()
            .map(|s| s.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        refused(SkipReason::PathTraversal),
        ["../../evil.js", "..\\..\\evil.bat"]
    );
    assert_eq!(
        refused(SkipReason::AbsolutePath),
        ["/tmp/evil.sh", "C:/Users/evil.lnk"]
    );
}

#[test]
fn symlink_members_are_recorded_not_followed() {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.start_file("index.js", deflated()).unwrap();
    writer.write_all(b"ok").unwrap();
    writer
        .add_symlink("secrets", "/home/user/.ssh/id_rsa", deflated())
        .unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let (_dir, path) = zip_file("links.zip", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::Symlink),
        [(
            "secrets".to_string(),
            Some("-> /home/user/.ssh/id_rsa".to_string())
        )]
    );
}

#[test]
fn member_bomb_is_stopped_at_the_ratio() {
    // A stored, incompressible member makes the archive big enough that only the
    // per-member check can trip on the zeros.
    let noise = noise(3 * 1024 * 1024, 3);
    let zeros = vec![0u8; 3 * 1024 * 1024];
    let bytes = zip_bytes(&[
        ("a-noise.bin", &noise, stored()),
        ("b-zeros.bin", &zeros, deflated()),
        ("c-after.js", b"never read", deflated()),
    ]);
    let (_dir, path) = zip_file("bomb.zip", &bytes);
    let limits = Limits {
        max_compression_ratio: 2,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(paths(&entries), ["a-noise.bin"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::CompressionRatio]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("b-zeros.bin"));
    assert_eq!(summary.limits_hit[0].limit, 2);
}

#[test]
fn many_small_members_trip_the_archive_ratio() {
    // No member expands past its own allowance, but together they do.
    let zeros = vec![0u8; 100 * 1024];
    let names: Vec<String> = (0..40).map(|i| format!("z{i:02}.bin")).collect();
    let files: Vec<(&str, &[u8], SimpleFileOptions)> = names
        .iter()
        .map(|n| (n.as_str(), zeros.as_slice(), deflated()))
        .collect();
    let (_dir, path) = zip_file("overlap.zip", &zip_bytes(&files));
    let limits = Limits {
        max_compression_ratio: 2,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    // 2 × the 1 MiB floor allows 20 members of 100 KiB and a part of the 21st.
    assert_eq!(entries.len(), 20);
    assert_eq!(limit_kinds(&summary), [LimitKind::CompressionRatio]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("z20.bin"));
}

#[test]
fn default_limits_skip_a_huge_member_by_size() {
    let zeros = vec![0u8; 40 * 1024 * 1024];
    let bytes = zip_bytes(&[
        ("zeros.bin", &zeros, deflated()),
        ("ok.js", b"ok", deflated()),
    ]);
    let (_dir, path) = zip_file("big.zip", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["ok.js"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::FileBytes]);
}

#[test]
fn duplicate_names_in_the_central_directory_are_recorded() {
    // The writer refuses duplicates, so write two names of the same length and rename
    // the second in both its local and its central header.
    let mut bytes = zip_bytes(&[
        ("a.js", b"first", deflated()),
        ("b.js", b"second", deflated()),
    ]);
    let mut renamed = 0;
    for i in 0..bytes.len() - 4 {
        if &bytes[i..i + 4] == b"b.js" {
            bytes[i] = b'a';
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2);
    let (_dir, path) = zip_file("dup.zip", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["a.js"]);
    // The zip library exposes only the last member of a repeated name.
    assert_eq!(content(&entries, "a.js"), b"second");
    let duplicates = skipped(&summary, SkipReason::Duplicate);
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].0, "a.js");
    assert!(duplicates[0].1.as_deref().unwrap().contains("2 times"));
}

#[test]
fn a_corrupt_member_is_unreadable_and_the_others_are_read() {
    let text: Vec<u8> = (0..2000)
        .flat_map(|i| format!("line {i}\n").into_bytes())
        .collect();
    let mut bytes = zip_bytes(&[("a.txt", &text, deflated()), ("b.txt", b"fine", deflated())]);
    // The first local header is 30 bytes plus the name; damage the deflate data after it.
    let data_start = 30 + "a.txt".len();
    for byte in &mut bytes[data_start + 20..data_start + 60] {
        *byte ^= 0x5a;
    }
    let (_dir, path) = zip_file("corrupt.zip", &bytes);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["b.txt"]);
    let unreadable = skipped(&summary, SkipReason::Unreadable);
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].0, "a.txt");
}
