-- Assay service schema, version 2 (PostgreSQL): how many findings of each rule (and
-- effective severity) every succeeded scan reported, so that public statistics are SQL
-- aggregates instead of a pass over every stored report. Written with the report by
-- `complete`; this step fills it in for the reports already stored.
-- Keep in step with ../sqlite/0002_rule_counts.sql.

CREATE TABLE scan_rule_counts (
    scan_id   TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    rule_id   TEXT NOT NULL,
    family    TEXT NOT NULL,
    severity  TEXT NOT NULL
              CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
    findings  BIGINT NOT NULL CHECK (findings >= 1),
    PRIMARY KEY (scan_id, rule_id, severity)
);
CREATE INDEX scan_rule_counts_rule ON scan_rule_counts(rule_id);

INSERT INTO scan_rule_counts (scan_id, rule_id, family, severity, findings)
SELECT s.id,
       f.value ->> 'rule_id',
       MIN(f.value ->> 'family'),
       f.value ->> 'severity',
       COUNT(*)
FROM scans AS s, jsonb_array_elements(s.report::jsonb -> 'findings') AS f(value)
WHERE s.status = 'succeeded' AND s.report IS NOT NULL
GROUP BY s.id, f.value ->> 'rule_id', f.value ->> 'severity';
