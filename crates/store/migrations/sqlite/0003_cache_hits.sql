-- Assay service schema, version 3: how many later identical submissions each scan's
-- result was returned to (`cached: true`), so that reading a scan can say whether its
-- result was reused. Counted by `submit`, in the same transaction that finds the result.
-- Keep in step with ../postgres/0003_cache_hits.sql.

ALTER TABLE scans ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0 CHECK (cache_hits >= 0);
