-- Main contact (see migrations/sqlite/0010_main_contact.sql). PostgreSQL can
-- add the composite key SQLite's ALTER TABLE cannot: links never cross
-- companies, enforced by the database too.
ALTER TABLE contacts ADD COLUMN main_contact_id BIGINT;
ALTER TABLE contacts ADD CONSTRAINT contacts_main_fk
    FOREIGN KEY (company_id, main_contact_id) REFERENCES contacts (company_id, id);
CREATE INDEX contacts_main ON contacts (company_id, main_contact_id) WHERE main_contact_id IS NOT NULL;
