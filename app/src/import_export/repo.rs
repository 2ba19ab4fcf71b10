//! All SQL of the import: jobs, the uploaded file's chunks, failed rows, and
//! the batch writer that turns prepared rows into contacts (server only).

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::db::{BeginWrite, Db};
use crate::ids::ContactId;
use crate::ids::JobId;
use crate::import_export::job::{DuplicatePolicy, ImportJob, JobStatus, RowFailure};
use crate::tenant::CompanyId;
use crate::with_db;

/// A running or queued job whose heartbeat is older than this lost its
/// server process (batches commit far more often).
pub const STALE_AFTER_SECONDS: i64 = 60;

/// [`STALE_AFTER_SECONDS`], or `AGENDA_IMPORT_STALE_SECONDS` when set (the
/// two-process test shortens it).
pub fn stale_after_seconds() -> i64 {
    static SECONDS: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *SECONDS.get_or_init(|| {
        std::env::var("AGENDA_IMPORT_STALE_SECONDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|s| *s > 0)
            .unwrap_or(STALE_AFTER_SECONDS)
    })
}

/// Size of the pieces the uploaded file is stored in.
pub const CHUNK_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, FromRow)]
struct JobRow {
    id: JobId,
    file_name: String,
    file_size: i64,
    encoding: String,
    delimiter: String,
    status: String,
    mapping: Option<String>,
    policy: Option<String>,
    total_rows: i64,
    rows_done: i64,
    created: i64,
    updated: i64,
    skipped: i64,
    failed: i64,
    error: Option<String>,
    cancel_requested: bool,
    created_by_name: String,
    created_by: i64,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    pub heartbeat_at: Option<DateTime<Utc>>,
    attempt: i64,
}

/// A job with what only the server needs: the confirmed mapping (JSON).
#[derive(Debug, Clone)]
pub struct StoredJob {
    pub job: ImportJob,
    pub mapping: Option<String>,
    pub created_by: i64,
    /// The delimiter byte.
    pub delimiter: u8,
    /// The stored encoding name (`utf-8`, `utf-8-bom`, `windows-1252`).
    pub encoding: String,
    pub heartbeat_at: Option<DateTime<Utc>>,
    /// How many times a process has taken the job.
    pub attempt: i64,
}

/// A process's hold on a job: the job and the attempt it took. Its batches,
/// heartbeats and end are written only while the attempt is still the
/// job's (another process that took the job over holds a later one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobRun {
    pub id: JobId,
    pub attempt: i64,
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl From<JobRow> for StoredJob {
    fn from(row: JobRow) -> Self {
        let status = JobStatus::parse(&row.status).unwrap_or(JobStatus::Failed);
        let until = row.finished_at.or(row.heartbeat_at);
        let elapsed_seconds = match (row.started_at, until) {
            (Some(start), Some(end)) => ((end - start).num_milliseconds().max(0) as f64) / 1000.0,
            _ => 0.0,
        };
        let delimiter = row.delimiter.bytes().next().unwrap_or(b',');
        StoredJob {
            job: ImportJob {
                id: row.id,
                file_name: row.file_name,
                file_size: row.file_size,
                encoding: encoding_label(&row.encoding).to_string(),
                delimiter: match delimiter {
                    b'\t' => "tab".to_string(),
                    other => (other as char).to_string(),
                },
                status,
                policy: row.policy.as_deref().and_then(DuplicatePolicy::parse),
                total_rows: row.total_rows,
                rows_done: row.rows_done,
                created: row.created,
                updated: row.updated,
                skipped: row.skipped,
                failed: row.failed,
                error: row.error,
                cancel_requested: row.cancel_requested,
                created_by: row.created_by_name,
                created_at: rfc3339(row.created_at),
                started_at: row.started_at.map(rfc3339),
                finished_at: row.finished_at.map(rfc3339),
                elapsed_seconds,
                interrupted: false,
            },
            mapping: row.mapping,
            created_by: row.created_by,
            delimiter,
            encoding: row.encoding,
            heartbeat_at: row.heartbeat_at,
            attempt: row.attempt,
        }
    }
}

