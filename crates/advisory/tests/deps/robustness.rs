//! Hostile input: arbitrary bytes, truncated and corrupted fixtures, deep nesting,
//! duplicated keys, invalid UTF-8 and large files never panic.

use std::path::Path;

use assay_advisory::deps;
use proptest::prelude::*;

use crate::fixtures;

/// One name per format (and the installed-package forms).
const NAMES: [&str; 17] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "package.json",
    "node_modules/x/package.json",
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "x-1.0.dist-info/METADATA",
    "go.mod",
    "go.sum",
    "Cargo.lock",
    "requirements/dev.txt",
    "web/yarn.lock",
];

/// Every fixture file, as (snapshot path, bytes).
fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![fixtures()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(fixtures()).unwrap();
                out.push((slash(relative), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses and, on error, checks the message is one line.
fn parse_quietly(path: &str, bytes: &[u8]) {
    if let Some(Err(error)) = deps::parse(path, bytes) {
        assert!(!error.to_string().contains('\n'), "{path}: {error}");
    }
}

#[test]
fn every_prefix_of_every_fixture_parses_or_fails_cleanly() {
    for (path, bytes) in all_fixtures() {
        if !deps::is_dependency_file(&path) {
            continue;
        }
        let step = (bytes.len() / 400).max(1);
        for end in (0..bytes.len()).step_by(step) {
            parse_quietly(&path, &bytes[..end]);
        }
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let json_object = format!("{{\"packages\": {}}}", json);
    let toml = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
    let inline_tables = format!("a = {}{}", "{b = ".repeat(depth), "}".repeat(depth));
    let yaml_flow = format!(
        "lockfileVersion: '9.0'\npackages: {}{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut yaml_block = String::from("lockfileVersion: '9.0'\n");
    for level in 0..2_000 {
        yaml_block.push_str(&" ".repeat(level));
        yaml_block.push_str("k:\n");
    }
    for (path, text) in [
        ("package-lock.json", &json_object),
        ("package.json", &json),
        ("Pipfile.lock", &json),
        ("pyproject.toml", &toml),
        ("Cargo.lock", &inline_tables),
        ("uv.lock", &toml),
        ("poetry.lock", &inline_tables),
        ("pnpm-lock.yaml", &yaml_flow),
        ("pnpm-lock.yaml", &yaml_block),
        (
            "yarn.lock",
            &format!("__metadata:\n  version: 8\n{yaml_flow}"),
        ),
    ] {
        let result = deps::parse(path, text.as_bytes()).unwrap();
        assert!(
            result.is_err(),
            "{path} accepted {} bytes of nesting",
            text.len()
        );
    }
}

#[test]
fn duplicated_keys_and_invalid_utf8_are_tolerated() {
    let lock = br#"{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": "1.0.0"}, "node_modules/a": {"version": "2.0.0"}}}"#;
    let found = deps::parse("package-lock.json", lock).unwrap().unwrap();
    assert_eq!(found.len(), 1);
    let yaml = b"lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  a@1.0.0: {}\n";
    assert_eq!(
        deps::parse("pnpm-lock.yaml", yaml).unwrap().unwrap().len(),
        1
    );
    let mut latin1 = b"requests==2.31.0\n# caf\xe9\nflask==3.0.0 # \xff\xfe\n".to_vec();
    latin1.extend_from_slice(b"na\xefve==1.0\n");
    let found = deps::parse("requirements.txt", &latin1).unwrap();
    let names: Vec<String> = found.unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names[..2], ["requests", "flask"]);
    let go = b"module m\nrequire github.com/\xff/x v1.0.0\n";
    assert_eq!(
        deps::parse("go.mod", go).unwrap().unwrap()[0].name,
        "github.com/\u{fffd}/x"
    );
}

#[test]
fn large_lockfiles_parse_completely() {
    let count = 20_000;
    let mut lock = String::from(
        "{\"lockfileVersion\": 3, \"packages\": {\"\": {\"dependencies\": {\"p0\": \"1\"}}",
    );
    let mut pnpm = String::from(
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      p0:\n        specifier: ^1.0.0\n        version: 1.0.0\n\npackages:\n\n",
    );
    let mut snapshots = String::from("\nsnapshots:\n\n");
    let mut yarn = String::from("# yarn lockfile v1\n\n");
    let mut go_sum = String::new();
    for i in 0..count {
        let next = (i + 1) % count;
        lock.push_str(&format!(
            ",\"node_modules/p{i}\": {{\"version\": \"1.0.{i}\", \"resolved\": \"https://r.example/p{i}/-/p{i}-1.0.{i}.tgz\", \"dependencies\": {{\"p{next}\": \"^1\"}}}}"
        ));
        pnpm.push_str(&format!(
            "  p{i}@1.0.0:\n    resolution: {{integrity: sha512-{i}}}\n\n"
        ));
        snapshots.push_str(&format!(
            "  p{i}@1.0.0:\n    dependencies:\n      p{next}: 1.0.0\n\n"
        ));
        yarn.push_str(&format!(
            "p{i}@^1.0.0:\n  version \"1.0.{i}\"\n  dependencies:\n    p{next} \"^1.0.0\"\n\n"
        ));
        go_sum.push_str(&format!(
            "example.com/m{i} v1.0.{i} h1:abc=\nexample.com/m{i} v1.0.{i}/go.mod h1:def=\n"
        ));
    }
    lock.push_str("}}");
    pnpm.push_str(&snapshots);
    for (path, text) in [
        ("package-lock.json", &lock),
        ("pnpm-lock.yaml", &pnpm),
        ("yarn.lock", &yarn),
        ("go.sum", &go_sum),
    ] {
        let found = deps::parse(path, text.as_bytes())
            .unwrap()
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(found.len(), count, "{path}");
    }
    let pnpm_deps = deps::parse("pnpm-lock.yaml", pnpm.as_bytes())
        .unwrap()
        .unwrap();
    assert!(
        pnpm_deps.iter().all(|d| d.scope == "runtime"),
        "the ring is reachable from p0"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), which in 0..NAMES.len()) {
        parse_quietly(NAMES[which], &bytes);
    }

    #[test]
    fn text_made_of_format_punctuation_never_panics(
        text in "[ \\n\\t:,'\"{}\\[\\]#@/=<>^~|*!-.a-z0-9()\\\\]{0,400}",
        which in 0..NAMES.len(),
    ) {
        parse_quietly(NAMES[which], text.as_bytes());
    }

    #[test]
    fn corrupted_fixtures_never_panic(seed in any::<u64>(), flips in 1usize..8) {
        let fixtures = all_fixtures();
        let (path, bytes) = &fixtures[(seed as usize) % fixtures.len()];
        let mut corrupted = bytes.clone();
        let mut state = seed;
        for _ in 0..flips {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if corrupted.is_empty() {
                break;
            }
            let at = (state >> 33) as usize % corrupted.len();
            corrupted[at] = (state >> 24) as u8;
        }
        parse_quietly(path, &corrupted);
        let merged = deps::merge(vec![(path.clone(), deps::parse(path, &corrupted).and_then(Result::ok).unwrap_or_default())]);
        prop_assert!(merged.iter().all(|d| !d.name.is_empty() || d.ecosystem == "PyPI"));
    }
}
