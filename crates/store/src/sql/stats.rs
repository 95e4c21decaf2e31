//! Per-rule finding counts written with each report, and the public statistics
//! aggregated from them.

use std::collections::BTreeMap;

use assay_core::Report;
use sqlx::any::AnyRow;

use super::Db;
use super::rows::get;
use super::scans::{package_rank, status_counts};
use crate::error::{Result, StoreError};
use crate::model::Visibility;
use crate::stats::{PublicStats, RuleTally};

/// Stores how many findings of each (rule, effective severity) `report` has, in the
/// transaction that stores the report.
pub(super) async fn record_rule_counts(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    scan_id: &str,
    report: &Report,
) -> Result<()> {
    let mut counts: BTreeMap<(&str, &str), (&str, i64)> = BTreeMap::new();
    for finding in &report.findings {
        let key = (finding.rule_id.as_str(), finding.severity.as_str());
        counts.entry(key).or_insert((finding.family.as_str(), 0)).1 += 1;
    }
    for ((rule_id, severity), (family, findings)) in counts {
        sqlx::query(
            "INSERT INTO scan_rule_counts (scan_id, rule_id, family, severity, findings) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(scan_id)
        .bind(rule_id)
        .bind(family)
        .bind(severity)
        .bind(findings)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The latest public result of every package (`id`, `score`, `grade`), as a CTE.
macro_rules! latest_public {
    () => {
        concat!(
            "WITH latest AS (SELECT id, score, grade FROM (SELECT id, score, grade, ",
            package_rank!(),
            " FROM scans WHERE visibility = 'public' AND status = 'succeeded' \
             AND package IS NOT NULL) AS ranked WHERE rank = 1) "
        )
    };
}

/// A non-negative count column.
fn count(row: &AnyRow, column: &'static str) -> Result<u64> {
    let n: i64 = get(row, column)?;
    u64::try_from(n).map_err(|e| StoreError::corrupt(column, e))
}

/// The `(name, n)` rows of a grouped count, as a map.
async fn tally(db: &Db, sql: &'static str) -> Result<BTreeMap<String, u64>> {
    sqlx::query(sql)
        .fetch_all(&db.reader)
        .await?
        .iter()
        .map(|row| Ok((get(row, "name")?, count(row, "n")?)))
        .collect()
}

/// Public statistics, with the `top_rules` most widespread rules.
pub(super) async fn stats(db: &Db, top_rules: u32) -> Result<PublicStats> {
    let scans = status_counts(db, Some(Visibility::Public)).await?;
    let totals = sqlx::query(concat!(
        latest_public!(),
        "SELECT COUNT(*) AS packages, CAST(COALESCE(SUM(score), 0) AS BIGINT) AS score_sum \
         FROM latest"
    ))
    .fetch_one(&db.reader)
    .await?;
    let packages = count(&totals, "packages")?;
    let score_sum = count(&totals, "score_sum")?;
    let grades = tally(
        db,
        concat!(
            latest_public!(),
            "SELECT grade AS name, COUNT(*) AS n FROM latest GROUP BY grade"
        ),
    )
    .await?;
    let severities = tally(
        db,
        concat!(
            latest_public!(),
            "SELECT c.severity AS name, CAST(SUM(c.findings) AS BIGINT) AS n FROM latest \
             JOIN scan_rule_counts c ON c.scan_id = latest.id GROUP BY c.severity"
        ),
    )
    .await?;
    let families = tally(
        db,
        concat!(
            latest_public!(),
            "SELECT c.family AS name, CAST(SUM(c.findings) AS BIGINT) AS n FROM latest \
             JOIN scan_rule_counts c ON c.scan_id = latest.id GROUP BY c.family"
        ),
    )
    .await?;
    let top_rules = sqlx::query(concat!(
        latest_public!(),
        "SELECT c.rule_id, MIN(c.family) AS family, COUNT(DISTINCT c.scan_id) AS packages, \
         CAST(SUM(c.findings) AS BIGINT) AS findings FROM latest \
         JOIN scan_rule_counts c ON c.scan_id = latest.id GROUP BY c.rule_id \
         ORDER BY packages DESC, findings DESC, c.rule_id ASC LIMIT $1"
    ))
    .bind(i64::from(top_rules))
    .fetch_all(&db.reader)
    .await?
    .iter()
    .map(|row| {
        Ok(RuleTally {
            rule_id: get(row, "rule_id")?,
            family: get(row, "family")?,
            packages: count(row, "packages")?,
            findings: count(row, "findings")?,
        })
    })
    .collect::<Result<_>>()?;
    Ok(PublicStats {
        scans,
        packages,
        average_score: (packages > 0).then(|| score_sum as f64 / packages as f64),
        grades,
        severities,
        families,
        top_rules,
    })
}
