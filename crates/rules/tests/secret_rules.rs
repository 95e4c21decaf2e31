//! Tests of the `AS6xx` secrets rules: the provider table's own examples, every rule's
//! examples, one fixture snapshot per rule, redaction of every finding, path-context
//! confidence, and a large single-line file.
//!
//! Fixture files under `tests/fixtures/secrets/AS60N/` mirror a small package (the path
//! below the rule directory is the path the rules see). They are stored defanged: every
//! synthetic secret contains the marker [`MARKER`], which [`load_fixture`] removes, so
//! that this repository does not itself trip secret scanners or push protection. The
//! text around each marker is also what the redaction test looks for in the findings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use assay_core::{Confidence, ExampleKind, Family, Finding, Severity};
use assay_rules::FileContext;
use assay_rules::lang::Language;
use assay_rules::secrets::{self, providers};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Splits every synthetic secret in the fixture files.
const MARKER: &str = "<<>>";

/// Runs every `AS6xx` rule over one file.
fn scan(path: &str, text: &str) -> Vec<Finding> {
    let file = FileContext::new(path, text, Language::from_path(path), None);
    let mut out = Vec::new();
    for rule in secrets::RULES {
        rule.check_file(&file, &mut out);
    }
    out
}

/// Fails when `json` contains any 10-character piece of `secret` past the 4-character
/// prefix that redaction may show.
fn assert_no_leak(json: &str, secret: &str) {
    let chars: Vec<char> = secret.chars().collect();
    for window in chars.get(4..).unwrap_or_default().windows(10) {
        let piece: String = window.iter().collect();
        assert!(
            !json.contains(&piece),
            "secret fragment {piece:?} leaked into a finding: {json}"
        );
    }
}