/// The label of a stored encoding name.
pub fn encoding_label(stored: &str) -> &'static str {
    match stored {
        "utf-8-bom" => "UTF-8 (BOM)",
        "windows-1252" => "Windows-1252",
        _ => "UTF-8",
    }
}

/// The columns of a job and where they come from; a job whose upload is
/// still storing its pieces (no `uploaded_at`) is not one yet.
const JOB_COLUMNS: &str =
    "j.id, j.file_name, j.file_size, j.encoding, j.delimiter, j.status, j.mapping,
        j.policy, j.total_rows, j.rows_done, j.created, j.updated, j.skipped, j.failed, j.error,
        j.cancel_requested, u.name AS created_by_name, j.created_by, j.created_at, j.started_at,
        j.finished_at, j.heartbeat_at, j.attempt
   FROM import_jobs j JOIN users u ON u.company_id = j.company_id AND u.id = j.created_by
                                  AND j.uploaded_at IS NOT NULL";

/// What an upload stores.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub created_by: i64,
    pub file_name: &'a str,
    pub file_size: i64,
    /// `utf-8`, `utf-8-bom` or `windows-1252`.
    pub encoding: &'a str,
    pub delimiter: u8,
    pub total_rows: i64,
}

/// Creates a job in state `uploaded` with the file's bytes, read from
/// `chunks` (pieces of at most [`CHUNK_BYTES`]). Each piece is stored in a
/// transaction of its own, so other writers wait for one piece at most
/// (on SQLite a transaction holds the database's write lock), and the job
/// becomes visible only once the last piece is in. A failed upload deletes
/// what it stored; one a crash interrupted is deleted by
/// [`purge_stale_uploads`].
pub async fn create_job<I>(
    db: &Db,
    company: CompanyId,
    job: &NewJob<'_>,
    chunks: I,
) -> Result<JobId, sqlx::Error>
where
    I: FnMut() -> std::io::Result<Option<Vec<u8>>> + Send,
{
    let now = Utc::now();
    let id: JobId = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: JobId = sqlx::query_scalar(
            "INSERT INTO import_jobs (company_id, created_by, file_name, file_size, encoding, delimiter,
                                      status, total_rows, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'uploaded', $7, $8) RETURNING id",
        )
        .bind(company)
        .bind(job.created_by)
        .bind(job.file_name)
        .bind(job.file_size)
        .bind(job.encoding)
        .bind((job.delimiter as char).to_string())
        .bind(job.total_rows)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        id
    });
    match store_pieces(db, company, id, chunks).await {
        Ok(()) => Ok(id),
        Err(error) => {
            if let Err(cleanup) = delete_job(db, company, id).await {
                tracing::warn!(%cleanup, job = %id, "could not delete a failed upload");
            }
            Err(error)
        }
    }
}

