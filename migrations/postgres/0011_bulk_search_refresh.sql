-- Bulk writes fill the search columns once per contact.
--
-- Written one row at a time, a new contact with two phones and an e-mail
-- had its row (and its trigram index entries) rewritten four times by the
-- search triggers. A transaction that writes many contacts at once sets
-- `agenda.search_refresh = 'deferred'` (transaction-local, `set_config(…,
-- true)`): the triggers stand aside while it inserts contacts whose search
-- columns it filled itself, then their lists, and it clears the setting
-- (app/src/contacts/bulk_repo.rs). Every other write keeps the per-row
-- triggers.

CREATE OR REPLACE FUNCTION contact_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('agenda.search_refresh', true) = 'deferred' THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'contacts' THEN
        UPDATE contacts SET search_text = contact_search_text(NEW.id),
                            search_phones = contact_search_phones(NEW.id) WHERE id = NEW.id;
    ELSE
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE contacts SET search_text = contact_search_text(NEW.contact_id),
                            search_phones = contact_search_phones(NEW.contact_id)
             WHERE id = NEW.contact_id;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE contacts SET search_text = contact_search_text(OLD.contact_id),
                            search_phones = contact_search_phones(OLD.contact_id)
             WHERE id = OLD.contact_id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION contact_search_document_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('agenda.search_refresh', true) = 'deferred' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM custom_fields WHERE id = NEW.field_id AND field_type IN ('cpf', 'cnpj')) THEN
        UPDATE contacts SET search_phones = contact_search_phones(NEW.contact_id)
         WHERE id = NEW.contact_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND EXISTS (
        SELECT 1 FROM custom_fields WHERE id = OLD.field_id AND field_type IN ('cpf', 'cnpj')) THEN
        UPDATE contacts SET search_phones = contact_search_phones(OLD.contact_id)
         WHERE id = OLD.contact_id;
    END IF;
    RETURN NULL;
END
$$;

-- Bulk writers compute the search columns themselves (contacts::search::
-- search_columns); the CPF/CNPJ values are listed in field order so both
-- computations agree line for line.
CREATE OR REPLACE FUNCTION contact_search_phones(contact BIGINT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT string_agg(substr(p.e164, 2), chr(10) ORDER BY p.position)
                       FROM contact_phones p WHERE p.contact_id = contact), '')
           || coalesce(chr(10) || (SELECT c.document FROM contacts c WHERE c.id = contact), '')
           || coalesce(chr(10) || (SELECT string_agg(v.value_text, chr(10) ORDER BY v.field_id)
                                     FROM contact_field_values v
                                     JOIN custom_fields f ON f.id = v.field_id
                                    WHERE v.contact_id = contact
                                      AND f.field_type IN ('cpf', 'cnpj')), '')
$$;
