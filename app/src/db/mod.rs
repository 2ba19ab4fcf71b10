//! The data layer's handle: one enum over the connection pools of the
//! supported backends.
//!
//! The backend is chosen at start-up from the URL's scheme, never by a
//! rebuild: `sqlite:` is the embedded default, `postgres://` the scale-out
//! backend. Every repository function dispatches through
//! [`with_db!`](crate::with_db), whose body is compiled once per backend, so
//! one SQL text serves both wherever the dialects agree (they do for every
//! query so far: `$n` parameters, `RETURNING`, `ON CONFLICT`, row-value
//! comparison). Each backend has its own migration folder, kept in step by a
//! test. See `docs/architecture.md`.

use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::MigrateDatabase;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, SqlitePool, Transaction};

mod conn;
mod errors;
pub mod timing;
pub(crate) use conn::with_conn;
pub use conn::{join_on_ids, json_ids, AsConn, Conn, Tx};
pub use errors::is_transient;

/// The embedded default database.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/agenda.db";

/// Migrations for SQLite, embedded in the binary.
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// Migrations for PostgreSQL, embedded in the binary. sqlx runs them under a
/// PostgreSQL advisory lock, so several servers starting at once on one
/// database apply each migration exactly once.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// A handle to the application's database. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// The embedded SQLite database (one server process).
    Sqlite(SqlitePool),
    /// A PostgreSQL database, shareable by several server processes.
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's concrete pool.
///
/// Repository code writes each query once inside this macro; the body is
/// compiled once per backend, so runtime-checked queries stay typed per
/// database.
#[macro_export]
macro_rules! with_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Connection settings that matter when several servers share a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbSettings {
    /// Most connections this process opens. With several servers on one
    /// PostgreSQL, keep the sum under the server's `max_connections`.
    pub max_connections: u32,
    /// Longest a statement may run before PostgreSQL cancels it, so one
    /// runaway query cannot hold a connection (and its locks) forever.
    pub statement_timeout: Duration,
    /// Longest a request waits for a free connection before failing.
    pub acquire_timeout: Duration,
    /// SQLite: page cache of each connection, in KiB (SQLite's own default
    /// is 2,000 KiB). Memory is taken as pages are read, up to this much.
    pub sqlite_cache_kib: u32,
    /// SQLite: WAL pages after which a commit checkpoints (SQLite's default
    /// is 1,000). Each checkpoint copies the WAL's pages into the database
    /// and syncs both files; a bulk writer (the CSV import) writing several
    /// MiB per commit would otherwise checkpoint on every commit.
    pub sqlite_wal_autocheckpoint: u32,
}

