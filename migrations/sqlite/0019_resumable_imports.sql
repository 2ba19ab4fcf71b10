-- Imports resume after a crash, a kill -9 or a deploy instead of failing.
--
-- attempt: how many times a process has taken the job (claimed it queued, or
-- took it over once its heartbeat went stale). A runner writes a batch only
-- while the job's attempt is still its own, so a process that was declared
-- gone and comes back writes nothing. Each run reads the file from its start
-- and skips the rows_done rows already committed (they were committed in the
-- same transaction as their counters), so every row is written exactly once.
--
-- compact_pending: the import wrote enough contacts to compact the search
-- index afterwards, and that has not finished yet (a kill during it is
-- finished by the next process).
ALTER TABLE import_jobs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN compact_pending INTEGER NOT NULL DEFAULT 0
    CHECK (compact_pending IN (0, 1));
