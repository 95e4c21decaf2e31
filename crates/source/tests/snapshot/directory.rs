//! Directories: order, links, special files, `.git`, many files, big files, limits.

use std::fs;
use std::path::Path;

use assay_core::{LimitKind, SkipReason};
use assay_source::{Limits, SourceKind, open};

use crate::common::{content, limit_kinds, paths, read, read_limited, read_with, skipped, write};

fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, data) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, data).unwrap();
    }
    dir
}

#[test]
fn walks_in_sorted_order_and_skips_git_silently() {
    let dir = tree(&[
        ("src/b.js", b"b"),
        ("src/a.js", b"a"),
        ("package.json", b"{}"),
        ("README.md", b"r"),
        (".git/config", b"[core]"),
        ("vendor/lib/.git/HEAD", b"ref"),
        ("vendor/lib/x.py", b"x"),
    ]);
    let (entries, summary) = read(dir.path());
    assert_eq!(summary.kind, SourceKind::Directory);
    assert_eq!(summary.kind.as_str(), "directory");
    assert_eq!(
        paths(&entries),
        [
            "README.md",
            "package.json",
            "src/a.js",
            "src/b.js",
            "vendor/lib/x.py"
        ]
    );
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
}

#[cfg(unix)]
#[test]
fn symlinks_are_recorded_and_never_followed() {
    use std::os::unix::fs::symlink;
    let outside = tree(&[("secret.txt", b"TOP SECRET")]);
    let dir = tree(&[("index.js", b"ok")]);
    symlink(outside.path().join("secret.txt"), dir.path().join("secret")).unwrap();
    symlink(outside.path(), dir.path().join("escape")).unwrap();
    symlink("missing-target", dir.path().join("dangling")).unwrap();
    let (entries, summary) = read(dir.path());
    assert_eq!(paths(&entries), ["index.js"]);
    assert!(entries.iter().all(|e| e.bytes != b"TOP SECRET"));
    let links = skipped(&summary, SkipReason::Symlink);
    assert_eq!(
        links.iter().map(|l| l.0.as_str()).collect::<Vec<_>>(),
        ["dangling", "escape", "secret"]
    );
    assert_eq!(links[0].1.as_deref(), Some("-> missing-target"));
    let shown_target = format!("-> {}", outside.path().join("secret.txt").display());
    assert_eq!(links[2].1.as_deref(), Some(shown_target.as_str()));
}

#[test]
fn hardlinks_in_a_directory_are_ordinary_files() {
    // A hard link is the file itself (pnpm stores are made of them): both names are read.
    let dir = tree(&[("a.js", b"shared content")]);
    fs::hard_link(dir.path().join("a.js"), dir.path().join("b.js")).unwrap();
    let (entries, summary) = read(dir.path());
    assert_eq!(paths(&entries), ["a.js", "b.js"]);
    assert_eq!(content(&entries, "b.js"), b"shared content");
    assert!(summary.skipped.is_empty());
}

#[cfg(unix)]
#[test]
fn sockets_are_special_files_and_never_opened() {
    let dir = tree(&[("index.js", b"ok")]);
    let _listener = std::os::unix::net::UnixListener::bind(dir.path().join("agent.sock")).unwrap();
    let (entries, summary) = read(dir.path());
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::SpecialFile),
        [("agent.sock".to_string(), Some("socket".to_string()))]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn invalid_utf8_and_control_character_names() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tree(&[("ok.js", b"ok")]);
    let binary = b"\x00\xff\xfe not utf-8 \xc3(";
    fs::write(dir.path().join(OsStr::from_bytes(b"caf\xe9.js")), binary).unwrap();
    fs::write(dir.path().join("evil\nname.js"), b"x").unwrap();
    let (entries, summary) = read(dir.path());
    assert_eq!(paths(&entries), ["caf\\xe9.js", "ok.js"]);
    assert_eq!(content(&entries, "caf\\xe9.js"), binary);
    assert_eq!(
        skipped(&summary, SkipReason::InvalidPath),
        [(
            "evil\\nname.js".to_string(),
            Some("control character in name".to_string())
        )]
    );
}