fn json(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| serde_json::to_string(f).expect("findings serialise"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn detector(id: &str) -> &'static providers::Detector {
    providers::detectors()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no detector {id}"))
}

#[test]
fn every_detector_matches_its_true_positives_and_none_of_its_false_positives() {
    let detectors: Vec<_> = providers::detectors().collect();
    assert!(detectors.len() >= 30, "only {} detectors", detectors.len());
    let mut ids = HashSet::new();
    for d in &detectors {
        assert!(ids.insert(d.id), "duplicate detector id {}", d.id);
        assert!(!d.keywords.is_empty(), "{}: no keywords", d.id);
        assert!(!d.true_positives.is_empty(), "{}: no true positives", d.id);
        assert!(
            !d.false_positives.is_empty(),
            "{}: no false positives",
            d.id
        );
        for tp in d.true_positives {
            let found = providers::find(tp);
            assert!(
                found.iter().any(|m| m.detector.id == d.id),
                "{}: true positive #{} not matched (got {:?})",
                d.id,
                d.true_positives.iter().position(|t| t == tp).unwrap_or(0),
                found.iter().map(|m| m.detector.id).collect::<Vec<_>>()
            );
        }
        for fp in d.false_positives {
            let found = providers::find(fp);
            assert!(
                found.is_empty(),
                "{}: false positive {fp:?} matched {:?}",
                d.id,
                found.iter().map(|m| m.detector.id).collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn the_table_covers_the_required_providers() {
    for id in [
        "aws-access-key-id",
        "aws-secret-access-key",
        "github-pat",
        "github-oauth-token",
        "github-app-token",
        "github-refresh-token",
        "github-fine-grained-pat",
        "gitlab-pat",
        "gitlab-token",
        "slack-bot-token",
        "slack-user-token",
        "slack-app-token",
        "slack-webhook",
        "stripe-secret-key",
        "openai-api-key",
        "anthropic-api-key",
        "anthropic-admin-key",
        "google-api-key",
        "gcp-service-account-key",
        "npm-token",
        "pypi-upload-token",
        "huggingface-token",
        "twilio-credential",
        "sendgrid-api-key",
        "mailgun-private-key",
        "digitalocean-token",
        "azure-storage-account-key",
        "shopify-token",
        "discord-bot-token",
        "discord-webhook",
        "telegram-bot-token",
        "databricks-token",
        "postman-api-key",
        "linear-api-key",
        "notion-token",
        "atlassian-api-token",
        "heroku-api-key",
        "doppler-token",
        "sentry-auth-token",
        "supabase-secret-key",
        "groq-api-key",
    ] {
        detector(id);
    }
}

#[test]
fn table_true_positives_are_reported_redacted() {
    for d in providers::detectors() {
        for tp in d.true_positives {
            let findings = scan("src/config.ts", tp);
            assert!(
                findings.iter().any(|f| f.rule_id == "AS601"),
                "{}: no AS601 finding",
                d.id
            );
            let json = json(&findings);
            for m in providers::find(tp) {
                assert_no_leak(&json, &tp[m.secret.clone()]);
            }
        }
    }
}

#[test]
fn rule_metadata_is_complete() {
    let mut ids = HashSet::new();
    assert_eq!(secrets::RULES.len(), 5);
    for rule in secrets::RULES {
        let meta = rule.meta();
        assert!(ids.insert(meta.id), "duplicate id {}", meta.id);
        assert!(
            meta.id.starts_with("AS6") && meta.id.len() == 5,
            "{}",
            meta.id
        );
        assert_eq!(meta.family, Family::Secrets, "{}", meta.id);
        assert_eq!(meta.owasp_mcp, "MCP01:2025", "{}", meta.id);
        assert!(meta.cwe.contains(&798), "{}", meta.id);
        assert!(
            meta.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}: name {} is not kebab-case",
            meta.id,
            meta.name
        );
        cvss::v4::Vector::from_str(meta.cvss_vector)
            .unwrap_or_else(|e| panic!("{}: bad CVSS vector: {e:?}", meta.id));
        for text in [meta.title, meta.summary, meta.why, meta.remediation] {
            assert!(!text.is_empty(), "{}", meta.id);
        }
        assert!(!meta.references.is_empty(), "{}", meta.id);
        let tps = meta
            .examples
            .iter()
            .filter(|e| e.kind == ExampleKind::TruePositive)
            .count();
        assert!(tps >= 3, "{}: {tps} true-positive examples", meta.id);
        assert!(
            meta.examples.len() - tps >= 3,
            "{}: too few false-positive examples",
            meta.id
        );
    }
}

#[test]
fn rule_examples_fire_their_rule_alone_or_nothing() {
    for rule in secrets::RULES {
        let meta = rule.meta();
        for (i, example) in meta.examples.iter().enumerate() {
            let findings = scan(example.file, example.code);
            let fired: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
            match example.kind {
                ExampleKind::TruePositive => assert!(
                    !fired.is_empty() && fired.iter().all(|id| *id == meta.id),
                    "{} example #{i} ({}): expected only {}, got {fired:?}",
                    meta.id,
                    example.file,
                    meta.id
                ),
                ExampleKind::FalsePositive => assert!(
                    fired.is_empty(),
                    "{} example #{i} ({}): expected nothing, got {fired:?}: {}",
                    meta.id,
                    example.file,
                    json(&findings)
                ),
            }
        }
    }
}

/// A fixture file: its path as the rules see it, its armed text, and the text around
/// each marker (the secret pieces that must never appear in a finding).
struct Fixture {
    path: String,
    text: String,
    secrets: Vec<String>,
}

fn fixture_dir(rule: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/secrets")
        .join(rule)
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn load_fixture(root: &Path, file: &Path) -> Fixture {
    let raw = std::fs::read_to_string(file).expect("fixture is UTF-8");
    let is_secret_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/');
    let mut secrets = Vec::new();
    for (at, _) in raw.match_indices(MARKER) {
        let before: String = raw[..at]
            .chars()
            .rev()
            .take_while(|&c| is_secret_char(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = raw[at + MARKER.len()..]
            .chars()
            .take_while(|&c| is_secret_char(c))
            .collect();
        let secret = format!("{before}{after}");
        assert!(
            secret.len() >= 12,
            "short secret around marker in {}",
            file.display()
        );
        secrets.push(secret);
    }
    let path = file
        .strip_prefix(root)
        .expect("fixture under its rule directory")
        .to_string_lossy()
        .replace('\\', "/");
    Fixture {
        path,
        text: raw.replace(MARKER, ""),
        secrets,
    }
}

fn fixtures(rule: &str) -> Vec<Fixture> {
    let root = fixture_dir(rule);
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.iter().map(|f| load_fixture(&root, f)).collect()
}

fn snapshot_rule_fixture(rule: &str) {
    let mut all = Vec::new();
    for fixture in fixtures(rule) {
        let findings = scan(&fixture.path, &fixture.text);
        let json = json(&findings);
        for secret in &fixture.secrets {
            assert_no_leak(&json, secret);
        }
        all.extend(findings);
    }
    assert!(
        all.iter().any(|f| f.rule_id == rule),
        "the {rule} fixture produces no {rule} finding"
    );
    insta::assert_json_snapshot!(rule, all);
}

#[test]
fn fixture_as601_provider_api_token() {
    snapshot_rule_fixture("AS601");
}

#[test]
fn fixture_as602_private_key_block() {
    snapshot_rule_fixture("AS602");
}

#[test]
fn fixture_as603_jwt_token() {
    snapshot_rule_fixture("AS603");
}

#[test]
fn fixture_as604_generic_secret_assignment() {
    snapshot_rule_fixture("AS604");
}

#[test]
fn fixture_as605_credentials_in_url() {
    snapshot_rule_fixture("AS605");
}

#[test]
fn every_fixture_secret_is_found_and_redacted() {
    for rule in ["AS601", "AS602", "AS603", "AS604", "AS605"] {
        for fixture in fixtures(rule) {
            let findings = scan(&fixture.path, &fixture.text);
            let json = json(&findings);
            for secret in &fixture.secrets {
                assert_no_leak(&json, secret);
            }
            // Every marked secret is inside some finding's lines.
            for secret in &fixture.secrets {
                let at = fixture.text.find(secret.as_str()).expect("secret in text");
                let line = u32::try_from(fixture.text[..at].matches('\n').count() + 1)
                    .expect("small file");
                assert!(
                    findings
                        .iter()
                        .any(|f| f.location.line <= line && line <= f.location.end_line),
                    "{}: marked secret on line {line} not reported",
                    fixture.path
                );
            }
        }
    }
}

/// A GitHub token from the table's own examples, so no new literal is needed here.
fn github_token() -> String {
    let tp = detector("github-pat").true_positives[0];
    let m = providers::find(tp).remove(0);
    tp[m.secret].to_string()
}

#[test]
fn confidence_follows_the_path_context() {
    let token = github_token();
    let code = format!("const token = \"{token}\";\n");
    let confidence = |path: &str| {
        let findings = scan(path, &code);
        assert_eq!(findings.len(), 1, "{path}");
        assert_eq!(findings[0].rule_id, "AS601");
        findings[0].confidence
    };
    assert_eq!(confidence("src/index.ts"), Confidence::High);
    assert_eq!(confidence("dist/index.js"), Confidence::High);
    assert_eq!(confidence("tests/index.test.ts"), Confidence::Low);
    assert_eq!(confidence("examples/demo.ts"), Confidence::Low);
    assert_eq!(confidence("docs/setup.md"), Confidence::Low);
    // File names that say "example" or "package metadata", wherever they live.
    assert_eq!(confidence("data/waf/examples-1.json"), Confidence::Low);
    assert_eq!(confidence("config/settings.sample.ts"), Confidence::Low);
    assert_eq!(confidence("pkg.egg-info/PKG-INFO"), Confidence::Low);
    assert_eq!(confidence("src/sampler.ts"), Confidence::High);

    let env = format!("GITHUB_TOKEN={token}\n");
    let findings = scan(".env.example", &env);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].confidence, Confidence::Low);
    assert!(
        findings[0]
            .evidence
            .iter()
            .any(|e| e.label == "path context")
    );

    let generic = concat!("password = \"Zq8vN3kL", "m2Xw9Rt5\"\n");
    let findings = scan("src/db.py", generic);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0].rule_id.as_str(), findings[0].confidence),
        ("AS604", Confidence::Medium)
    );
    assert_eq!(
        scan("tests/test_db.py", generic)[0].confidence,
        Confidence::Low
    );
}

#[test]
fn a_truncated_key_placeholder_does_not_hide_the_next_key() {
    let root = fixture_dir("AS602");
    let key = load_fixture(&root, &root.join("certs/server.key"));
    let text = format!(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n\n{}",
        key.text
    );
    let findings = scan("certs/bundle.pem", &text);
    assert_eq!(findings.len(), 1, "{}", json(&findings));
    assert_eq!(findings[0].rule_id, "AS602");
    assert_eq!(findings[0].location.line, 4);
}

#[test]
fn findings_per_file_are_capped_with_a_count_of_the_rest() {
    let line = concat!("password = \"Zq8vN3kL", "m2Xw9Rt5\"\n");
    let findings = scan("src/generated.py", &line.repeat(1005));
    assert_eq!(findings.len(), 1000);
    assert!(findings.iter().all(|f| f.rule_id == "AS604"));
    assert_eq!(findings[999].location.line, 1000);
    assert!(
        findings[999]
            .evidence
            .iter()
            .any(|e| e.label == "further matches in this file" && e.value.starts_with("5 more"))
    );
}

/// A signed JWT with the given payload and a synthetic signature.
fn jwt(payload: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(payload);
    let signature: String = (0..43u32)
        .map(|i| char::from(b"Qw7Er5Ty3Ui1Op9As8Df6Gh4Jk2Lz0Xc-Vb_Nm"[(i * 7 % 38) as usize]))
        .collect();
    format!("{header}.{payload}.{signature}")
}

#[test]
fn jwt_severity_is_read_from_the_claims() {
    let cases = [
        (
            r#"{"role":"service_role","iss":"supabase"}"#,
            Severity::High,
        ),
        (r#"{"role":"anon","iss":"supabase"}"#, Severity::Low),
        (r#"{"sub":"svc-7731","exp":1900000000}"#, Severity::Medium),
    ];
    for (payload, severity) in cases {
        let findings = scan(
            "src/client.ts",
            &format!("const t = \"{}\";\n", jwt(payload)),
        );
        assert_eq!(findings.len(), 1, "{payload}");
        assert_eq!(findings[0].rule_id, "AS603");
        assert_eq!(findings[0].severity, severity, "{payload}");
    }
    let no_exp = scan(
        "src/client.ts",
        &format!("t = '{}'\n", jwt(r#"{"sub":"svc-7731"}"#)),
    );
    assert!(
        no_exp[0]
            .evidence
            .iter()
            .any(|e| e.label == "expiry" && e.value.contains("never expires"))
    );
}

#[test]
fn a_large_single_line_file_is_scanned_correctly() {
    // Minified-bundle-like text full of keyword bait for every scanner.
    let bait = concat!(
        "var e={key:\"k\",token:t,auth:null,password:p,url:\"https://cdn.host/x.js\",",
        "msg:\"sg.x\",secret_:2,b:\"eyJ0\",c:\"-----BEGIN CERTIFICATE-----\",d:\"sk_live_\",",
        "f:\"AIza\",g:\":AA\",h:\"btn-user\",i:\"ghp_\",j:\"user@host\",k:\"a://b:c\"};"
    );
    let token = github_token();
    let jwt = jwt(r#"{"sub":"svc-7731","exp":1900000000}"#);
    let url = concat!("postgres://app:Vq7Lm2Xp", "9Rt4Wz8K@db.internal/app");
    let password = concat!("Hk3Jq8Zx", "2Wm7Rp4N");
    let mut text = String::with_capacity(5 << 20);
    let mut expected = Vec::new();
    while text.len() < 5 << 20 {
        let n = text.len() / bait.len();
        text.push_str(bait);
        let secret = match n {
            10 => Some(("AS601", format!("o.t=\"{token}\";"))),
            20_000 => Some(("AS603", format!("o.j=\"{jwt}\";"))),
            40_000 => Some(("AS605", format!("o.u=\"{url}\";"))),
            60_000 => Some(("AS604", format!("o.password=\"{password}\";"))),
            _ => None,
        };
        if let Some((rule, code)) = secret {
            expected.push((rule, text.len()));
            text.push_str(&code);
        }
    }
    assert!(!text.contains('\n'));
    let findings = scan("dist/bundle.min.js", &text);
    let got: Vec<(&str, u32)> = findings
        .iter()
        .map(|f| (f.rule_id.as_str(), f.location.line))
        .collect();
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for (rule, offset) in expected {
        let f = findings
            .iter()
            .find(|f| f.rule_id == rule)
            .unwrap_or_else(|| panic!("no {rule} finding: {got:?}"));
        // The finding points just after the statement's start (`o.x="` or `o.`).
        let column = usize::try_from(f.location.column).expect("column fits");
        assert!(
            (offset + 1..offset + 16).contains(&column),
            "{rule} at column {column}, statement at {offset}"
        );
        assert!(
            f.snippet.chars().count() <= 250,
            "{rule}: snippet not windowed"
        );
    }
    assert_no_leak(&json(&findings), &token);
    assert_no_leak(&json(&findings), &jwt);
    assert_no_leak(&json(&findings), password);
}
