//! The contact list's SQL: one page of a company's contacts in name order,
//! searched and filtered, and the planner that picks how to find it (walk
//! the name index, read the trigram index's candidates, or read the search
//! index in rank order; see docs/architecture.md "Search and paging").
use std::collections::HashMap;

use sqlx::query::QueryAs;
use sqlx::FromRow;

use crate::contacts::search::rank::{self as search_rank, RankSpace};
use crate::contacts::search::{like_escape, Cursor, ListFilter, Narrowed, SearchTerms};
use crate::db::{json_ids, Db};
use crate::ids::ContactId;
use crate::tenant::CompanyId;
use crate::with_db;

/// A row of the contact list as the database returns it.
#[derive(Debug, Clone, FromRow)]
pub struct ContactListRow {
    pub id: ContactId,
    pub name: String,
    pub sort_key: String,
    /// Main phone, E.164.
    pub phone: Option<String>,
    /// Main e-mail.
    pub email: Option<String>,
    pub telegram: Option<String>,
    pub instagram: Option<String>,
    /// The main contact it is linked to (id, name).
    pub main_contact_id: Option<ContactId>,
    pub main_contact_name: Option<String>,
    /// The customer wrote through Facebook Messenger / the web widget.
    pub facebook_opened: bool,
    pub widget_opened: bool,
}

