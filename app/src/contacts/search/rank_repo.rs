//! Giving contacts their search ranks (SQLite; the arithmetic and why are
//! in [`search_rank`](crate::contacts::search::rank)), and keeping the index
//! they order compact. Every transaction that creates or renames contacts
//! settles their ranks before it commits: migration 0012's triggers take a
//! renamed contact's rank, and new contacts arrive without one. PostgreSQL
//! has no ranks (its own planner orders a search), so settling there does
//! nothing.

use sqlx::SqliteConnection;

use crate::contacts::search::rank::{
    aligned_window, between, first_level, fits, runs, space, spread, RankSpace, Run, Waiting,
    POSITION_BITS,
};
use crate::db::{json_ids, BeginWrite, Conn, Db};
use crate::tenant::CompanyId;

/// Gives every contact of `company` that has no rank one that keeps ranks
/// in name order, inside the caller's transaction (nothing to do on
/// PostgreSQL). The contact writer calls it before every commit
/// ([`crate::contacts::writer::commit`]).
pub async fn settle_ranks(conn: &mut Conn<'_>, company: CompanyId) -> Result<(), sqlx::Error> {
    match conn {
        Conn::Sqlite(c) => settle(c, company).await,
        Conn::Postgres(_) => Ok(()),
    }
}

/// The company's contacts without a rank, in name order, each with the rank
/// of the ranked contact just before it and whether it has the same name,
/// looked for only back to the previous contact without a rank (see
/// [`Waiting`]): a bounded range of the name index, so a long run of new
/// names costs one step per contact.
const WAITING: &str = "
    SELECT w.id, b.search_rank AS before_rank, coalesce(b.sort_key = w.sort_key, 0) AS tie
      FROM (SELECT id, sort_key,
                   coalesce(lag(sort_key) OVER byname, '') AS before_key,
                   coalesce(lag(id) OVER byname, 0) AS before_id
              FROM contacts
             WHERE company_id = $1 AND search_rank IS NULL
            WINDOW byname AS (ORDER BY sort_key, id)) AS w
      LEFT JOIN contacts b
        ON b.id = (SELECT c.id FROM contacts c
                    WHERE c.company_id = $1
                      AND (c.sort_key, c.id) < (w.sort_key, w.id)
                      AND (c.sort_key, c.id) > (w.before_key, w.before_id)
                      AND c.search_rank IS NOT NULL
                    ORDER BY c.sort_key DESC, c.id DESC LIMIT 1)
     ORDER BY w.sort_key, w.id";

/// For each rank of `$1` (a JSON array), the next rank above it below `$2`
/// (the space's end), or `$2`.
const NEXT_RANKS: &str = "
    SELECT coalesce((SELECT min(c.search_rank) FROM contacts c
                      WHERE c.search_rank > j.value AND c.search_rank < $2), $2)
      FROM json_each($1) AS j
     ORDER BY j.key";

/// Sets ranks from `$1`, a JSON array of `[id, rank]`, of contacts that
/// have none (the UPDATE visits them in an order of its own).
const SET_RANKS: &str = "
    UPDATE contacts SET search_rank = j.value ->> 1
      FROM json_each($1) AS j
     WHERE contacts.id = j.value ->> 0";

/// Indexes the contacts of `$1` (a JSON array of `[id, rank]`) under their
/// new ranks, in rank order: FTS5 keeps entries pending while row ids rise
/// and writes them out whenever a smaller one arrives.
const INDEX_RANKED: &str = "
    INSERT INTO contact_search (rowid, text, phones)
    SELECT c.search_rank, c.search_text, c.search_phones
      FROM json_each($1) AS j CROSS JOIN contacts c ON c.id = j.value ->> 0
     ORDER BY c.search_rank";

/// The rank of the ranked contact just before contact `$2` of company `$1`
/// in name order, and whether it has the same name (no row: none).
const BEFORE: &str = "
    SELECT c.search_rank, c.sort_key = f.sort_key
      FROM contacts f CROSS JOIN contacts c
     WHERE f.id = $2 AND c.company_id = $1
       AND (c.sort_key, c.id) < (f.sort_key, f.id)
       AND c.search_rank IS NOT NULL
     ORDER BY c.sort_key DESC, c.id DESC LIMIT 1";

async fn settle(conn: &mut SqliteConnection, company: CompanyId) -> Result<(), sqlx::Error> {
    let Some(space) = space(company.get()) else {
        return Ok(());
    };
    let waiting: Vec<Waiting> = sqlx::query_as(WAITING)
        .bind(company)
        .fetch_all(&mut *conn)
        .await?;
    if waiting.is_empty() {
        return Ok(());
    }
    let runs = runs(&waiting, space.start);
    let afters: Vec<i64> = runs.iter().map(|run| run.after).collect();
    let nexts = next_ranks(conn, space, &afters).await?;
    let mut ranked: Vec<(i64, i64)> = Vec::with_capacity(waiting.len());
    // Ranks below this were spread again: a later run whose neighbour lies
    // there looks its neighbours up anew (a run's neighbours above lie
    // below the next run's, so no other run is touched).
    let mut moved_below = i64::MIN;
    for (run, next) in runs.into_iter().zip(nexts) {
        let (run, next) = if run.after < moved_below {
            set_ranks(conn, &ranked).await?;
            ranked.clear();
            neighbours_again(conn, company, space, run).await?
        } else {
            (run, next)
        };
        if let Some(ranks) = between(space, run.after, next, run.ids.len(), run.tie) {
            ranked.extend(run.ids.iter().copied().zip(ranks));
            continue;
        }
        set_ranks(conn, &ranked).await?;
        ranked.clear();
        match relabel(conn, space, &run).await? {
            // Aligned windows nest: a later, smaller one must not hide
            // the stale ranks of an earlier, larger one.
            Some(upper) => moved_below = moved_below.max(upper),
            None => {
                // 3.8e8 contacts in one company: the rest stay unranked,
                // and searches test them one by one (same results, slower).
                tracing::warn!(
                    company = company.get(),
                    "the company's search ranks are full; new contacts stay out of the index"
                );
                return Ok(());
            }
        }
    }
    set_ranks(conn, &ranked).await
}

