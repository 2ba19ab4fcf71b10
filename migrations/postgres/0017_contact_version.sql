-- Optimistic concurrency on contacts: every write that changes what the
-- contact form shows adds one to version, and a save or merge carries the
-- version it was read at (a stale one is refused with 409). updated_by is
-- the user whose save made the current version (NULL: an import, an admin's
-- change of the directory, or a contact not edited since this migration).
ALTER TABLE contacts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN updated_by BIGINT;