/// Stores a new job's pieces one transaction each, then marks it uploaded.
async fn store_pieces<I>(
    db: &Db,
    company: CompanyId,
    id: JobId,
    mut chunks: I,
) -> Result<(), sqlx::Error>
where
    I: FnMut() -> std::io::Result<Option<Vec<u8>>> + Send,
{
    let mut seq = 0i64;
    while let Some(bytes) = chunks().map_err(sqlx::Error::Io)? {
        with_db!(db, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO import_chunks (company_id, job_id, seq, bytes) VALUES ($1, $2, $3, $4)")
                .bind(company)
                .bind(id)
                .bind(seq)
                .bind(bytes)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        seq += 1;
    }
    with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE import_jobs SET uploaded_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(Utc::now())
            .bind(company)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Deletes a job and its pieces (`import_chunks` cascades).
async fn delete_job(db: &Db, company: CompanyId, id: JobId) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM import_jobs WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// How long an uploaded file waits for its mapping before it is dropped.
pub const UPLOAD_KEPT_HOURS: i64 = 24;
/// How long an upload may take to store its pieces; one still unfinished
/// after this was interrupted by a crash.
pub const UPLOAD_STORING_HOURS: i64 = 1;

/// What [`purge_stale_uploads`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgedUploads {
    /// Uploaded jobs never started, now failed with their file dropped.
    pub expired: u64,
    /// Uploads a crash left half-stored, deleted.
    pub broken: u64,
}

/// Drops the files of uploads whose mapping was not confirmed within
/// [`UPLOAD_KEPT_HOURS`] (the job stays in the history, failed, saying
/// why), and deletes uploads left half-stored for [`UPLOAD_STORING_HOURS`].
pub async fn purge_stale_uploads(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<PurgedUploads, sqlx::Error> {
    let message = "O mapeamento das colunas não foi confirmado em 24 horas e o arquivo \
                   foi descartado; envie-o de novo para importar.";
    let expired: Vec<(CompanyId, JobId)> = with_db!(db, pool => {
        sqlx::query_as(
            "UPDATE import_jobs SET status = 'failed', error = $1, finished_at = $2
              WHERE status = 'uploaded' AND uploaded_at IS NOT NULL AND created_at < $3
              RETURNING company_id, id",
        )
        .bind(message)
        .bind(now)
        .bind(now - chrono::Duration::hours(UPLOAD_KEPT_HOURS))
        .fetch_all(pool)
        .await?
    });
    let broken: Vec<(CompanyId, JobId)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT company_id, id FROM import_jobs WHERE uploaded_at IS NULL AND created_at < $1",
        )
        .bind(now - chrono::Duration::hours(UPLOAD_STORING_HOURS))
        .fetch_all(pool)
        .await?
    });
    for (company, id) in &expired {
        delete_chunks(db, *company, *id).await?;
    }
    for (company, id) in &broken {
        delete_job(db, *company, *id).await?;
    }
    Ok(PurgedUploads {
        expired: expired.len() as u64,
        broken: broken.len() as u64,
    })
}

/// Records that a running job's process is alive (see
/// `import::keep_beating`); `false` when the job is no longer running
/// under this run.
///
/// The heartbeat only moves forward. A beat waits for the batch being
/// written (PostgreSQL: the job's row lock; SQLite: the write lock), and
/// that batch beats at its commit; a beat taken before it, landing after,
/// must not put the older time back, or a job behind a slow batch (20 s
/// seen on PostgreSQL under write load) looks stale the moment the batch
/// commits and is taken over by its own server.
pub async fn beat(db: &Db, company: CompanyId, run: JobRun) -> Result<bool, sqlx::Error> {
    update_run(
        db,
        "heartbeat_at = CASE WHEN heartbeat_at IS NULL OR heartbeat_at < $4
                             THEN $4 ELSE heartbeat_at END",
        company,
        run,
        Some(Utc::now()),
    )
    .await
}

/// Runs `UPDATE import_jobs SET {set}` on this run's job while it is still
/// running under it (`$1` company, `$2` job, `$3` attempt, `$4`
/// `heartbeat`); whether it changed the job.
///
/// A write transaction (not an autocommit statement): on SQLite a running
/// import lets those in between its batches (`Db::yield_to_writers`), so a
/// heartbeat or a hand-back is never stuck behind it.
async fn update_run(
    db: &Db,
    set: &str,
    company: CompanyId,
    run: JobRun,
    heartbeat: Option<DateTime<Utc>>,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "UPDATE import_jobs SET {set}
          WHERE company_id = $1 AND id = $2 AND status = 'running' AND attempt = $3"
    );
    let done = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query(&sql)
            .bind(company)
            .bind(run.id)
            .bind(run.attempt)
            .bind(heartbeat)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        done
    });
    Ok(done == 1)
}

/// One job of the company. A queued or running job whose process stopped
/// beating is marked `interrupted` (it is resumed by the next sweep of
/// `import::Runners`).
pub async fn get_job(
    db: &Db,
    company: CompanyId,
    id: JobId,
) -> Result<Option<StoredJob>, sqlx::Error> {
    let row: Option<JobRow> = with_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {JOB_COLUMNS} WHERE j.company_id = $1 AND j.id = $2"))
            .bind(company)
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    Ok(row.map(|row| with_interrupted(StoredJob::from(row), Utc::now())))
}

