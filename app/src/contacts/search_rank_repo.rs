//! Giving contacts their search ranks (SQLite; the arithmetic and why are
//! in [`search_rank`](crate::contacts::search_rank)), and keeping the index
//! they order compact. Every transaction that creates or renames contacts
//! settles their ranks before it commits: migration 0012's triggers take a
//! renamed contact's rank, and new contacts arrive without one. PostgreSQL
//! has no ranks (its own planner orders a search), so settling there does
//! nothing.

use std::future::Future;

use sqlx::{PgConnection, SqliteConnection};

use crate::contacts::repo::json_ids;
use crate::contacts::search_rank::{
    aligned_window, between, first_level, fits, runs, space, spread, RankSpace, Run, Waiting,
    POSITION_BITS,
};
use crate::db::{BeginWrite, Db};
use crate::tenant::CompanyId;

/// A connection that can settle a company's search ranks inside its
/// transaction.
pub trait SettleRanks {
    /// Gives every contact of `company` that has no rank one that keeps
    /// ranks in name order.
    fn settle_ranks(
        &mut self,
        company: CompanyId,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

impl SettleRanks for SqliteConnection {
    fn settle_ranks(
        &mut self,
        company: CompanyId,
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        settle(self, company)
    }
}

impl SettleRanks for PgConnection {
    async fn settle_ranks(&mut self, _company: CompanyId) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// The company's contacts without a rank, in name order, each with the rank
/// of the ranked contact just before it and whether it has the same name,
/// looked for only back to the previous contact without a rank (see
/// [`Waiting`]): a bounded range of the name index, so a long run of new
/// names costs one step per contact.
const WAITING: &str = "
    SELECT w.id,
           (SELECT c.search_rank FROM contacts c
             WHERE c.company_id = $1
               AND (c.sort_key, c.id) < (w.sort_key, w.id)
               AND (c.sort_key, c.id) > (w.before_key, w.before_id)
               AND c.search_rank IS NOT NULL
             ORDER BY c.sort_key DESC, c.id DESC LIMIT 1) AS before_rank,
           coalesce((SELECT c.sort_key = w.sort_key FROM contacts c
                      WHERE c.company_id = $1
                        AND (c.sort_key, c.id) < (w.sort_key, w.id)
                        AND (c.sort_key, c.id) > (w.before_key, w.before_id)
                        AND c.search_rank IS NOT NULL
                      ORDER BY c.sort_key DESC, c.id DESC LIMIT 1), 0) AS tie
      FROM (SELECT id, sort_key,
                   coalesce(lag(sort_key) OVER byname, '') AS before_key,
                   coalesce(lag(id) OVER byname, 0) AS before_id
              FROM contacts
             WHERE company_id = $1 AND search_rank IS NULL
            WINDOW byname AS (ORDER BY sort_key, id)) AS w
     ORDER BY w.sort_key, w.id";

/// For each rank of `$1` (a JSON array), the next rank above it below `$2`
/// (the space's end), or `$2`.
const NEXT_RANKS: &str = "
    SELECT coalesce((SELECT min(c.search_rank) FROM contacts c
                      WHERE c.search_rank > j.value AND c.search_rank < $2), $2)
      FROM json_each($1) AS j
     ORDER BY j.key";

/// Sets ranks from `$1`, a JSON array of `[id, rank]` (the triggers index
/// each contact under its new rank).
const SET_RANKS: &str = "
    UPDATE contacts SET search_rank = j.value ->> 1
      FROM json_each($1) AS j
     WHERE contacts.id = j.value ->> 0";

async fn settle(conn: &mut SqliteConnection, company: CompanyId) -> Result<(), sqlx::Error> {
    let Some(space) = space(company.0) else {
        return Ok(());
    };
    loop {
        let waiting: Vec<Waiting> = sqlx::query_as(WAITING)
            .bind(company.0)
            .fetch_all(&mut *conn)
            .await?;
        if waiting.is_empty() {
            return Ok(());
        }
        let runs = runs(&waiting, space.start);
        let afters: Vec<i64> = runs.iter().map(|run| run.after).collect();
        let nexts: Vec<i64> = sqlx::query_scalar(NEXT_RANKS)
            .bind(json_ids(&afters))
            .bind(space.end)
            .fetch_all(&mut *conn)
            .await?;
        let mut ranked: Vec<(i64, i64)> = Vec::with_capacity(waiting.len());
        // Ranks below this were spread again: a later run whose neighbour
        // lies there must look its neighbours up anew.
        let mut moved_below = i64::MIN;
        let mut stale = false;
        for (run, next) in runs.iter().zip(nexts) {
            if run.after < moved_below {
                stale = true;
                break;
            }
            if let Some(ranks) = between(space, run.after, next, run.ids.len(), run.tie) {
                ranked.extend(run.ids.iter().copied().zip(ranks));
                continue;
            }
            set_ranks(conn, &ranked).await?;
            ranked.clear();
            match relabel(conn, space, run).await? {
                Some(upper) => moved_below = upper,
                None => {
                    // 3.8e8 contacts in one company: the rest stay
                    // unranked, and searches test them one by one (same
                    // results, slower).
                    tracing::warn!(
                        company = company.0,
                        "the company's search ranks are full; new contacts stay out of the index"
                    );
                    return Ok(());
                }
            }
        }
        set_ranks(conn, &ranked).await?;
        if !stale {
            return Ok(());
        }
    }
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

async fn set_ranks(conn: &mut SqliteConnection, ranked: &[(i64, i64)]) -> Result<(), sqlx::Error> {
    if ranked.is_empty() {
        return Ok(());
    }
    let pairs: Vec<String> = ranked
        .iter()
        .map(|(id, rank)| format!("[{id},{rank}]"))
        .collect();
    sqlx::query(SET_RANKS)
        .bind(format!("[{}]", pairs.join(",")))
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
