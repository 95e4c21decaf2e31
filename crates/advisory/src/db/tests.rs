//! The store end to end: imports of the fixture records (real OSV schema) from zips,
//! directories and single files, lookups, merging, failures and concurrent readers.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use zip::write::SimpleFileOptions;

use assay_core::{DependencySource, ResolvedDependency};

use super::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv-db")
}

fn fixture(relative: &str) -> Value {
    serde_json::from_slice(&fs::read(fixtures().join(relative)).unwrap()).unwrap()
}

/// A zip archive (deflated, as OSV publishes them) of `members`.
fn zip_of(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The npm fixtures as an OSV `all.zip` (members named `<id>.json` at the root).
fn npm_zip(at: &Path) -> PathBuf {
    let mut members: Vec<(String, Vec<u8>)> = fs::read_dir(fixtures().join("npm"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    members.sort();
    let path = at.join("npm-all.zip");
    fs::write(&path, zip_of(&members)).unwrap();
    path
}

fn write_zip(path: &Path, records: &[Value]) -> PathBuf {
    let members: Vec<(String, Vec<u8>)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // Numbered: one archive may hold two versions of an id.
            let name = format!("{i:03}-{}.json", r["id"].as_str().unwrap());
            (name, serde_json::to_vec_pretty(r).unwrap())
        })
        .collect();
    fs::write(path, zip_of(&members)).unwrap();
    path.to_path_buf()
}

fn run(dir: &Path, inputs: &[PathBuf]) -> Result<ImportSummary, DbError> {
    let inputs: Vec<Input> = inputs.iter().map(Input::path).collect();
    import(dir, &inputs, &ImportLimits::default(), &mut |_| {})
}

/// Imports every fixture: npm as a zip, PyPI as a directory, Go and crates.io as single
/// records.
fn import_fixtures(scratch: &Path, dir: &Path) -> ImportSummary {
    let inputs = [
        npm_zip(scratch),
        fixtures().join("PyPI"),
        fixtures().join("Go/GO-2025-3781.json"),
        fixtures().join("crates.io/RUSTSEC-2025-0092.json"),
    ];
    run(dir, &inputs).unwrap()
}

fn open(dir: &Path) -> Database {
    Database::open(dir)
        .unwrap()
        .expect("a database is installed")
}

fn ids(records: &[Record]) -> Vec<&str> {
    records.iter().map(|r| r.id.as_str()).collect()
}

fn ids_for(db: &Database, ecosystem: &str, name: &str) -> Vec<String> {
    db.records_for(ecosystem, name)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn no_database_is_none_not_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(
        Database::open(&tmp.path().join("advisory"))
            .unwrap()
            .is_none()
    );
    assert!(Database::open(tmp.path()).unwrap().is_none());
}

#[test]
fn zip_directory_and_single_records_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    let summary = import_fixtures(tmp.path(), &dir);
    assert_eq!(
        (
            summary.read,
            summary.added,
            summary.withdrawn,
            summary.unsupported,
            summary.malformed,
            summary.records
        ),
        (10, 8, 1, 1, 1, 8),
        "{summary:?}"
    );
    assert!(
        summary.malformed_examples[0]
            .contains("2025/10/GHSA-broken-record.json: not an OSV record"),
        "{:?}",
        summary.malformed_examples
    );

    let db = open(&dir);
    let status = db.status();
    assert_eq!(status.generation, summary.generation);
    assert_eq!((status.records, status.packages), (8, 7));
    let per_ecosystem: Vec<(&str, u64, u64, u64)> = status
        .ecosystems
        .iter()
        .map(|e| (e.name.as_str(), e.records, e.packages, e.malicious))
        .collect();
    assert_eq!(
        per_ecosystem,
        [
            ("npm", 3, 3, 1),
            ("PyPI", 3, 2, 0),
            ("Go", 1, 1, 0),
            ("crates.io", 1, 1, 0)
        ]
    );
    assert_eq!(status.sources.len(), 4);
    assert_eq!(status.sources[0].records, 3);
    assert!(status.sources[1].origin.ends_with("osv-db/PyPI"));
    assert!(status.size_bytes > 0);

    // Stored records are the compacted originals, field for field.
    let stored = db.records_for("npm", "mcp-remote").unwrap();
    let original: Record = serde_json::from_value(fixture("npm/GHSA-6xpm-ggf7-wc3p.json")).unwrap();
    assert_eq!(stored, [compact::compact(original).unwrap()]);
    assert_eq!(stored[0].details, None);
    assert_eq!(stored[0].references.len(), 3);
    assert_eq!(
        stored[0].database_specific,
        Some(json!({"severity": "CRITICAL"}))
    );

    // Names are looked up as their ecosystem compares them.
    assert_eq!(
        ids_for(&db, "PyPI", "MCP"),
        ["GHSA-3qhf-m339-9g5v", "GHSA-j975-95f5-7wqh"]
    );
    assert_eq!(ids_for(&db, "PyPI", "mcp_server.fetch"), ["PYSEC-2025-61"]);
    assert_eq!(ids_for(&db, "crates.io", "rmcp"), ["RUSTSEC-2025-0092"]);
    assert_eq!(
        ids_for(&db, "Go", "github.com/mark3labs/mcp-go"),
        ["GO-2025-3781"]
    );
    assert_eq!(ids_for(&db, "npm", "postmark-mcp"), ["MAL-2025-47311"]);
    assert!(db.records_for("npm", "postmark-mcp").unwrap()[0].is_malicious());
    // npm names are exact; withdrawn and unsupported records are not stored.
    assert!(ids_for(&db, "npm", "Mcp-Remote").is_empty());
    assert!(ids_for(&db, "npm", "@modelcontextprotocol/server-filesystem").is_empty());
    assert!(ids_for(&db, "Maven", "org.springframework.ai:spring-ai-mcp").is_empty());
    assert!(ids_for(&db, "PyPI", "mcp-server-git").is_empty());
}

