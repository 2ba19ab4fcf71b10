-- Index entries for new ranks written in rank order.
--
-- Migration 0012 gave a contact its index entry from triggers when it got a
-- rank. A trigger sees the rows in the UPDATE's own order, and FTS5 writes
-- out its pending entries whenever a smaller row id arrives, so a batch of
-- ranks in random order cost 3-4 times as much as in rank order. Now the
-- one code path that gives ranks (search_rank_repo::set_ranks) writes the
-- entries itself, sorted by rank. A contact is still in contact_search,
-- under row id search_rank, exactly when its rank is not NULL: 0012's other
-- triggers take the entry out when the rank goes (renamed, deleted, spread
-- again) and replace it when a ranked contact's search columns change.
--
-- No contact has a rank without its entry at this point (0012's triggers
-- wrote them), so nothing else changes.

DROP TRIGGER contact_search_rank_enter;
DROP TRIGGER contact_search_rank_insert;
