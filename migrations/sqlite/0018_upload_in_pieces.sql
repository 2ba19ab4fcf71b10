-- An upload stores its file in small transactions (one per 1 MiB piece), so
-- other writers are not held back while a large file goes in. The job row
-- comes first, without uploaded_at; it counts as a job only once every piece
-- is stored (uploaded_at set). A job a crash left half-stored is deleted by
-- the periodic purge (app::housekeeping).
ALTER TABLE import_jobs ADD COLUMN uploaded_at TEXT;
UPDATE import_jobs SET uploaded_at = created_at;
CREATE INDEX import_jobs_waiting ON import_jobs (status, created_at);
