//! The planner's statistics kept in step with a bulk write (PostgreSQL).
//!
//! PostgreSQL keeps a plan for each prepared statement of a connection
//! (sqlx's statement cache, and the checks of foreign keys, which every
//! inserted phone or e-mail runs against `contacts`) until the statistics
//! of its tables change. A plan made while a table was small reads the
//! whole table, and keeps doing so as the table grows: in the 16-writer
//! scenario (RELIABILITY.md) the foreign-key checks of 200 imported phones
//! took 1–7 s at 100,000 contacts instead of 6 ms, and batches ran past the
//! statement timeout. Reproduced by hand: 1,097 ms before `ANALYZE
//! contacts` in another session, 5.8 ms after. Autovacuum's own `ANALYZE`
//! comes at most once a minute per database, and not at all where it is
//! off; so the CSV import analyses the tables it writes whenever its rows
//! reach the size the contacts table had at the last analysis.
//!
//! SQLite needs none of this: without statistics its planner does not
//! weigh table sizes, and its prepared statements are prepared again when
//! statistics change.

use crate::db::Db;

/// The tables a bulk write of contacts fills.
const CONTACT_TABLES: &str = "contacts, contact_phones, contact_emails, contact_group_members, \
                              contact_field_values, contact_field_options";

/// Rows written before the first analysis of a never-analysed table.
pub const FIRST_AFTER_ROWS: i64 = 1_000;

/// A bulk write's account of when to analyse (see the module's notes).
#[derive(Debug)]
pub struct Statistics {
    /// `None` on SQLite: nothing to do.
    due_after: Option<i64>,
    written: i64,
}

impl Statistics {
    /// Starts the account from the contacts table's size at its last
    /// analysis (none: [`FIRST_AFTER_ROWS`]).
    pub async fn start(db: &Db) -> Result<Statistics, sqlx::Error> {
        let due_after = match db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => Some(analysed_rows(pool).await?.max(FIRST_AFTER_ROWS)),
        };
        Ok(Statistics {
            due_after,
            written: 0,
        })
    }

    /// Counts `rows` more contacts written; once they reach the table's
    /// size at the last analysis, analyses the contact tables. Whether it
    /// did. A failed analysis is logged and tried again later: only speed
    /// depends on it.
    pub async fn wrote(&mut self, db: &Db, rows: i64) -> bool {
        let (Db::Postgres(pool), Some(due_after)) = (db, self.due_after) else {
            return false;
        };
        self.written += rows;
        if self.written < due_after {
            return false;
        }
        self.written = 0;
        let analysed = async {
            sqlx::query(&format!("ANALYZE {CONTACT_TABLES}"))
                .execute(pool)
                .await?;
            analysed_rows(pool).await
        };
        match analysed.await {
            Ok(rows) => {
                tracing::info!(contacts = rows, "analysed the contact tables");
                self.due_after = Some(rows.max(FIRST_AFTER_ROWS));
                true
            }
            Err(error) => {
                tracing::warn!(%error, "analysing the contact tables");
                false
            }
        }
    }
}

/// The contacts table's rows at its last analysis; 0 if never analysed.
async fn analysed_rows(pool: &sqlx::PgPool) -> Result<i64, sqlx::Error> {
    let rows: f32 =
        sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'contacts'::regclass")
            .fetch_one(pool)
            .await?;
    Ok((rows.max(0.0)) as i64)
}
