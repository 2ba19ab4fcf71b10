-- Bulk writes fill the search columns once per contact.
--
-- Written one row at a time, a new contact with two phones and an e-mail
-- had its row (and its trigram index entries) rewritten four times by the
-- search triggers. A transaction that writes many contacts at once sets
-- `agenda.search_refresh = 'deferred'` (transaction-local, `set_config(…,
-- true)`): the triggers stand aside, and the writer fills the batch's
-- search columns itself with `contact_search_text` / `contact_search_phones`
-- in one statement before clearing the setting (app/src/contacts/bulk_repo.rs).
-- Every other write keeps the per-row triggers.

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
