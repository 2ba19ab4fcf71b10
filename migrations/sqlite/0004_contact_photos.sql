-- Contact photos live in the database, beside the contact: every server
-- process sees them (no shared file system needed), and deleting a contact
-- removes its photo in the same transaction (ON DELETE CASCADE).
-- `contacts.photo` holds the current photo's version token (changes on every
-- upload, so browsers may cache a photo URL forever), NULL without a photo.
CREATE TABLE contact_photos (
    company_id    INTEGER NOT NULL,
    contact_id    INTEGER NOT NULL PRIMARY KEY,
    content_type  TEXT    NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes         BLOB    NOT NULL,
    updated_at    TEXT    NOT NULL,
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE
);