fn dependency(ecosystem: &str, name: &str, version: Option<&str>) -> ResolvedDependency {
    ResolvedDependency {
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: version.map(str::to_string),
        requirement: None,
        version_from_range: false,
        direct: true,
        scope: "runtime".to_string(),
        source: DependencySource::Registry,
        declared_in: "package-lock.json".to_string(),
        line: None,
    }
}

#[test]
fn dependencies_match_the_records_of_their_package_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let db = open(&dir);
    let dependencies = [
        dependency("npm", "mcp-remote", Some("0.1.15")),
        dependency("npm", "mcp-remote", Some("0.1.16")),
        dependency("npm", "mcp-remote", Some("0.1.15")),
        dependency("npm", "@modelcontextprotocol/sdk", Some("1.23.0")),
        dependency("npm", "@modelcontextprotocol/sdk", None),
        dependency("npm", "postmark-mcp", Some("1.0.16")),
        dependency("PyPI", "MCP", Some("1.9.2")),
        dependency("PyPI", "mcp", Some("1.9.4")),
        dependency("Go", "github.com/mark3labs/mcp-go", Some("v0.31.0")),
        dependency("crates.io", "rmcp", Some("0.8.4")),
        dependency(
            "Maven",
            "org.springframework.ai:spring-ai-mcp",
            Some("1.0.1"),
        ),
    ];
    let found: Vec<(String, String, String, bool, Option<String>)> = db
        .matches(&dependencies)
        .unwrap()
        .into_iter()
        .map(|m| (m.package, m.version, m.id, m.malicious, m.fixed))
        .collect();
    let expected = [
        (
            "github.com/mark3labs/mcp-go",
            "v0.31.0",
            "GO-2025-3781",
            false,
            Some("0.32.0"),
        ),
        ("MCP", "1.9.2", "GHSA-3qhf-m339-9g5v", false, Some("1.9.4")),
        ("MCP", "1.9.2", "GHSA-j975-95f5-7wqh", false, Some("1.10.0")),
        ("mcp", "1.9.4", "GHSA-j975-95f5-7wqh", false, Some("1.10.0")),
        (
            "@modelcontextprotocol/sdk",
            "1.23.0",
            "GHSA-w48q-cv73-mx4w",
            false,
            Some("1.24.0"),
        ),
        (
            "mcp-remote",
            "0.1.15",
            "GHSA-6xpm-ggf7-wc3p",
            false,
            Some("0.1.16"),
        ),
        ("postmark-mcp", "1.0.16", "MAL-2025-47311", true, None),
    ];
    let expected: Vec<(String, String, String, bool, Option<String>)> = expected
        .iter()
        .map(|(p, v, id, mal, fixed)| {
            (
                p.to_string(),
                v.to_string(),
                id.to_string(),
                *mal,
                fixed.map(str::to_string),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert!(db.matches(&[]).unwrap().is_empty());
}

#[test]
fn a_lookup_reads_only_the_records_of_its_package() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    // Damage mcp-remote's record in place (same length, no longer JSON).
    let records = open(&dir).path().join(layout::RECORDS);
    let mut bytes = fs::read(&records).unwrap();
    let at = bytes
        .windows(30)
        .position(|w| w == b"{\"id\":\"GHSA-6xpm-ggf7-wc3p\",\"m")
        .expect("record line");
    bytes[at..at + 10].copy_from_slice(b"##########");
    fs::write(&records, bytes).unwrap();

    let db = open(&dir);
    assert_eq!(
        ids_for(&db, "npm", "@modelcontextprotocol/sdk"),
        ["GHSA-w48q-cv73-mx4w"]
    );
    assert_eq!(ids_for(&db, "PyPI", "mcp").len(), 2);
    let error = db.records_for("npm", "mcp-remote").unwrap_err().to_string();
    assert!(error.contains("is unusable"), "{error}");
    assert_eq!(error.lines().count(), 1);
}

#[test]
fn later_imports_merge_by_id_and_modified_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let before = open(&dir).status().clone();

    let mut newer = fixture("npm/GHSA-6xpm-ggf7-wc3p.json");
    newer["modified"] = json!("2025-07-21T09:00:00Z");
    newer["affected"][0]["ranges"][0]["events"][1] = json!({"fixed": "0.1.17"});
    let mut older = fixture("npm/GHSA-w48q-cv73-mx4w.json");
    older["modified"] = json!("2025-12-02T21:40:12Z");
    older["summary"] = json!("an older text");
    let same = fixture("Go/GO-2025-3781.json");
    let mut withdrawn = fixture("npm/MAL-2025-47311.json");
    withdrawn["modified"] = json!("2025-10-01T00:00:00Z");
    withdrawn["withdrawn"] = json!("2025-10-01T00:00:00Z");
    let added = json!({
        "schema_version": "1.7.3",
        "id": "GHSA-q66q-fx2p-7w4m",
        "modified": "2025-08-01T00:00:00Z",
        "summary": "Filesystem MCP server allows path traversal via symlinks",
        "affected": [{
            "package": {"ecosystem": "npm", "name": "@modelcontextprotocol/server-filesystem"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2025.7.1"}]}]
        }]
    });
    // The same id twice in one input: the later `modified` wins whatever the order.
    let mut newest_first = added.clone();
    newest_first["modified"] = json!("2025-08-02T00:00:00.5Z");
    newest_first["summary"] = json!("newest");
    let update = write_zip(
        &tmp.path().join("update.zip"),
        &[newest_first, newer, older, same, withdrawn, added],
    );
    let summary = run(&dir, &[update]).unwrap();
    assert_eq!(
        (
            summary.added,
            summary.updated,
            summary.unchanged,
            summary.stale,
            summary.removed,
            summary.records
        ),
        (1, 1, 1, 1, 1, 8),
        "{summary:?}"
    );

    let db = open(&dir);
    assert_ne!(db.status().generation, before.generation);
    let remote = db.records_for("npm", "mcp-remote").unwrap();
    assert_eq!(
        remote[0].affected[0].ranges[0].events[1].fixed.as_deref(),
        Some("0.1.17")
    );
    let sdk = db.records_for("npm", "@modelcontextprotocol/sdk").unwrap();
    assert_ne!(sdk[0].summary.as_deref(), Some("an older text"));
    assert!(ids_for(&db, "npm", "postmark-mcp").is_empty());
    let filesystem = db
        .records_for("npm", "@modelcontextprotocol/server-filesystem")
        .unwrap();
    assert_eq!(ids(&filesystem), ["GHSA-q66q-fx2p-7w4m"]);
    assert_eq!(filesystem[0].summary.as_deref(), Some("newest"));
    // Untouched ecosystems are carried over; the new source is listed last.
    assert_eq!(ids_for(&db, "PyPI", "mcp").len(), 2);
    assert_eq!(db.status().sources.len(), 5);
    assert!(db.status().sources[4].origin.ends_with("update.zip"));
    // Importing the same source again replaces its entry in the list.
    run(&dir, &[tmp.path().join("update.zip")]).unwrap();
    assert_eq!(open(&dir).status().sources.len(), 5);
}

#[test]
fn malformed_records_are_counted_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    let valid = fixture("npm/GHSA-w48q-cv73-mx4w.json");
    let mut control_id = valid.clone();
    control_id["id"] = json!("GHSA-\u{1b}[31m");
    let mut huge = valid.clone();
    huge["id"] = json!("GHSA-huge");
    huge["details"] = json!("x".repeat(4096));
    let members: Vec<(String, Vec<u8>)> = vec![
        (
            "GHSA-w48q-cv73-mx4w.json".into(),
            serde_json::to_vec(&valid).unwrap(),
        ),
        ("truncated.json".into(), b"{\"id\": \"GHSA-".to_vec()),
        ("array.json".into(), b"[1, 2, 3]".to_vec()),
        (
            "no-id.json".into(),
            br#"{"modified": "2025-01-01T00:00:00Z"}"#.to_vec(),
        ),
        ("empty-id.json".into(), br#"{"id": ""}"#.to_vec()),
        (
            "control.json".into(),
            serde_json::to_vec(&control_id).unwrap(),
        ),
        ("huge.json".into(), serde_json::to_vec(&huge).unwrap()),
        ("deep.json".into(), "[".repeat(1000).into_bytes()),
        ("not-utf8.json".into(), vec![0xff, 0xfe, b'{']),
        ("README.md".into(), b"not a record, not read".to_vec()),
    ];
    let zip = tmp.path().join("mixed.zip");
    fs::write(&zip, zip_of(&members)).unwrap();
    let limits = ImportLimits {
        max_record_bytes: 2048,
        ..ImportLimits::default()
    };
    let summary = import(&dir, &[Input::path(&zip)], &limits, &mut |_| {}).unwrap();
    assert_eq!((summary.read, summary.malformed), (1, 8), "{summary:?}");
    let examples = summary.malformed_examples.join("\n");
    assert!(
        examples.contains("huge.json: larger than 2048 bytes"),
        "{examples}"
    );
    assert!(examples.contains("control.json: invalid id"), "{examples}");
    assert!(
        examples.contains("deep.json: not an OSV record"),
        "{examples}"
    );
    assert!(summary.malformed_examples.iter().all(|e| !e.contains('\n')));
    assert_eq!(open(&dir).status().records, 1);
}

#[test]
fn a_failed_import_leaves_the_previous_generation_in_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let before = open(&dir).status().clone();

    // The second input is an all.zip cut off mid-download: its central directory is
    // missing. The first input was already read when it fails.
    let whole = fs::read(npm_zip(tmp.path())).unwrap();
    let cut = tmp.path().join("cut.zip");
    fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let mut extra = fixture("npm/GHSA-6xpm-ggf7-wc3p.json");
    extra["id"] = json!("GHSA-extra");
    let single = tmp.path().join("GHSA-extra.json");
    fs::write(&single, serde_json::to_vec(&extra).unwrap()).unwrap();
    let error = run(&dir, &[single.clone(), cut]).unwrap_err();
    assert!(matches!(error, DbError::Input { .. }), "{error}");
    assert!(error.to_string().contains("nothing was imported"));

    // A member that fails its checksum is damage too, however far into the archive.
    let mut corrupted = whole.clone();
    let last = corrupted
        .windows(4)
        .rposition(|w| w == b"PK\x03\x04")
        .unwrap();
    corrupted[last + 60] ^= 0xff;
    let bad = tmp.path().join("bad-crc.zip");
    fs::write(&bad, corrupted).unwrap();
    let error = run(&dir, &[single, bad]).unwrap_err().to_string();
    assert!(error.contains("damaged archive"), "{error}");

    let db = open(&dir);
    assert_eq!(db.status(), &before);
    assert!(ids_for(&db, "npm", "mcp-remote").len() == 1);
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "lock")
        .collect();
    assert_eq!(names.len(), 2, "only CURRENT and one generation: {names:?}");
}

