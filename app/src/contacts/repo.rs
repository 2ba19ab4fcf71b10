//! All SQL of the contacts module. Every function takes the caller's
//! [`CompanyId`] and scopes every statement by it.

use std::collections::HashMap;

use chrono::Utc;
use sqlx::query::QueryAs;
use sqlx::FromRow;

use crate::contacts::search::rank::{self as search_rank, RankSpace};
use crate::contacts::search::{like_escape, Cursor, ListFilter, Narrowed, SearchTerms};
use crate::contacts::writer::{self, SaveError, StoredContact};
use crate::db::{json_ids, with_conn, AsConn, BeginWrite, Db};
use crate::tenant::CompanyId;
use crate::timeline::repo::{append as append_event, NewEvent};
use crate::with_db;

/// A row of the contact list as the database returns it.
#[derive(Debug, Clone, FromRow)]
pub struct ContactListRow {
    pub id: i64,
    pub name: String,
    pub sort_key: String,
    /// Main phone, E.164.
    pub phone: Option<String>,
    /// Main e-mail.
    pub email: Option<String>,
    pub telegram: Option<String>,
    pub instagram: Option<String>,
    /// The main contact it is linked to (id, name).
    pub main_contact_id: Option<i64>,
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
            .bind(company.0)
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
    let (Db::Sqlite(pool), Some(space)) = (db, search_rank::space(company.0)) else {
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
    .bind(company.0)
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
            let (Db::Sqlite(pool), Some(space)) = (db, search_rank::space(company.0)) else {
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
    .bind(company.0)
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
            company: company.0,
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
            .bind(custom.field)
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

/// Counts a company's contacts (for the CLI and tests; the UI never counts).
pub async fn count_contacts(db: &Db, company: CompanyId) -> Result<i64, sqlx::Error> {
    let count = with_db!(db, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE company_id = $1")
            .bind(company.0)
            .fetch_one(pool)
            .await?
    });
    Ok(count)
}

/// One contact's row, without its lists.
#[derive(Debug, Clone, FromRow)]
pub struct ContactRow {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub document: Option<String>,
    pub gender: Option<String>,
    pub organization_id: Option<i64>,
    pub organization_name: Option<String>,
    pub facebook: Option<String>,
    pub instagram: Option<String>,
    pub telegram: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub photo: Option<String>,
    pub created_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
    /// Adds one with every write that changes what the form shows.
    pub version: i64,
    /// Who made the current version (`None`: an import, an admin's change
    /// of the directory, or not edited since versions exist).
    pub updated_by_name: Option<String>,
    /// The customer wrote through Facebook Messenger / the web widget
    /// (read by [`get_contact`] only).
    #[sqlx(default)]
    pub facebook_opened: bool,
    #[sqlx(default)]
    pub widget_opened: bool,
}

/// A contact with its phones (E.164), e-mails and groups.
#[derive(Debug, Clone)]
pub struct ContactRecord {
    pub row: ContactRow,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub groups: Vec<(i64, String)>,
    pub custom: Vec<crate::custom_fields::model::CustomValue>,
}

/// Reads one contact of the company; `None` when it does not exist there.
pub async fn get_contact(
    db: &Db,
    company: CompanyId,
    id: i64,
) -> Result<Option<ContactRecord>, sqlx::Error> {
    const ROW: &str = "SELECT c.id, c.name, c.address, c.birth_date, c.document, c.gender,
                c.organization_id, o.name AS organization_name, c.facebook, c.instagram,
                c.telegram, c.website, c.notes, c.photo, c.created_at, c.updated_at,
                c.version, u.name AS updated_by_name,
                c.facebook_opened_at IS NOT NULL AS facebook_opened,
                c.widget_opened_at IS NOT NULL AS widget_opened
           FROM contacts c
           LEFT JOIN organizations o ON o.company_id = c.company_id AND o.id = c.organization_id
           LEFT JOIN users u ON u.company_id = c.company_id AND u.id = c.updated_by
          WHERE c.company_id = $1 AND c.id = $2";
    let record = with_db!(db, pool => {
        let Some(row) = sqlx::query_as::<_, ContactRow>(ROW)
            .bind(company.0)
            .bind(id)
            .fetch_optional(pool)
            .await?
        else {
            return Ok(None);
        };
        let phones: Vec<String> = sqlx::query_scalar(
            "SELECT e164 FROM contact_phones WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company.0)
        .bind(id)
        .fetch_all(pool)
        .await?;
        let emails: Vec<String> = sqlx::query_scalar(
            "SELECT email FROM contact_emails WHERE company_id = $1 AND contact_id = $2 ORDER BY position",
        )
        .bind(company.0)
        .bind(id)
        .fetch_all(pool)
        .await?;
        let groups: Vec<(i64, String)> = sqlx::query_as(
            "SELECT g.id, g.name FROM contact_group_members m
               JOIN contact_groups g ON g.company_id = m.company_id AND g.id = m.group_id
              WHERE m.company_id = $1 AND m.contact_id = $2 ORDER BY g.name",
        )
        .bind(company.0)
        .bind(id)
        .fetch_all(pool)
        .await?;
        ContactRecord { row, phones, emails, groups, custom: Vec::new() }
    });
    let custom = crate::custom_fields::repo::contact_values(db, company, id).await?;
    Ok(Some(ContactRecord { custom, ..record }))
}

/// Creates a contact added through the form by `created_by`; returns its
/// id. (Its timeline's "created" entry is read from the row.)
pub async fn create_contact(
    db: &Db,
    company: CompanyId,
    contact: &StoredContact,
    created_by: Option<i64>,
) -> Result<i64, SaveError> {
    let mut tx = writer::begin(db).await?;
    let id = writer::create(&mut tx.conn(), company, contact, created_by, Utc::now()).await?;
    writer::commit(tx, company).await?;
    Ok(id)
}

/// Replaces a contact's details and lists as `actor`, and appends `event`
/// (what changed) to its timeline in the same transaction, if the contact
/// is still at `version` (the one `event` was worked out from):
/// `SaveError::Stale` otherwise, and nothing is written.
pub async fn update_contact(
    db: &Db,
    company: CompanyId,
    id: i64,
    contact: &StoredContact,
    event: Option<&NewEvent>,
    version: i64,
    actor: i64,
) -> Result<(), SaveError> {
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    writer::update(conn, company, id, contact, version, actor, Utc::now()).await?;
    if let Some(event) = event {
        append_event(conn, company, event).await?;
    }
    writer::commit(tx, company).await?;
    Ok(())
}

/// Deletes a contact and everything that depends on it (phones, e-mails,
/// group memberships, conversations, timeline: ON DELETE CASCADE); contacts
/// linked to it as their main are unlinked first, on their timelines, by
/// `actor`. One transaction. Returns the photo key it had, so the caller
/// can remove the file; `None` when the contact did not exist in the
/// company.
pub async fn delete_contact(
    db: &Db,
    company: CompanyId,
    id: i64,
    actor: Option<i64>,
) -> Result<Option<Option<String>>, sqlx::Error> {
    let mut tx = writer::begin(db).await?;
    let conn = &mut tx.conn();
    let name: Option<String> = with_conn!(conn, c => {
        sqlx::query_scalar("SELECT name FROM contacts WHERE company_id = $1 AND id = $2")
            .bind(company.0)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(name) = name else {
        return Ok(None);
    };
    crate::contacts::links::repo::unlink_members(conn, company, (id, &name), actor).await?;
    let photo = writer::delete(conn, company, id).await?;
    tx.commit().await?;
    Ok(photo)
}

/// Contacts of the company (other than `except`) that share one of these
/// phones (E.164) or e-mails: (id, name, the shared value).
pub async fn find_duplicates(
    db: &Db,
    company: CompanyId,
    phones: &[String],
    emails: &[String],
    except: Option<i64>,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let mut found = Vec::new();
    with_db!(db, pool => {
        for phone in phones {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT c.id, c.name FROM contact_phones p
                   JOIN contacts c ON c.company_id = p.company_id AND c.id = p.contact_id
                  WHERE p.company_id = $1 AND p.e164 = $2 AND ($3 IS NULL OR c.id <> $3)",
            )
            .bind(company.0)
            .bind(phone)
            .bind(except)
            .fetch_all(pool)
            .await?;
            found.extend(first_five(rows).map(|(id, name)| (id, name, phone.clone())));
        }
        for email in emails {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT c.id, c.name FROM contact_emails e
                   JOIN contacts c ON c.company_id = e.company_id AND c.id = e.contact_id
                  WHERE e.company_id = $1 AND e.email = $2 AND ($3 IS NULL OR c.id <> $3)",
            )
            .bind(company.0)
            .bind(email)
            .bind(except)
            .fetch_all(pool)
            .await?;
            found.extend(first_five(rows).map(|(id, name)| (id, name, email.clone())));
        }
    });
    Ok(found)
}

/// The five oldest of some matches. Sorted here rather than with ORDER BY
/// id LIMIT 5 in SQL: SQLite answers that by walking the company's phones
/// (or e-mails) in contact order, all of them when nothing matches.
fn first_five(mut rows: Vec<(i64, String)>) -> impl Iterator<Item = (i64, String)> {
    rows.sort_unstable_by_key(|(id, _)| *id);
    rows.into_iter().take(5)
}

/// The company's organizations and groups, by name.
pub async fn directory(
    db: &Db,
    company: CompanyId,
) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), sqlx::Error> {
    let lists = with_db!(db, pool => {
        let organizations: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM organizations WHERE company_id = $1 ORDER BY name, id")
                .bind(company.0)
                .fetch_all(pool)
                .await?;
        let groups: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM contact_groups WHERE company_id = $1 ORDER BY name, id")
                .bind(company.0)
                .fetch_all(pool)
                .await?;
        (organizations, groups)
    });
    Ok(lists)
}

/// Stores a contact's photo (replacing any) and sets its new version token;
/// `false` when the contact does not exist in the company.
pub async fn set_photo(
    db: &Db,
    company: CompanyId,
    id: i64,
    content_type: &str,
    bytes: &[u8],
    version: &str,
) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let stored = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE contacts SET photo = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
        )
        .bind(version)
        .bind(now)
        .bind(company.0)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO contact_photos (company_id, contact_id, content_type, bytes, updated_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (contact_id) DO UPDATE
                SET content_type = excluded.content_type, bytes = excluded.bytes,
                    updated_at = excluded.updated_at",
        )
        .bind(company.0)
        .bind(id)
        .bind(content_type)
        .bind(bytes)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        true
    });
    Ok(stored)
}

/// Removes a contact's photo; `false` when the contact does not exist in the
/// company (removing a photo it does not have is fine).
pub async fn remove_photo(db: &Db, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let removed = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE contacts SET photo = NULL, updated_at = $1 WHERE company_id = $2 AND id = $3",
        )
        .bind(now)
        .bind(company.0)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM contact_photos WHERE company_id = $1 AND contact_id = $2")
            .bind(company.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        updated > 0
    });
    Ok(removed)
}

/// A contact's photo: (MIME type, bytes).
pub async fn get_photo(
    db: &Db,
    company: CompanyId,
    id: i64,
) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let photo = with_db!(db, pool => {
        sqlx::query_as::<_, (String, Vec<u8>)>(
            "SELECT content_type, bytes FROM contact_photos WHERE company_id = $1 AND contact_id = $2",
        )
        .bind(company.0)
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    Ok(photo)
}