/// The part of the list query shared by every plan: the search predicate
/// (`$2` text pattern on `search_text`, the folded name and e-mails; `$3`
/// digits pattern on `search_phones`; `$4` ID; both columns kept by
/// triggers, migration 0005), the keyset (`$5`, `$6`; `""`, `0` for the
/// first page), the filters (`$8` organization, `$9` group), order and page
/// size (`$7`), the custom field filter (`$10`…`$17`, see
/// [`FilterParams`](crate::custom_fields::repo::FilterParams)); the plans' own
/// parameters follow (`$18`…). The order is the list's, `(sort_key, id)`,
/// or what follows it (the search rank).
macro_rules! list_sql {
    ($from:literal) => {
        list_sql!($from, "")
    };
    ($from:literal, $mains:literal) => {
        list_sql!($from, $mains, "c.sort_key, c.id")
    };
    ($from:literal, $mains:literal, $order:literal) => {
        concat!(
            r#"
        SELECT c.id, c.name, c.sort_key,
               (SELECT p.e164 FROM contact_phones p
                 WHERE p.contact_id = c.id ORDER BY p.position LIMIT 1) AS phone,
               (SELECT e.email FROM contact_emails e
                 WHERE e.contact_id = c.id ORDER BY e.position LIMIT 1) AS email,
               c.telegram, c.instagram, c.main_contact_id,
               (SELECT m.name FROM contacts m WHERE m.id = c.main_contact_id) AS main_contact_name,
               c.facebook_opened_at IS NOT NULL AS facebook_opened,
               c.widget_opened_at IS NOT NULL AS widget_opened
          FROM "#,
            $from,
            r#"
         WHERE c.company_id = $1
           AND ($2 IS NULL AND $3 IS NULL AND $4 IS NULL
                OR c.search_text LIKE $2 ESCAPE '\'
                OR c.search_phones LIKE $3
                OR c.id = $4"#,
            $mains,
            r#")
           AND (c.sort_key, c.id) > ($5, $6)
           AND ($8 IS NULL OR c.organization_id = $8)
           AND ($9 IS NULL OR EXISTS (SELECT 1 FROM contact_group_members m
                                       WHERE m.company_id = $1 AND m.contact_id = c.id
                                         AND m.group_id = $9))
           AND ($10 IS NULL
                OR EXISTS (SELECT 1 FROM contact_field_values v
                            WHERE v.company_id = $1 AND v.contact_id = c.id AND v.field_id = $10
                              AND ($11 IS NULL OR v.value_key = $11)
                              AND ($12 IS NULL OR v.value_number >= $12)
                              AND ($13 IS NULL OR v.value_number <= $13)
                              AND ($14 IS NULL OR v.value_key >= $14)
                              AND ($15 IS NULL OR v.value_key <= $15)
                              AND ($16 IS NULL OR substr(v.value_key, 6, 2) = $16))
                OR EXISTS (SELECT 1 FROM contact_field_options o
                            WHERE o.company_id = $1 AND o.contact_id = c.id AND o.field_id = $10
                              AND o.option_id = $17))
         ORDER BY "#,
            $order,
            r#"
         LIMIT $7
    "#
        )
    };
}

/// Walks the list in name order (the `(company_id, sort_key, id)` index),
/// testing each contact: cheap when matches are dense (no search, "silva",
/// "mar"), since a page fills after a few hundred rows.
const LIST_BY_WALK: &str = list_sql!("contacts c");

/// The walk, also accepting the main contacts in `$18` (a JSON array: the
/// mains of linked contacts that match, see [`linked_matches`]). Kept
/// apart from the plain walk: on PostgreSQL an `IN (subquery)` in the OR
/// would stop the trigram indexes' BitmapOr (280 ms instead of 27 ms for a
/// phone at 100,000 contacts), while `= ANY(array)` keeps it.
const LIST_BY_WALK_MAINS_SQLITE: &str = list_sql!(
    "contacts c",
    "\n                OR c.id IN (SELECT value FROM json_each($18))"
);
const LIST_BY_WALK_MAINS_PG: &str = list_sql!(
    "contacts c",
    "\n                OR c.id = ANY(ARRAY(SELECT jsonb_array_elements_text(CAST($18 AS jsonb))::bigint))"
);

/// Tests and sorts only the candidates the trigram index found (`$18`, a
/// JSON array of ids): cheap when matches are few (a phone, an e-mail, a
/// full name), where the walk would read the whole list. CROSS JOIN makes
/// SQLite drive the join from the candidates, not from the name index.
const LIST_BY_INDEX: &str =
    list_sql!("json_each($18) AS s CROSS JOIN contacts c ON c.id = s.value");
const LIST_BY_INDEX_MAINS: &str = list_sql!(
    "json_each($18) AS s CROSS JOIN contacts c ON c.id = s.value",
    "\n                OR c.id IN (SELECT value FROM json_each($19))"
);

/// Reads the trigram index's matches of `$18` in rank order, which is name
/// order (`contacts.search_rank`, migration 0012), from just after rank
/// `$19` (the company's start, or the cursor's rank) to `$20` (the
/// company's end), and tests each until the page is full: the first page of
/// "sonia" reads about 50 matches, not every Sônia. No sort: the index
/// gives the order.
const LIST_BY_RANK: &str = list_sql!(
    "contact_search s CROSS JOIN contacts c
            ON s.contact_search MATCH $18 AND s.rowid > $19 AND s.rowid < $20
           AND c.search_rank = s.rowid",
    "",
    "s.rowid"
);
const LIST_BY_RANK_MAINS: &str = list_sql!(
    "contact_search s CROSS JOIN contacts c
            ON s.contact_search MATCH $18 AND s.rowid > $19 AND s.rowid < $20
           AND c.search_rank = s.rowid",
    "\n                OR c.id IN (SELECT value FROM json_each($21))",
    "s.rowid"
);

/// The list query of a plan: without the main-contact clause, and with it.
fn with_mains(db: &Db, sql: &'static str) -> &'static str {
    match (sql, db) {
        (LIST_BY_WALK, Db::Sqlite(_)) => LIST_BY_WALK_MAINS_SQLITE,
        (LIST_BY_WALK, Db::Postgres(_)) => LIST_BY_WALK_MAINS_PG,
        (LIST_BY_INDEX, _) => LIST_BY_INDEX_MAINS,
        (LIST_BY_RANK, _) => LIST_BY_RANK_MAINS,
        (other, _) => other,
    }
}

/// The main contacts of the company's linked contacts that match the
/// search (a search finds a main by its linked contacts' data too). Reads
/// only linked contacts (the partial index `contacts_main`).
pub async fn linked_matches(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
) -> Result<Vec<i64>, sqlx::Error> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let text_pattern = terms.text.as_ref().map(|t| format!("%{}%", like_escape(t)));
    let digits_pattern = terms.digits.as_ref().map(|d| format!("%{d}%"));
    let from = match db {
        Db::Sqlite(_) => "contacts l INDEXED BY contacts_main",
        Db::Postgres(_) => "contacts l",
    };
    let sql = format!(
        "SELECT DISTINCT l.main_contact_id FROM {from}
          WHERE l.main_contact_id IS NOT NULL AND l.company_id = $1
            AND (l.search_text LIKE $2 ESCAPE '\\' OR l.search_phones LIKE $3 OR l.id = $4)"
    );
    let mains = with_db!(db, pool => {
        sqlx::query_scalar(&sql)
            .bind(company)
            .bind(&text_pattern)
            .bind(&digits_pattern)
            .bind(terms.id)
            .fetch_all(pool)
            .await?
    });
    Ok(mains)
}

/// Up to this many candidates (a custom field filter's, contacts waiting
/// for a search rank), sorting them beats walking the list.
const INDEX_CANDIDATES_MAX: usize = 2_000;

/// How a search is answered; see [`plan_search`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchPlan {
    /// Walk the name-ordered list.
    Walk,
    /// Test and sort these candidate ids.
    Index(Vec<i64>),
    /// Read the trigram index's matches of `expression` in rank (name)
    /// order until the page is full, merged with the `extra` candidates the
    /// index cannot give: the searched contact ID, main contacts found by
    /// their linked contacts, contacts still waiting for a rank.
    Ranked { expression: String, extra: Vec<i64> },
}

