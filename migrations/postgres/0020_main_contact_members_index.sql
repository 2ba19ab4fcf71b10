-- A main contact's members in name order from the index alone (see
-- migrations/sqlite/0020_main_contact_members_index.sql; the same index on
-- both backends).
DROP INDEX contacts_main;
CREATE INDEX contacts_main ON contacts (main_contact_id, company_id, sort_key, id)
    WHERE main_contact_id IS NOT NULL;
