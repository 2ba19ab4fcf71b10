//! `agenda backup` and `agenda restore` for the embedded SQLite database.
//!
//! A backup is `VACUUM INTO`: SQLite writes a consistent, compacted copy of
//! the database as of one read transaction while the server keeps serving
//! (in WAL mode writers go on during it). The copy is written beside its
//! destination under a temporary name, checked (`integrity_check`, the
//! migrations it holds), synced to disk and only then renamed into place,
//! so a backup interrupted at any moment never leaves a file that looks
//! complete.
//!
//! A restore checks the backup the same way, keeps the current database
//! aside (`FILE.before-restore-TIME`, with its `-wal` and `-shm`) and puts
//! a copy of the backup in its place. The server must be stopped first;
//! migrations newer than the backup run when it starts again.
//!
//! PostgreSQL has its own tools (`pg_dump`, continuous archiving): see
//! docs/operations.md.

use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

use crate::db::Db;

/// Why a backup or restore was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backups of PostgreSQL are taken with pg_dump or continuous archiving (docs/operations.md)"
    )]
    Postgres,
    #[error("{0} already exists; choose another file or remove it first")]
    Exists(PathBuf),
    #[error("{path} is not a usable Agenda backup: {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error("the database {0} looks in use (its -wal file is there): stop the server first, or pass --force if it is stopped")]
    InUse(PathBuf),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Db(#[from] sqlx::Error),
}

/// What a backup or a restore wrote, as checked afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub path: PathBuf,
    pub bytes: u64,
    pub contacts: i64,
    pub companies: i64,
}

/// Writes a consistent copy of the live database to `to` (which must not
/// exist), checks it, and returns what it holds.
pub async fn backup(db: &Db, to: &Path) -> Result<BackupSummary, BackupError> {
    let Db::Sqlite(pool) = db else {
        return Err(BackupError::Postgres);
    };
    if to.exists() {
        return Err(BackupError::Exists(to.to_path_buf()));
    }
    let partial = partial_name(to);
    // A partial file an earlier interrupted backup left is ours to replace.
    let _ = std::fs::remove_file(&partial);
    let target = partial
        .to_str()
        .ok_or_else(|| std::io::Error::other("the backup path is not valid UTF-8"))?;
    let written = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await;
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error.into());
    }
    let summary = match verify(&partial).await {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::File::open(&partial)?.sync_all()?;
    std::fs::rename(&partial, to)?;
    sync_dir(to);
    Ok(BackupSummary {
        path: to.to_path_buf(),
        ..summary
    })
}

/// Replaces the database at `database` (a file path) with the backup
/// `from`; the current one is kept beside it. Refuses while the database
/// looks in use unless `force`.
pub async fn restore(
    database: &Path,
    from: &Path,
    force: bool,
) -> Result<(BackupSummary, Option<PathBuf>), BackupError> {
    let summary = verify(from).await?;
    let wal = with_suffix(database, "-wal");
    if wal.exists() && !force {
        return Err(BackupError::InUse(database.to_path_buf()));
    }
    let incoming = partial_name(database);
    std::fs::copy(from, &incoming)?;
    std::fs::File::open(&incoming)?.sync_all()?;
    let kept = if database.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = with_suffix(database, &format!(".before-restore-{stamp}"));
        std::fs::rename(database, &aside)?;
        for suffix in ["-wal", "-shm"] {
            let file = with_suffix(database, suffix);
            if file.exists() {
                std::fs::rename(&file, with_suffix(&aside, suffix))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, database)?;
    sync_dir(database);
    Ok((
        BackupSummary {
            path: database.to_path_buf(),
            ..summary
        },
        kept,
    ))
}

/// Opens a backup read-only and checks it is a whole Agenda database.
async fn verify(path: &Path) -> Result<BackupSummary, BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup {
        path: path.to_path_buf(),
        why,
    };
    if !path.is_file() {
        return Err(not_a_backup("no such file".into()));
    }
    let mut conn: SqliteConnection = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
    let result = async {
        let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| not_a_backup(e.to_string()))?;
        if lines != ["ok"] {
            return Err(not_a_backup(lines.join("; ")));
        }
        let migrations: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut conn)
                .await
                .map_err(|_| not_a_backup("it holds no Agenda migrations".into()))?;
        if migrations == 0 {
            return Err(not_a_backup("it holds no Agenda migrations".into()));
        }
        let (contacts, companies): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM companies)",
        )
        .fetch_one(&mut conn)
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
        Ok((contacts, companies))
    }
    .await;
    let _ = conn.close().await;
    let (contacts, companies) = result?;
    Ok(BackupSummary {
        path: path.to_path_buf(),
        bytes: std::fs::metadata(path)?.len(),
        contacts,
        companies,
    })
}

/// `FILE.partial` beside `path`.
fn partial_name(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes a rename in `path`'s directory durable (best effort).
fn sync_dir(path: &Path) {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// The file of a `sqlite:` database URL (`sqlite:agenda.db`,
/// `sqlite://path?mode=rwc`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_path("sqlite:agenda.db"), Some("agenda.db".into()));
        assert_eq!(
            sqlite_path("sqlite://data/agenda.db?mode=rwc"),
            Some("data/agenda.db".into())
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
}
