-- Main contact (issue 8): a contact may be linked to a main contact of the
-- same company (one level: a main is never linked itself). No ON DELETE
-- action: deleting a main unlinks its members first, in the same
-- transaction, and records it on their timelines (SET NULL would also null
-- company_id, part of the composite key).
ALTER TABLE contacts ADD COLUMN main_contact_id INTEGER
    REFERENCES contacts (id);
-- A main's members; also what the foreign key's check on deleting a contact
-- looks up (by main_contact_id alone).
CREATE INDEX contacts_main ON contacts (main_contact_id) WHERE main_contact_id IS NOT NULL;