/// At most this many trigrams are counted per search.
const COUNTED_PER_SEARCH: usize = 48;

/// Which of the search's long words to look up by their rarest trigrams
/// (`search::rarest_trigrams`). FTS5 tests a phrase by reading the entry
/// list of every trigram in it, so an e-mail such as
/// `sonia.antunes55@bol.com.br` reads the lists of `com`, `.co` and `.br`,
/// which hold most contacts (70 ms at 1,000,000 contacts), while its three
/// rarest trigrams answer in under a millisecond. Counting a trigram stops
/// at `INDEX_CANDIDATES_MAX` + 1 of the company's entries (~0.1 ms each),
/// and all of a search's counts are one statement.
async fn narrow(
    pool: &sqlx::SqlitePool,
    space: RankSpace,
    terms: &SearchTerms,
) -> Result<Narrowed, sqlx::Error> {
    use crate::contacts::search::{
        countable_trigrams, digit_trigrams, phone_trigrams, rarest_trigrams, IndexColumn,
    };
    let mut words: Vec<((IndexColumn, String), Vec<String>)> = Vec::new();
    let mut probes: Vec<(IndexColumn, String)> = Vec::new();
    let mut narrowed = Narrowed::new();
    for (column, word) in terms.index_words() {
        // Looked up by a few trigrams without counting: digits (a number
        // typed alone is read like a phone's, by its end).
        let only_digits = word.chars().all(|c| c.is_ascii_digit());
        let direct = match column {
            IndexColumn::Text if only_digits => {
                phone_trigrams(&word).or_else(|| digit_trigrams(&word))
            }
            IndexColumn::Text => digit_trigrams(&word),
            IndexColumn::Phones => phone_trigrams(&word),
        };
        if let Some(trigrams) = direct {
            narrowed.insert((column, word), trigrams);
            continue;
        }
        let trigrams = countable_trigrams(column, &word);
        if trigrams.is_empty() || probes.len() + trigrams.len() > COUNTED_PER_SEARCH {
            continue;
        }
        for trigram in &trigrams {
            let probe = (column, trigram.clone());
            if !probes.contains(&probe) {
                probes.push(probe);
            }
        }
        words.push(((column, word), trigrams));
    }
    if probes.is_empty() {
        return Ok(narrowed);
    }
    let cap = INDEX_CANDIDATES_MAX as i64 + 1;
    // $1 and $2: the company's ranks; the trigrams from $3.
    let counts: Vec<String> = (3..probes.len() + 3)
        .map(|i| {
            format!(
                "(SELECT count(*) FROM (SELECT 1 FROM contact_search
                   WHERE contact_search MATCH ${i} AND rowid > $1 AND rowid < $2 LIMIT {cap}))"
            )
        })
        .collect();
    let sql = format!("SELECT {}", counts.join(", "));
    let mut query = sqlx::query(&sql).bind(space.start).bind(space.end);
    for (column, trigram) in &probes {
        query = query.bind(column.phrase(trigram));
    }
    let row = query.fetch_one(pool).await?;
    let mut count_of: HashMap<&(IndexColumn, String), u32> = HashMap::new();
    for (i, probe) in probes.iter().enumerate() {
        let count: i64 = sqlx::Row::try_get(&row, i)?;
        count_of.insert(probe, u32::try_from(count).unwrap_or(u32::MAX));
    }
    for ((column, word), trigrams) in words {
        let counted: Vec<(String, u32)> = trigrams
            .into_iter()
            .map(|t| {
                let count = count_of
                    .get(&(column, t.clone()))
                    .copied()
                    .unwrap_or(u32::MAX);
                (t, count)
            })
            .collect();
        if let Some(chosen) = rarest_trigrams(&counted, cap as u32) {
            narrowed.insert((column, word), chosen);
        }
    }
    Ok(narrowed)
}

