-- Bulk writes fill the search columns once per contact.
--
-- PostgreSQL's step (its triggers stand aside while a bulk writer fills the
-- search columns itself). SQLite needs no change: its bulk writer inserts a
-- batch's phones and e-mails before their contacts (foreign keys deferred to
-- the commit), so each contact's own insert trigger indexes it once
-- (app/src/contacts/bulk_repo.rs). Kept so both folders list the same steps.
SELECT 1;
