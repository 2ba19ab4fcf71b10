//! The data layer's handle: one enum over the connection pools of the
//! supported backends.
//!
//! The backend is chosen at start-up from the URL's scheme, never by a
//! rebuild. SQLite (`sqlite:`) is the embedded default. PostgreSQL is added as a
//! second variant of [`Db`]: every repository function dispatches through
//! [`with_db!`](crate::with_db), so adding it means one new match arm per query
//! site (sharing the SQL text where both dialects agree) and a second
//! migration set, not a rewrite. See `docs/architecture.md`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The embedded default database.
pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/agenda.db";

/// Migrations for SQLite, embedded in the binary.
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// A handle to the application's database. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// The embedded SQLite database.
    Sqlite(SqlitePool),
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
        }
    };
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite:PATH")]
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

impl Db {
    /// Opens (creating if needed) the database at `url` and applies pending
    /// migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        let db = if url.starts_with("sqlite:") {
            Db::Sqlite(open_sqlite(url).await?)
        } else {
            return Err(DbError::UnsupportedUrl(url.to_string()));
        };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), DbError> {
        with_db!(self, pool => SQLITE_MIGRATOR.run(pool).await?);
        Ok(())
    }

    /// The backend's name, for logs and diagnostics.
    pub fn backend(&self) -> &'static str {
        with_db!(self, _pool => "sqlite")
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        with_db!(self, pool => pool.close().await)
    }
}

async fn open_sqlite(url: &str) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // WAL: readers never block the writer and vice versa.
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable across application crashes in WAL mode.
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    if let Some(parent) = Path::new(options.get_filename()).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Starts a write transaction on SQLite.
///
/// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction that reads
/// and then writes can never fail with SQLITE_BUSY on the lock upgrade; a
/// competing writer waits on the busy timeout instead.
pub async fn begin_write_sqlite(
    pool: &SqlitePool,
) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_sqlite_file_is_created_migrated_and_in_wal_mode() {
        let dir = std::env::temp_dir().join(format!("agenda-db-test-{}", std::process::id()));
        let url = format!("sqlite:{}/nested/test.db", dir.display());
        let db = Db::open(&url).await.expect("opens");
        let Db::Sqlite(pool) = &db;
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
    async fn an_unknown_url_scheme_is_refused_with_a_clear_error() {
        let error = Db::open("mysql://x").await.expect_err("refused");
        assert!(error.to_string().contains("unsupported database URL"));
    }
}
