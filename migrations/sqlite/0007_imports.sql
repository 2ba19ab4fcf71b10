-- CSV imports: a job per uploaded file, the file itself (in chunks, so any
-- server process can run the job and no shared disk is needed), and the
-- rows that failed (for the error report).
--
-- A job's counters are updated in the same transaction as the contacts of
-- each batch, so after a crash, a kill -9 or a cancel they say exactly what
-- was committed.

CREATE TABLE import_jobs (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    created_by        INTEGER NOT NULL,
    file_name         TEXT    NOT NULL,
    file_size         INTEGER NOT NULL,
    -- 'utf-8', 'utf-8-bom' or 'windows-1252'; the delimiter as one character.
    encoding          TEXT    NOT NULL,
    delimiter         TEXT    NOT NULL,
    -- uploaded: waiting for the mapping; queued/running: importing;
    -- done, failed, cancelled: finished.
    status            TEXT    NOT NULL CHECK (status IN (
                          'uploaded', 'queued', 'running', 'done', 'failed', 'cancelled')),
    -- JSON array of column targets, and the duplicate policy.
    mapping           TEXT,
    policy            TEXT    CHECK (policy IN ('skip', 'update', 'create')),
    -- Data rows in the file (counted at upload), and what became of them.
    total_rows        INTEGER NOT NULL,
    rows_done         INTEGER NOT NULL DEFAULT 0,
    created           INTEGER NOT NULL DEFAULT 0,
    updated           INTEGER NOT NULL DEFAULT 0,
    skipped           INTEGER NOT NULL DEFAULT 0,
    failed            INTEGER NOT NULL DEFAULT 0,
    -- Why the whole job failed (not a row's error).
    error             TEXT,
    cancel_requested  INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    created_at        TEXT    NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    -- Written with every committed batch: a running job whose heartbeat is
    -- old lost its server process.
    heartbeat_at      TEXT,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, created_by) REFERENCES users (company_id, id) ON DELETE CASCADE
);
CREATE INDEX import_jobs_company ON import_jobs (company_id, id);

-- The uploaded bytes, as received, in pieces of about 1 MiB. Deleted when
-- the job ends.
CREATE TABLE import_chunks (
    company_id  INTEGER NOT NULL,
    job_id      INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    bytes       BLOB    NOT NULL,
    PRIMARY KEY (job_id, seq),
    FOREIGN KEY (company_id, job_id) REFERENCES import_jobs (company_id, id) ON DELETE CASCADE
);

-- Rows that could not be imported: the file's line number, the row's cells
-- (JSON array of strings) and why.
CREATE TABLE import_errors (
    company_id  INTEGER NOT NULL,
    job_id      INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    cells       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    PRIMARY KEY (job_id, line),
    FOREIGN KEY (company_id, job_id) REFERENCES import_jobs (company_id, id) ON DELETE CASCADE
);

-- The import that created a contact (its timeline says so). Not a foreign
-- key: the job's row may be deleted while the contact stays.
ALTER TABLE contacts ADD COLUMN import_job_id INTEGER;
