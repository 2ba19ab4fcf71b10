-- The search index in name order.
--
-- FTS5 returns a query's matches in row-id order. The row id was the
-- contact id, so a search had to collect every match (thousands for
-- "sonia" at 1,000,000 contacts) before it could sort the first page by
-- name. Now the row id is `contacts.search_rank`, an integer that follows
-- the list's order `(sort_key, id)` within each company (company id times
-- 2^42, plus a position), so the first matches read are the page, and one
-- company's matches are one range of row ids.
--
-- Ranks are given by the application inside the write transaction that
-- creates or renames a contact (app/src/contacts/search_rank_repo.rs:
-- between the neighbours' ranks, or a window of ranks spread again when
-- their gap is full). Until then a contact's rank is NULL: it is not in the
-- index, and every search tests it directly (the partial index
-- contacts_unranked lists such contacts), so a missing rank costs speed,
-- never a result. The triggers below keep the index in step with the rank:
-- a contact is in contact_search, under row id search_rank, exactly when
-- its rank is not NULL.

ALTER TABLE contacts ADD COLUMN search_rank INTEGER;

-- The contacts that exist: ranks spread evenly over their company's
-- positions, in name order (companies 1 to 2^21 - 1 have ranks; see
-- search_rank::MAX_RANKED_COMPANY).
UPDATE contacts SET search_rank = ranked.rank
  FROM (SELECT id,
               company_id * 4398046511104
               + row_number() OVER (PARTITION BY company_id ORDER BY sort_key, id)
                 * ((4398046511104 - 1)
                    / (count(*) OVER (PARTITION BY company_id) + 1)) AS rank
          FROM contacts
         WHERE company_id BETWEEN 1 AND 2097151) AS ranked
 WHERE contacts.id = ranked.id;

CREATE UNIQUE INDEX contacts_search_rank ON contacts (search_rank);
CREATE INDEX contacts_unranked ON contacts (company_id, id) WHERE search_rank IS NULL;

-- The index again, under the ranks, written in row-id order.
DROP TRIGGER contact_search_index_update;
DROP TRIGGER contact_search_index_delete;
DROP TRIGGER contact_search_index_insert;
DROP TABLE contact_search;
CREATE VIRTUAL TABLE contact_search USING fts5 (
    text,
    phones,
    tokenize = 'trigram',
    content = '',
    contentless_delete = 1
);
INSERT INTO contact_search (rowid, text, phones)
SELECT search_rank, search_text, search_phones FROM contacts
 WHERE search_rank IS NOT NULL
 ORDER BY search_rank;

-- A ranked contact's search columns change: its entry is replaced.
CREATE TRIGGER contact_search_index_update AFTER UPDATE OF search_text, search_phones ON contacts
WHEN new.search_rank IS NOT NULL AND old.search_rank IS new.search_rank
 AND (old.search_text IS NOT new.search_text OR old.search_phones IS NOT new.search_phones) BEGIN
    DELETE FROM contact_search WHERE rowid = new.search_rank;
    INSERT INTO contact_search (rowid, text, phones)
        VALUES (new.search_rank, new.search_text, new.search_phones);
END;

-- A rank given, taken or changed: the entry follows it.
CREATE TRIGGER contact_search_rank_leave AFTER UPDATE OF search_rank ON contacts
WHEN old.search_rank IS NOT NULL AND old.search_rank IS NOT new.search_rank BEGIN
    DELETE FROM contact_search WHERE rowid = old.search_rank;
END;
CREATE TRIGGER contact_search_rank_enter AFTER UPDATE OF search_rank ON contacts
WHEN new.search_rank IS NOT NULL AND old.search_rank IS NOT new.search_rank BEGIN
    INSERT INTO contact_search (rowid, text, phones)
        VALUES (new.search_rank, new.search_text, new.search_phones);
END;
CREATE TRIGGER contact_search_rank_insert AFTER INSERT ON contacts
WHEN new.search_rank IS NOT NULL BEGIN
    INSERT INTO contact_search (rowid, text, phones)
        VALUES (new.search_rank, new.search_text, new.search_phones);
END;

-- A renamed contact leaves its place in the order: its rank is taken (and
-- its entry with it) until the writing transaction gives it a new one.
CREATE TRIGGER contact_search_rank_rename AFTER UPDATE OF sort_key ON contacts
WHEN new.search_rank IS NOT NULL AND old.sort_key IS NOT new.sort_key BEGIN
    UPDATE contacts SET search_rank = NULL WHERE id = new.id;
END;

CREATE TRIGGER contact_search_index_delete AFTER DELETE ON contacts
WHEN old.search_rank IS NOT NULL BEGIN
    DELETE FROM contact_search WHERE rowid = old.search_rank;
END;
