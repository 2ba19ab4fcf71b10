-- The contact search (see the SQLite migration 0005 for the idea).
--
-- `search_text` holds the folded name, then each e-mail, one per line (a
-- typed query never holds a line break, so it cannot match across two);
-- `search_phones` the digits of each phone, one per line. Triggers keep both
-- in step with the contact, its phones and its e-mails. pg_trgm GIN indexes
-- serve `LIKE '%term%'` on them; PostgreSQL's planner chooses between those
-- and walking the name index.
ALTER TABLE contacts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN search_phones TEXT NOT NULL DEFAULT '';

CREATE FUNCTION contact_search_text(contact BIGINT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT c.sort_key
           || coalesce(chr(10) || (SELECT string_agg(e.email, chr(10) ORDER BY e.position)
                                     FROM contact_emails e WHERE e.contact_id = c.id), '')
      FROM contacts c
     WHERE c.id = contact
$$;

CREATE FUNCTION contact_search_phones(contact BIGINT) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(substr(p.e164, 2), chr(10) ORDER BY p.position), '')
      FROM contact_phones p
     WHERE p.contact_id = contact
$$;

CREATE FUNCTION contact_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER contact_search_text_contact AFTER INSERT OR UPDATE OF sort_key ON contacts
    FOR EACH ROW EXECUTE FUNCTION contact_search_refresh();
CREATE TRIGGER contact_search_text_phone AFTER INSERT OR UPDATE OR DELETE ON contact_phones
    FOR EACH ROW EXECUTE FUNCTION contact_search_refresh();
CREATE TRIGGER contact_search_text_email AFTER INSERT OR UPDATE OR DELETE ON contact_emails
    FOR EACH ROW EXECUTE FUNCTION contact_search_refresh();

UPDATE contacts SET search_text = contact_search_text(id),
                    search_phones = contact_search_phones(id);

CREATE INDEX contacts_search_text_trgm ON contacts USING gin (search_text gin_trgm_ops);
CREATE INDEX contacts_search_phones_trgm ON contacts USING gin (search_phones gin_trgm_ops);