/// The job with `interrupted` set when it waits to be resumed.
fn with_interrupted(mut job: StoredJob, now: DateTime<Utc>) -> StoredJob {
    job.job.interrupted = is_stale(&job, now);
    job
}

/// Whether a queued or running job stopped beating (or was handed back by
/// a process that shut down).
fn is_stale(job: &StoredJob, now: DateTime<Utc>) -> bool {
    matches!(job.job.status, JobStatus::Queued | JobStatus::Running)
        && job
            .heartbeat_at
            .is_none_or(|at| at < now - chrono::Duration::seconds(stale_after_seconds()))
}

/// The company's latest jobs, newest first.
pub async fn list_jobs(
    db: &Db,
    company: CompanyId,
    limit: i64,
) -> Result<Vec<ImportJob>, sqlx::Error> {
    let rows: Vec<JobRow> = with_db!(db, pool => {
        sqlx::query_as(&format!(
            "SELECT {JOB_COLUMNS} WHERE j.company_id = $1 ORDER BY j.id DESC LIMIT $2"
        ))
        .bind(company)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|row| with_interrupted(StoredJob::from(row), now).job)
        .collect())
}

/// Piece `seq` of a job's file; `None` past the end.
pub async fn read_chunk(
    db: &Db,
    company: CompanyId,
    job: JobId,
    seq: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let bytes = with_db!(db, pool => {
        sqlx::query_scalar("SELECT bytes FROM import_chunks WHERE company_id = $1 AND job_id = $2 AND seq = $3")
            .bind(company)
            .bind(job)
            .bind(seq)
            .fetch_optional(pool)
            .await?
    });
    Ok(bytes)
}

/// Forgets a job's file (once it ended).
pub async fn delete_chunks(db: &Db, company: CompanyId, job: JobId) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM import_chunks WHERE company_id = $1 AND job_id = $2")
            .bind(company)
            .bind(job)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Confirms the mapping of an uploaded job and queues it. `false` when the
/// job is not waiting for its mapping (already started, cancelled, …).
pub async fn queue_job(
    db: &Db,
    company: CompanyId,
    id: JobId,
    mapping: &str,
    policy: DuplicatePolicy,
) -> Result<bool, sqlx::Error> {
    let done = with_db!(db, pool => {
        sqlx::query(
            "UPDATE import_jobs SET status = 'queued', mapping = $1, policy = $2, heartbeat_at = $3
              WHERE company_id = $4 AND id = $5 AND status = 'uploaded' AND uploaded_at IS NOT NULL",
        )
        .bind(mapping)
        .bind(policy.as_str())
        .bind(Utc::now())
        .bind(company)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Takes a queued job to run it; `None` when another process took it.
pub async fn claim_job(
    db: &Db,
    company: CompanyId,
    id: JobId,
) -> Result<Option<JobRun>, sqlx::Error> {
    take(db, company, id, "status = 'queued'", None).await
}

/// Most times a job is taken (its first run and the resumptions after
/// crashes or deploys): a job that keeps bringing its process down, or is
/// never let finish, ends failed instead of being retried forever.
pub const MAX_ATTEMPTS: i64 = 8;

/// What [`take_over`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeOver {
    /// This process now runs the job.
    Taken(JobRun),
    /// The job was taken [`MAX_ATTEMPTS`] times: it is now failed.
    GaveUp,
    /// The job is not waiting to be resumed (its process is alive, another
    /// process took it first, or it ended).
    NotInterrupted,
}

/// Takes over a queued or running job whose process stopped beating (or
/// handed it back): it runs again from its last committed batch.
pub async fn take_over(
    db: &Db,
    company: CompanyId,
    id: JobId,
    now: DateTime<Utc>,
) -> Result<TakeOver, sqlx::Error> {
    let stale_before = now - chrono::Duration::seconds(stale_after_seconds());
    let waiting = |stale: &str| {
        format!(
            "status IN ('queued', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < {stale})"
        )
    };
    if let Some(run) = take(
        db,
        company,
        id,
        &format!("{} AND attempt < {MAX_ATTEMPTS}", waiting("$4")),
        Some(stale_before),
    )
    .await?
    {
        return Ok(TakeOver::Taken(run));
    }
    let message = format!(
        "A importação foi interrompida {MAX_ATTEMPTS} vezes sem terminar (o servidor parou \
         ou o banco de dados não respondeu durante ela). As linhas contadas até aqui foram \
         gravadas."
    );
    let failed = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let failed = sqlx::query(&format!(
            "UPDATE import_jobs SET status = 'failed', error = $1, finished_at = $2
              WHERE company_id = $3 AND id = $4 AND {} AND attempt >= {MAX_ATTEMPTS}{}",
            waiting("$5"),
            unless_locked(db, "$3", "$4")
        ))
        .bind(&message)
        .bind(now)
        .bind(company)
        .bind(id)
        .bind(stale_before)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        failed
    });
    if failed == 1 {
        delete_chunks(db, company, id).await?;
        return Ok(TakeOver::GaveUp);
    }
    Ok(TakeOver::NotInterrupted)
}