#[test]
fn an_interrupted_import_is_invisible_and_cleaned_up_later() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let current = open(&dir).status().generation.clone();
    // What a crash leaves: a half-built directory, a renamed generation that CURRENT
    // never pointed to, and a pointer file that was never renamed.
    fs::create_dir(dir.join(".building-x1y2z3")).unwrap();
    fs::write(dir.join(".building-x1y2z3/records.jsonl"), b"{\"id\":").unwrap();
    fs::create_dir(dir.join("gen-1-1")).unwrap();
    fs::write(dir.join(".CURRENT-abc"), b"gen-1-1\n").unwrap();
    assert_eq!(open(&dir).status().generation, current);

    let summary = run(&dir, &[fixtures().join("Go")]).unwrap();
    assert_eq!(summary.unchanged, 1);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["CURRENT", summary.generation.as_str(), "lock"]);
}

#[test]
fn readers_keep_their_generation_while_an_import_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let reader = open(&dir);
    let mut withdrawn = fixture("npm/GHSA-6xpm-ggf7-wc3p.json");
    withdrawn["modified"] = json!("2026-01-01T00:00:00Z");
    withdrawn["withdrawn"] = json!("2026-01-01T00:00:00Z");
    let update = write_zip(&tmp.path().join("u.zip"), &[withdrawn]);
    run(&dir, &[update]).unwrap();
    assert!(!reader.path().exists(), "the old generation was removed");
    assert_eq!(
        ids_for(&reader, "npm", "mcp-remote"),
        ["GHSA-6xpm-ggf7-wc3p"]
    );
    assert!(ids_for(&open(&dir), "npm", "mcp-remote").is_empty());
}

