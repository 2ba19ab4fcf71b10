-- Bulk writes fill the search columns once per contact.
--
-- A bulk writer (app/src/contacts/bulk_repo.rs) inserts a batch's phones,
-- e-mails and custom values before their contacts (foreign keys deferred to
-- the commit: the lists' triggers find no contact yet), then the contacts
-- with `search_text` and `search_phones` already filled
-- (contacts::search::search_columns). Such a row needs no second pass: the
-- insert trigger now runs only for rows inserted without them, and a new
-- trigger indexes rows inserted with them. The CPF/CNPJ values are listed
-- in field order so both computations agree line for line.

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
       || coalesce(char(10) || (SELECT group_concat(value_text, char(10))
                                  FROM (SELECT v.value_text FROM contact_field_values v
                                          JOIN custom_fields f ON f.id = v.field_id
                                         WHERE v.contact_id = c.id AND f.field_type IN ('cpf', 'cnpj')
                                         ORDER BY v.field_id)), '')
       AS phones
  FROM contacts c;

DROP TRIGGER contact_search_text_insert;
CREATE TRIGGER contact_search_text_insert AFTER INSERT ON contacts
WHEN new.search_text = '' BEGIN
    UPDATE contacts SET (search_text, search_phones) =
           (SELECT text, phones FROM contact_search_source WHERE id = new.id)
     WHERE id = new.id;
END;
CREATE TRIGGER contact_search_index_insert AFTER INSERT ON contacts
WHEN new.search_text <> '' BEGIN
    INSERT INTO contact_search (rowid, text, phones)
        VALUES (new.id, new.search_text, new.search_phones);
END;
