//! Public statistics: SQL aggregates over the latest public result per package, never
//! private scans, and the per-rule counts they are built from (written with each report,
//! and backfilled by the migration for reports stored before it).

mod common;

use std::collections::BTreeMap;

use assay_core::{Confidence, Family, Finding, Location, Severity};
use assay_store::{PublicStats, RuleTally, StatusCounts, Store};
use common::{LEASE, at, finish_with, owner, private, public, report};

/// A finding of `rule_id` with `severity`, distinct from the others by `n`.
fn finding(rule_id: &str, family: Family, severity: Severity, n: u32) -> Finding {
    Finding {
        rule_id: rule_id.to_string(),
        rule_name: format!("rule-{rule_id}"),
        title: format!("{rule_id} title"),
        family,
        severity,
        confidence: Confidence::High,
        cwe: Vec::new(),
        owasp_mcp: String::new(),
        location: Location::point("src/index.ts", n, 1),
        snippet: format!("line {n}"),
        tool: None,
        message: String::new(),
        remediation: String::new(),
        evidence: Vec::new(),
        flow: Vec::new(),
        fingerprint: format!("{rule_id}-{n}"),
        aivss: None,
    }
}

/// Queues `key` (public, or private to `org`), then finishes it with a report of
/// `canonical_id` scoring `score` with `findings`.
async fn scanned(
    store: &dyn Store,
    request: assay_store::NewScan,
    canonical_id: &str,
    score: u8,
    findings: Vec<Finding>,
    when: i64,
) {
    store.submit(request, at(when)).await.unwrap();
    let mut report = report(canonical_id, score, None);
    report.findings = findings;
    finish_with(store, &report, when).await;
}

fn map(entries: &[(&str, u64)]) -> BTreeMap<String, u64> {
    entries.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

fn tally(rule_id: &str, family: &str, packages: u64, findings: u64) -> RuleTally {
    RuleTally {
        rule_id: rule_id.into(),
        family: family.into(),
        packages,
        findings,
    }
}

/// Public packages `alpha` (rescanned: only the second result counts) and `beta`, a failed
/// and a queued public job, and private scans — one of a package nobody scanned publicly,
/// one newer than alpha's public result — that must change nothing.
async fn populate(store: &dyn Store) {
    use Family::{Malicious, Metadata, Secrets, Transport};
    use Severity::{Critical, High, Low, Medium};
    let acme = owner(store, "acme").await;
    let alpha_v1 = vec![
        finding("AS101", Metadata, High, 1),
        finding("AS101", Metadata, High, 2),
        finding("AS601", Secrets, Critical, 3),
    ];
    scanned(
        store,
        public("npm:alpha@1"),
        "npm:alpha@1.0.0",
        50,
        alpha_v1,
        1,
    )
    .await;
    let alpha_v2 = vec![finding("AS101", Metadata, High, 1)];
    scanned(
        store,
        public("npm:alpha@2"),
        "npm:alpha@2.0.0",
        80,
        alpha_v2,
        2,
    )
    .await;
    let beta = vec![
        finding("AS301", Transport, Low, 1),
        finding("AS101", Metadata, Medium, 2),
    ];
    scanned(store, public("pypi:beta"), "pypi:beta==0.1", 95, beta, 3).await;
    let secret = (1..=5)
        .map(|n| finding("AS601", Secrets, Critical, n))
        .collect();
    let private_secret = private("npm:secret", &acme);
    scanned(store, private_secret, "npm:secret@1.0.0", 10, secret, 4).await;
    let newer = (1..=3)
        .map(|n| finding("AS501", Malicious, Critical, n))
        .collect();
    let private_alpha = private("npm:alpha@3", &acme);
    scanned(store, private_alpha, "npm:alpha@3.0.0", 20, newer, 5).await;

    store.submit(public("npm:gamma"), at(6)).await.unwrap();
    let job = store.claim("w", LEASE, at(6)).await.unwrap().unwrap();
    store
        .fail(&job.id, "w", "TARGET_NOT_FOUND", "no such package", at(7))
        .await
        .unwrap();
    store.submit(public("npm:delta"), at(8)).await.unwrap();
    // A private job in the queue is not a public one either.
    store
        .submit(private("npm:hidden", &acme), at(9))
        .await
        .unwrap();
}

fn expected(top: &[RuleTally]) -> PublicStats {
    PublicStats {
        scans: StatusCounts {
            queued: 1,
            running: 0,
            succeeded: 3,
            failed: 1,
            cancelled: 0,
        },
        packages: 2,
        average_score: Some(87.5),
        grades: map(&[("A", 1), ("B", 1)]),
        severities: map(&[("high", 1), ("low", 1), ("medium", 1)]),
        families: map(&[("metadata", 2), ("transport", 1)]),
        top_rules: top.to_vec(),
    }
}

backends! {
    async fn stats_describe_the_latest_public_result_of_each_package_only(db) {
        let store = &db.store;
        assert_eq!(
            store.stats(10).await.unwrap(),
            PublicStats::default(),
            "an empty database"
        );
        populate(store).await;
        let top = [
            tally("AS101", "metadata", 2, 2),
            tally("AS301", "transport", 1, 1),
        ];
        assert_eq!(store.stats(10).await.unwrap(), expected(&top));
        assert_eq!(store.stats(1).await.unwrap(), expected(&top[..1]));
        // The private jobs exist: only visibility keeps them out.
        let all = store.status_counts().await.unwrap();
        assert_eq!((all.succeeded, all.queued), (5, 2));
    }
}

backends! {
    async fn the_migration_backfills_rule_counts_of_stored_reports(db) {
        populate(&db.store).await;
        let before = db.store.stats(10).await.unwrap();
        // Back to schema version 1, as a database from before the table existed.
        let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
        sqlx::query("DROP TABLE scan_rule_counts")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM assay_migrations WHERE version = 2")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let reopened = db.reopen().await;
        assert_eq!(reopened.stats(10).await.unwrap(), before);
        assert_eq!(before.severities["high"], 1);
    }
}
