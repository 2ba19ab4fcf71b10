//! All SQL of the import: jobs, the uploaded file's chunks, failed rows, and
//! the batch writer that turns prepared rows into contacts (server only).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use crate::contacts::repo::{StoredContact, CREATE_GROUP, CREATE_ORGANIZATION};
use crate::contacts::search::fold;
use crate::db::{BeginWrite, Db};
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
    id: i64,
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
            },
            mapping: row.mapping,
            created_by: row.created_by,
            delimiter,
            encoding: row.encoding,
            heartbeat_at: row.heartbeat_at,
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
        j.finished_at, j.heartbeat_at
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
) -> Result<i64, sqlx::Error>
where
    I: FnMut() -> std::io::Result<Option<Vec<u8>>> + Send,
{
    let now = Utc::now();
    let id: i64 = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_jobs (company_id, created_by, file_name, file_size, encoding, delimiter,
                                      status, total_rows, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'uploaded', $7, $8) RETURNING id",
        )
        .bind(company.0)
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
                tracing::warn!(%cleanup, job = id, "could not delete a failed upload");
            }
            Err(error)
        }
    }
}

/// Stores a new job's pieces one transaction each, then marks it uploaded.
async fn store_pieces<I>(
    db: &Db,
    company: CompanyId,
    id: i64,
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
                .bind(company.0)
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
            .bind(company.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// Deletes a job and its pieces (`import_chunks` cascades).
async fn delete_job(db: &Db, company: CompanyId, id: i64) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM import_jobs WHERE company_id = $1 AND id = $2")
            .bind(company.0)
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
    let expired: Vec<(i64, i64)> = with_db!(db, pool => {
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
    let broken: Vec<(i64, i64)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT company_id, id FROM import_jobs WHERE uploaded_at IS NULL AND created_at < $1",
        )
        .bind(now - chrono::Duration::hours(UPLOAD_STORING_HOURS))
        .fetch_all(pool)
        .await?
    });
    for (company, id) in &expired {
        delete_chunks(db, CompanyId(*company), *id).await?;
    }
    for (company, id) in &broken {
        delete_job(db, CompanyId(*company), *id).await?;
    }
    Ok(PurgedUploads {
        expired: expired.len() as u64,
        broken: broken.len() as u64,
    })
}

/// Records that a running job's process is alive (see
/// `import::keep_beating`); `false` when the job is no longer running.
pub async fn beat(db: &Db, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    stamp(
        db,
        "UPDATE import_jobs SET heartbeat_at = $1
          WHERE company_id = $2 AND id = $3 AND status = 'running'",
        company,
        id,
    )
    .await
}

/// Runs an `UPDATE` of one job that takes the time now (`$1`), the company
/// (`$2`) and the job (`$3`); whether it changed the job.
///
/// A write transaction (not an autocommit statement): on SQLite a running
/// import lets those in between its batches (`Db::yield_to_writers`), so a
/// heartbeat is never stuck behind a long import.
async fn stamp(db: &Db, sql: &str, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    let done = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query(sql)
            .bind(Utc::now())
            .bind(company.0)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        done
    });
    Ok(done == 1)
}