#[test]
fn imports_take_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    let held = layout::lock(&dir).unwrap();
    let error = run(&dir, &[fixtures().join("Go")]).unwrap_err();
    assert!(matches!(error, DbError::Busy { .. }), "{error}");
    drop(held);
    run(&dir, &[fixtures().join("Go")]).unwrap();
}

#[test]
fn inputs_over_a_limit_are_refused_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    let zip = npm_zip(tmp.path());
    let refused = |limits: ImportLimits, input: &Path| {
        let error = import(&dir, &[Input::path(input)], &limits, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(Database::open(&dir).unwrap().is_none(), "nothing imported");
        error
    };
    let few = ImportLimits {
        max_entries: 3,
        ..ImportLimits::default()
    };
    assert!(refused(few.clone(), &zip).contains("more than 3 archive members"));
    assert!(refused(few, &fixtures().join("PyPI")).contains("more than 3 entries"));
    // A bomb: members that expand far beyond the archive's size.
    let bomb = tmp.path().join("bomb.zip");
    let padding = format!(
        "{{\"id\": \"GHSA-pad\", \"details\": \"{}\"}}",
        " ".repeat(1 << 20)
    );
    let members: Vec<(String, Vec<u8>)> = (0..8)
        .map(|i| (format!("GHSA-{i}.json"), padding.clone().into_bytes()))
        .collect();
    fs::write(&bomb, zip_of(&members)).unwrap();
    let tight = ImportLimits {
        max_expansion_ratio: 100,
        expansion_floor: 1,
        ..ImportLimits::default()
    };
    assert!(refused(tight, &bomb).contains("expand to more than"));
    let shallow = ImportLimits {
        max_depth: 1,
        ..ImportLimits::default()
    };
    assert!(refused(shallow, &fixtures().join("PyPI")).contains("levels deep"));
    assert!(
        refused(ImportLimits::default(), &tmp.path().join("missing.zip")).contains("cannot import")
    );
}

