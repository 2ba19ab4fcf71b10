-- Index entries for new ranks written in rank order: SQLite only
-- (migrations/sqlite/0013_search_index_written_by_ranker.sql; PostgreSQL
-- has no ranks). This step keeps both folders' migrations in step
-- (db::tests::both_backends_have_the_same_migrations).
SELECT 1;
