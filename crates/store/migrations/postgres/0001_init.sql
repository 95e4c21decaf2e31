-- Assay service schema, version 1 (PostgreSQL). Times are Unix milliseconds (UTC).
-- Keep in step with ../sqlite/0001_init.sql: same tables, columns and meaning.

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name        TEXT NOT NULL UNIQUE,
    tier        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX accounts_org ON accounts(org_id);

CREATE TABLE api_keys (
    id             TEXT PRIMARY KEY,
    account_id     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    prefix         TEXT NOT NULL UNIQUE,
    secret_sha256  BYTEA NOT NULL CHECK (octet_length(secret_sha256) = 32),
    scopes         TEXT NOT NULL,
    allowed_cidrs  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT,
    last_used_at   BIGINT
);
CREATE INDEX api_keys_account ON api_keys(account_id);

CREATE TABLE scans (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    org_id            TEXT REFERENCES orgs(id) ON DELETE SET NULL,
    account_id        TEXT REFERENCES accounts(id) ON DELETE SET NULL,
    input             TEXT NOT NULL,
    base_path         TEXT,
    git_ref           TEXT,
    target_key        TEXT NOT NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('fast', 'deep')),
    visibility        TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
    engine_version    TEXT NOT NULL,
    status            TEXT NOT NULL
                      CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    attempts          BIGINT NOT NULL DEFAULT 0,
    max_attempts      BIGINT NOT NULL CHECK (max_attempts >= 1),
    lease_owner       TEXT,
    lease_expires_at  BIGINT,
    heartbeat_at      BIGINT,
    created_at        BIGINT NOT NULL,
    started_at        BIGINT,
    finished_at       BIGINT,
    error_code        TEXT,
    error_message     TEXT,
    report            TEXT,
    score             BIGINT,
    grade             TEXT,
    canonical_id      TEXT,
    source            TEXT,
    package           TEXT,
    version           TEXT,
    CHECK (visibility = 'public' OR org_id IS NOT NULL)
);
-- The queue: oldest claimable job first.
CREATE INDEX scans_claimable ON scans(status, seq);
CREATE INDEX scans_lease ON scans(status, lease_expires_at);
-- Idempotent submissions.
CREATE INDEX scans_target ON scans(target_key, mode, engine_version, visibility, status);
-- Own history.
CREATE INDEX scans_org ON scans(org_id, seq);
-- Public listings and the registry.
CREATE INDEX scans_public ON scans(visibility, status, finished_at);
CREATE INDEX scans_package ON scans(source, package, visibility, status, finished_at);

CREATE TABLE scan_events (
    scan_id     TEXT NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL CHECK (seq >= 1),
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (scan_id, seq)
);

CREATE TABLE rate_counters (
    subject       TEXT NOT NULL,
    bucket        TEXT NOT NULL,
    window_start  BIGINT NOT NULL,
    count         BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (subject, bucket, window_start)
);
