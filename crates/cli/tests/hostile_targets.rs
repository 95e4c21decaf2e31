//! Hostile targets through the real binary: each ends in a report (possibly incomplete,
//! exit 3) or a one-line error — never a crash, a hang, or a file written outside.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::*;
use flate2::Compression;
use flate2::write::GzEncoder;

/// Appends a tar entry with raw `name` bytes (bypassing the tar crate's path checks,
/// which would refuse the hostile names we need).
fn raw_entry(
    builder: &mut tar::Builder<impl Write>,
    name: &[u8],
    kind: tar::EntryType,
    link: Option<&str>,
    data: &[u8],
) {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_mode(0o644);
    header.set_size(data.len() as u64);
    if let Some(link) = link {
        header.set_link_name(link).unwrap();
    }
    header.set_cksum();
    builder.append(&header, data).unwrap();
}

/// Appends a regular file entry with raw `name` bytes.
fn file_entry(builder: &mut tar::Builder<impl Write>, name: &[u8], data: &[u8]) {
    raw_entry(builder, name, tar::EntryType::Regular, None, data);
}

fn write_tgz(path: &Path, fill: impl FnOnce(&mut tar::Builder<GzEncoder<std::fs::File>>)) {
    let file = std::fs::File::create(path).unwrap();
    let mut builder = tar::Builder::new(GzEncoder::new(file, Compression::fast()));
    fill(&mut builder);
    builder.into_inner().unwrap().finish().unwrap();
}

fn skipped_reasons(report: &serde_json::Value) -> Vec<String> {
    strings_at(report, "skipped", "reason")
}

fn limit_kinds(report: &serde_json::Value) -> Vec<String> {
    strings_at(report, "limits_hit", "kind")
}

#[test]
fn zip_slip_and_absolute_paths_in_tar_are_rejected_and_make_the_scan_incomplete() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    write_tgz(&work.join("slip.tgz"), |b| {
        file_entry(b, b"package/index.js", b"export const a = 1;\n");
        file_entry(b, b"package/../../evil.js", b"evil()\n");
        file_entry(b, b"/etc/evil.js", b"evil()\n");
    });
    let out = assay(&work, &["scan", "slip.tgz", "--format", "json"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["complete"], false);
    let reasons = skipped_reasons(&report);
    assert!(
        reasons.contains(&"path_traversal".to_string()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"absolute_path".to_string()),
        "{reasons:?}"
    );
    assert!(!tmp.path().join("evil.js").exists() && !work.join("evil.js").exists());
    assert!(
        report["score"]["score"].as_u64().unwrap() <= 79,
        "incomplete scans are capped"
    );
}