impl Default for DbSettings {
    fn default() -> Self {
        DbSettings {
            max_connections: 10,
            statement_timeout: Duration::from_secs(30),
            acquire_timeout: Duration::from_secs(10),
            sqlite_cache_kib: 2_000,
            sqlite_wal_autocheckpoint: 1_000,
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    #[error("could not create the directory for {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Whether a URL names a PostgreSQL database.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

impl Db {
    /// Opens (creating if needed) the database at `url` with default
    /// settings and applies pending migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        Db::open_with(url, DbSettings::default()).await
    }

    /// Opens the database at `url` with `settings` and applies pending
    /// migrations.
    pub async fn open_with(url: &str, settings: DbSettings) -> Result<Db, DbError> {
        let db = if url.starts_with("sqlite:") {
            Db::Sqlite(open_sqlite(url, settings).await?)
        } else if is_postgres_url(url) {
            Db::Postgres(open_postgres(url, settings).await?)
        } else {
            return Err(DbError::UnsupportedUrl(url.to_string()));
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// The database for one long bulk writer (the CSV import): on SQLite a
    /// pool of one connection of its own to the same file, with a page
    /// cache of [`BULK_WRITER_CACHE_MIB`]. A batch's inserts land all over
    /// the name, phone, e-mail and search indexes; with the pool's small
    /// caches shared by every request, each batch would read most of those
    /// pages again. [`BulkWriter::finish`] gives the connection and its
    /// memory back. On PostgreSQL, the shared pool itself.
    pub async fn bulk_writer(&self) -> Result<BulkWriter, sqlx::Error> {
        match self {
            Db::Sqlite(pool) => {
                let options = (*pool.connect_options())
                    .clone()
                    .pragma("cache_size", format!("-{}", BULK_WRITER_CACHE_MIB * 1024))
                    .pragma("wal_autocheckpoint", BULK_WRITER_AUTOCHECKPOINT.to_string());
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .acquire_timeout(pool.options().get_acquire_timeout())
                    .connect_with(options)
                    .await?;
                Ok(BulkWriter {
                    db: Db::Sqlite(pool),
                    own_pool: true,
                })
            }
            Db::Postgres(_) => Ok(BulkWriter {
                db: self.clone(),
                own_pool: false,
            }),
        }
    }

    /// The backend's name, for logs and diagnostics.
    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Runs `work` while holding the installation-wide start-up lock, so that
    /// of several servers starting at once on one PostgreSQL database only
    /// one at a time does first-start work (such as creating the demo
    /// company). On SQLite, which one server process owns, it just runs.
    pub async fn with_startup_lock<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: From<sqlx::Error>,
    {
        match self {
            Db::Sqlite(_) => work.await,
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(STARTUP_LOCK)
                    .execute(&mut *conn)
                    .await?;
                let result = work.await;
                // Closing the connection would release the lock too; unlock
                // explicitly so the pooled connection is clean.
                sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(STARTUP_LOCK)
                    .execute(&mut *conn)
                    .await?;
                result
            }
        }
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        with_db!(self, pool => pool.close().await)
    }
}

/// The database a bulk writer writes through ([`Db::bulk_writer`]).
pub struct BulkWriter {
    db: Db,
    /// Whether `db` is a pool of the writer's own (closed by `finish`) or
    /// the shared one (left open).
    own_pool: bool,
}

impl BulkWriter {
    /// The database to write through.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Closes the writer's own connection; the shared pool stays open.
    pub async fn finish(self) {
        if self.own_pool {
            self.db.close().await;
        }
    }
}

/// Page cache of [`Db::bulk_writer`]'s connection, in MiB. At 100,000
/// imported rows, 32 MiB with the WAL checkpointed every 8,192 pages ran
/// 15-30 % faster than SQLite's defaults (2 MiB, 1,000 pages), and 20 % at
/// 1,000,000 rows; 64 MiB gained nothing more (BENCHMARKS.md, "CSV import").
pub const BULK_WRITER_CACHE_MIB: u32 = 32;

/// WAL pages after which [`Db::bulk_writer`]'s commits checkpoint (SQLite's
/// default is 1,000, less than one import batch writes: every commit would
/// copy its pages into the database file and sync both files).
pub const BULK_WRITER_AUTOCHECKPOINT: u32 = 8_192;

/// Key of the PostgreSQL advisory lock taken around first-start work
/// ("agenda" in ASCII; distinct from the key sqlx's migrator derives).
const STARTUP_LOCK: i64 = 0x6167_656e_6461;

async fn open_sqlite(url: &str, settings: DbSettings) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL: readers never block the writer and vice versa.
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable across application crashes in WAL mode.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", format!("-{}", settings.sqlite_cache_kib))
        .pragma(
            "wal_autocheckpoint",
            settings.sqlite_wal_autocheckpoint.to_string(),
        );
    if let Some(parent) = Path::new(options.get_filename()).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(settings.max_connections.max(1))
        .acquire_timeout(settings.acquire_timeout)
        .connect_with(options)
        .await?;
    Ok(pool)
}

async fn open_postgres(url: &str, settings: DbSettings) -> Result<PgPool, DbError> {
    // Like SQLite's file, the database is created on first start (when the
    // role may); of several servers racing to create it, the losers find it.
    if !Postgres::database_exists(url).await? {
        if let Err(error) = Postgres::create_database(url).await {
            if !Postgres::database_exists(url).await? {
                return Err(error.into());
            }
        }
    }
    let timeout_ms = settings.statement_timeout.as_millis().to_string();
    let options = PgConnectOptions::from_str(url)?
        .application_name("agenda")
        .options([("statement_timeout", timeout_ms.as_str())]);
    let pool = PgPoolOptions::new()
        // Two at least: the start-up lock holds one while work uses another.
        .max_connections(settings.max_connections.max(2))
        .acquire_timeout(settings.acquire_timeout)
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// A pool that can start a write transaction safely for its backend.
pub trait BeginWrite {
    /// The pool's database.
    type Database: sqlx::Database;
    /// Starts a transaction that will write.
    fn begin_write(
        &self,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

/// Write transactions of this process waiting for SQLite's write lock.
static SQLITE_WRITERS_WAITING: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Counts a waiting writer while alive (also when its future is dropped).
struct WaitingWriter;

impl WaitingWriter {
    fn new() -> Self {
        SQLITE_WRITERS_WAITING.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        WaitingWriter
    }
}

impl Drop for WaitingWriter {
    fn drop(&mut self) {
        SQLITE_WRITERS_WAITING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Db {
    /// Lets writers of this process that wait for SQLite's single write
    /// lock go first. A long job that commits batch after batch (the CSV
    /// import) calls it between batches: SQLite's busy handler only polls,
    /// so without a gap a waiting writer (an agent saving a contact, a
    /// cancel) could starve until its busy timeout. Waits at most 500 ms;
    /// nothing to do on PostgreSQL (row locks, no global write lock).
    /// Returns whether any writer was waiting (the job then writes in
    /// smaller transactions for a while, see `import::runner`).
    pub async fn yield_to_writers(&self) -> bool {
        if !matches!(self, Db::Sqlite(_)) {
            return false;
        }
        let waiting = || SQLITE_WRITERS_WAITING.load(std::sync::atomic::Ordering::SeqCst) > 0;
        let contended = waiting();
        let deadline = std::time::Instant::now() + Duration::from_millis(500);
        while waiting() && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        contended
    }
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that
    /// reads and then writes can never fail with SQLITE_BUSY on the lock
    /// upgrade; a competing writer waits on the busy timeout instead.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        let _waiting = WaitingWriter::new();
        let started = std::time::Instant::now();
        let tx = self.begin_with("BEGIN IMMEDIATE").await;
        timing::record_lock(started.elapsed());
        tx
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;
    /// PostgreSQL's row-level locking needs no up-front lock: a plain
    /// READ COMMITTED transaction.
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let started = std::time::Instant::now();
        let tx = self.begin().await;
        timing::record_lock(started.elapsed());
        tx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_sqlite_file_is_created_migrated_and_in_wal_mode() {
        let dir = std::env::temp_dir().join(format!("agenda-db-test-{}", std::process::id()));
        let url = format!("sqlite:{}/nested/test.db", dir.display());
        let db = Db::open(&url).await.expect("opens");
        let Db::Sqlite(pool) = &db else {
            panic!("a sqlite: URL opens SQLite")
        };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(pool)
            .await
            .expect("pragma");
        assert_eq!(fk, 1);
        let tables: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'companies'",
        )
        .fetch_one(pool)
        .await
        .expect("query");
        assert_eq!(tables, 1);
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn the_bulk_writer_is_one_connection_with_a_large_cache_on_the_same_file() {
        let dir = std::env::temp_dir().join(format!("agenda-db-bulk-{}", std::process::id()));
        let url = format!("sqlite:{}/bulk.db", dir.display());
        let db = Db::open(&url).await.expect("opens");
        let writer = db.bulk_writer().await.expect("bulk writer");
        let (Db::Sqlite(pool), Db::Sqlite(bulk)) = (&db, writer.db()) else {
            panic!("SQLite stays SQLite")
        };
        let pragma = |pool: &SqlitePool, name: &'static str| {
            let pool = pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(&format!("PRAGMA {name}"))
                    .fetch_one(&pool)
                    .await
                    .expect("pragma")
            }
        };
        assert_eq!(pragma(pool, "cache_size").await, -2_000);
        assert_eq!(pragma(pool, "wal_autocheckpoint").await, 1_000);
        assert_eq!(
            pragma(bulk, "cache_size").await,
            -i64::from(BULK_WRITER_CACHE_MIB) * 1024
        );
        assert_eq!(
            pragma(bulk, "wal_autocheckpoint").await,
            i64::from(BULK_WRITER_AUTOCHECKPOINT)
        );
        assert_eq!(pragma(bulk, "foreign_keys").await, 1);
        assert_eq!(bulk.options().get_max_connections(), 1);
        // The same file: what one writes, the other reads.
        sqlx::query("INSERT INTO companies (name, created_at) VALUES ('Bulk', '2026-12-02')")
            .execute(bulk)
            .await
            .expect("insert");
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM companies")
            .fetch_all(pool)
            .await
            .expect("read");
        assert_eq!(names, ["Bulk"]);
        writer.finish().await;
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Each backend has its own migration folder; they must describe the same
    /// steps, in the same order (the schemas themselves are compared by the
    /// integration tests when PostgreSQL is reachable).
    #[test]
    fn both_backends_have_the_same_migrations() {
        let steps = |migrator: &sqlx::migrate::Migrator| {
            migrator
                .iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert!(!steps(&SQLITE_MIGRATOR).is_empty());
        assert_eq!(steps(&SQLITE_MIGRATOR), steps(&POSTGRES_MIGRATOR));
    }

    #[tokio::test]
    async fn an_unknown_url_scheme_is_refused_with_a_clear_error() {
        let error = Db::open("mysql://x").await.expect_err("refused");
        assert!(error.to_string().contains("unsupported database URL"));
    }
}
