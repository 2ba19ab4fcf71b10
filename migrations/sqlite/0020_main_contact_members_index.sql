-- A main contact's members, read on every contact page, were found by
-- walking the company's whole name index: SQLite preferred
-- contacts_company_sort (company_id, then the ORDER BY sort_key, id) to the
-- partial index on main_contact_id alone, and read every contact of the
-- company to find a main's few members (17 ms a contact page at 100,000
-- contacts; RELIABILITY.md, "writers"). With the company and the name order
-- in the partial index, it answers the query by itself. main_contact_id stays
-- first: the foreign key's check on deleting a contact looks up by it alone.
DROP INDEX contacts_main;
CREATE INDEX contacts_main ON contacts (main_contact_id, company_id, sort_key, id)
    WHERE main_contact_id IS NOT NULL;
