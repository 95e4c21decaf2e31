-- Assay service schema, version 2: how many findings of each rule (and effective severity)
-- every succeeded scan reported, so that public statistics are SQL aggregates instead of
-- a pass over every stored report. Written with the report by `complete`; this step
-- fills it in for the reports already stored.
-- Keep in step with ../postgres/0002_rule_counts.sql.

CREATE TABLE scan_rule_counts (
    scan_id   TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    rule_id   TEXT NOT NULL,
    family    TEXT NOT NULL,
    severity  TEXT NOT NULL
              CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
    findings  INTEGER NOT NULL CHECK (findings >= 1),
    PRIMARY KEY (scan_id, rule_id, severity)
) STRICT, WITHOUT ROWID;
CREATE INDEX scan_rule_counts_rule ON scan_rule_counts(rule_id);

INSERT INTO scan_rule_counts (scan_id, rule_id, family, severity, findings)
SELECT s.id,
       json_extract(f.value, '$.rule_id'),
       MIN(json_extract(f.value, '$.family')),
       json_extract(f.value, '$.severity'),
       COUNT(*)
FROM scans AS s, json_each(s.report, '$.findings') AS f
WHERE s.status = 'succeeded' AND s.report IS NOT NULL
GROUP BY s.id, json_extract(f.value, '$.rule_id'), json_extract(f.value, '$.severity');