/// Chooses how to answer a search of `company` (SQLite; PostgreSQL always
/// takes the walk query and its planner picks its indexes, with the same
/// results):
///
/// - a text the trigram index can look up (a word of 3+ characters, or
///   phone digits): [`SearchPlan::Ranked`], reading the index's matches in
///   name order until the page is full;
/// - else (a 1- or 2-character text, a company without ranks, more than
///   [`INDEX_CANDIDATES_MAX`] contacts waiting for a rank): walk the list.
pub async fn plan_search(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
) -> Result<SearchPlan, sqlx::Error> {
    let (Db::Sqlite(pool), Some(space)) = (db, search_rank::space(company.get())) else {
        return Ok(SearchPlan::Walk);
    };
    if terms.index_query().is_none() {
        return Ok(SearchPlan::Walk);
    }
    let narrowed = narrow(pool, space, terms).await?;
    let Some(expression) = terms.index_query_narrowed(&narrowed) else {
        return Ok(SearchPlan::Walk);
    };
    // Contacts written by a path that did not settle their ranks (none
    // should): tested directly, so they are found all the same.
    let mut extra: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM contacts WHERE company_id = $1 AND search_rank IS NULL LIMIT $2",
    )
    .bind(company)
    .bind(INDEX_CANDIDATES_MAX as i64 + 1)
    .fetch_all(pool)
    .await?;
    if extra.len() > INDEX_CANDIDATES_MAX {
        return Ok(SearchPlan::Walk);
    }
    extra.extend(terms.id);
    extra.extend(linked_matches(db, company, terms).await?);
    extra.sort_unstable();
    extra.dedup();
    Ok(SearchPlan::Ranked { expression, extra })
}

/// Lists contacts in name order, one page after `after`, filtered by `terms`
/// and `filter`.
///
/// Keyset paging on (sort_key, id): the cost of a page does not grow with its
/// depth, and there is no COUNT. Both plans return the same rows.
pub async fn list_contacts(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
    filter: ListFilter,
    after: Option<&Cursor>,
    limit: u32,
) -> Result<Vec<ContactListRow>, sqlx::Error> {
    let plan = plan_list(db, company, terms, &filter).await?;
    list_contacts_with(db, company, terms, filter, after, limit, &plan).await
}

/// How [`list_contacts`] answers this search and filter, whatever the page:
/// a caller that reads many pages (the CSV export) plans once.
pub async fn plan_list(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
    filter: &ListFilter,
) -> Result<SearchPlan, sqlx::Error> {
    match plan_filter(db, company, filter).await? {
        Some(plan) => Ok(plan),
        None => plan_search(db, company, terms).await,
    }
}

