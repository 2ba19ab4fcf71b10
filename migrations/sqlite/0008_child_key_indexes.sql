-- Indexes on the child side of the foreign keys to contacts. Each child
-- table references contacts by (company_id, contact_id), and SQLite looks
-- children up by exactly those columns when a contact is deleted (ON DELETE
-- CASCADE) and when a deferred foreign key is settled (the import writes a
-- batch's phones and e-mails before their contacts). Without them each of
-- those was a full scan of the child table.
CREATE INDEX contact_phones_contact ON contact_phones (company_id, contact_id);
CREATE INDEX contact_emails_contact ON contact_emails (company_id, contact_id);
CREATE INDEX contact_group_members_contact ON contact_group_members (company_id, contact_id);
CREATE INDEX contact_field_values_contact ON contact_field_values (company_id, contact_id);
CREATE INDEX contact_field_options_contact ON contact_field_options (company_id, contact_id);

-- The search index row of a contact is replaced on every change of its
-- search text. A contact indexed for the first time (its old search_text is
-- still NULL) has no row to delete: skip the DELETE, which in a
-- contentless_delete FTS5 table still records a tombstone.
DROP TRIGGER contact_search_index_update;
CREATE TRIGGER contact_search_index_update AFTER UPDATE OF search_text, search_phones ON contacts BEGIN
    DELETE FROM contact_search WHERE rowid = old.id AND old.search_text IS NOT NULL;
    INSERT INTO contact_search (rowid, text, phones)
        VALUES (new.id, new.search_text, new.search_phones);
END;
