//! Tarballs: hostile names, links, special files, bombs, truncation, prefixes, limits.

use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant};

use assay_core::{LimitKind, SkipReason};
use assay_source::{Limits, SourceKind};
use flate2::Compression;
use flate2::write::GzEncoder;
use tar::EntryType;

use crate::common::{
    Member, content, file, gzip, header, limit_kinds, noise, paths, read, read_limited, read_with,
    skipped, special, tar_bytes, write,
};

fn tgz(members: &[Member<'_>]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "pkg.tgz", &gzip(&tar_bytes(members)));
    (dir, path)
}

#[test]
fn zip_slip_and_absolute_paths_are_refused() {
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        file("../../evil.js", b"evil"),
        file("package/../../evil2.js", b"evil"),
        file("/etc/cron.d/evil", b"evil"),
        file("C:\\Windows\\evil.bat", b"evil"),
        file("\\\\server\\share\\evil", b"evil"),
        file("package/new\nline.js", b"evil"),
        file("package/./lib//util.js", b"normalised"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js", "lib/util.js"]);
    assert_eq!(summary.kind, SourceKind::Tar);
    let traversal = skipped(&summary, SkipReason::PathTraversal);
    assert_eq!(
        traversal.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["../../evil.js", "package/../../evil2.js"]
    );
    let absolute = skipped(&summary, SkipReason::AbsolutePath);
    assert_eq!(
        absolute.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        [
            "/etc/cron.d/evil",
            "C:\\Windows\\evil.bat",
            "\\\\server\\share\\evil"
        ]
    );
    let invalid = skipped(&summary, SkipReason::InvalidPath);
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert_eq!(invalid[0].0, "package/new\\nline.js");
    assert!(summary.limits_hit.is_empty());
}

/// A PAX extended-header record `len key=value\n`.
fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let body_len = key.len() + value.len() + 3; // space, '=', newline
    let mut len = body_len + 1;
    while len != body_len + len.to_string().len() {
        len = body_len + len.to_string().len();
    }
    let mut record = format!("{len} {key}=").into_bytes();
    record.extend_from_slice(value);
    record.push(b'\n');
    record
}

#[test]
fn pax_paths_with_nul_or_traversal_are_refused() {
    let nul = pax_record("path", b"package/a\0b.js");
    let slip = pax_record("path", b"package/../../../.bashrc");
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        Member {
            name: b"PaxHeader",
            kind: EntryType::XHeader,
            data: &nul,
            link: b"",
        },
        file("package/innocent.js", b"evil"),
        Member {
            name: b"PaxHeader",
            kind: EntryType::XHeader,
            data: &slip,
            link: b"",
        },
        file("package/innocent2.js", b"evil"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::InvalidPath),
        [(
            "package/a\\u{0}b.js".to_string(),
            Some("control character in name".to_string())
        )]
    );
    assert_eq!(
        skipped(&summary, SkipReason::PathTraversal)[0].0,
        "package/../../../.bashrc"
    );
}

#[test]
fn links_are_recorded_with_their_target_and_never_followed() {
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        special(b"package/passwd", EntryType::Symlink, b"/etc/passwd"),
        special(b"package/up", EntryType::Symlink, b"../../.."),
        special(b"package/shadow", EntryType::Link, b"../../etc/shadow"),
        // A file written through the link must not be read through it either.
        file("package/up/escaped.js", b"via link"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js", "up/escaped.js"]);
    assert_eq!(content(&entries, "up/escaped.js"), b"via link");
    assert_eq!(
        skipped(&summary, SkipReason::Symlink),
        [
            ("passwd".to_string(), Some("-> /etc/passwd".to_string())),
            ("up".to_string(), Some("-> ../../..".to_string())),
        ]
    );
    assert_eq!(
        skipped(&summary, SkipReason::Hardlink),
        [(
            "shadow".to_string(),
            Some("-> ../../etc/shadow".to_string())
        )]
    );
}

#[test]
fn devices_and_fifos_are_recorded_not_opened() {
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        special(b"package/tty", EntryType::Char, b""),
        special(b"package/disk", EntryType::Block, b""),
        special(b"package/pipe", EntryType::Fifo, b""),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::SpecialFile),
        [
            ("tty".to_string(), Some("character device".to_string())),
            ("disk".to_string(), Some("block device".to_string())),
            ("pipe".to_string(), Some("FIFO".to_string())),
        ]
    );
}

