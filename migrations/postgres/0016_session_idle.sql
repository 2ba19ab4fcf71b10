-- Sessions end after a time without use (AGENDA_SESSION_IDLE_HOURS) as well
-- as 30 days after login. last_seen_at is refreshed at most every few
-- minutes of use (app::auth::session). Sessions from before this migration
-- count from their login.
ALTER TABLE sessions ADD COLUMN last_seen_at TIMESTAMPTZ;
UPDATE sessions SET last_seen_at = created_at;
ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;

-- The periodic purge (app::housekeeping) deletes by these.
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
CREATE INDEX invites_expires ON invites (expires_at);
