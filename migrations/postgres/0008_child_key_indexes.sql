-- Indexes on the child side of the foreign keys to contacts (see
-- migrations/sqlite/0008_child_key_indexes.sql). PostgreSQL does not index
-- referencing columns by itself; deleting a contact (ON DELETE CASCADE)
-- looks its children up by (company_id, contact_id).
CREATE INDEX contact_phones_contact ON contact_phones (company_id, contact_id);
CREATE INDEX contact_emails_contact ON contact_emails (company_id, contact_id);
CREATE INDEX contact_group_members_contact ON contact_group_members (company_id, contact_id);
CREATE INDEX contact_field_values_contact ON contact_field_values (company_id, contact_id);
CREATE INDEX contact_field_options_contact ON contact_field_options (company_id, contact_id);