/// One job of the company; a running job whose server process is gone is
/// marked failed on the way.
pub async fn get_job(
    db: &Db,
    company: CompanyId,
    id: i64,
) -> Result<Option<StoredJob>, sqlx::Error> {
    let row: Option<JobRow> = with_db!(db, pool => {
        sqlx::query_as(&format!("SELECT {JOB_COLUMNS} WHERE j.company_id = $1 AND j.id = $2"))
            .bind(company.0)
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    let Some(job) = row.map(StoredJob::from) else {
        return Ok(None);
    };
    if is_stale(&job, Utc::now()) {
        mark_lost(db, company, &job).await?;
        let row: Option<JobRow> = with_db!(db, pool => {
            sqlx::query_as(&format!("SELECT {JOB_COLUMNS} WHERE j.company_id = $1 AND j.id = $2"))
                .bind(company.0)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        return Ok(row.map(StoredJob::from));
    }
    Ok(Some(job))
}

/// Whether a queued or running job stopped beating.
fn is_stale(job: &StoredJob, now: DateTime<Utc>) -> bool {
    matches!(job.job.status, JobStatus::Queued | JobStatus::Running)
        && job
            .heartbeat_at
            .is_some_and(|at| (now - at).num_seconds() > stale_after_seconds())
}

/// Marks a job whose server process died as failed (only while its
/// heartbeat is still old: a batch committed meanwhile proves it alive).
async fn mark_lost(db: &Db, company: CompanyId, job: &StoredJob) -> Result<(), sqlx::Error> {
    let message = "O servidor que fazia a importação parou (reinício ou queda). \
                   As linhas contadas até aqui foram gravadas; envie o arquivo de novo \
                   com \"Ignorar duplicados\" para completar.";
    let marked = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let marked = sqlx::query(
            "UPDATE import_jobs SET status = 'failed', error = $1, finished_at = heartbeat_at
              WHERE company_id = $2 AND id = $3 AND status IN ('queued', 'running')
                AND heartbeat_at < $4",
        )
        .bind(message)
        .bind(company.0)
        .bind(job.job.id)
        .bind(Utc::now() - chrono::Duration::seconds(stale_after_seconds()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        marked
    });
    // A beat or a batch that landed meanwhile proves it alive: its file stays.
    if marked == 1 {
        delete_chunks(db, company, job.job.id).await?;
    }
    Ok(())
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
        .bind(company.0)
        .bind(limit)
        .fetch_all(pool)
        .await?
    });
    let now = Utc::now();
    let mut jobs = Vec::with_capacity(rows.len());
    for row in rows {
        let job = StoredJob::from(row);
        if is_stale(&job, now) {
            if let Some(fresh) = get_job(db, company, job.job.id).await? {
                jobs.push(fresh.job);
            }
        } else {
            jobs.push(job.job);
        }
    }
    Ok(jobs)
}

/// Piece `seq` of a job's file; `None` past the end.
pub async fn read_chunk(
    db: &Db,
    company: CompanyId,
    job: i64,
    seq: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let bytes = with_db!(db, pool => {
        sqlx::query_scalar("SELECT bytes FROM import_chunks WHERE company_id = $1 AND job_id = $2 AND seq = $3")
            .bind(company.0)
            .bind(job)
            .bind(seq)
            .fetch_optional(pool)
            .await?
    });
    Ok(bytes)
}

/// Forgets a job's file (once it ended).
pub async fn delete_chunks(db: &Db, company: CompanyId, job: i64) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query("DELETE FROM import_chunks WHERE company_id = $1 AND job_id = $2")
            .bind(company.0)
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
    id: i64,
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
        .bind(company.0)
        .bind(id)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Takes a queued job to run it; `false` when another process took it.
pub async fn claim_job(db: &Db, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    stamp(
        db,
        "UPDATE import_jobs SET status = 'running', started_at = $1, heartbeat_at = $1
          WHERE company_id = $2 AND id = $3 AND status = 'queued'",
        company,
        id,
    )
    .await
}

/// Asks a job to stop. A job not started yet is cancelled at once; a
/// running one stops before its next batch. `false` when it had ended.
pub async fn request_cancel(db: &Db, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
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
        .bind(company.0)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let later = sqlx::query(
            "UPDATE import_jobs SET cancel_requested = TRUE
              WHERE company_id = $1 AND id = $2 AND status = 'running'",
        )
        .bind(company.0)
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

/// Ends a job: `done`, `failed` (with why) or `cancelled`; its file goes.
pub async fn finish_job(
    db: &Db,
    company: CompanyId,
    id: i64,
    status: JobStatus,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    with_db!(db, pool => {
        sqlx::query(
            "UPDATE import_jobs SET status = $1, error = $2, finished_at = $3
              WHERE company_id = $4 AND id = $5 AND status = 'running'",
        )
        .bind(status.as_str())
        .bind(error)
        .bind(Utc::now())
        .bind(company.0)
        .bind(id)
        .execute(pool)
        .await?;
    });
    delete_chunks(db, company, id).await
}

/// A failed row page of the error report, after line `after`.
pub async fn failures(
    db: &Db,
    company: CompanyId,
    job: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<RowFailure>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT line, cells, reason FROM import_errors
              WHERE company_id = $1 AND job_id = $2 AND line > $3 ORDER BY line LIMIT $4",
        )
        .bind(company.0)
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

/// A row ready to be written.
#[derive(Debug, Clone)]
pub enum PreparedRow {
    /// Nothing in it: counted as skipped.
    Blank,
    Failed(RowFailure),
    Contact(Box<PreparedContact>),
}

/// A valid row: the contact as the form would store it, plus what the
/// writer resolves by name or matches on.
#[derive(Debug, Clone)]
pub struct PreparedContact {
    pub line: i64,
    pub cells: Vec<String>,
    pub contact: StoredContact,
    pub contact_id: Option<i64>,
    /// Whether the name came from the file (it replaces an existing name).
    pub name_given: bool,
    pub organization: Option<String>,
    pub groups: Vec<String>,
    /// Required custom fields the row leaves empty: an error only when the
    /// row creates a contact (an update keeps the existing values).
    pub missing_required: Vec<String>,
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// Whether the batch was written or the job had been cancelled (then
/// nothing of the batch was).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchOutcome {
    Written(BatchCounts),
    Cancelled,
    /// The job is no longer running (another process declared it lost):
    /// nothing was written, and the runner stops.
    NotRunning,
}

/// Adds phones and e-mails (numbered from the given positions) and group
/// memberships (groups found or created by name) to a contact inside the
/// caller's transaction.
macro_rules! insert_lists {
    ($tx:expr, $company:expr, $id:expr, $group_cache:ident, $now:expr,
     $phones:expr, $phone_start:expr, $emails:expr, $email_start:expr, $groups:expr) => {{
        for (offset, phone) in $phones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contact_phones (company_id, contact_id, e164, position) VALUES ($1, $2, $3, $4)",
            )
            .bind($company.0)
            .bind($id)
            .bind(phone.as_str())
            .bind(($phone_start + offset) as i64)
            .execute(&mut *$tx)
            .await?;
        }
        for (offset, email) in $emails.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contact_emails (company_id, contact_id, email, position) VALUES ($1, $2, $3, $4)",
            )
            .bind($company.0)
            .bind($id)
            .bind(email.as_str())
            .bind(($email_start + offset) as i64)
            .execute(&mut *$tx)
            .await?;
        }
        for group in $groups {
            let group_id = crate::find_or_create!(&mut *$tx, $group_cache, CREATE_GROUP, $company, group, $now);
            sqlx::query(
                "INSERT INTO contact_group_members (company_id, contact_id, group_id) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind($company.0)
            .bind($id)
            .bind(group_id)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// The contacts a batch may match, by key (the oldest per phone or e-mail).
#[derive(Debug, Default)]
struct Known {
    ids: std::collections::HashSet<i64>,
    phones: HashMap<String, i64>,
    emails: HashMap<String, i64>,
}

impl Known {
    /// The stored contact a row is about, if any: same ID, else a phone,
    /// else an e-mail in common (the oldest such contact), this batch's
    /// earlier rows included. Never one under the "create" policy.
    fn existing(&self, prepared: &PreparedContact, policy: DuplicatePolicy) -> Option<i64> {
        if policy == DuplicatePolicy::Create {
            return None;
        }
        let contact = &prepared.contact;
        prepared
            .contact_id
            .filter(|id| self.ids.contains(id))
            .or_else(|| {
                contact
                    .phones
                    .iter()
                    .find_map(|p| self.phones.get(p).copied())
            })
            .or_else(|| {
                contact
                    .emails
                    .iter()
                    .find_map(|e| self.emails.get(e).copied())
            })
    }

    /// A contact the batch wrote: later rows of the batch match it too.
    fn add(&mut self, id: i64, contact: &StoredContact) {
        self.ids.insert(id);
        for phone in &contact.phones {
            self.phones.entry(phone.clone()).or_insert(id);
        }
        for email in &contact.emails {
            self.emails.entry(email.clone()).or_insert(id);
        }
    }
}

/// The contact IDs, phones and e-mails of a batch's rows, each as a JSON
/// array (the lookups read them with `json_each` / `jsonb_array_elements_text`).
fn batch_keys(rows: &[PreparedRow]) -> (String, String, String) {
    let contacts = rows.iter().filter_map(|row| match row {
        PreparedRow::Contact(prepared) => Some(prepared),
        _ => None,
    });
    let (mut ids, mut phones, mut emails) = (Vec::new(), Vec::new(), Vec::new());
    for prepared in contacts {
        ids.extend(prepared.contact_id);
        phones.extend(prepared.contact.phones.iter());
        emails.extend(prepared.contact.emails.iter());
    }
    let json = |value: serde_json::Value| value.to_string();
    (
        json(serde_json::json!(ids)),
        json(serde_json::json!(phones)),
        json(serde_json::json!(emails)),
    )
}

/// Most phones or e-mails a contact may hold after an update merges lists.
const MAX_ENTRIES: usize = crate::contacts::form::MAX_ENTRIES;

/// Writes one batch in one transaction: the contacts, the failed rows, and
/// the job's counters and heartbeat. If the job was asked to stop, or is no
/// longer running, nothing is written.
pub async fn write_batch(
    db: &Db,
    company: CompanyId,
    job: i64,
    policy: DuplicatePolicy,
    rows: &[PreparedRow],
) -> Result<BatchOutcome, sqlx::Error> {
    let now = Utc::now();
    let mut counts = BatchCounts::default();
    let sqlite = matches!(db, Db::Sqlite(_));
    let outcome = with_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        // PostgreSQL: the job's row is locked until the commit, so another
        // process cannot declare it lost while this batch is written (SQLite
        // holds the write lock from BEGIN IMMEDIATE already).
        let lock = if sqlite { "" } else { " FOR UPDATE" };
        let (cancel, status): (bool, String) = sqlx::query_as(&format!(
            "SELECT cancel_requested, status FROM import_jobs WHERE company_id = $1 AND id = $2{lock}"
        ))
        .bind(company.0)
        .bind(job)
        .fetch_one(&mut *tx)
        .await?;
        if status != JobStatus::Running.as_str() {
            tx.rollback().await?;
            BatchOutcome::NotRunning
        } else if cancel {
            tx.rollback().await?;
            BatchOutcome::Cancelled
        } else {
            // SQLite: ids found in this transaction only (a rolled-back
            // batch must not leave ids behind for the next one).
            let mut next_id: i64 = 0;
            if sqlite {
                sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *tx).await?;
                // The write lock is held (BEGIN IMMEDIATE): nobody else
                // takes ids until the commit.
                next_id = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM contacts")
                    .fetch_one(&mut *tx)
                    .await?;
            }
            // PostgreSQL: ids taken from the sequence (below), as many as
            // the batch's rows that match no stored contact (rows matching
            // an earlier row of the batch leave their id unused).
            let mut reserved_ids: std::collections::VecDeque<i64> = Default::default();
            let mut organizations: HashMap<String, i64> = HashMap::new();
            let mut groups: HashMap<String, i64> = HashMap::new();
            let mut failures: Vec<RowFailure> = Vec::new();
            // Every contact the batch could match, read in three statements
            // (one per key) instead of one or more per row.
            let mut known = Known::default();
            let mut pending = crate::contacts::bulk_repo::NewRows::default();
            // CPF/CNPJ custom fields: their values join the search's digits.
            let document_fields: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM custom_fields WHERE company_id = $1 AND field_type IN ('cpf', 'cnpj')",
            )
            .bind(company.0)
            .fetch_all(&mut *tx)
            .await?;
            if policy != DuplicatePolicy::Create {
                let (ids, phones, emails) = batch_keys(rows);
                let (ids_sql, phones_sql, emails_sql) = if sqlite {
                    (
                        "SELECT id, id FROM contacts WHERE company_id = $1 AND id IN (SELECT value FROM json_each($2))",
                        "SELECT e164, contact_id FROM contact_phones WHERE company_id = $1 AND e164 IN (SELECT value FROM json_each($2))",
                        "SELECT email, contact_id FROM contact_emails WHERE company_id = $1 AND email IN (SELECT value FROM json_each($2))",
                    )
                } else {
                    (
                        "SELECT id, id FROM contacts WHERE company_id = $1 AND id IN (SELECT jsonb_array_elements_text($2::jsonb)::bigint)",
                        "SELECT e164, contact_id FROM contact_phones WHERE company_id = $1 AND e164 IN (SELECT jsonb_array_elements_text($2::jsonb))",
                        "SELECT email, contact_id FROM contact_emails WHERE company_id = $1 AND email IN (SELECT jsonb_array_elements_text($2::jsonb))",
                    )
                };
                let found: Vec<(i64, i64)> = sqlx::query_as(ids_sql)
                    .bind(company.0)
                    .bind(ids)
                    .fetch_all(&mut *tx)
                    .await?;
                known.ids.extend(found.into_iter().map(|(id, _)| id));
                for (sql, keys, map) in [
                    (phones_sql, phones, &mut known.phones),
                    (emails_sql, emails, &mut known.emails),
                ] {
                    let found: Vec<(String, i64)> = sqlx::query_as(sql)
                        .bind(company.0)
                        .bind(keys)
                        .fetch_all(&mut *tx)
                        .await?;
                    for (key, id) in found {
                        let slot = map.entry(key).or_insert(id);
                        *slot = (*slot).min(id);
                    }
                }
            }
            if !sqlite {
                let wanted = rows
                    .iter()
                    .filter(|row| match row {
                        PreparedRow::Contact(prepared) => {
                            prepared.missing_required.is_empty() && known.existing(prepared, policy).is_none()
                        }
                        _ => false,
                    })
                    .count();
                if wanted > 0 {
                    reserved_ids = sqlx::query_scalar::<_, i64>(crate::contacts::bulk_repo::POSTGRES_RESERVE_IDS)
                        .bind(wanted as i64)
                        .fetch_all(&mut *tx)
                        .await?
                        .into();
                }
            }
            for row in rows {
                let prepared = match row {
                    PreparedRow::Blank => {
                        counts.skipped += 1;
                        continue;
                    }
                    PreparedRow::Failed(failure) => {
                        failures.push(failure.clone());
                        continue;
                    }
                    PreparedRow::Contact(prepared) => prepared,
                };
                let contact = &prepared.contact;
                let existing = known.existing(prepared, policy);
                match (existing, policy) {
                    (Some(_), DuplicatePolicy::Skip) => {
                        counts.skipped += 1;
                    }
                    (Some(id), _) => {
                        if pending.holds(id) {
                            crate::write_new_contacts!(tx, sqlite, company, pending, Some(job), now);
                        }
                        // Merge: lists grow, single values are replaced by
                        // the row's non-empty cells.
                        let phones: Vec<String> = sqlx::query_scalar(
                            "SELECT e164 FROM contact_phones WHERE company_id = $1 AND contact_id = $2",
                        )
                        .bind(company.0)
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await?;
                        let emails: Vec<String> = sqlx::query_scalar(
                            "SELECT email FROM contact_emails WHERE company_id = $1 AND contact_id = $2",
                        )
                        .bind(company.0)
                        .bind(id)
                        .fetch_all(&mut *tx)
                        .await?;
                        let new_phones: Vec<&String> =
                            contact.phones.iter().filter(|p| !phones.contains(p)).collect();
                        let new_emails: Vec<&String> =
                            contact.emails.iter().filter(|e| !emails.contains(e)).collect();
                        if phones.len() + new_phones.len() > MAX_ENTRIES
                            || emails.len() + new_emails.len() > MAX_ENTRIES
                        {
                            failures.push(RowFailure {
                                line: prepared.line,
                                cells: prepared.cells.clone(),
                                reason: format!(
                                    "O contato {id} ficaria com mais de {MAX_ENTRIES} telefones ou e-mails."
                                ),
                            });
                            continue;
                        }
                        let organization_id = match &prepared.organization {
                            Some(name) => Some(crate::find_or_create!(&mut *tx, organizations, CREATE_ORGANIZATION, company, name, now)),
                            None => None,
                        };
                        let name = prepared.name_given.then_some(contact.name.as_str());
                        sqlx::query(
                            "UPDATE contacts SET
                                    name = COALESCE($1, name), sort_key = COALESCE($2, sort_key),
                                    address = COALESCE($3, address), birth_date = COALESCE($4, birth_date),
                                    document = COALESCE($5, document), gender = COALESCE($6, gender),
                                    facebook = COALESCE($7, facebook), instagram = COALESCE($8, instagram),
                                    telegram = COALESCE($9, telegram), website = COALESCE($10, website),
                                    notes = COALESCE($11, notes),
                                    organization_id = COALESCE($12, organization_id), updated_at = $13,
                                    version = version + 1, updated_by = NULL
                              WHERE company_id = $14 AND id = $15",
                        )
                        .bind(name)
                        .bind(name.map(fold))
                        .bind(&contact.address)
                        .bind(contact.birth_date)
                        .bind(&contact.document)
                        .bind(&contact.gender)
                        .bind(&contact.facebook)
                        .bind(&contact.instagram)
                        .bind(&contact.telegram)
                        .bind(&contact.website)
                        .bind(&contact.notes)
                        .bind(organization_id)
                        .bind(now)
                        .bind(company.0)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        insert_lists!(
                            tx, company, id, groups, now,
                            new_phones, phones.len(), new_emails, emails.len(), &prepared.groups
                        );
                        for (field, _) in &contact.custom {
                            for table in ["contact_field_values", "contact_field_options"] {
                                sqlx::query(&format!(
                                    "DELETE FROM {table} WHERE company_id = $1 AND contact_id = $2 AND field_id = $3"
                                ))
                                .bind(company.0)
                                .bind(id)
                                .bind(*field)
                                .execute(&mut *tx)
                                .await?;
                            }
                        }
                        crate::insert_custom_values!(tx, company, id, &contact.custom);
                        known.add(id, contact);
                        counts.updated += 1;
                    }
                    (None, _) if !prepared.missing_required.is_empty() => {
                        failures.push(RowFailure {
                            line: prepared.line,
                            cells: prepared.cells.clone(),
                            reason: prepared
                                .missing_required
                                .iter()
                                .map(|label| format!("{label}: é obrigatório para criar o contato."))
                                .collect::<Vec<_>>()
                                .join(" "),
                        });
                    }
                    (None, _) => {
                        let organization_id = match &prepared.organization {
                            Some(name) => Some(crate::find_or_create!(&mut *tx, organizations, CREATE_ORGANIZATION, company, name, now)),
                            None => None,
                        };
                        let id = if sqlite {
                            next_id += 1;
                            next_id
                        } else {
                            reserved_ids.pop_front().ok_or_else(|| {
                                sqlx::Error::Protocol("import batch: no contact id left reserved".into())
                            })?
                        };
                        let mut group_ids = Vec::with_capacity(prepared.groups.len());
                        for group in &prepared.groups {
                            group_ids.push(crate::find_or_create!(&mut *tx, groups, CREATE_GROUP, company, group, now));
                        }
                        pending.push(id, organization_id, &group_ids, contact, &document_fields);
                        known.add(id, contact);
                        counts.created += 1;
                    }
                }
            }
            crate::write_new_contacts!(tx, sqlite, company, pending, Some(job), now);
            counts.failed = failures.len() as i64;
            for failure in &failures {
                sqlx::query(
                    "INSERT INTO import_errors (company_id, job_id, line, cells, reason) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT DO NOTHING",
                )
                .bind(company.0)
                .bind(job)
                .bind(failure.line)
                .bind(serde_json::to_string(&failure.cells).unwrap_or_default())
                .bind(&failure.reason)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE import_jobs SET rows_done = rows_done + $1, created = created + $2,
                        updated = updated + $3, skipped = skipped + $4, failed = failed + $5,
                        heartbeat_at = $6
                  WHERE company_id = $7 AND id = $8",
            )
            .bind(rows.len() as i64)
            .bind(counts.created)
            .bind(counts.updated)
            .bind(counts.skipped)
            .bind(counts.failed)
            .bind(Utc::now())
            .bind(company.0)
            .bind(job)
            .execute(&mut *tx)
            .await?;
            crate::contacts::search_rank_repo::SettleRanks::settle_ranks(&mut *tx, company).await?;
            tx.commit().await?;
            BatchOutcome::Written(counts)
        }
    });
    Ok(outcome)
}

/// The import that created a contact: (file name, who imported, when).
pub async fn import_origin(
    db: &Db,
    company: CompanyId,
    contact: i64,
) -> Result<Option<(String, String, DateTime<Utc>)>, sqlx::Error> {
    let row = with_db!(db, pool => {
        sqlx::query_as(
            "SELECT j.file_name, u.name, j.created_at
               FROM contacts c
               JOIN import_jobs j ON j.company_id = c.company_id AND j.id = c.import_job_id
               JOIN users u ON u.company_id = j.company_id AND u.id = j.created_by
              WHERE c.company_id = $1 AND c.id = $2",
        )
        .bind(company.0)
        .bind(contact)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}

/// The company's first active admin (who the command line imports as).
pub async fn first_admin(db: &Db, company: CompanyId) -> Result<Option<i64>, sqlx::Error> {
    let id = with_db!(db, pool => {
        sqlx::query_scalar(
            "SELECT id FROM users WHERE company_id = $1 AND role = 'admin' AND active = TRUE ORDER BY id LIMIT 1",
        )
        .bind(company.0)
        .fetch_optional(pool)
        .await?
    });
    Ok(id)
}