#[test]
fn directories_skip_hidden_entries_and_links() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("advisory-database");
    fs::create_dir_all(tree.join(".git/objects")).unwrap();
    fs::write(tree.join(".git/objects/GHSA-x.json"), b"garbage").unwrap();
    fs::create_dir_all(tree.join("advisories/2025")).unwrap();
    fs::copy(
        fixtures().join("Go/GO-2025-3781.json"),
        tree.join("advisories/2025/GO-2025-3781.json"),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", tree.join("advisories/passwd.json")).unwrap();
    let dir = tmp.path().join("advisory");
    let summary = run(&dir, &[tree]).unwrap();
    assert_eq!((summary.read, summary.malformed), (1, 0), "{summary:?}");
}

#[test]
fn progress_is_reported_per_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    let mut events = Vec::new();
    let inputs = [
        Input::path(fixtures().join("PyPI")),
        Input::path(npm_zip(tmp.path())),
    ];
    import(&dir, &inputs, &ImportLimits::default(), &mut |event| {
        events.push(match event {
            ImportProgress::Reading { origin, records } => {
                format!(
                    "{}:{records}",
                    Path::new(origin).file_name().unwrap().to_string_lossy()
                )
            }
            ImportProgress::Writing => "writing".to_string(),
        })
    })
    .unwrap();
    assert_eq!(events, ["PyPI:5", "npm-all.zip:4", "writing"]);
}

