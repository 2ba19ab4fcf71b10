-- Custom fields: each company defines its own contact fields.
--
-- Definitions are rows, never columns: no ALTER TABLE at run time. Values
-- are typed rows (one per contact and field) with indexes the list filters
-- use; select fields keep their chosen options in their own table, so
-- renaming an option keeps every value that points at it.

CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    -- Stable machine name: the CSV column and the API's key. Never changes.
    key         TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    field_type  TEXT    NOT NULL CHECK (field_type IN (
                    'text', 'long_text', 'integer', 'decimal', 'currency', 'date',
                    'date_time', 'yes_no', 'single_select', 'multi_select', 'email',
                    'phone', 'url', 'cpf', 'cnpj')),
    required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    help        TEXT    NOT NULL DEFAULT '',
    -- Order in forms and pages (ascending).
    position    INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    UNIQUE (company_id, key),
    UNIQUE (company_id, id)
);

CREATE TABLE custom_field_options (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL,
    field_id    INTEGER NOT NULL,
    label       TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    -- Retired options stay on the contacts that have them, no longer offered.
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    FOREIGN KEY (company_id, field_id) REFERENCES custom_fields (company_id, id) ON DELETE CASCADE,
    UNIQUE (company_id, field_id, id),
    UNIQUE (field_id, label)
);

-- One value per contact and (non-select) field: `value_text` is what is
-- shown (canonical: ISO dates, 1234.56, document digits); `value_key` what
-- equality and date filters compare (folded text or the canonical text);
-- `value_number` what number ranges compare.
CREATE TABLE contact_field_values (
    company_id    INTEGER NOT NULL,
    contact_id    INTEGER NOT NULL,
    field_id      INTEGER NOT NULL,
    value_text    TEXT    NOT NULL,
    value_key     TEXT    NOT NULL,
    value_number  REAL,
    PRIMARY KEY (contact_id, field_id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, field_id) REFERENCES custom_fields (company_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_field_values_key ON contact_field_values (company_id, field_id, value_key);
CREATE INDEX contact_field_values_number ON contact_field_values (company_id, field_id, value_number);

-- The options a contact has chosen in a select field.
CREATE TABLE contact_field_options (
    company_id  INTEGER NOT NULL,
    contact_id  INTEGER NOT NULL,
    field_id    INTEGER NOT NULL,
    option_id   INTEGER NOT NULL,
    PRIMARY KEY (contact_id, field_id, option_id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, field_id, option_id)
        REFERENCES custom_field_options (company_id, field_id, id) ON DELETE CASCADE
);
CREATE INDEX contact_field_options_option ON contact_field_options (company_id, field_id, option_id);

-- The search box finds a contact by the digits of its CPF/CNPJ, in any
-- format: the contact's document and its CPF/CNPJ custom values join the
-- phone digits in `search_phones` (one per line).
DROP VIEW contact_search_source;
CREATE VIEW contact_search_source AS
SELECT c.id AS id,
       c.sort_key
       || coalesce(char(10) || (SELECT group_concat(email, char(10))
                                  FROM (SELECT e.email FROM contact_emails e
                                         WHERE e.contact_id = c.id ORDER BY e.position)), '')
       AS text,
       coalesce((SELECT group_concat(digits, char(10))
                   FROM (SELECT substr(p.e164, 2) AS digits FROM contact_phones p
                          WHERE p.contact_id = c.id ORDER BY p.position)), '')
       || coalesce(char(10) || c.document, '')
       || coalesce(char(10) || (SELECT group_concat(v.value_text, char(10))
                                  FROM contact_field_values v
                                  JOIN custom_fields f ON f.id = v.field_id
                                 WHERE v.contact_id = c.id AND f.field_type IN ('cpf', 'cnpj')), '')
       AS phones
  FROM contacts c;

DROP TRIGGER contact_search_text_rename;
CREATE TRIGGER contact_search_text_rename AFTER UPDATE OF sort_key, document ON contacts BEGIN
    UPDATE contacts SET (search_text, search_phones) =
           (SELECT text, phones FROM contact_search_source WHERE id = new.id)
     WHERE id = new.id;
END;
CREATE TRIGGER contact_search_document_insert AFTER INSERT ON contact_field_values
WHEN (SELECT field_type FROM custom_fields WHERE id = new.field_id) IN ('cpf', 'cnpj') BEGIN
    UPDATE contacts SET (search_text, search_phones) =
           (SELECT text, phones FROM contact_search_source WHERE id = new.contact_id)
     WHERE id = new.contact_id;
END;
CREATE TRIGGER contact_search_document_update AFTER UPDATE ON contact_field_values
WHEN (SELECT field_type FROM custom_fields WHERE id = new.field_id) IN ('cpf', 'cnpj') BEGIN
    UPDATE contacts SET (search_text, search_phones) =
           (SELECT text, phones FROM contact_search_source s WHERE s.id = contacts.id)
     WHERE id IN (old.contact_id, new.contact_id);
END;
CREATE TRIGGER contact_search_document_delete AFTER DELETE ON contact_field_values
WHEN (SELECT field_type FROM custom_fields WHERE id = old.field_id) IN ('cpf', 'cnpj') BEGIN
    UPDATE contacts SET (search_text, search_phones) =
           (SELECT text, phones FROM contact_search_source WHERE id = old.contact_id)
     WHERE id = old.contact_id;
END;

-- Contacts that have a document already.
UPDATE contacts SET (search_text, search_phones) =
       (SELECT text, phones FROM contact_search_source s WHERE s.id = contacts.id)
 WHERE document IS NOT NULL;