#[test]
fn files_across_directories_come_in_one_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    for d in ["b", "a", "a/z", "a/y"] {
        fs::create_dir_all(dir.path().join(d)).unwrap();
    }
    for f in ["b/2.js", "b/1.js", "a/z/9.js", "a/y/8.js", "a/0.js", "a.js"] {
        fs::write(dir.path().join(f), f).unwrap();
    }
    let (entries, _) = read(dir.path());
    assert_eq!(
        paths(&entries),
        ["a/0.js", "a/y/8.js", "a/z/9.js", "a.js", "b/1.js", "b/2.js"]
    );
    assert!(entries.iter().all(|e| e.bytes == e.path.as_bytes()));
}

#[test]
fn a_twenty_megabyte_single_line_is_yielded_intact() {
    let mut line = b"var bundle=".repeat(2 * 1024 * 1024);
    line.truncate(20 * 1024 * 1024);
    let dir = tree(&[("dist/bundle.min.js", &line)]);
    let (entries, summary) = read(dir.path());
    assert_eq!(paths(&entries), ["dist/bundle.min.js"]);
    assert!(entries[0].bytes == line, "content changed");
    assert_eq!(summary.bytes, 20 * 1024 * 1024);
}

#[test]
fn per_file_total_and_depth_limits() {
    let dir = tree(&[
        ("a/b/c.js", b"ok"),
        ("a/b/c/d.js", b"too deep"),
        ("a/b/c/e/f.js", b"too deep"),
        ("big.js", &[b'x'; 11]),
        ("small.js", &[b'y'; 10]),
    ]);
    let limits = Limits {
        max_file_bytes: 10,
        max_depth: 3,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(dir.path(), &limits);
    assert_eq!(paths(&entries), ["a/b/c.js", "small.js"]);
    assert_eq!(
        limit_kinds(&summary),
        [LimitKind::PathDepth, LimitKind::FileBytes]
    );
    assert_eq!(
        skipped(&summary, SkipReason::Limit),
        [("a/b/c".to_string(), None), ("big.js".to_string(), None)]
    );

    let limits = Limits {
        max_total_bytes: 12,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(dir.path(), &limits);
    // Names sort bytewise, so directory `c` comes before `c.js`.
    assert_eq!(paths(&entries), ["a/b/c/d.js"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::TotalBytes]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("a/b/c/e/f.js"));
}

#[test]
fn excluded_directories_are_pruned_and_recorded_once() {
    let dir = tree(&[
        ("index.js", b"ok"),
        ("node_modules/a/index.js", b"dep"),
        ("node_modules/b/index.js", b"dep"),
    ]);
    let (entries, summary) = read_with(dir.path(), &Limits::default(), |p| p == "node_modules");
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::Excluded),
        [("node_modules".to_string(), None)]
    );
}

#[test]
fn summary_before_the_end_stops_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..100 {
        write(dir.path(), &format!("f{i:03}.js"), b"x");
    }
    let mut reader = open(
        dir.path(),
        &Limits::default(),
        std::sync::Arc::new(|_: &str| false),
    )
    .unwrap();
    let first: Vec<_> = reader.by_ref().take(3).collect();
    // Let the reader thread run ahead: what it read but nobody took is not in the summary.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let summary = reader.summary();
    assert_eq!(first.len(), 3);
    assert_eq!(summary.files, 3);
    assert_eq!(summary.bytes, 3);
    // Dropping a reader half-way does not hang either.
    let mut reader = open(
        dir.path(),
        &Limits::default(),
        std::sync::Arc::new(|_: &str| false),
    )
    .unwrap();
    assert!(reader.next().is_some());
    drop(reader);
}

#[test]
fn reader_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<assay_source::SnapshotReader>();
}

/// The same bytes under different roots digest alike.
#[test]
fn digest_depends_on_relative_paths_only() {
    let one = tree(&[("x/a.js", b"1"), ("b.js", b"2")]);
    let two = tree(&[("x/a.js", b"1"), ("b.js", b"2")]);
    let digest = |p: &Path| read(p).1.digest;
    assert_eq!(digest(one.path()), digest(two.path()));
    fs::write(two.path().join("b.js"), b"3").unwrap();
    assert_ne!(digest(one.path()), digest(two.path()));
}
