//! Typed transactions: the handles the data layer's write steps take.
//!
//! A step inside a transaction (append a timeline event, write a contact's
//! phones, find or create a group…) is an ordinary `async fn` taking a
//! [`Conn`], a borrowed connection of either backend, so it has a real
//! signature, returns its errors with `?` and can be traced. Its body is
//! written once inside [`with_conn!`](crate::db::with_conn), which expands
//! to one `match` arm per backend, exactly as [`with_db!`](crate::with_db)
//! does for pools.
//!
//! A transaction is begun with [`Db::begin_write`] (a [`Tx`]); code that
//! still holds a backend's own transaction (inside `with_db!`) reaches the
//! same steps through [`AsConn::conn`].
//!
//! ```text
//! let mut tx = db.begin_write().await?;
//! timeline::repo::append(&mut tx.conn(), company, &event).await?;
//! tx.commit().await?;
//! ```

use std::time::Instant;

use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

use super::{timing, BeginWrite, Db};

/// A connection of either backend, borrowed for the length of a step
/// (usually from a transaction).
#[derive(Debug)]
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn<'_> {
    /// Whether this is the embedded SQLite backend (a few statements
    /// differ: JSON arrays, id reservation, deferred foreign keys).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Conn::Sqlite(_))
    }
}

/// Runs `$body` with `$conn` (a `&mut Conn`) bound as `$c` to the
/// backend's own `&mut` connection: the body is compiled once per backend.
/// Use it as `.execute(&mut *c)` / `.fetch_one(&mut *c)`.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match &mut *$conn {
            $crate::db::Conn::Sqlite(connection) => {
                let $c: &mut sqlx::SqliteConnection = &mut **connection;
                $body
            }
            $crate::db::Conn::Postgres(connection) => {
                let $c: &mut sqlx::PgConnection = &mut **connection;
                $body
            }
        }
    };
}
pub(crate) use with_conn;

/// A write transaction on either backend ([`Db::begin_write`]). Dropped
/// without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx {
    inner: TxInner,
    /// When the transaction began (its time is reported per request, see
    /// [`super::timing`]).
    began: Instant,
}

#[derive(Debug)]
enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let result = match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await,
            TxInner::Postgres(tx) => tx.commit().await,
        };
        timing::record_write(self.began.elapsed());
        result
    }

    /// Rolls the transaction back.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        let result = match self.inner {
            TxInner::Sqlite(tx) => tx.rollback().await,
            TxInner::Postgres(tx) => tx.rollback().await,
        };
        timing::record_write(self.began.elapsed());
        result
    }
}

impl Db {
    /// Begins a write transaction (on SQLite `BEGIN IMMEDIATE`, see
    /// [`BeginWrite`]).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let inner = match self {
            Db::Sqlite(pool) => TxInner::Sqlite(pool.begin_write().await?),
            Db::Postgres(pool) => TxInner::Postgres(pool.begin_write().await?),
        };
        Ok(Tx {
            inner,
            began: Instant::now(),
        })
    }
}

/// What a step can run on: a [`Tx`], a backend's transaction or connection.
pub trait AsConn {
    /// The connection, borrowed as a [`Conn`].
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match &mut self.inner {
            TxInner::Sqlite(tx) => Conn::Sqlite(tx),
            TxInner::Postgres(tx) => Conn::Postgres(tx),
        }
    }
}

impl AsConn for Transaction<'_, Sqlite> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for Transaction<'_, Postgres> {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

impl AsConn for SqliteConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for PgConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

/// `ids` as the JSON array `json_each` (or PostgreSQL's jsonb) reads.
pub fn json_ids<Id: std::fmt::Display>(ids: &[Id]) -> String {
    let ids: Vec<String> = ids.iter().map(Id::to_string).collect();
    format!("[{}]", ids.join(","))
}

/// The start of a join driven by the ids of a JSON array bound as `$2`
/// (`s.value`), to be followed by `table ON … = s.value`. Driving from the
/// ids makes each a key lookup; `x IN (SELECT … json_each)` let SQLite scan
/// the whole table instead (45 ms per 1,000 ids at 100,000 contacts).
/// CROSS JOIN fixes SQLite's join order; PostgreSQL plans a plain join.
pub fn join_on_ids(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => "json_each($2) AS s CROSS JOIN",
        Db::Postgres(_) => {
            "(SELECT jsonb_array_elements_text(CAST($2 AS jsonb))::bigint AS value) AS s JOIN"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_written_as_a_json_array() {
        assert_eq!(json_ids::<i64>(&[]), "[]");
        assert_eq!(json_ids(&[3, 1, 2]), "[3,1,2]");
    }

    #[tokio::test]
    async fn a_step_runs_inside_the_transaction_and_a_dropped_one_rolls_back() {
        let dir = std::env::temp_dir().join(format!("agenda-conn-test-{}", std::process::id()));
        let db = Db::open(&format!("sqlite:{}/conn.db", dir.display()))
            .await
            .expect("opens");
        async fn add_company(conn: &mut Conn<'_>, name: &str) -> Result<(), sqlx::Error> {
            with_conn!(conn, c => {
                sqlx::query("INSERT INTO companies (name, created_at) VALUES ($1, '2026-12-07')")
                    .bind(name)
                    .execute(&mut *c)
                    .await?;
            });
            Ok(())
        }
        let mut tx = db.begin_write().await.expect("begins");
        assert!(tx.conn().is_sqlite());
        add_company(&mut tx.conn(), "Kept").await.expect("insert");
        tx.commit().await.expect("commits");
        let mut tx = db.begin_write().await.expect("begins");
        add_company(&mut tx.conn(), "Dropped")
            .await
            .expect("insert");
        drop(tx);
        let Db::Sqlite(pool) = &db else {
            unreachable!()
        };
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM companies ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("read");
        assert_eq!(names, ["Kept"]);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