/// On PostgreSQL, a condition that holds only while no transaction holds
/// the job's row: a batch being written holds it until its commit
/// ([`crate::import_export::batch_repo`]), and a job whose batch is being
/// written is alive however long the batch takes, even if the heartbeat
/// queued behind that batch went stale meanwhile. Without it a take-over
/// waited behind the batch and, if the batch then failed, took the job with
/// the time it had started waiting, already stale for the next sweep
/// (RELIABILITY.md, "writers" on PostgreSQL). On SQLite a take-over begins
/// after the batch's commit, which has beaten the heartbeat.
fn unless_locked(db: &Db, company: &str, id: &str) -> String {
    match db {
        Db::Sqlite(_) => String::new(),
        Db::Postgres(_) => format!(
            " AND id IN (SELECT id FROM import_jobs WHERE company_id = {company} AND id = {id}
                          FOR UPDATE SKIP LOCKED)"
        ),
    }
}

/// Sets a job running under a new attempt where `condition` holds (which
/// may use `$4`, bound to `stale_before`); the run, or `None`.
async fn take(
    db: &Db,
    company: CompanyId,
    id: JobId,
    condition: &str,
    stale_before: Option<DateTime<Utc>>,
) -> Result<Option<JobRun>, sqlx::Error> {
    let sql = format!(
        "UPDATE import_jobs SET status = 'running', started_at = COALESCE(started_at, $1),
                heartbeat_at = $1, attempt = attempt + 1
          WHERE company_id = $2 AND id = $3 AND uploaded_at IS NOT NULL AND {condition}{}
          RETURNING attempt",
        unless_locked(db, "$2", "$3")
    );
    let attempt: Option<i64> = with_db!(db, pool => {
        // A write transaction: on SQLite a running import lets it in
        // between its batches.
        let mut tx = pool.begin_write().await?;
        let mut query = sqlx::query_scalar(&sql).bind(Utc::now()).bind(company).bind(id);
        if let Some(at) = stale_before {
            query = query.bind(at);
        }
        let attempt = query.fetch_optional(&mut *tx).await?;
        tx.commit().await?;
        attempt
    });
    Ok(attempt.map(|attempt| JobRun { id, attempt }))
}

/// Every company's queued or running jobs whose process stopped beating
/// (or handed them back), oldest first.
pub async fn interrupted_jobs(
    db: &Db,
    now: DateTime<Utc>,
) -> Result<Vec<(CompanyId, JobId)>, sqlx::Error> {
    let jobs = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT company_id, id FROM import_jobs
              WHERE status IN ('queued', 'running') AND uploaded_at IS NOT NULL
                AND (heartbeat_at IS NULL OR heartbeat_at < $1)
              ORDER BY id",
        )
        .bind(now - chrono::Duration::seconds(stale_after_seconds()))
        .fetch_all(pool)
        .await?
    });
    Ok(jobs)
}

/// Hands a running job back (its process is shutting down): queued, with
/// no heartbeat, so the next sweep of any process resumes it at once.
pub async fn release_job(db: &Db, company: CompanyId, run: JobRun) -> Result<bool, sqlx::Error> {
    update_run(
        db,
        "status = 'queued', heartbeat_at = $4",
        company,
        run,
        None,
    )
    .await
}