/// For each rank of `afters`, the next rank above it (or the space's end).
async fn next_ranks(
    conn: &mut SqliteConnection,
    space: RankSpace,
    afters: &[i64],
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(NEXT_RANKS)
        .bind(json_ids(afters))
        .bind(space.end)
        .fetch_all(&mut *conn)
        .await
}

/// `run` with the ranks around it looked up again (the ranks before it
/// are written).
async fn neighbours_again(
    conn: &mut SqliteConnection,
    company: CompanyId,
    space: RankSpace,
    run: Run,
) -> Result<(Run, i64), sqlx::Error> {
    let before: Option<(i64, bool)> = sqlx::query_as(BEFORE)
        .bind(company)
        .bind(run.ids[0])
        .fetch_optional(&mut *conn)
        .await?;
    let (after, tie) = before.unwrap_or((space.start, false));
    let next = next_ranks(conn, space, &[after]).await?;
    let next = next.first().copied().unwrap_or(space.end);
    Ok((Run { after, tie, ..run }, next))
}

/// Places `run` by spreading again the smallest window of ranks around its
/// place that may hold it (see [`fits`]); returns the window's upper bound,
/// or `None` when not even the whole space may.
async fn relabel(
    conn: &mut SqliteConnection,
    space: RankSpace,
    run: &Run,
) -> Result<Option<i64>, sqlx::Error> {
    let mut level = first_level(run.ids.len());
    loop {
        let (lower, upper) = aligned_window(space, run.after, level);
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM contacts WHERE search_rank > $1 AND search_rank < $2",
        )
        .bind(lower)
        .bind(upper)
        .fetch_one(&mut *conn)
        .await?;
        if fits(level, held as u64 + run.ids.len() as u64) {
            tracing::debug!(
                level,
                held,
                run = run.ids.len(),
                "search ranks spread again"
            );
            let window: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, search_rank FROM contacts
                  WHERE search_rank > $1 AND search_rank < $2 ORDER BY search_rank",
            )
            .bind(lower)
            .bind(upper)
            .fetch_all(&mut *conn)
            .await?;
            let at = window.partition_point(|(_, rank)| *rank <= run.after);
            let mut ids: Vec<i64> = window.into_iter().map(|(id, _)| id).collect();
            ids.splice(at..at, run.ids.iter().copied());
            let Some(ranks) = spread(lower, upper, ids.len()) else {
                return Ok(None);
            };
            // Out of the index first, so no new rank meets an old one.
            sqlx::query(
                "UPDATE contacts SET search_rank = NULL WHERE search_rank > $1 AND search_rank < $2",
            )
            .bind(lower)
            .bind(upper)
            .execute(&mut *conn)
            .await?;
            let ranked: Vec<(i64, i64)> = ids.into_iter().zip(ranks).collect();
            set_ranks(conn, &ranked).await?;
            return Ok(Some(upper));
        }
        if level >= POSITION_BITS {
            return Ok(None);
        }
        level += 1;
    }
}

/// Gives contacts without a rank these ranks, and their index entries (the
/// only place ranks are given: migration 0013).
async fn set_ranks(conn: &mut SqliteConnection, ranked: &[(i64, i64)]) -> Result<(), sqlx::Error> {
    if ranked.is_empty() {
        return Ok(());
    }
    let pairs: Vec<String> = ranked
        .iter()
        .map(|(id, rank)| format!("[{id},{rank}]"))
        .collect();
    let pairs = format!("[{}]", pairs.join(","));
    sqlx::query(SET_RANKS)
        .bind(&pairs)
        .execute(&mut *conn)
        .await?;
    sqlx::query(INDEX_RANKED)
        .bind(&pairs)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Pages of index one compaction step writes (~8 MiB): a step holds
/// SQLite's write lock for about a tenth of a second, and the writers
/// waiting go between steps.
const MERGE_PAGES: i64 = 2_000;

/// Merges the search index's segments into one, a bounded step per write
/// transaction (FTS5's `merge` command with a negative page count merges
/// across levels; a step that does no work ends it). FTS5 keeps each
/// committed batch as a segment and merges them lazily, so a bulk write
/// leaves a dozen large segments, each of which every search reads: a
/// phone lookup at 1,000,000 contacts took 3-5 times as long as on the
/// merged index. Returns the steps taken; nothing to do on PostgreSQL.
pub async fn compact_index(db: &Db) -> Result<u32, sqlx::Error> {
    let Db::Sqlite(pool) = db else {
        return Ok(0);
    };
    let mut steps = 0;
    loop {
        let mut tx = pool.begin_write().await?;
        let before: i64 = sqlx::query_scalar("SELECT total_changes()")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO contact_search (contact_search, rank) VALUES ('merge', $1)")
            .bind(-MERGE_PAGES)
            .execute(&mut *tx)
            .await?;
        let after: i64 = sqlx::query_scalar("SELECT total_changes()")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        // SQLite's documented test: fewer than two changes, no work done.
        if after - before < 2 {
            return Ok(steps);
        }
        steps += 1;
        db.yield_to_writers().await;
    }
}