#[test]
fn npm_package_prefix_is_stripped_and_outsiders_keep_their_path() {
    let (_dir, path) = tgz(&[
        special(b"package/", EntryType::Directory, b""),
        file("package/package.json", br#"{"name":"x"}"#),
        file("package/dist/index.js", b"bundle"),
        file("other/readme.md", b"stray"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(
        paths(&entries),
        ["package.json", "dist/index.js", "other/readme.md"]
    );
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
}

#[test]
fn git_archive_global_header_does_not_hide_the_prefix() {
    let comment = pax_record("comment", b"0123456789abcdef");
    let (_dir, path) = tgz(&[
        Member {
            name: b"pax_global_header",
            kind: EntryType::XGlobalHeader,
            data: &comment,
            link: b"",
        },
        special(b"owner-repo-0123456/", EntryType::Directory, b""),
        file("owner-repo-0123456/src/index.ts", b"code"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["src/index.ts"]);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
}

#[test]
fn deep_empty_directories_are_not_a_limit_hit() {
    let (_dir, path) = tgz(&[
        file("package/a.js", b"a"),
        special(b"package/1/2/3/4/5/", EntryType::Directory, b""),
    ]);
    let limits = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(paths(&entries), ["a.js"]);
    assert!(summary.limits_hit.is_empty() && summary.skipped.is_empty());
}

#[test]
fn sdist_prefix_is_stripped_from_a_plain_tar() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = tar_bytes(&[
        file("mcp_thing-1.2.3/setup.py", b"setup()"),
        file("mcp_thing-1.2.3/mcp_thing/__init__.py", b""),
    ]);
    let path = write(dir.path(), "mcp_thing-1.2.3.tar", &bytes);
    let (entries, _) = read(&path);
    assert_eq!(paths(&entries), ["setup.py", "mcp_thing/__init__.py"]);
}

#[test]
fn a_first_top_level_file_disables_stripping() {
    let (_dir, path) = tgz(&[file("README.md", b"r"), file("src/a.js", b"a")]);
    let (entries, _) = read(&path);
    assert_eq!(paths(&entries), ["README.md", "src/a.js"]);
}

#[test]
fn invalid_utf8_names_are_escaped_and_contents_kept_unchanged() {
    let binary = b"\xff\xfe\x00\x01binary\xc3";
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        file(b"package/caf\xe9.js", binary),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["index.js", "caf\\xe9.js"]);
    assert_eq!(content(&entries, "caf\\xe9.js"), binary);
    assert!(summary.skipped.is_empty());
}

#[test]
fn duplicates_are_all_analysed_and_recorded() {
    // node-tar keeps the last copy on disk: a benign first copy must not hide it.
    let (_dir, path) = tgz(&[
        file("package/a.js", b"first"),
        file("package/a.js", b"second"),
        file("package/./a.js", b"third"),
    ]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["a.js", "a.js", "a.js"]);
    let contents: Vec<&[u8]> = entries.iter().map(|e| e.bytes.as_slice()).collect();
    assert_eq!(contents, [&b"first"[..], b"second", b"third"]);
    let duplicates = skipped(&summary, SkipReason::Duplicate);
    assert_eq!(duplicates.len(), 2);
    assert!(duplicates.iter().all(|(p, _)| p == "a.js"));
}

#[test]
fn digest_does_not_depend_on_archive_order_but_on_content() {
    let forward = [file("package/a.js", b"A"), file("package/lib/b.js", b"B")];
    let backward = [file("package/lib/b.js", b"B"), file("package/a.js", b"A")];
    let changed = [file("package/a.js", b"A!"), file("package/lib/b.js", b"B")];
    let renamed = [file("package/a2.js", b"A"), file("package/lib/b.js", b"B")];
    let digest = |members: &[Member<'_>]| {
        let (_dir, path) = tgz(members);
        read(&path).1.digest
    };
    let reference = digest(&forward);
    assert!(reference.starts_with("sha256:") && reference.len() == 7 + 64);
    assert_eq!(digest(&backward), reference);
    assert_ne!(digest(&changed), reference);
    assert_ne!(digest(&renamed), reference);

    // A plain tar of the same files, and the directory they came from, digest alike.
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "same.tar", &tar_bytes(&backward));
    assert_eq!(read(&plain).1.digest, reference);
    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("lib")).unwrap();
    write(&tree, "a.js", b"A");
    write(&tree, "lib/b.js", b"B");
    assert_eq!(read(&tree).1.digest, reference);
}

/// A gzip stream of a tarball whose one member claims 2 GiB of zeros, built from
/// repeated gzip members of 64 MiB of zeros each (a valid multi-member gzip file) so
/// that neither the test nor the archive holds 2 GiB anywhere.
fn write_two_gib_bomb(path: &std::path::Path) {
    const CHUNK: u64 = 64 * 1024 * 1024;
    const CLAIMED: u64 = 2 * 1024 * 1024 * 1024;
    let mut out = File::create(path).unwrap();
    let small = file("package/index.js", b"console.log(1)");
    let mut head = tar_bytes(&[small]);
    head.truncate(head.len() - 1024); // drop the end-of-archive blocks
    let bomb = Member {
        name: b"package/zeros.bin",
        kind: EntryType::Regular,
        data: b"",
        link: b"",
    };
    head.extend_from_slice(header(&bomb, CLAIMED).as_bytes());
    out.write_all(&gzip(&head)).unwrap();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..CHUNK / zeros.len() as u64 {
        encoder.write_all(&zeros).unwrap();
    }
    let chunk = encoder.finish().unwrap();
    for _ in 0..CLAIMED / CHUNK {
        out.write_all(&chunk).unwrap();
    }
}

#[test]
fn gzip_bomb_is_stopped_early() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.tgz");
    write_two_gib_bomb(&path);
    assert!(std::fs::metadata(&path).unwrap().len() < 4 * 1024 * 1024);
    let started = Instant::now();
    let (entries, summary) = read(&path);
    let elapsed = started.elapsed();
    assert_eq!(paths(&entries), ["index.js"]);
    // The member is too big to read (32 MiB + 1 byte read to tell), and skipping over the
    // rest of it trips the ratio guard long before 2 GiB.
    assert_eq!(
        limit_kinds(&summary),
        [LimitKind::FileBytes, LimitKind::CompressionRatio]
    );
    let bomb = &summary.limits_hit[1];
    assert_eq!(bomb.limit, 200);
    assert_eq!(bomb.path.as_deref(), Some("zeros.bin"));
    assert!(
        bomb.message.contains("decompression bomb"),
        "{}",
        bomb.message
    );
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

#[test]
fn gzip_bomb_inside_a_small_member_trips_the_ratio_before_the_file_limit() {
    // With a high per-file limit the guard is what stops the read of the member itself.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.tgz");
    write_two_gib_bomb(&path);
    let limits = Limits {
        max_file_bytes: u64::MAX,
        max_total_bytes: u64::MAX,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::CompressionRatio]);
    assert_eq!(
        skipped(&summary, SkipReason::Limit),
        [("zeros.bin".to_string(), None)]
    );
}

#[test]
fn truncated_gzip_yields_what_was_read_then_records_the_break() {
    let blobs: Vec<Vec<u8>> = (0..10).map(|i| noise(20_000, i + 1)).collect();
    let names: Vec<String> = (0..10).map(|i| format!("package/f{i}.bin")).collect();
    let members: Vec<Member<'_>> = names.iter().zip(&blobs).map(|(n, b)| file(n, b)).collect();
    let whole = gzip(&tar_bytes(&members));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "cut.tgz", &whole[..whole.len() / 2]);
    let (entries, summary) = read(&path);
    assert!(
        (1..10).contains(&entries.len()),
        "read {} entries",
        entries.len()
    );
    for entry in &entries {
        let i: usize = entry.path[1..entry.path.len() - 4].parse().unwrap();
        assert_eq!(entry.bytes, blobs[i], "{} intact", entry.path);
    }
    let unreadable = skipped(&summary, SkipReason::Unreadable);
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert!(summary.limits_hit.is_empty());
}