#[test]
fn damaged_databases_are_reported_and_rebuilt_by_an_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advisory");
    import_fixtures(tmp.path(), &dir);
    let generation = open(&dir).path().to_path_buf();
    let meta = generation.join(layout::META);
    let mut status: Value = serde_json::from_slice(&fs::read(&meta).unwrap()).unwrap();
    status["format"] = json!(99);
    fs::write(&meta, serde_json::to_vec(&status).unwrap()).unwrap();
    let error = Database::open(&dir).unwrap_err().to_string();
    assert!(error.contains("format 99"), "{error}");
    assert!(error.contains("assay db update"), "{error}");

    fs::write(dir.join("CURRENT"), "gen-0-0\n").unwrap();
    let error = Database::open(&dir).unwrap_err().to_string();
    assert!(error.contains("does not exist"), "{error}");
    // An import starts afresh from a pointer to nothing.
    let summary = run(&dir, &[fixtures().join("Go")]).unwrap();
    assert_eq!((summary.added, summary.records), (1, 1));
    assert_eq!(open(&dir).status().records, 1);
}

#[test]
fn the_data_dir_follows_the_documented_precedence() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    let all = env(&[
        ("ASSAY_DATA_DIR", "/data"),
        ("XDG_DATA_HOME", "/xdg"),
        ("HOME", "/home/u"),
    ]);
    assert_eq!(dir_from(all), Some(PathBuf::from("/data/advisory")));
    let xdg = env(&[
        ("ASSAY_DATA_DIR", ""),
        ("XDG_DATA_HOME", "/xdg"),
        ("HOME", "/home/u"),
    ]);
    assert_eq!(dir_from(xdg), Some(PathBuf::from("/xdg/assay/advisory")));
    let home = env(&[("HOME", "/home/u")]);
    assert_eq!(
        dir_from(home),
        Some(PathBuf::from("/home/u/.local/share/assay/advisory"))
    );
    assert_eq!(dir_from(env(&[])), None);
}