#[test]
fn zip_slip_in_zip_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(tmp.path().join("slip.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("ok.py", opts).unwrap();
    zip.write_all(b"print('hi')\n").unwrap();
    zip.start_file("../../../evil.py", opts).unwrap();
    zip.write_all(b"import os\n").unwrap();
    zip.finish().unwrap();
    let out = assay(tmp.path(), &["scan", "slip.zip", "--format", "json"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(skipped_reasons(&json(&out)).contains(&"path_traversal".to_string()));
}

#[test]
fn links_and_devices_are_reported_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    write_tgz(&tmp.path().join("links.tgz"), |b| {
        file_entry(b, b"package/index.js", b"export const a = 1;\n");
        raw_entry(
            b,
            b"package/passwd",
            tar::EntryType::Symlink,
            Some("/etc/passwd"),
            b"",
        );
        raw_entry(
            b,
            b"package/hard",
            tar::EntryType::Link,
            Some("/etc/shadow"),
            b"",
        );
        raw_entry(b, b"package/fifo", tar::EntryType::Fifo, None, b"");
    });
    let out = assay(tmp.path(), &["scan", "links.tgz", "--format", "json"]);
    let report = json(&out);
    let reasons = skipped_reasons(&report);
    for reason in ["symlink", "hardlink", "special_file"] {
        assert!(
            reasons.contains(&reason.to_string()),
            "{reason} missing: {reasons:?}"
        );
    }
    assert_eq!(
        code(&out),
        0,
        "links carry no content: the scan is complete"
    );

    // A directory with a symlink pointing outside is not followed either.
    let dir = tmp.path().join("dir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.js"), "export {};\n").unwrap();
    std::os::unix::fs::symlink("/etc", dir.join("etc")).unwrap();
    let report = scan_json(tmp.path(), "dir");
    assert!(skipped_reasons(&report).contains(&"symlink".to_string()));
    assert_eq!(report["stats"]["files"], 1);
}

#[test]
fn decompression_bombs_stop_early_and_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    // 256 MiB of zeros compresses to a few hundred KiB.
    write_tgz(&tmp.path().join("bomb.tgz"), |b| {
        let mut header = tar::Header::new_gnu();
        header.set_path("package/zeros.js").unwrap();
        header.set_size(256 << 20);
        header.set_mode(0o644);
        header.set_cksum();
        b.append(&header, std::io::repeat(0).take(256 << 20))
            .unwrap();
    });
    let out = assay(tmp.path(), &["scan", "bomb.tgz", "--format", "json"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let kinds = limit_kinds(&json(&out));
    assert!(
        kinds
            .iter()
            .any(|k| k == "compression_ratio" || k == "file_bytes"),
        "{kinds:?}"
    );

    let file = std::fs::File::create(tmp.path().join("bomb.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file("zeros.py", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::copy(&mut std::io::repeat(0).take(256 << 20), &mut zip).unwrap();
    zip.finish().unwrap();
    let out = assay(tmp.path(), &["scan", "bomb.zip", "--format", "json"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
}

#[test]
fn twenty_thousand_tiny_files_are_all_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    write_tgz(&tmp.path().join("many.tgz"), |b| {
        for i in 0..20_000 {
            let mut header = tar::Header::new_gnu();
            let data = format!("export const v{i} = {i};\n");
            header
                .set_path(format!("package/d{}/f{i}.js", i % 100))
                .unwrap();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            b.append(&header, data.as_bytes()).unwrap();
        }
    });
    let out = assay(tmp.path(), &["scan", "many.tgz", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["stats"]["files"], 20_000);
    assert_eq!(report["complete"], true);

    let out = assay(
        tmp.path(),
        &[
            "scan",
            "many.tgz",
            "--format",
            "json",
            "--max-files",
            "1000",
        ],
    );
    assert_eq!(code(&out), 3);
    assert!(limit_kinds(&json(&out)).contains(&"file_count".to_string()));
}

#[test]
fn a_twenty_megabyte_minified_line_is_bounded_but_still_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bundle");
    std::fs::create_dir_all(&dir).unwrap();
    let chunk = "function a(b,c){return b+c*2||\"x\"};var q=[1,2,3].map(function(z){return z*z});";
    let mut text = String::with_capacity(21 << 20);
    while text.len() < 10 << 20 {
        text.push_str(chunk);
    }
    text.push_str(&format!("var k=\"{}\";", synthetic_github_token()));
    while text.len() < 20 << 20 {
        text.push_str(chunk);
    }
    std::fs::write(dir.join("index.min.js"), &text).unwrap();
    let out = assay(tmp.path(), &["scan", "bundle", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"].as_str().unwrap().starts_with("AS60")),
        "content rules must still run on unparsed files"
    );
    let first = report["findings"][0]["snippet"].as_str().unwrap();
    assert!(
        first.chars().count() < 300,
        "snippets of minified lines are windowed"
    );
}

#[test]
fn invalid_utf8_names_and_contents_are_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    write_tgz(&tmp.path().join("bytes.tgz"), |b| {
        file_entry(b, b"package/ok.js", b"export const a = 1;\n");
        file_entry(b, b"package/\xff\xfe.js", b"const s = \"\xc3\x28\";\n");
        file_entry(b, b"package/bin.dat", b"\x00\x01\x02\xff");
    });
    let out = assay(tmp.path(), &["scan", "bytes.tgz", "--format", "json"]);
    assert!(matches!(code(&out), 0 | 3), "{}", stderr(&out));
    let report = json(&out);
    assert!(report["stats"]["files"].as_u64().unwrap() >= 2);
    assert!(!stderr(&out).contains("panicked"));
}