/// A plan from a custom field filter (SQLite): when few contacts pass it,
/// its value index lists them all and sorting them beats any walk. Every
/// match of the search is among them, so the search terms are checked on
/// those candidates.
pub async fn plan_filter(
    db: &Db,
    company: CompanyId,
    filter: &ListFilter,
) -> Result<Option<SearchPlan>, sqlx::Error> {
    let (Db::Sqlite(pool), Some(custom)) = (db, &filter.custom) else {
        return Ok(None);
    };
    let candidates = crate::custom_fields::repo::filter_candidates(
        pool,
        company,
        custom,
        INDEX_CANDIDATES_MAX + 1,
    )
    .await?;
    Ok((candidates.len() <= INDEX_CANDIDATES_MAX).then(|| {
        let mut ids = candidates;
        ids.sort_unstable();
        ids.dedup();
        SearchPlan::Index(ids)
    }))
}

/// [`list_contacts`] with a given plan (the benchmark and tests compare them).
pub async fn list_contacts_with(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
    filter: ListFilter,
    after: Option<&Cursor>,
    limit: u32,
    plan: &SearchPlan,
) -> Result<Vec<ContactListRow>, sqlx::Error> {
    match plan {
        SearchPlan::Walk => {
            list_page(
                db,
                LIST_BY_WALK,
                company,
                terms,
                filter,
                after,
                limit,
                PlanArgs::None,
            )
            .await
        }
        SearchPlan::Index(ids) => {
            let ids = PlanArgs::Candidates(json_ids(ids));
            list_page(db, LIST_BY_INDEX, company, terms, filter, after, limit, ids).await
        }
        SearchPlan::Ranked { expression, extra } => {
            let (Db::Sqlite(pool), Some(space)) = (db, search_rank::space(company.get())) else {
                // Only planned for SQLite companies with ranks.
                return Box::pin(list_contacts_with(
                    db,
                    company,
                    terms,
                    filter,
                    after,
                    limit,
                    &SearchPlan::Walk,
                ))
                .await;
            };
            let from = match after {
                None => space.start,
                Some(cursor) => rank_before(pool, company, cursor)
                    .await?
                    .unwrap_or(space.start),
            };
            let ranked = PlanArgs::Ranked {
                expression,
                from,
                to: space.end,
            };
            let mut rows = list_page(
                db,
                LIST_BY_RANK,
                company,
                terms,
                filter.clone(),
                after,
                limit,
                ranked,
            )
            .await?;
            if !extra.is_empty() {
                // A page at most of each, merged in name order.
                let ids = PlanArgs::Candidates(json_ids(extra));
                rows.extend(
                    list_page(db, LIST_BY_INDEX, company, terms, filter, after, limit, ids).await?,
                );
                rows.sort_by(|a, b| (&a.sort_key, a.id).cmp(&(&b.sort_key, b.id)));
                rows.dedup_by_key(|r| r.id);
                rows.truncate(limit as usize);
            }
            Ok(rows)
        }
    }
}

/// The rank of the last ranked contact at or before `cursor` in name
/// order: a later page starts reading the index just after it.
async fn rank_before(
    pool: &sqlx::SqlitePool,
    company: CompanyId,
    cursor: &Cursor,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT search_rank FROM contacts
          WHERE company_id = $1 AND (sort_key, id) <= ($2, $3) AND search_rank IS NOT NULL
          ORDER BY sort_key DESC, id DESC LIMIT 1",
    )
    .bind(company)
    .bind(&cursor.sort_key)
    .bind(cursor.id)
    .fetch_optional(pool)
    .await
}

/// The list queries' shared parameters (`$1`…`$17`, see [`list_sql!`]).
struct ListParams {
    company: i64,
    text_pattern: Option<String>,
    digits_pattern: Option<String>,
    id: Option<i64>,
    after_key: String,
    after_id: i64,
    limit: i64,
    organization: Option<i64>,
    group: Option<i64>,
    custom: crate::custom_fields::repo::FilterParams,
}