#[test]
fn truncated_plain_tar_inside_a_member_is_not_a_short_file() {
    let data = noise(10_000, 7);
    let whole = tar_bytes(&[file("a.txt", b"a"), file("b.bin", &data)]);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "cut.tar", &whole[..1536 + 4000]);
    let (entries, summary) = read(&path);
    assert_eq!(paths(&entries), ["a.txt"]);
    let unreadable = skipped(&summary, SkipReason::Unreadable);
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].0, "b.bin");
    let detail = unreadable[0].1.as_deref().unwrap();
    assert!(detail.contains("ends"), "{detail}");
}

#[test]
fn per_file_limit_skips_only_the_big_file() {
    let big = vec![b'x'; 101];
    let fits = vec![b'y'; 100];
    let (_dir, path) = tgz(&[file("package/big.js", &big), file("package/fits.js", &fits)]);
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(paths(&entries), ["fits.js"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::FileBytes]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("big.js"));
    assert_eq!(summary.limits_hit[0].limit, 100);
    assert_eq!(
        skipped(&summary, SkipReason::Limit),
        [("big.js".to_string(), None)]
    );
}

#[test]
fn file_count_and_total_bytes_stop_reading() {
    let names: Vec<String> = (0..30).map(|i| format!("package/f{i:02}.js")).collect();
    let members: Vec<Member<'_>> = names.iter().map(|n| file(n, &[b'z'; 30])).collect();
    let (_dir, path) = tgz(&members);

    let few_files = Limits {
        max_files: 10,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &few_files);
    assert_eq!(entries.len(), 10);
    assert_eq!(limit_kinds(&summary), [LimitKind::FileCount]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("f10.js"));

    let few_bytes = Limits {
        max_total_bytes: 100,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &few_bytes);
    assert_eq!(paths(&entries), ["f00.js", "f01.js", "f02.js"]);
    assert_eq!(limit_kinds(&summary), [LimitKind::TotalBytes]);
    assert_eq!(summary.limits_hit[0].path.as_deref(), Some("f03.js"));
}

