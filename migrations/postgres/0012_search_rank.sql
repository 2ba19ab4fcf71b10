-- The search index in name order: SQLite only.
--
-- SQLite's trigram index (FTS5) gives matches in row-id order, so its row
-- id became a rank that follows the list's name order
-- (migrations/sqlite/0012_search_rank.sql). PostgreSQL's pg_trgm indexes
-- feed its own planner, which sorts and limits by itself; nothing changes
-- here. This step keeps both folders' migrations in step
-- (db::tests::both_backends_have_the_same_migrations).
SELECT 1;