impl ListParams {
    fn new(
        company: CompanyId,
        terms: &SearchTerms,
        filter: &ListFilter,
        after: Option<&Cursor>,
        limit: u32,
    ) -> ListParams {
        ListParams {
            company: company.get(),
            text_pattern: terms.text.as_ref().map(|t| format!("%{}%", like_escape(t))),
            digits_pattern: terms.digits.as_ref().map(|d| format!("%{d}%")),
            id: terms.id,
            // The first page starts after ("", 0), before every contact: an
            // always-present bound lets the index seek to the cursor, where
            // "$5 IS NULL OR …" would scan from the first name every time.
            after_key: after.map_or(String::new(), |c| c.sort_key.clone()),
            after_id: after.map_or(0, |c| c.id),
            limit: i64::from(limit),
            organization: filter.organization,
            group: filter.group,
            custom: crate::custom_fields::repo::FilterParams::of(filter.custom.as_ref()),
        }
    }

    /// Binds the parameters to `query`, in order.
    fn bind<'q, DB, O>(
        self,
        query: QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>,
    ) -> QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>
    where
        DB: sqlx::Database,
        i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        let custom = self.custom;
        query
            .bind(self.company)
            .bind(self.text_pattern)
            .bind(self.digits_pattern)
            .bind(self.id)
            .bind(self.after_key)
            .bind(self.after_id)
            .bind(self.limit)
            .bind(self.organization)
            .bind(self.group)
            .bind(custom.field.map(|field| field.get()))
            .bind(custom.equals)
            .bind(custom.number_min)
            .bind(custom.number_max)
            .bind(custom.key_min)
            .bind(custom.key_max)
            .bind(custom.month)
            .bind(custom.option)
    }
}

/// PostgreSQL's plan of the first page of a search, as run
/// (`EXPLAIN (ANALYZE, BUFFERS)`; BENCHMARKS.md shows it uses its indexes).
/// `None` on SQLite, whose plans the benchmark reports by name.
pub async fn explain_search(
    db: &Db,
    company: CompanyId,
    terms: &SearchTerms,
    limit: u32,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let Db::Postgres(pool) = db else {
        return Ok(None);
    };
    let params = ListParams::new(company, terms, &ListFilter::default(), None, limit);
    let sql = format!("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {LIST_BY_WALK}");
    let lines: Vec<(String,)> = params
        .bind(sqlx::query_as::<_, (String,)>(&sql))
        .fetch_all(pool)
        .await?;
    let lines = lines.into_iter().map(|(line,)| line).collect();
    Ok(Some(lines))
}

/// The parameters of a list query beside the shared ones (`$18`…).
enum PlanArgs<'a> {
    None,
    /// A JSON array of candidate ids.
    Candidates(String),
    /// The index expression and the ranks to read between.
    Ranked {
        expression: &'a str,
        from: i64,
        to: i64,
    },
}

/// Runs one of the list queries with its parameters.
#[allow(clippy::too_many_arguments)]
async fn list_page(
    db: &Db,
    sql: &'static str,
    company: CompanyId,
    terms: &SearchTerms,
    filter: ListFilter,
    after: Option<&Cursor>,
    limit: u32,
    args: PlanArgs<'_>,
) -> Result<Vec<ContactListRow>, sqlx::Error> {
    let mains = linked_matches(db, company, terms).await?;
    let (sql, mains) = if mains.is_empty() {
        (sql, None)
    } else {
        (with_mains(db, sql), Some(json_ids(&mains)))
    };
    let params = ListParams::new(company, terms, &filter, after, limit);
    let rows = with_db!(db, pool => {
        let mut query = params.bind(sqlx::query_as::<_, ContactListRow>(sql));
        match &args {
            PlanArgs::None => {}
            PlanArgs::Candidates(ids) => query = query.bind(ids),
            PlanArgs::Ranked { expression, from, to } => {
                query = query.bind(*expression).bind(*from).bind(*to);
            }
        }
        if let Some(mains) = mains {
            query = query.bind(mains);
        }
        query.fetch_all(pool).await?
    });
    Ok(rows)
}