/// Asks a job to stop. A job not started yet is cancelled at once; a
/// running one stops before its next batch. `false` when it had ended.
pub async fn request_cancel(db: &Db, company: CompanyId, id: JobId) -> Result<bool, sqlx::Error> {
    let now = Utc::now();
    let (at_once, later) = with_db!(db, pool => {
        // A transaction (not two autocommit statements): on SQLite it is
        // counted as a waiting writer, so a running import lets it in.
        let mut tx = pool.begin_write().await?;
        let at_once = sqlx::query(
            "UPDATE import_jobs SET status = 'cancelled', cancel_requested = TRUE, finished_at = $1
              WHERE company_id = $2 AND id = $3 AND status IN ('uploaded', 'queued')
                AND uploaded_at IS NOT NULL",
        )
        .bind(now)
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let later = sqlx::query(
            "UPDATE import_jobs SET cancel_requested = TRUE
              WHERE company_id = $1 AND id = $2 AND status = 'running'",
        )
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        (at_once, later)
    });
    if at_once == 1 {
        delete_chunks(db, company, id).await?;
    }
    Ok(at_once + later == 1)
}

/// Ends a job under this run: `done`, `failed` (with why) or `cancelled`;
/// its file goes. A job that wrote at least `compact_after` contacts is
/// marked for compaction of the search index ([`jobs_to_compact`]).
/// `false` when the job was no longer this run's.
pub async fn finish_job(
    db: &Db,
    company: CompanyId,
    run: JobRun,
    status: JobStatus,
    error: Option<&str>,
    compact_after: i64,
) -> Result<bool, sqlx::Error> {
    let done = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query(
            "UPDATE import_jobs SET status = $1, error = $2, finished_at = $3,
                    compact_pending = (created + updated >= $4)
              WHERE company_id = $5 AND id = $6 AND status = 'running' AND attempt = $7",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(Utc::now())
        .bind(compact_after)
        .bind(company)
        .bind(run.id)
        .bind(run.attempt)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        done
    });
    if done == 1 {
        delete_chunks(db, company, run.id).await?;
    }
    Ok(done == 1)
}

/// Ended jobs whose compaction of the search index has not finished.
pub async fn jobs_to_compact(db: &Db) -> Result<Vec<JobId>, sqlx::Error> {
    let ids = with_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT id FROM import_jobs
              WHERE compact_pending AND status IN ('done', 'failed', 'cancelled') ORDER BY id",
        )
        .fetch_all(pool)
        .await?
    });
    Ok(ids)
}

/// Records that the search index was compacted after these jobs.
pub async fn compacted(db: &Db, ids: &[JobId]) -> Result<(), sqlx::Error> {
    for id in ids {
        with_db!(db, pool => {
            sqlx::query("UPDATE import_jobs SET compact_pending = FALSE WHERE id = $1")
                .bind(*id)
                .execute(pool)
                .await?;
        });
    }
    Ok(())
}

/// A failed row page of the error report, after line `after`.
pub async fn failures(
    db: &Db,
    company: CompanyId,
    job: JobId,
    after: i64,
    limit: i64,
) -> Result<Vec<RowFailure>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT line, cells, reason FROM import_errors
              WHERE company_id = $1 AND job_id = $2 AND line > $3 ORDER BY line LIMIT $4",
        )
        .bind(company)
        .bind(job)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(line, cells, reason)| RowFailure {
            line,
            cells: serde_json::from_str(&cells).unwrap_or_default(),
            reason,
        })
        .collect())
}

/// The import that created a contact: (file name, who imported, when).
pub async fn import_origin(
    db: &Db,
    company: CompanyId,
    contact: ContactId,
) -> Result<Option<(String, String, DateTime<Utc>)>, sqlx::Error> {
    let row = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT j.file_name, u.name, j.created_at
               FROM contacts c
               JOIN import_jobs j ON j.company_id = c.company_id AND j.id = c.import_job_id
               JOIN users u ON u.company_id = j.company_id AND u.id = j.created_by
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company)
        .bind(contact)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}