#[test]
fn twenty_thousand_tiny_files() {
    let names: Vec<String> = (0..20_000)
        .map(|i| format!("package/d{:02}/f{:04}.js", i / 1000, i % 1000))
        .collect();
    let members: Vec<Member<'_>> = names.iter().map(|n| file(n, b"x")).collect();
    let (_dir, path) = tgz(&members);
    let (entries, summary) = read(&path);
    assert_eq!(entries.len(), 20_000);
    assert!(summary.limits_hit.is_empty() && summary.skipped.is_empty());
    assert_eq!(entries[0].path, "d00/f0000.js");
    assert_eq!(entries[19_999].path, "d19/f0999.js");

    let limits = Limits {
        max_files: 1000,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(entries.len(), 1000);
    assert_eq!(limit_kinds(&summary), [LimitKind::FileCount]);
    let hit = &summary.limits_hit[0];
    assert_eq!(
        (hit.limit, hit.path.as_deref()),
        (1000, Some("d01/f0000.js"))
    );
    assert_eq!(
        skipped(&summary, SkipReason::Limit),
        [("d01/f0000.js".to_string(), None)]
    );
}

#[test]
fn depth_limit_prunes_each_deep_directory_once() {
    let (_dir, path) = tgz(&[
        file("package/a/b/c.js", b"3 deep"),
        file("package/a/b/c/d.js", b"4 deep"),
        file("package/a/b/c/e/f.js", b"5 deep"),
        file("package/x/y/z/w.js", b"4 deep"),
    ]);
    let limits = Limits {
        max_depth: 3,
        ..Limits::default()
    };
    let (entries, summary) = read_limited(&path, &limits);
    assert_eq!(paths(&entries), ["a/b/c.js"]);
    assert_eq!(
        limit_kinds(&summary),
        [LimitKind::PathDepth, LimitKind::PathDepth]
    );
    assert_eq!(
        skipped(&summary, SkipReason::Limit),
        [("a/b/c".to_string(), None), ("x/y/z".to_string(), None)]
    );
}

#[test]
fn excluded_directories_are_recorded_once() {
    let (_dir, path) = tgz(&[
        file("package/index.js", b"ok"),
        file("package/node_modules/a/index.js", b"dep"),
        file("package/node_modules/b/index.js", b"dep"),
        file("package/test/fixture.min.js", b"x"),
    ]);
    let (entries, summary) = read_with(&path, &Limits::default(), |p| {
        p == "node_modules" || p.ends_with(".min.js")
    });
    assert_eq!(paths(&entries), ["index.js"]);
    assert_eq!(
        skipped(&summary, SkipReason::Excluded),
        [
            ("node_modules".to_string(), None),
            ("test/fixture.min.js".to_string(), None)
        ]
    );
}
